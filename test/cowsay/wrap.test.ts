import { drawBalloon } from '../../src/cowsay/balloon.js';
import { displayWidth, graphemes } from '../../src/cowsay/text.js';
import { expandTabs, fillParagraph, layoutText, splitLines } from '../../src/cowsay/wrap.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True if `line` is made of whole clusters of `cluster`, i.e. no cluster was cut. */
const wholeClusters = (line: string, cluster: string) => line.length > 0 && line.split(cluster).join('') === '';

describe('grapheme safety', () => {
  const clusters: Array<[string, string]> = [
    ['an astral emoji (surrogate pair)', '😀'],
    ['a ZWJ family', '👨‍👩‍👧‍👦'],
    ['an emoji with a skin tone', '👍🏽'],
    ['a flag (two regional indicators)', '🇯🇵'],
    ['a letter with two combining marks', 'a\u0323\u0302'],
    ['a keycap sequence', '1️⃣'],
  ];

  test.each(clusters)('never splits %s, at any width', (_what, cluster) => {
    const text = cluster.repeat(37);
    for (let columns = 2; columns <= 40; columns++) {
      const lines = fillParagraph(text, columns);
      for (const line of lines) {
        expect(LONE_SURROGATE.test(line)).toBe(false);
        expect(wholeClusters(line, cluster)).toBe(true);
      }
      expect(lines.join('')).toBe(text);
    }
  });

  test('never starts a line with a combining mark when cutting a long word', () => {
    const lines = fillParagraph('e\u0301'.repeat(30), 10);
    expect(lines).toEqual(['e\u0301'.repeat(9), 'e\u0301'.repeat(9), 'e\u0301'.repeat(9), 'e\u0301'.repeat(3)]);
    for (const line of lines) expect(/^\p{M}/u.test(line)).toBe(false);
  });

  test('keeps a cluster whole between words too', () => {
    const text = Array.from({ length: 20 }, (_, index) => `w${index}👩‍🚀`).join(' ');
    for (const line of fillParagraph(text, 12)) {
      for (const { text: cluster } of graphemes(line)) expect(text).toContain(cluster);
      expect(line.split('👩‍🚀').join('')).not.toMatch(/[\u200d\u{1f469}\u{1f680}]/u);
    }
  });

  test('takes a cluster wider than the line on a line of its own instead of looping or dropping it', () => {
    expect(fillParagraph('日本', 2)).toEqual(['日', '本']);
    expect(fillParagraph('👨‍👩‍👧', 2)).toEqual(['👨‍👩‍👧']);
  });
});

describe('display-width wrapping', () => {
  test('wraps CJK by columns: at -W 10 a line holds 4 two-column characters (9 columns), not 9', () => {
    expect(fillParagraph('日本語のテキストです', 10)).toEqual(['日本語の', 'テキスト', 'です']);
  });

  test('breaks mixed text at spaces by display width', () => {
    const lines = fillParagraph('hello 世界 and 🐄🐄 moo 한국어 text', 13);
    expect(lines).toEqual(['hello 世界', 'and 🐄🐄 moo', '한국어 text']);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(12);
  });

  test.each([10, 13, 17, 24, 40, 80])('every balloon row has the same display width at -W %i', (columns) => {
    const text = '日本語 😀 mixed text 🇯🇵 with 👨‍👩‍👧 families, café au lait 한국어 and ＦＵＬＬ width 🐄🐄🐄 '
      .repeat(3)
      .trimEnd();
    const lines = layoutText(text, columns);
    const [top = '', ...rest] = drawBalloon(lines, false).split('\n');
    const bottom = rest.pop() ?? '';
    expect(rest).toHaveLength(lines.length);
    expect(rest.length).toBeGreaterThan(3);
    // A row is `| text |`: one column more than a border, which starts with a space and ends on the corner.
    const width = displayWidth(top) + 1;
    expect(displayWidth(bottom)).toBe(width - 1);
    for (const row of rest) expect(displayWidth(row)).toBe(width);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(columns - 1);
  });

  test('counts a combining mark as no column', () => {
    expect(fillParagraph('cafe\u0301 cafe\u0301 cafe\u0301', 11)).toEqual(['cafe\u0301 cafe\u0301', 'cafe\u0301']);
  });
});

describe('the classic fill rules', () => {
  test('lines hold at most W-1 columns and break at spaces', () => {
    expect(fillParagraph('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(fillParagraph('aaaa bbbbb cccc', 10)).toEqual(['aaaa', 'bbbbb', 'cccc']);
    expect(fillParagraph('aaaa bbbb cccc', 15)).toEqual(['aaaa bbbb cccc']);
    expect(fillParagraph('aaaa bbbb cccc', 14)).toEqual(['aaaa bbbb', 'cccc']);
  });

  test('cuts a word longer than a line at the line end', () => {
    expect(fillParagraph('abcdefghijklmnopqrstu', 10)).toEqual(['abcdefghi', 'jklmnopqr', 'stu']);
  });

  test('collapses white-space runs, tabs included, to one space', () => {
    expect(layoutText('a  \t b\t\tc', 40)).toEqual(['a b c']);
  });

  test('keeps a leading space, and a trailing one on the last line, as the original does', () => {
    expect(fillParagraph('  hello', 40)).toEqual([' hello']);
    expect(fillParagraph('hello   ', 40)).toEqual(['hello ']);
    expect(fillParagraph(' abcdefghijkl', 10)).toEqual(['', 'abcdefghi', 'jkl']);
  });
});

describe('the user’s lines', () => {
  test('keeps explicit line breaks (the original would reflow them)', () => {
    expect(layoutText('first line\nsecond line', 40)).toEqual(['first line', 'second line']);
  });

  test('wraps each line on its own', () => {
    expect(layoutText('aaaa bbbb cccc\ndd', 10)).toEqual(['aaaa bbbb', 'cccc', 'dd']);
  });

  test('keeps blank lines inside the text and drops trailing ones', () => {
    expect(layoutText('a\n\n   \nb\n\n \n', 40)).toEqual(['a', '', '', 'b']);
  });

  test('treats CRLF, a lone CR and Unicode line separators as line breaks', () => {
    expect(splitLines('a\r\nb\rc\u2028d\u2029e')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(layoutText('one\r\ntwo', 40)).toEqual(['one', 'two']);
  });
});

describe('-n (no wrapping)', () => {
  test('keeps long lines whole', () => {
    const long = 'word '.repeat(40).trim();
    expect(layoutText(long, undefined)).toEqual([long]);
  });

  test('expands tabs to 8-column stops', () => {
    expect(layoutText('a\tb\n\tc\nabcdefgh\ti\nabcdefg\tj', undefined)).toEqual([
      'a       b',
      '        c',
      'abcdefgh        i',
      'abcdefg j',
    ]);
  });

  test('counts display columns to find the next tab stop', () => {
    expect(expandTabs('日本\tx')).toBe('日本    x');
    expect(expandTabs('🐄\t\tx')).toBe(`🐄${' '.repeat(14)}x`);
    expect(displayWidth(expandTabs('e\u0301\tx'))).toBe(9);
  });

  test('keeps white-space runs, which only fill mode collapses', () => {
    expect(layoutText('a   b', undefined)).toEqual(['a   b']);
  });
});
