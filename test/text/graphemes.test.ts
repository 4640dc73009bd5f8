/**
 * Our grapheme clusters and widths against the reference: Intl.Segmenter for where clusters begin and end,
 * string-width for how many columns each takes. Every code point on its own, every code point between
 * neighbours, and random strings from the blocks where clusters get interesting.
 */
import { jest } from '@jest/globals';
import stringWidth from 'string-width';
import { clusterWidth, displayWidth, forEachGrapheme } from '../../src/text/graphemes.js';
import { createRandom, type Random } from '../helpers.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const referenceClusters = (text: string) => Array.from(segmenter.segment(text), (part) => part.segment);

function ours(text: string): Array<[string, number]> {
  const clusters: Array<[string, number]> = [];
  forEachGrapheme(text, (cluster, width) => {
    clusters.push([cluster, width]);
    return true;
  });
  return clusters;
}

/** Planes 0, 1 and 14 hold nearly every assigned code point; the others are sampled, ends included. */
function* codePointsToCheck(): Generator<number> {
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
    const plane = codePoint >> 16;
    const dense = plane === 0 || plane === 1 || plane === 14;
    const edge = (codePoint & 0xffff) < 0x10 || (codePoint & 0xffff) > 0xfff0;
    if (dense || edge || codePoint % 97 === 0) yield codePoint;
  }
}

describe('width of a single code point', () => {
  test('equals string-width for every code point checked', () => {
    const mismatches: string[] = [];
    for (const codePoint of codePointsToCheck()) {
      const character = String.fromCodePoint(codePoint);
      const expected = stringWidth(character);
      if (clusterWidth(character) !== expected) mismatches.push(`U+${codePoint.toString(16)}: ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('knows the cases that matter to a balloon', () => {
    expect(clusterWidth('a')).toBe(1);
    expect(clusterWidth('日')).toBe(2);
    expect(clusterWidth('ｱ')).toBe(1);
    expect(clusterWidth('Ａ')).toBe(2);
    expect(clusterWidth('😀')).toBe(2);
    expect(clusterWidth('\u0301')).toBe(0);
    expect(clusterWidth('\u200b')).toBe(0);
    expect(clusterWidth('\u3164')).toBe(0);
    expect(clusterWidth('\ud83d')).toBe(0);
    expect(clusterWidth('')).toBe(0);
  });
});

describe('grapheme boundaries', () => {
  test('match Intl.Segmenter around every code point checked, before, after and doubled', () => {
    const mismatches: string[] = [];
    for (const codePoint of codePointsToCheck()) {
      const character = String.fromCodePoint(codePoint);
      const probe = `a${character}a${character}${character}\u0915`;
      const expected = referenceClusters(probe);
      if (JSON.stringify(ours(probe).map(([cluster]) => cluster)) !== JSON.stringify(expected)) {
        mismatches.push(`U+${codePoint.toString(16)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/** Blocks where clusters form, join, break or measure oddly. */
const BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [0x20, 0x7e],
  [0x00, 0x1f],
  [0x7f, 0xff],
  [0x300, 0x36f],
  [0x591, 0x5f4],
  [0x600, 0x6ff],
  [0x900, 0x97f],
  [0x9be, 0x9d7],
  [0xe00, 0xe7f],
  [0xe80, 0xeff],
  [0xf00, 0xfff],
  [0x1100, 0x11ff],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x20d0, 0x20ff],
  [0x2600, 0x27bf],
  [0x2800, 0x28ff],
  [0x3000, 0x30ff],
  [0x3164, 0x3164],
  [0x4e00, 0x9fff],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xd7b0, 0xd7ff],
  [0xd800, 0xdfff],
  [0xe000, 0xe0ff],
  [0xfe00, 0xfe0f],
  [0xff00, 0xffef],
  [0xfff0, 0xffff],
  [0x110bd, 0x110cd],
  [0x11180, 0x111df],
  [0x113b8, 0x113d3],
  [0x16d40, 0x16d79],
  [0x1f1e6, 0x1f1ff],
  [0x1f300, 0x1faff],
  [0x1f3fb, 0x1f3ff],
  [0x20000, 0x2a6df],
  [0xe0020, 0xe007f],
  [0xe0100, 0xe01ef],
];
const JOINERS = [0x200d, 0xfe0f, 0x20e3, 0x94d, 0x301, 0xe007f];

function randomText(random: Random): string {
  let text = '';
  const length = 1 + random.int(12);
  for (let index = 0; index < length; index++) {
    const roll = random.int(10);
    if (roll === 0) {
      text += String.fromCodePoint(random.pick(JOINERS));
    } else {
      const [from, to] = random.pick(BLOCKS);
      text += String.fromCodePoint(from + random.int(to - from + 1));
    }
  }
  return text;
}

describe('random text from many blocks', () => {
  test('splits into the same clusters as Intl.Segmenter, each as wide as string-width says', () => {
    const random = createRandom(13);
    for (let round = 0; round < 10_000; round++) {
      const text = randomText(random);
      const expected = referenceClusters(text).map((cluster): [string, number] => [cluster, stringWidth(cluster)]);
      const actual = ours(text);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        throw new Error(`round ${round}: ${JSON.stringify(text)} → ${JSON.stringify(actual)}`);
      }
      expect(displayWidth(text)).toBe(expected.reduce((sum, [, width]) => sum + width, 0));
    }
  });

  test('measures emoji sequences, qualified or not, as string-width does', () => {
    const sequences = [
      '👨‍👩‍👧‍👦',
      '👩🏽‍🚀',
      '🏳️‍🌈',
      '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
      '🇯🇵',
      '🇦',
      '1️⃣',
      '1⃣',
      '#⃣',
      '❤️',
      '❤',
      '☺️',
      '©️',
      '👍🏽',
      '😀\u200d😀\u200d😀',
      '😀\u0301\u200d😀',
      `${'😀\u200d'.repeat(30)}😀`,
      '가\u11a8',
      '\u1100\u1161\u11a8',
      '\u1100\u1100\u1161',
      '\u1100가',
      'ｶﾞ',
      'क्ष',
      'e\u0301\u0302',
    ];
    for (const sequence of sequences) {
      for (const cluster of referenceClusters(sequence))
        expect([cluster, clusterWidth(cluster)]).toEqual([cluster, stringWidth(cluster)]);
    }
  });
});

describe('work per request', () => {
  test('text whose code points all stand alone never reaches the segmenter', () => {
    const segment = jest.spyOn(Intl.Segmenter.prototype, 'segment');
    try {
      const random = createRandom(7);
      let text = '';
      for (let index = 0; index < 2000; index++) text += String.fromCodePoint(0x4e00 + random.int(0x5200));
      text += ' 😀 한국어 Ａ';
      expect(displayWidth(text)).toBe(2000 * 2 + 13);
      expect(segment).not.toHaveBeenCalled();
      displayWidth('e\u0301');
      expect(segment).toHaveBeenCalledTimes(1);
    } finally {
      segment.mockRestore();
    }
  });

  test('stops segmenting where the visitor stops', () => {
    const seen: string[] = [];
    forEachGrapheme('ab e\u0301 cd e\u0301', (cluster) => {
      seen.push(cluster);
      return seen.length < 4;
    });
    expect(seen).toEqual(['a', 'b', ' ', 'e\u0301']);
  });
});
