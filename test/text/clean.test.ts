import { cleanText, showsNothing } from '../../src/text/clean.js';
import { createRandom } from '../helpers.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('cleanText', () => {
  test('removes control characters and bidi embeddings, overrides and isolates', () => {
    expect(cleanText('a\u0000b\u0007c\u001b[31md\u007fe\u009bf\u202ag\u202bh\u202ci\u202dj\u202ek')).toBe(
      'abc[31mdefghijk',
    );
    expect(cleanText('\u2066l\u2067m\u2068n\u2069')).toBe('lmn');
  });

  test('turns white-space controls into spaces, keeps tabs and line breaks', () => {
    expect(cleanText('a\u000bb\u000cc\u0085d')).toBe('a b c d');
    expect(cleanText('a\tb\nc\r\nd')).toBe('a\tb\nc\r\nd');
  });

  test('replaces half surrogate pairs and keeps whole ones', () => {
    expect(cleanText('x\ud800y\udc00z\ud83d')).toBe('x\ufffdy\ufffdz\ufffd');
    expect(cleanText('\udc00\ud800')).toBe('\ufffd\ufffd');
    expect(cleanText('ok 😀 👨‍👩‍👧')).toBe('ok 😀 👨‍👩‍👧');
  });

  test('keeps letters, marks, emoji, right-to-left text and direction marks', () => {
    const text = 'e\u0301 日本語 שלום مرحبا \u200f 🇯🇵 <@U123> &amp; `code`';
    expect(cleanText(text)).toBe(text);
  });

  test('leaves no control, override or lone surrogate in random text', () => {
    const random = createRandom(21);
    for (let round = 0; round < 2000; round++) {
      const units = Array.from({ length: 1 + random.int(40) }, () =>
        random.pick([random.int(0x100), 0x202a + random.int(5), 0x2066 + random.int(4), 0xd800 + random.int(0x800)]),
      );
      const cleaned = cleanText(String.fromCharCode(...units));
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
      expect(cleaned).not.toMatch(/[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(cleaned).not.toMatch(LONE_SURROGATE);
    }
  });
});

describe('showsNothing', () => {
  test.each([
    ['empty', ''],
    ['spaces and line breaks', ' \t\n\r \u00a0\u3000\u2028'],
    ['zero-width characters', '\u200b\u200c\u200d\u2060\ufeff'],
    ['direction marks', '\u200e\u200f\u061c'],
    ['combining marks only', '\u0301\u0302\u0303'],
    ['a spacing mark only', '\u0903'],
    ['the Hangul filler', '\u3164'],
    ['the Hangul choseong and jungseong fillers', '\u115f\u1160'],
    ['the halfwidth Hangul filler', '\uffa0'],
    ['the braille blank', '\u2800\u2800'],
    ['variation selectors', '\ufe0f\ufe0e\u{e0100}'],
    ['tag characters', '\u{e0041}\u{e007f}'],
    ['controls', '\u0000\u001b'],
    ['a mix of all of them', ' \u3164\u2800\u0301\u200b\ufe0f\u115f '],
    ['a long run of marks', '\u0301'.repeat(50_000)],
  ])('is true for %s', (_name, text) => {
    expect(showsNothing(text)).toBe(true);
  });

  test.each([
    ['a letter', 'a'],
    ['a letter among blanks', '\u3164 \u2800x\u200b'],
    ['a letter with marks', 'e\u0301'],
    ['an emoji', '😀'],
    ['a CJK character', '日'],
    ['a Hangul syllable', '한'],
    ['a braille dot', '\u2801'],
    ['a replacement character', '\ufffd'],
    ['punctuation', '.'],
  ])('is false for %s', (_name, text) => {
    expect(showsNothing(text)).toBe(false);
  });
});
