/**
 * Text measured the way a terminal (and Slack's code block) shows it: in grapheme clusters, each
 * taking the display columns `string-width` gives it (CJK and emoji take 2, combining marks 0).
 */
import stringWidth from 'string-width';

export interface Grapheme {
  readonly text: string;
  readonly width: number;
  /** Starts with white space: a place where a line may break. */
  readonly isSpace: boolean;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const STARTS_WITH_SPACE = /^\p{White_Space}/u;
/**
 * Printable ASCII: every character is its own grapheme, one column wide. Most text is this, and segmenting
 * it is ten times the cost of the rest of a render, so it skips the general path.
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
  for (const { segment } of segmenter.segment(text)) {
    result.push({ text: segment, width: graphemeWidth(segment), isSpace: STARTS_WITH_SPACE.test(segment) });
  }
  return result;
}

export function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** Widths of graphemes seen before: text repeats its characters, and string-width costs ~4 µs a call. */
const widthCache = new Map<string, number>();
const WIDTH_CACHE_LIMIT = 4096;

function graphemeWidth(segment: string): number {
  // Printable ASCII is by far the common case; skip the general path for it.
  if (segment.length === 1) {
    const code = segment.charCodeAt(0);
    if (code >= 0x20 && code < 0x7f) return 1;
  }
  let width = widthCache.get(segment);
  if (width === undefined) {
    width = stringWidth(segment);
    // Bounded, since graphemes are user input; forgetting everything now and then is cheap enough.
    if (widthCache.size >= WIDTH_CACHE_LIMIT) widthCache.clear();
    widthCache.set(segment, width);
  }
  return width;
}

// Compile string-width's Unicode property regexes now, at start-up, rather than inside the first request
// with non-ASCII text (~30 ms once, which would hold the event loop for every request waiting behind it).
displayWidth('é古👨‍👩‍👧🇯🇵1️⃣');
