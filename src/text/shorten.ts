/**
 * User text quoted back in a reply, a page title or a log line: on one line, without invisible controls that
 * would reorder or break the surrounding sentence, and short. Cuts fall between grapheme clusters, so an emoji
 * or an accented letter is never split.
 */
import { forEachGrapheme } from './graphemes.js';

const CONTROLS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

export function shorten(text: string, maxGraphemes: number): string {
  const line = text.replace(/\s+/g, ' ').replace(CONTROLS, '');
  if (line.length <= maxGraphemes) return line;
  let end = 0;
  let count = 0;
  forEachGrapheme(line, (cluster) => {
    if (count === maxGraphemes) return false;
    end += cluster.length;
    count += 1;
    return true;
  });
  return end < line.length ? `${line.slice(0, end)}…` : line;
}
