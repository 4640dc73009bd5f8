/**
 * The yardstick for `npm run bench:render`: text measurement as it was before the code point table, one
 * string-width call per grapheme behind a cache of 4,096 clusters. bench/render.ts puts this file in place
 * of src/cowsay/text.ts in a copy of the built renderer, so both renderers differ only in measurement.
 */
import stringWidth from 'string-width';

export interface Grapheme {
  readonly text: string;
  readonly width: number;
  readonly isSpace: boolean;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const STARTS_WITH_SPACE = /^\p{White_Space}/u;
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

export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (const { segment } of segmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

const widthCache = new Map<string, number>();
const WIDTH_CACHE_LIMIT = 4096;

function graphemeWidth(segment: string): number {
  if (segment.length === 1) {
    const code = segment.charCodeAt(0);
    if (code >= 0x20 && code < 0x7f) return 1;
  }
  let width = widthCache.get(segment);
  if (width === undefined) {
    width = stringWidth(segment);
    if (widthCache.size >= WIDTH_CACHE_LIMIT) widthCache.clear();
    widthCache.set(segment, width);
  }
  return width;
}

displayWidth('é古👨‍👩‍👧🇯🇵1️⃣');
