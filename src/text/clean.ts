/**
 * What happens to user text before anyone else sees it, the same for a cow's text and a board message:
 * characters that would hide or scramble what is shown go, and text that would show as nothing is found.
 */

/**
 * White-space controls (vertical tab, form feed, next line) become spaces rather than vanishing: the classic
 * cowsay's `\s` makes them word breaks like any space, and dropping them would glue words together.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const SPACE_CONTROLS = /[\u000b\u000c\u0085]/g;

/**
 * Control characters (but tab and line breaks) and bidirectional embeddings, overrides and isolates:
 * invisible, and able to reorder or scramble everything after them on the reader's screen.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNPRINTABLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Half a surrogate pair: no encoder can write it (PostgreSQL refuses it, JSON shows `\ud83d`). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function cleanText(text: string): string {
  return text.replace(SPACE_CONTROLS, ' ').replace(UNPRINTABLE, '').replace(LONE_SURROGATE, '\ufffd');
}

/**
 * A character that draws something. Not: white space, controls and format characters, default-ignorable
 * ones (zero-width characters, variation selectors, the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0),
 * marks (with no base they sit on nothing), and the braille blank U+2800, which renders as an empty cell.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/u;

/** True if `text` would show as nothing at all: empty, or made only of blank characters. */
export function showsNothing(text: string): boolean {
  // A search for one visible character rather than `^[blank]*$`, which backtracks over long input.
  return !VISIBLE.test(text);
}
