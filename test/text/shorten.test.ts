import { shorten } from '../../src/text/shorten.js';

describe('shorten', () => {
  it('keeps short text as it is', () => {
    expect(shorten('hello', 5)).toBe('hello');
    expect(shorten('', 5)).toBe('');
  });

  it('cuts to the given number of grapheme clusters and marks the cut', () => {
    expect(shorten('abcdef', 3)).toBe('abc…');
    // A family emoji and a flag are one cluster each, and are never split.
    expect(shorten('👨‍👩‍👧🇯🇵xyz', 2)).toBe('👨‍👩‍👧🇯🇵…');
    expect(shorten('e\u0301e\u0301e\u0301', 2)).toBe('e\u0301e\u0301…');
  });

  it('puts the text on one line and drops controls and bidi overrides', () => {
    expect(shorten('a\n\tb  c', 10)).toBe('a b c');
    expect(shorten('\u202eevil\u0000\u001b[31m', 20)).toBe('evil[31m');
    expect(shorten('x\u2066y\u2069', 5)).toBe('xy');
  });

  it('bounds huge input', () => {
    expect(shorten('moo '.repeat(100_000), 40)).toHaveLength(41);
  });
});
