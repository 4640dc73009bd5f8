/**
 * The yardstick for the `/chat list` part of `npm run bench:render`: shortening long messages as it was,
 * segmenting each whole message and escaping a prefix at every step of a binary search.
 */
import { inertText } from '../src/slack/format.js';

const SHORTENED = '… _(shortened)_';
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function referenceFitBodies(texts: readonly string[], budget: number): string[] {
  const escaped = texts.map((text) => inertText(text));
  const total = escaped.reduce((sum, text) => sum + text.length, 0);
  if (total <= budget) return escaped;
  let low = 0;
  let high = Math.max(...escaped.map((text) => text.length));
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const used = escaped.reduce((sum, text) => sum + Math.min(text.length, mid), 0);
    if (used <= budget) low = mid;
    else high = mid - 1;
  }
  const cap = low;
  return texts.map((text, index) => {
    const full = escaped[index] ?? '';
    return full.length <= cap ? full : shorten(text, Math.max(0, cap - SHORTENED.length));
  });
}

function shorten(text: string, room: number): string {
  const clusters = Array.from(segmenter.segment(text), (segment) => segment.segment);
  let low = 0;
  let high = clusters.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (inertText(clusters.slice(0, mid).join('')).length <= room) low = mid;
    else high = mid - 1;
  }
  return `${inertText(clusters.slice(0, low).join('').trimEnd())}${SHORTENED}`;
}
