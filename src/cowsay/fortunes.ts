/**
 * Fortunes for the cow to say: a fixed collection, picked at random, read from the fortune-mod file format
 * (entries separated by a line holding only `%`). Plain values in and out; reading files is fortune-files.ts.
 */
import { BUILT_IN_FORTUNES } from './built-in-fortunes.js';

/**
 * Longest fortune kept, in characters. Longer ones (whole poems, in some collections) would make a cow too
 * tall for one Slack message at narrow widths, so they are left out when a file is read.
 */
export const MAX_FORTUNE_CHARS = 1000;

export interface Fortunes {
  /** Where the collection came from, for the start-up log and the help text. */
  readonly origin: 'built-in' | 'files';
  readonly size: number;
  /** One fortune, chosen with `random` (a number in [0, 1), like `Math.random`). */
  pick(random?: () => number): string;
}

/** A collection of at least one fortune; the entries are copied, so the caller's array may change later. */
export function createFortunes(entries: readonly string[], origin: Fortunes['origin']): Fortunes {
  if (entries.length === 0) throw new RangeError('A fortune collection needs at least one entry.');
  const list = Object.freeze([...entries]);
  return Object.freeze({
    origin,
    size: list.length,
    pick(random: () => number = Math.random): string {
      // Clamped, so a source that returns exactly 1 (or anything odd) still gives an entry.
      const index = Math.min(list.length - 1, Math.max(0, Math.floor(random() * list.length)));
      return list[index] ?? list[0] ?? '';
    },
  });
}

let builtIn: Fortunes | undefined;

/** The collection written for this app, used unless FORTUNE_PATH names another. */
export function builtInFortunes(): Fortunes {
  builtIn ??= createFortunes(BUILT_IN_FORTUNES, 'built-in');
  return builtIn;
}

export interface ParsedFortuneFile {
  readonly entries: string[];
  /** Entries left out for being longer than {@link MAX_FORTUNE_CHARS}. */
  readonly tooLong: number;
}

/** Backspace overstrikes (`_\bx` underlines, `x\bx` emboldens on a printer): the character struck last stays. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the backspace is the point.
const OVERSTRIKE = /[^\n]\u0008/g;
const SEPARATOR_LINE = /^%[ \t]*$/;

/**
 * Splits fortune-mod text into entries. Line endings are normalised, overstrikes resolved, blank lines
 * around an entry dropped, and empty entries skipped; the inside of an entry (indentation, line breaks for
 * verse and attributions) is kept as written.
 */
export function parseFortuneText(text: string): ParsedFortuneFile {
  const entries: string[] = [];
  let tooLong = 0;
  let current: string[] = [];
  const finish = () => {
    const entry = current
      .join('\n')
      .replace(/^(?:[ \t]*\n)+/, '')
      .trimEnd();
    current = [];
    if (entry === '') return;
    if (Array.from(entry).length > MAX_FORTUNE_CHARS) tooLong++;
    else entries.push(entry);
  };
  for (const line of text.replace(OVERSTRIKE, '').split(/\r\n?|\n/)) {
    if (SEPARATOR_LINE.test(line)) finish();
    else current.push(line);
  }
  finish();
  return { entries, tooLong };
}
