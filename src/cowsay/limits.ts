/**
 * Bounds on what one cow may cost. With them the worst render takes a few milliseconds (see
 * `npm run bench:render`), so no request can hold the event loop, and they are shared by `/cowsay` and `GET /say`.
 */

/** Longest text accepted, in characters (code points). */
export const MAX_TEXT_CHARS = 2000;
/** Longest rendered cow, balloon and art together, in characters. */
export const MAX_OUTPUT_CHARS = 12_000;
/** Wrap width range for `-W`, and the default (the classic cowsay's). */
export const MIN_COLUMNS = 10;
export const MAX_COLUMNS = 80;
export const DEFAULT_COLUMNS = 40;
/** Eyes and tongue fill a two-column slot in every cow file; more would push the art out of shape. */
export const MAX_FACE_COLUMNS = 2;
/** Code points in the eyes or tongue: room for the longest emoji sequence (11), not for a pile of marks. */
export const MAX_FACE_CODE_POINTS = 16;
/** Longest cow name we bother comparing for a suggestion. */
export const MAX_COW_NAME_CHARS = 64;
