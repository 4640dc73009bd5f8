/**
 * User text quoted back in a reply, a page title or a log-free error: on one line, without invisible controls
 * that would reorder or break the surrounding sentence, and short. Cuts fall between grapheme clusters, so an
 * emoji or an accented letter is never split.
 */
const CONTROLS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function shorten(text: string, maxGraphemes: number): string {
  const line = text.replace(/\s+/g, ' ').replace(CONTROLS, '');
  if (line.length <= maxGraphemes) return line;
  let kept = '';
  let count = 0;
  for (const { segment } of graphemes.segment(line)) {
    if (count === maxGraphemes) return `${kept}…`;
    kept += segment;
    count += 1;
  }
  return kept;
}
