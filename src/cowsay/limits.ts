/** Bounds on what one cow may cost, shared by `/cowsay` and `GET /say`: the worst render takes a few ms. */

/** In code points. */
export const MAX_TEXT_CHARS = 2000;
export const MAX_OUTPUT_CHARS = 12_000;
/** `-W`'s range and the classic cowsay's default. */
export const MIN_COLUMNS = 10;
export const MAX_COLUMNS = 80;
export const DEFAULT_COLUMNS = 40;
/** Eyes and tongue fill a two-column slot in every cow file; more would push the art out of shape. */
export const MAX_FACE_COLUMNS = 2;
/** Room for the longest emoji sequence (11 code points), not for a pile of marks. */
export const MAX_FACE_CODE_POINTS = 16;
export const MAX_COW_NAME_CHARS = 64;
