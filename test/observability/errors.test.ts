import { describeError, redact } from '../../src/observability/errors.js';

describe('redact', () => {
  it('masks credentials in any URL and the secrets it is given, longest first', () => {
    expect(redact('connect postgres://app:pa55@db:5432/x failed')).toBe('connect postgres://***@db:5432/x failed');
    expect(redact('see https://user@example.com/x')).toBe('see https://***@example.com/x');
    expect(redact('token abc123 and abc12345', ['abc123', 'abc12345'])).toBe('token *** and ***');
    expect(redact('nothing here', [''])).toBe('nothing here');
  });

  it('keeps the text to one bounded line', () => {
    expect(redact('a\nb\r\n\tc')).toBe('a b c');
    const long = redact('x'.repeat(10_000));
    expect(long).toHaveLength(301);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('describeError', () => {
  it('names the type, the code and the message, and where it was thrown', () => {
    const error = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    expect(describeError(error)).toMatch(/^Error \(ECONNREFUSED\): connection refused at \S+errors\.test\.ts:\d+:\d+$/);
    expect(describeError(new RangeError('out of range'))).toMatch(/^RangeError: out of range at /);
  });

  it('masks what a library quoted from its input, and credentials', () => {
    let thrown: unknown;
    try {
      JSON.parse('{"private": "words a user typed"');
    } catch (error) {
      thrown = error;
    }
    expect(describeError(thrown)).toMatch(/^SyntaxError: /);
    expect(describeError(thrown)).not.toContain('words a user typed');
    expect(describeError(new Error("bad value 'secret words' in postgres://u:pw@h/db"))).toMatch(
      /^Error: bad value "…" in postgres:\/\/\*\*\*@h\/db at /,
    );
  });

  it('says only the type of a thrown non-Error, whose text could be anything', () => {
    expect(describeError('the user typed this')).toBe('a thrown string');
    expect(describeError({ text: 'x' })).toBe('a thrown object');
    expect(describeError(undefined)).toBe('a thrown undefined');
  });

  it('stays on one line whatever the message holds', () => {
    expect(describeError(new Error('line one\nline two\u2028three'))).not.toMatch(/\n/);
  });
});
