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

export function graphemes(text: string): Grapheme[] {
  const result: Grapheme[] = [];
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
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

function graphemeWidth(segment: string): number {
  // Printable ASCII is by far the common case; skip the general path for it.
  if (segment.length === 1) {
    const code = segment.charCodeAt(0);
    if (code >= 0x20 && code < 0x7f) return 1;
  }
  return stringWidth(segment);
}
