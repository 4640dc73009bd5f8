/**
 * Text measured the way a terminal (and Slack's code block) shows it: in grapheme clusters, each taking
 * the display columns string-width gives it (CJK and emoji take 2, combining marks 0). The measuring
 * itself lives in src/text/graphemes.ts; this adds what the balloon's layout needs to know.
 */
import { forEachGrapheme, displayWidth as unicodeWidth } from '../text/graphemes.js';

export interface Grapheme {
  readonly text: string;
  readonly width: number;
  /** Starts with white space: a place where a line may break. */
  readonly isSpace: boolean;
}

const STARTS_WITH_SPACE = /^\p{White_Space}/u;
/**
 * Printable ASCII: every character is its own grapheme, one column wide. Most text is this, and it
 * skips even the code point table.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ASCII_GRAPHEMES = Array.from({ length: 0x7f }, (_, code) =>
  Object.freeze({ text: String.fromCharCode(code), width: 1, isSpace: code === 0x20 }),
);

export function graphemes(text: string): Grapheme[] {
  const result: Grapheme[] = [];
  if (PRINTABLE_ASCII.test(text)) {
    for (let index = 0; index < text.length; index++) {
      const grapheme = ASCII_GRAPHEMES[text.charCodeAt(index)];
      if (grapheme !== undefined) result.push(grapheme);
    }
    return result;
  }
  forEachGrapheme(text, (cluster, width) => {
    const code = cluster.length === 1 ? cluster.charCodeAt(0) : 0;
    const ascii = code >= 0x20 ? ASCII_GRAPHEMES[code] : undefined;
    result.push(ascii ?? { text: cluster, width, isSpace: STARTS_WITH_SPACE.test(cluster) });
    return true;
  });
  return result;
}

export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : unicodeWidth(text);
}
