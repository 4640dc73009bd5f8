/**
 * Eyes and tongue. They go into the art as typed (only the balloon's text is cleaned), in a slot two
 * columns wide, so each must show, fit the slot, and stay small.
 */
import { showsNothing } from '../text/clean.js';
import { forEachGrapheme } from '../text/graphemes.js';
import { MAX_FACE_CODE_POINTS, MAX_FACE_COLUMNS } from './limits.js';

/** Controls, white space and bidi controls: an override would reorder the rest of the cow's line for everyone. */
const INVISIBLE = /[\p{Cc}\p{White_Space}\u202a-\u202e\u2066-\u2069]/u;

/**
 * True for eyes or a tongue we draw: 1 to {@link MAX_FACE_COLUMNS} columns, every grapheme visible (no
 * zero-width character, lone mark, filler or blank), at most {@link MAX_FACE_CODE_POINTS} code points.
 */
export function isFacePart(value: string): boolean {
  if (value === '' || value.length > 2 * MAX_FACE_CODE_POINTS || INVISIBLE.test(value)) return false;
  let codePoints = 0;
  for (const _ of value) codePoints++;
  if (codePoints > MAX_FACE_CODE_POINTS) return false;
  let columns = 0;
  let visible = true;
  forEachGrapheme(value, (cluster, width) => {
    columns += width;
    visible = width > 0 && !showsNothing(cluster) && columns <= MAX_FACE_COLUMNS;
    return visible;
  });
  return visible;
}
