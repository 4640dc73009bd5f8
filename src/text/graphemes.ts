/**
 * Grapheme clusters and the columns each takes on screen, equal to string-width's figure for every cluster
 * (test/text/graphemes.test.ts compares the two), at a fraction of its cost on text it has not seen.
 *
 * string-width segments its input and runs several Unicode regexes per cluster, a few microseconds each:
 * milliseconds for a page of random CJK, where a cache keyed on clusters never hits. Here each code point's
 * facts are worked out once per process and kept in a table, text whose code points all stand alone skips
 * the segmenter, and only a cluster of several code points gets string-width's sequence rules.
 */
import { eastAsianWidth } from 'get-east-asian-width';

const WIDTH = 0b11;
const KNOWN = 1 << 2;
/** East Asian Wide or Fullwidth. */
const WIDE = 1 << 3;
/** A grapheme of its own next to any other code point that also stands alone (see `JOINS`). */
const ALONE = 1 << 4;
/** A spacing mark or halfwidth/fullwidth form: adds its width when it follows a cluster's base. */
const TRAILING = 1 << 5;
/** Emoji or emoji component: may belong to an RGI emoji sequence. */
const EMOJI_PART = 1 << 6;

/** What string-width draws in no column. */
const ZERO_WIDTH = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Mn}\p{Me}\p{Cs}]/u;
// biome-ignore lint/complexity/useRegexLiterals: TypeScript accepts the `v` flag in literals only from ES2024 on.
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const EMOJI = /[\p{Emoji}\p{Emoji_Component}]/u;
const SPACING_MARK = /\p{Mc}/u;
const EXTENDED_PICTOGRAPHIC = /\p{Extended_Pictographic}/gu;
const UNQUALIFIED_KEYCAP = /^[\d#*]\u20e3$/;
/**
 * Code points that may join a neighbour into one cluster (UAX #29): everything outside Grapheme_Base
 * (controls, format characters, extending marks), spacing marks and the two letters that count as such,
 * regional indicators, emoji modifiers, Hangul jamo, the Prepend letters and the Kirat Rai vowels (which
 * join each other). Between two code points outside this class there is always a boundary; the tests check
 * every code point of planes 0, 1 and 14 against Intl.Segmenter, so a new Unicode version cannot slip by.
 */
const JOINS =
  /[^\p{Grapheme_Base}]|[\p{Mc}\p{Regional_Indicator}\p{Emoji_Modifier}\u0d4e\u0e33\u0eb3\u1100-\u11ff\ua960-\ua97c\ud7b0-\ud7fb\u{111c2}\u{111c3}\u{1193f}\u{11941}\u{11a3a}\u{11a84}-\u{11a89}\u{11d46}\u{11f02}\u{113d1}\u{16d63}\u{16d67}-\u{16d6a}]/u;

const facts = new Uint8Array(0x110000);
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function factsOf(codePoint: number): number {
  const known = facts[codePoint] ?? 0;
  return known === 0 ? learn(codePoint) : known;
}

function learn(codePoint: number): number {
  const character = String.fromCodePoint(codePoint);
  const wide = eastAsianWidth(codePoint) === 2;
  const emoji = EMOJI.test(character);
  const width = ZERO_WIDTH.test(character) ? 0 : emoji && RGI_EMOJI.test(character) ? 2 : wide ? 2 : 1;
  let value = KNOWN | width;
  if (wide) value |= WIDE;
  if (!JOINS.test(character)) value |= ALONE;
  if ((codePoint >= 0xff00 && codePoint <= 0xffef) || SPACING_MARK.test(character)) value |= TRAILING;
  if (emoji) value |= EMOJI_PART;
  facts[codePoint] = value;
  return value;
}

const eastAsian = (codePoint: number): number => (factsOf(codePoint) & WIDE ? 2 : 1);
const unitsOf = (codePoint: number): number => (codePoint > 0xffff ? 2 : 1);

/** The columns one grapheme cluster takes, as string-width counts them. */
export function clusterWidth(cluster: string): number {
  const first = cluster.codePointAt(0);
  if (first === undefined) return 0;
  if (cluster.length === unitsOf(first)) return factsOf(first) & WIDTH;
  return sequenceWidth(cluster);
}

/** Columns of `text`: the sum over its clusters. */
export function displayWidth(text: string): number {
  let width = 0;
  forEachGrapheme(text, (_cluster, columns) => {
    width += columns;
    return true;
  });
  return width;
}

/**
 * Calls `visit` with each grapheme cluster of `text` and its width, in order, while `visit` returns true.
 * Code points are taken one by one while they and their successor stand alone; from the first one that
 * may join its neighbour, the rest of the text goes to the segmenter.
 */
export function forEachGrapheme(text: string, visit: (cluster: string, width: number) => boolean): void {
  let index = 0;
  while (index < text.length) {
    const codePoint = text.codePointAt(index) ?? 0;
    const units = unitsOf(codePoint);
    const next = text.codePointAt(index + units);
    if (!(factsOf(codePoint) & ALONE) || (next !== undefined && !(factsOf(next) & ALONE))) break;
    if (!visit(text.slice(index, index + units), factsOf(codePoint) & WIDTH)) return;
    index += units;
  }
  if (index >= text.length) return;
  for (const { segment } of segmenter.segment(index === 0 ? text : text.slice(index))) {
    if (!visit(segment, clusterWidth(segment))) return;
  }
}

/**
 * string-width's rules for a cluster of several code points: nothing if no code point shows; 2 for an emoji
 * sequence; Hangul jamo as syllable blocks; otherwise the base's East Asian width plus any spacing marks.
 */
function sequenceWidth(cluster: string): number {
  let start = 0;
  while (start < cluster.length) {
    const codePoint = cluster.codePointAt(start) ?? 0;
    if (factsOf(codePoint) & WIDTH) break;
    start += unitsOf(codePoint);
  }
  if (start >= cluster.length) return 0;
  const base = cluster.codePointAt(start) ?? 0;
  const width = isJamo(base) ? jamoWidth(cluster, start) : markedWidth(cluster, start, base);
  // An emoji sequence is 2 wide, so the costly emoji test only matters when the other rules say otherwise.
  return width !== 2 && isWideEmoji(cluster) ? 2 : width;
}

function markedWidth(cluster: string, start: number, base: number): number {
  let width = eastAsian(base);
  for (let index = start + unitsOf(base); index < cluster.length; ) {
    const codePoint = cluster.codePointAt(index) ?? 0;
    if (factsOf(codePoint) & TRAILING) width += eastAsian(codePoint);
    index += unitsOf(codePoint);
  }
  return width;
}

/** Emoji sequences in the RGI set, plus unqualified keycaps and ZWJ sequences of two or more pictographs. */
function isWideEmoji(cluster: string): boolean {
  if (cluster.length <= 50) {
    if (UNQUALIFIED_KEYCAP.test(cluster)) return true;
    if (cluster.includes('\u200d') && (cluster.match(EXTENDED_PICTOGRAPHIC)?.length ?? 0) >= 2) return true;
  }
  for (let index = 0; index < cluster.length; ) {
    const codePoint = cluster.codePointAt(index) ?? 0;
    if (!(factsOf(codePoint) & EMOJI_PART)) return false;
    index += unitsOf(codePoint);
  }
  if (cluster.length > RGI_CACHE_KEY_LIMIT) return RGI_EMOJI.test(cluster);
  let rgi = rgiCache.get(cluster);
  if (rgi === undefined) {
    rgi = RGI_EMOJI.test(cluster);
    // Bounded, since clusters are user input; forgetting everything now and then is cheap enough.
    if (rgiCache.size >= RGI_CACHE_LIMIT) rgiCache.clear();
    rgiCache.set(cluster, rgi);
  }
  return rgi;
}

/** Emoji sequences seen before: the RGI set is a regex of thousands of alternatives, microseconds a test. */
const rgiCache = new Map<string, boolean>();
const RGI_CACHE_LIMIT = 4096;
/** Longer keys are not kept (the longest RGI sequences are under 20 UTF-16 units), so the cache stays small. */
const RGI_CACHE_KEY_LIMIT = 64;

const isLeadingJamo = (cp: number) => (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0xa960 && cp <= 0xa97c);
const isVowelJamo = (cp: number) => (cp >= 0x1160 && cp <= 0x11a7) || (cp >= 0xd7b0 && cp <= 0xd7c6);
const isTrailingJamo = (cp: number) => (cp >= 0x11a8 && cp <= 0x11ff) || (cp >= 0xd7cb && cp <= 0xd7fb);
const isJamo = (cp: number) => isLeadingJamo(cp) || isVowelJamo(cp) || isTrailingJamo(cp);

/**
 * Conjoining jamo as string-width lays them out: a leading + vowel (+ trailing) run is one 2-column
 * syllable, any other jamo keeps its own width, and once something else follows, the rest adds its own.
 */
function jamoWidth(cluster: string, start: number): number {
  const points: number[] = [];
  for (let index = start; index < cluster.length; ) {
    const codePoint = cluster.codePointAt(index) ?? 0;
    if (factsOf(codePoint) & WIDTH) points.push(codePoint);
    index += unitsOf(codePoint);
  }
  let width = 0;
  for (let index = 0; index < points.length; index++) {
    const codePoint = points[index] ?? 0;
    if (!isJamo(codePoint)) {
      for (const rest of points.slice(index)) width += eastAsian(rest);
      return width;
    }
    if (isLeadingJamo(codePoint) && isVowelJamo(points[index + 1] ?? 0)) {
      width += 2;
      index += isTrailingJamo(points[index + 2] ?? 0) ? 2 : 1;
    } else {
      width += eastAsian(codePoint);
    }
  }
  return width;
}

// Compile the Unicode property regexes now, at start-up, rather than inside the first request with
// non-ASCII text (the RGI emoji set alone takes milliseconds), which would hold every request behind it.
displayWidth('é古👨‍👩‍👧🇯🇵1️⃣가\u0903');
