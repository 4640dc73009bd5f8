/**
 * The cows npm `cowsay` ships, loaded and checked once. Only names from this catalogue ever reach the
 * renderer: npm `cowsay` reads any `f` containing a slash as a file path (`/proc/self/environ` prints the
 * process environment), so a name is looked up here first and the renderer only sees our own copy of it.
 */
import { list, say, think } from 'cowsay';

export interface Face {
  eyes: string;
  tongue: string;
}

/** Cows left out of `-r`: blank templates and cows some teams would not want to see at random. */
const NOT_RANDOM = new Set([
  'template',
  'aperture-blank',
  'bong',
  'satanic',
  'mutilated',
  'surgery',
  'psychiatrichelp',
  'psychiatrichelp2',
]);
/** Random cows must leave room for text in a Slack message. */
const RANDOM_MAX_ART_CHARS = 1200;
const RANDOM_MAX_ART_COLUMNS = 60;
/** npm cowsay draws `x` in a three-line balloon above the cow; the art starts after it. */
const PROBE_BALLOON_LINES = 3;
const BROKEN_MARKERS = /\$the_cow|^EOC$/m;

export interface CowCatalog {
  /** Sorted case-insensitively. */
  readonly names: readonly string[];
  /** What `-r` picks from. */
  readonly randomNames: readonly string[];
  /** The canonical name, matched case-insensitively. */
  resolve(name: string): string | undefined;
  art(name: string, face: Face, think: boolean): string;
}

export async function loadCowCatalog(): Promise<CowCatalog> {
  const listed = await listCows();
  const probes = probeAll(listed);
  const byLowerName = new Map<string, string>();
  const names: string[] = [];
  const randomNames: string[] = [];
  for (const name of listed) {
    // Names become lookup keys only; anything that could be read as a path is dropped.
    if (!/^[\w.-]+$/.test(name)) continue;
    const probe = probes.get(name);
    if (probe === undefined) continue;
    names.push(name);
    byLowerName.set(name.toLowerCase(), name);
    const columns = probe.split('\n').reduce((max, line) => Math.max(max, line.length), 0);
    if (!NOT_RANDOM.has(name) && probe.length <= RANDOM_MAX_ART_CHARS && columns <= RANDOM_MAX_ART_COLUMNS) {
      randomNames.push(name);
    }
  }
  const byName = (a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase());
  names.sort(byName);
  randomNames.sort(byName);

  // npm cowsay re-parses the cow file on every call; most requests ask for the same few cows and faces.
  const artCache = new Map<string, string>();
  for (const name of names) artCache.set(artKey(name, DEFAULT_FACE, false), probes.get(name) ?? '');

  return Object.freeze({
    names: Object.freeze(names),
    randomNames: Object.freeze(randomNames),
    resolve: (name: string) => byLowerName.get(name.toLowerCase()),
    art(name: string, face: Face, think: boolean): string {
      const canonical = byLowerName.get(name.toLowerCase());
      // The message names no cow: error messages never carry what a user typed.
      if (canonical === undefined) throw new RangeError('a cow name that is not in the catalogue');
      const key = artKey(canonical, face, think);
      let art = artCache.get(key);
      if (art === undefined) {
        art = renderArt(canonical, face, think) ?? '';
        // Bounded: eyes and tongue are user input. Dropping the oldest entry is enough to stay bounded.
        if (artCache.size >= ART_CACHE_LIMIT) artCache.delete(artCache.keys().next().value ?? '');
        artCache.set(key, art);
      }
      return art;
    },
  });
}

const DEFAULT_FACE: Face = Object.freeze({ eyes: 'oo', tongue: '  ' });
/** Every cow with the default face, plus room for the faces people actually use. */
const ART_CACHE_LIMIT = 1024;

function artKey(name: string, face: Face, think: boolean): string {
  return `${name}\u0000${face.eyes}\u0000${face.tongue}\u0000${think ? 'o' : '\\'}`;
}

function listCows(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // npm cowsay's list() both calls back and returns a promise that rejects on error; the callback is the
    // one we use, so the promise's rejection is handled and dropped.
    list((error, names) => (error ? reject(error) : resolve(names))).catch(() => {});
  });
}

/**
 * Renders every cow once. npm cowsay prints a cow file it cannot parse to stderr and renders the file
 * itself; we only want to know which cows those are, so its console output is held back for this loop.
 */
function probeAll(names: readonly string[]): Map<string, string | undefined> {
  const consoleError = console.error;
  console.error = () => {};
  try {
    return new Map(names.map((name) => [name, renderArt(name, DEFAULT_FACE, false)]));
  } finally {
    console.error = consoleError;
  }
}

/**
 * Stand-ins for the eyes while npm cowsay fills in the art. Cows that draw each eye on its own (`$eye`, as
 * the dragon does) get `eyes.charAt(0)` and `charAt(1)` from it, which cuts an emoji into half surrogate
 * pairs; the real eyes, split by grapheme, replace these afterwards. No cow file holds private-use characters.
 */
const LEFT_EYE = '\ue000';
const RIGHT_EYE = '\ue001';

/** The art below the balloon, or `undefined` for a cow file npm cowsay cannot parse. */
function renderArt(name: string, face: Face, thinking: boolean): string | undefined {
  // `n` (no wrapping) is missing from npm cowsay's typings, hence the variable rather than a literal.
  const options = { text: 'x', f: name, e: LEFT_EYE + RIGHT_EYE, T: face.tongue, n: true };
  const rendered = thinking ? think(options) : say(options);
  const art = rendered.split('\n').slice(PROBE_BALLOON_LINES).join('\n');
  if (BROKEN_MARKERS.test(art)) return undefined;
  const [left = '', right = ''] = splitEyes(face.eyes);
  // split/join, not replace: a replacement string would read `$$` in the eyes as one `$`.
  return art
    .split(LEFT_EYE + RIGHT_EYE)
    .join(face.eyes)
    .split(LEFT_EYE)
    .join(left)
    .split(RIGHT_EYE)
    .join(right);
}

/** The first grapheme and the rest: the left and right eye of cows that draw them apart. */
function splitEyes(eyes: string): [string, string] {
  const first = graphemeSegmenter.segment(eyes)[Symbol.iterator]().next().value?.segment ?? '';
  return [first, eyes.slice(first.length)];
}

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
