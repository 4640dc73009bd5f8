/**
 * Cowsay options: the slash-command argument syntax (`-f dragon -W 30 text`, getopt style) and the checks
 * every option passes before it can reach the renderer. `GET /say` uses the same checks.
 */
import { closest, distance } from 'fastest-levenshtein';
import { fail, ok, type Result } from '../result.js';
import type { CowCatalog, Face } from './cows.js';
import { isFacePart } from './face.js';
import { DEFAULT_COLUMNS, MAX_COLUMNS, MAX_COW_NAME_CHARS, MIN_COLUMNS } from './limits.js';
import type { CowsayProblem } from './problems.js';

/** The classic cowsay's face presets by option letter, in the order it applies them (a later one wins). */
export const MODES = {
  b: { name: 'borg', face: { eyes: '==' } },
  d: { name: 'dead', face: { eyes: 'xx', tongue: 'U ' } },
  g: { name: 'greedy', face: { eyes: '$$' } },
  p: { name: 'paranoid', face: { eyes: '@@' } },
  s: { name: 'stoned', face: { eyes: '**', tongue: 'U ' } },
  t: { name: 'tired', face: { eyes: '--' } },
  w: { name: 'wired', face: { eyes: 'OO' } },
  y: { name: 'youthful', face: { eyes: '..' } },
} as const satisfies Record<string, { name: string; face: Partial<Face> }>;
export type Mode = keyof typeof MODES;
export const MODE_LETTERS = Object.keys(MODES) as readonly Mode[];

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

/**
 * The option letters that are not modes, each defined here once: the parser reads them, and
 * {@link formatCowsayArguments} writes them.
 */
export const OPTION = {
  cow: 'f',
  random: 'r',
  eyes: 'e',
  tongue: 'T',
  width: 'W',
  noWrap: 'n',
  preview: 'P',
  fortune: 'F',
  help: 'h',
  list: 'l',
} as const;
export const LONG_OPTION = { think: '--think', preview: '--preview', fortune: '--fortune' } as const;

export type CowsayCommand =
  /** `no-text`: options were given but nothing to say. */
  | { kind: 'help'; reason?: 'no-text' }
  | { kind: 'list' }
  /** `fortune`: the cow says a fortune, and `text` is empty. `preview`: show it to its author first. */
  | { kind: 'say'; text: string; options: CowsayOptions; preview: boolean; fortune: boolean }
  | { kind: 'invalid'; problem: CowsayProblem };

export function checkCowName(name: string, catalog: CowCatalog): Result<string, CowsayProblem> {
  const canonical = catalog.resolve(name);
  if (canonical !== undefined) return ok(canonical);
  let suggestion: string | undefined;
  // Past this length no cow name is close; comparing would only cost time.
  if (name.length <= MAX_COW_NAME_CHARS) {
    const lower = name.toLowerCase();
    const nearest = closest(
      lower,
      catalog.names.map((candidate) => candidate.toLowerCase()),
    );
    if (distance(lower, nearest) <= Math.max(2, Math.floor(lower.length / 3))) {
      suggestion = catalog.resolve(nearest) ?? nearest;
    }
  }
  return fail({ kind: 'unknown-cow', name, suggestion });
}

export function checkFacePart(value: string, part: 'eyes' | 'tongue'): Result<string, CowsayProblem> {
  return isFacePart(value) ? ok(value) : fail({ kind: 'bad-face', part, value });
}

export function checkColumns(value: string): Result<number, CowsayProblem> {
  const columns = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  return columns >= MIN_COLUMNS && columns <= MAX_COLUMNS ? ok(columns) : fail({ kind: 'bad-columns', value });
}

/** Options as the parser collects them, before the last checks that need all of them. */
interface Draft {
  modes: Set<Mode>;
  cow: string | undefined;
  random: boolean;
  eyes: string | undefined;
  tongue: string | undefined;
  think: boolean;
  columns: number;
  noWrap: boolean;
  preview: boolean;
  fortune: boolean;
  text: string;
}

const FLAGS = new Set<string>([
  ...MODE_LETTERS,
  OPTION.noWrap,
  OPTION.random,
  OPTION.preview,
  OPTION.fortune,
  OPTION.list,
  OPTION.help,
]);
const WITH_VALUE = new Set<string>([OPTION.cow, OPTION.eyes, OPTION.tongue, OPTION.width]);
const LONG_OPTIONS = [...Object.values(LONG_OPTION), '--help', '--list'];

/**
 * Parses the text after `/cowsay`. Options come first, getopt style: flags may be bundled (`-bd`), a value
 * may follow its letter directly or as the next word (`-fdragon`, `-f dragon`), and `--` ends the options.
 * The text is everything after the options, exactly as typed, line breaks included.
 */
export function parseCowsayCommand(input: string, catalog: CowCatalog): CowsayCommand {
  const trimmed = input.trim();
  if (trimmed === '' || /^help$/i.test(trimmed)) return { kind: 'help' };
  if (/^list$/i.test(trimmed)) return { kind: 'list' };

  const draft: Draft = {
    modes: new Set(),
    cow: undefined,
    random: false,
    eyes: undefined,
    tongue: undefined,
    think: false,
    columns: DEFAULT_COLUMNS,
    noWrap: false,
    preview: false,
    fortune: false,
    text: '',
  };
  const word = /\S+/gu;
  const nextWord = () => word.exec(input)?.[0];
  for (let match = word.exec(input); match !== null; match = word.exec(input)) {
    const token = match[0];
    if (token === '--') {
      draft.text = input.slice(word.lastIndex).replace(/^[^\S\n]*\n?/, '');
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      draft.text = input.slice(match.index);
      break;
    }
    const early = token.startsWith('--') ? longOption(token, draft) : shortOptions(token, draft, nextWord, catalog);
    if (early !== undefined) return early;
  }
  return finish(draft);
}

/** `--think`, `--preview`, `--fortune`, `--help`, `--list`; returns the command when the option decides it. */
function longOption(token: string, draft: Draft): CowsayCommand | undefined {
  const option = token.toLowerCase();
  if (option === LONG_OPTION.think) draft.think = true;
  else if (option === LONG_OPTION.preview) draft.preview = true;
  else if (option === LONG_OPTION.fortune) draft.fortune = true;
  else if (option === '--help') return { kind: 'help' };
  else if (option === '--list') return { kind: 'list' };
  else
    return invalid({ kind: 'unknown-option', option: token, suggestion: near(option, closest(option, LONG_OPTIONS)) });
  return undefined;
}

/** One word of letters (`-bd`, `-fdragon`, `-W`): a letter that takes a value ends the bundle. */
function shortOptions(
  token: string,
  draft: Draft,
  nextWord: () => string | undefined,
  catalog: CowCatalog,
): CowsayCommand | undefined {
  for (let index = 1; index < token.length; index++) {
    const letter = token[index] ?? '';
    if (FLAGS.has(letter)) {
      if (letter === OPTION.help) return { kind: 'help' };
      if (letter === OPTION.list) return { kind: 'list' };
      setFlag(letter, draft);
      continue;
    }
    if (!WITH_VALUE.has(letter))
      return invalid({ kind: 'unknown-option', option: `-${letter}`, suggestion: undefined });
    const value = token.slice(index + 1) || nextWord();
    if (value === undefined) return invalid({ kind: 'missing-value', option: `-${letter}` });
    const problem = setValue(letter, value, draft, catalog);
    return problem === undefined ? undefined : invalid(problem);
  }
  return undefined;
}

function setFlag(letter: string, draft: Draft): void {
  if (letter === OPTION.noWrap) draft.noWrap = true;
  else if (letter === OPTION.random) draft.random = true;
  else if (letter === OPTION.preview) draft.preview = true;
  else if (letter === OPTION.fortune) draft.fortune = true;
  else draft.modes.add(letter as Mode);
}

function setValue(letter: string, value: string, draft: Draft, catalog: CowCatalog): CowsayProblem | undefined {
  if (letter === OPTION.cow) {
    const cow = checkCowName(value, catalog);
    if (!cow.ok) return cow.error;
    draft.cow = cow.value;
  } else if (letter === OPTION.width) {
    const columns = checkColumns(value);
    if (!columns.ok) return columns.error;
    draft.columns = columns.value;
  } else {
    const part = checkFacePart(value, letter === OPTION.eyes ? 'eyes' : 'tongue');
    if (!part.ok) return part.error;
    if (letter === OPTION.eyes) draft.eyes = part.value;
    else draft.tongue = part.value;
  }
  return undefined;
}

function finish(draft: Draft): CowsayCommand {
  if (draft.random && draft.cow !== undefined) return invalid({ kind: 'cow-and-random' });
  const hasText = draft.text.trim() !== '';
  if (draft.fortune && hasText) return invalid({ kind: 'fortune-and-text' });
  if (!draft.fortune && !hasText) return { kind: 'help', reason: 'no-text' };
  const { cow = DEFAULT_OPTIONS.cow, random, eyes, tongue, think, preview, fortune } = draft;
  const columns = draft.noWrap ? undefined : draft.columns;
  return {
    kind: 'say',
    text: fortune ? '' : draft.text,
    preview,
    fortune,
    options: { cow, random, eyes, tongue, modes: [...draft.modes], think, columns },
  };
}

function invalid(problem: CowsayProblem): CowsayCommand {
  return { kind: 'invalid', problem };
}

/** A suggestion only when it is a small typo away. */
function near(option: string, suggestion: string): string | undefined {
  return distance(option, suggestion) <= 2 ? suggestion : undefined;
}

/**
 * The arguments that make {@link parseCowsayCommand} give back these options with this cow, ending with `--`
 * and a line break, so any text may follow: `-f dragon -e ^^ -bd --think -W30 --⏎`. A preview's buttons carry
 * them with the text, and a press parses them again with the same checks as a typed command.
 */
export function formatCowsayArguments(options: CowsayOptions, cowName: string): string {
  const words: string[] = [`-${OPTION.cow}`, cowName];
  if (options.eyes !== undefined) words.push(`-${OPTION.eyes}`, options.eyes);
  if (options.tongue !== undefined) words.push(`-${OPTION.tongue}`, options.tongue);
  if (options.modes.length > 0) words.push(`-${options.modes.join('')}`);
  if (options.think) words.push(LONG_OPTION.think);
  words.push(options.columns === undefined ? `-${OPTION.noWrap}` : `-${OPTION.width}${options.columns}`);
  return `${words.join(' ')} --\n`;
}
