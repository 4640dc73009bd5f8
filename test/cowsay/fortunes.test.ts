import { BUILT_IN_FORTUNES } from '../../src/cowsay/built-in-fortunes.js';
import { builtInFortunes, createFortunes, MAX_FORTUNE_CHARS, parseFortuneText } from '../../src/cowsay/fortunes.js';
import { DEFAULT_OPTIONS } from '../../src/cowsay/options.js';
import { renderCow } from '../../src/cowsay/render.js';
import { inChannelCodeBlock } from '../../src/slack/format.js';
import { createRandom, testCatalog } from '../helpers.js';

describe('built-in fortunes', () => {
  it('holds at least 150 distinct, short, single-paragraph sayings', () => {
    expect(BUILT_IN_FORTUNES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(BUILT_IN_FORTUNES.map((entry) => entry.toLowerCase())).size).toBe(BUILT_IN_FORTUNES.length);
    for (const entry of BUILT_IN_FORTUNES) {
      expect([entry, entry.length <= 120, entry.trim() === entry, /[\n<>&`]/.test(entry)]).toEqual([
        entry,
        true,
        true,
        false,
      ]);
    }
  });

  it('fit the most demanding layout: the narrowest width, with the biggest cow -r may pick', async () => {
    const catalog = await testCatalog();
    for (const entry of BUILT_IN_FORTUNES) {
      for (const cow of catalog.randomNames) {
        const rendered = renderCow(catalog, entry, { ...DEFAULT_OPTIONS, cow, columns: 10 });
        if (!rendered.ok) throw new Error(`${entry} with ${cow}: ${rendered.error.kind}`);
        expect(inChannelCodeBlock(rendered.value.cow, entry)).toBeDefined();
      }
    }
  });

  it('picks with the random source it is given, covering the whole collection', () => {
    const fortunes = builtInFortunes();
    expect(fortunes.origin).toBe('built-in');
    expect(fortunes.pick(() => 0)).toBe(BUILT_IN_FORTUNES[0]);
    expect(fortunes.pick(() => 0.999999)).toBe(BUILT_IN_FORTUNES.at(-1));
    const random = createRandom(7);
    const seen = new Set<string>();
    for (let draw = 0; draw < 5000; draw++) seen.add(fortunes.pick(random.next));
    expect(seen.size).toBe(BUILT_IN_FORTUNES.length);
  });

  it('still answers when the random source misbehaves', () => {
    const fortunes = createFortunes(['one', 'two'], 'files');
    expect(fortunes.pick(() => 1)).toBe('two');
    expect(fortunes.pick(() => -3)).toBe('one');
    expect(fortunes.pick(() => Number.NaN)).toMatch(/^(one|two)$/);
    expect(() => createFortunes([], 'files')).toThrow(RangeError);
  });
});

describe('fortune-mod text', () => {
  it('splits on lines holding only %, keeping indentation and line breaks inside an entry', () => {
    const text = 'First.\n%\nSecond,\n\ton two lines.\n\t\t-- someone\n%\nThird.\n%\n';
    expect(parseFortuneText(text)).toEqual({
      entries: ['First.', 'Second,\n\ton two lines.\n\t\t-- someone', 'Third.'],
      tooLong: 0,
    });
  });

  it('accepts CRLF and CR line endings, a last entry without %, and trailing spaces after %', () => {
    expect(parseFortuneText('a\r\nb\r\n%  \r\nc\rd').entries).toEqual(['a\nb', 'c\nd']);
  });

  it('skips empty and blank entries and trims blank lines around an entry', () => {
    expect(parseFortuneText('%\n%\n\n   \n%\n\n\n  kept\n\n\n%').entries).toEqual(['  kept']);
    expect(parseFortuneText('').entries).toEqual([]);
  });

  it('does not split on % inside a line or %% lines', () => {
    expect(parseFortuneText('100% cow\n%%\nstill the same entry').entries).toEqual([
      '100% cow\n%%\nstill the same entry',
    ]);
  });

  it('resolves backspace overstrikes to the character struck last', () => {
    expect(parseFortuneText('_\bu_\bn_\bd_\be_\br line and B\bBo\bol\bld\bd').entries).toEqual(['under line and Bold']);
  });

  it(`leaves out entries over ${MAX_FORTUNE_CHARS} characters (counted in code points), and counts them`, () => {
    const atLimit = '🐄'.repeat(MAX_FORTUNE_CHARS);
    const parsed = parseFortuneText(`${atLimit}\n%\n${'x'.repeat(MAX_FORTUNE_CHARS + 1)}\n%\nshort`);
    expect(parsed.entries).toEqual([atLimit, 'short']);
    expect(parsed.tooLong).toBe(1);
  });

  it('keeps hostile text as text: markup, mentions and unicode pass through untouched for the renderer', () => {
    const hostile = '<!channel> <@U123> ```code``` &amp; \u202eevil\u202c 牛';
    expect(parseFortuneText(`${hostile}\n%`).entries).toEqual([hostile]);
  });
});
