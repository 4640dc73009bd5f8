/**
 * Cowsay options: the slash-command argument syntax (`-f dragon -W 30 text`, getopt style) and the
 * validation every option passes before it can reach the renderer. `GET /say` uses the same checks.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { CowCatalog } from './cows.js';
import { isFacePart } from './face.js';
import { DEFAULT_COLUMNS, MAX_COLUMNS, MAX_COW_NAME_CHARS, MAX_FACE_COLUMNS, MIN_COLUMNS } from './limits.js';

export const MODES = {
  b: 'borg',
  d: 'dead',
  g: 'greedy',
  p: 'paranoid',
  s: 'stoned',
  t: 'tired',
  w: 'wired',
  y: 'youthful',
} as const;
export type Mode = keyof typeof MODES;

export interface CowsayOptions {
  /** A canonical cow name from the catalogue; ignored when `random` is set. */
  readonly cow: string;
  readonly random: boolean;
  readonly eyes: string | undefined;
  readonly tongue: string | undefined;
  readonly modes: readonly Mode[];
  readonly think: boolean;
  /** Wrap width (`-W`), or `undefined` for no wrapping (`-n`). */
  readonly columns: number | undefined;
}

export const DEFAULT_OPTIONS: CowsayOptions = Object.freeze({
  cow: 'default',
  random: false,
  eyes: undefined,
  tongue: undefined,
  modes: Object.freeze([]),
  think: false,
  columns: DEFAULT_COLUMNS,
});

export type CowsayCommand =
  | { kind: 'help'; note?: string }
  | { kind: 'list' }
  | { kind: 'say'; text: string; options: CowsayOptions }
  | { kind: 'error'; message: string };

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export function checkCowName(name: string, catalog: CowCatalog): Checked<string> {
  const canonical = catalog.resolve(name);
  if (canonical !== undefined) return { ok: true, value: canonical };
  const shown = quote(name);
  if (name.length <= MAX_COW_NAME_CHARS) {
    const lower = name.toLowerCase();
    const candidates = catalog.names.map((candidate) => candidate.toLowerCase());
    const nearest = closest(lower, candidates);
    if (distance(lower, nearest) <= Math.max(2, Math.floor(lower.length / 3))) {
      const suggestion = catalog.resolve(nearest) ?? nearest;
      return { ok: false, message: `There is no cow called ${shown}. Did you mean \`${suggestion}\`?` };
    }
  }
  return { ok: false, message: `There is no cow called ${shown}. See the cows with \`/cowsay list\`.` };
}

export function checkFacePart(value: string, what: 'eyes' | 'tongue'): Checked<string> {
  if (!isFacePart(value)) {
    return {
      ok: false,
      message:
        `The ${what} must be 1 or 2 visible characters taking at most ${MAX_FACE_COLUMNS} columns, ` +
        `such as "^^" or one emoji (got ${quote(value)}).`,
    };
  }
  return { ok: true, value };
}

export function checkColumns(value: string): Checked<number> {
  const columns = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!(columns >= MIN_COLUMNS && columns <= MAX_COLUMNS)) {
    return {
      ok: false,
      message: `The wrap width must be a whole number from ${MIN_COLUMNS} to ${MAX_COLUMNS} (got ${quote(value)}).`,
    };
  }
  return { ok: true, value: columns };
}

const FLAGS = new Set(['b', 'd', 'g', 'p', 's', 't', 'w', 'y', 'n', 'r', 'l', 'h']);
const WITH_VALUE = new Set(['f', 'e', 'T', 'W']);
const LONG_OPTIONS = ['--think', '--help', '--list'];

/**
 * Parses the text after `/cowsay`. Options come first, getopt style: flags may be bundled (`-bd`), a value
 * may follow its letter directly or as the next word (`-fdragon`, `-f dragon`), and `--` ends the options.
 * The text is everything after the options, exactly as typed, line breaks included.
 */
export function parseCowsayCommand(input: string, catalog: CowCatalog): CowsayCommand {
  const trimmed = input.trim();
  if (trimmed === '' || /^help$/i.test(trimmed)) return { kind: 'help' };
  if (/^list$/i.test(trimmed)) return { kind: 'list' };

  const modes = new Set<Mode>();
  let cow: string | undefined;
  let random = false;
  let eyes: string | undefined;
  let tongue: string | undefined;
  let think = false;
  let columns: number | undefined = DEFAULT_COLUMNS;
  let noWrap = false;

  const word = /\S+/gu;
  let text = '';
  for (let match = word.exec(input); match !== null; match = word.exec(input)) {
    const token = match[0];
    if (token === '--') {
      text = input.slice(word.lastIndex).replace(/^[^\S\n]*\n?/, '');
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      text = input.slice(match.index);
      break;
    }
    if (token.startsWith('--')) {
      const option = token.toLowerCase();
      if (option === '--think') think = true;
      else if (option === '--help') return { kind: 'help' };
      else if (option === '--list') return { kind: 'list' };
      else return { kind: 'error', message: unknownOption(token, closest(option, LONG_OPTIONS)) };
      continue;
    }

    for (let index = 1; index < token.length; index++) {
      const letter = token[index] ?? '';
      if (FLAGS.has(letter)) {
        if (letter === 'h') return { kind: 'help' };
        if (letter === 'l') return { kind: 'list' };
        if (letter === 'n') noWrap = true;
        else if (letter === 'r') random = true;
        else modes.add(letter as Mode);
        continue;
      }
      if (!WITH_VALUE.has(letter)) return { kind: 'error', message: unknownOption(`-${letter}`) };

      let value = token.slice(index + 1);
      if (value === '') {
        const next = word.exec(input);
        if (next === null) return { kind: 'error', message: `Option -${letter} needs a value. ${USAGE_LINE}` };
        value = next[0];
      }
      const checked =
        letter === 'f'
          ? checkCowName(value, catalog)
          : letter === 'W'
            ? checkColumns(value)
            : checkFacePart(value, letter === 'e' ? 'eyes' : 'tongue');
      if (!checked.ok) return { kind: 'error', message: checked.message };
      if (letter === 'f') cow = String(checked.value);
      else if (letter === 'W') columns = Number(checked.value);
      else if (letter === 'e') eyes = String(checked.value);
      else tongue = String(checked.value);
      break;
    }
  }

  if (random && cow !== undefined)
    return { kind: 'error', message: 'Choose a cow with -f or a random one with -r, not both.' };
  if (text.trim() === '')
    return { kind: 'help', note: 'Say something after the options, e.g. `/cowsay -f dragon hello`.' };
  return {
    kind: 'say',
    text,
    options: {
      cow: cow ?? DEFAULT_OPTIONS.cow,
      random,
      eyes,
      tongue,
      modes: [...modes],
      think,
      columns: noWrap ? undefined : columns,
    },
  };
}

const USAGE_LINE = 'See `/cowsay help`.';

function unknownOption(option: string, suggestion?: string): string {
  const hint =
    suggestion !== undefined && distance(option.toLowerCase(), suggestion) <= 2
      ? ` Did you mean \`${suggestion}\`?`
      : '';
  return `Unknown option ${quote(option)}.${hint} To say text that starts with "-", put \`--\` before it. ${USAGE_LINE}`;
}

/** Shows user input in a message, bounded and on one line. */
function quote(value: string): string {
  // Controls and bidi overrides would break the line or reorder the message around the quote, so they go.
  const characters = Array.from(value.replace(/\s+/g, ' ').replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, ''));
  return `"${characters.length > 40 ? `${characters.slice(0, 40).join('')}…` : characters.join('')}"`;
}
