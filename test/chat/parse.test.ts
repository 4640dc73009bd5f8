import { type ChatCommand, type ChatProblem, checkMessageText, parseChatCommand } from '../../src/chat/parse.js';

const problemOf = (command: ChatCommand): ChatProblem => {
  if (command.kind !== 'invalid') throw new Error(`expected a problem, got ${JSON.stringify(command)}`);
  return command.problem;
};

describe('parseChatCommand', () => {
  it.each(['', '   ', '\n\t ', 'list', 'LIST', '  List  '])('lists the default 10 for %j', (text) => {
    expect(parseChatCommand(text)).toEqual({ kind: 'list', limit: 10 });
  });

  it.each([
    ['list 1', 1],
    ['list 5', 5],
    ['list 050', 50],
    ['list   50', 50],
  ])('lists N for %j', (text, limit) => {
    expect(parseChatCommand(text)).toEqual({ kind: 'list', limit });
  });

  it.each(['list 51', 'list 500', 'list 0051', 'list 99999999999999999999'])(
    'lists the latest 50, and says it capped the count, for %j',
    (text) => {
      expect(parseChatCommand(text)).toEqual({ kind: 'list', limit: 50, capped: true });
    },
  );

  it.each(['list 0', 'list 000', 'list -1', 'list -500', 'list 1e3', 'list abc', 'list #', 'list 5 6', 'list ５'])(
    'refuses %j as not a count, quoting what was typed',
    (text) => {
      expect(problemOf(parseChatCommand(text))).toEqual({ kind: 'not-a-count', input: text.slice(5) });
    },
  );

  it.each(['help', 'HELP', 'help me please'])('answers %j with help', (text) => {
    expect(parseChatCommand(text)).toEqual({ kind: 'help' });
  });

  it.each([
    ['delete 42', 42],
    ['delete #42', 42],
    ['DELETE 007', 7],
    ['delete 999999999999999', 999_999_999_999_999],
  ])('deletes by id for %j', (text, id) => {
    expect(parseChatCommand(text)).toEqual({ kind: 'delete', id });
  });

  it.each([
    'delete -1',
    'delete #',
    'delete abc',
    'delete 1e3',
    'delete 4 2',
    'delete 4.2',
    'delete ##4',
    "delete 1' OR '1'='1",
  ])('refuses %j as not an id', (text) => {
    expect(problemOf(parseChatCommand(text))).toEqual({ kind: 'not-an-id', input: text.slice(7) });
  });

  it.each([
    ['delete 0', '0'],
    ['delete 99999999999999999999', '99999999999999999999'],
    ['delete #0000', '0'],
  ])('answers %j as no such message, without asking the store', (text, id) => {
    expect(problemOf(parseChatCommand(text))).toEqual({ kind: 'no-such-message', id });
  });

  it('asks which message when delete has no id', () => {
    expect(problemOf(parseChatCommand('delete'))).toEqual({ kind: 'no-id' });
  });

  it('posts any other text, trimmed, exactly as given (decoding is the caller’s)', () => {
    expect(parseChatCommand('  hello world  ')).toEqual({ kind: 'post', text: 'hello world' });
    expect(parseChatCommand('<!channel> &lt;')).toEqual({ kind: 'post', text: '<!channel> &lt;' });
    expect(parseChatCommand('listen to this')).toEqual({ kind: 'post', text: 'listen to this' });
    expect(parseChatCommand('--flag')).toEqual({ kind: 'post', text: '--flag' });
  });

  it('posts text that starts with a command word after --', () => {
    expect(parseChatCommand('-- list of things')).toEqual({ kind: 'post', text: 'list of things' });
    expect(parseChatCommand('--   delete me')).toEqual({ kind: 'post', text: 'delete me' });
    expect(problemOf(parseChatCommand('--'))).toEqual({ kind: 'empty-message' });
  });
});

describe('checkMessageText', () => {
  it('accepts 1 to 1,000 characters, counted as code points after trimming', () => {
    expect(checkMessageText('a')).toEqual({ ok: true, value: 'a' });
    expect(checkMessageText(` ${'a'.repeat(1000)} `)).toEqual({ ok: true, value: 'a'.repeat(1000) });
    // 1,000 emoji are 2,000 UTF-16 units: still 1,000 characters.
    expect(checkMessageText('😀'.repeat(1000)).ok).toBe(true);
    expect(checkMessageText('e\u0301'.repeat(500)).ok).toBe(true);
  });

  it.each([
    ['1,001 letters', 'a'.repeat(1001), 1001],
    ['1,001 emoji', '😀'.repeat(1001), 1001],
    ['501 letters with combining accents', 'e\u0301'.repeat(501), 1002],
    ['a huge text', 'x'.repeat(100_000), 100_000],
  ])('refuses %s, saying how long it was', (_name, text, length) => {
    expect(checkMessageText(text)).toEqual({ ok: false, error: { kind: 'message-too-long', length } });
  });

  it.each([
    ['empty', ''],
    ['whitespace', ' \t\n\u00a0\u3000'],
    ['zero-width spaces', '\u200b\u200b'],
    ['direction marks', '\u200f\u202e'],
    ['NUL only', '\u0000\u0000'],
    ['controls only', '\u0007\u001b\u007f\u009b'],
    ['bidi overrides only', '\u202e\u202d\u2066'],
    ['combining marks only', '\u0301\u0302\u0303'],
    ['the Hangul filler', '\u3164\u3164'],
    ['Hangul choseong and jungseong fillers', '\u115f\u1160'],
    ['the halfwidth Hangul filler', '\uffa0'],
    ['braille blanks', '\u2800\u2800\u2800'],
    ['variation selectors', '\ufe0f\ufe0e'],
    ['a mix of blanks', ' \u3164\u2800\u0301\u200b\ufe0f '],
    ['1,000 combining marks', '\u0301'.repeat(1000)],
    ['100,000 Hangul fillers', '\u3164'.repeat(100_000)],
  ])('refuses %s as an empty message', (_name, text) => {
    const check = checkMessageText(text);
    expect(check).toEqual({ ok: false, error: { kind: 'empty-message' } });
  });

  it("removes control characters and bidi overrides, as the cow's text is cleaned", () => {
    expect(checkMessageText('a\u0007b\u001b[31mc\u202eevil\u202c\u2066d\u2069')).toEqual({
      ok: true,
      value: 'ab[31mcevild',
    });
    expect(checkMessageText('tab\tand\nline\u000bbreak')).toEqual({ ok: true, value: 'tab\tand\nline break' });
    expect(parseChatCommand('hi \u202egnp.exe')).toEqual({ kind: 'post', text: 'hi gnp.exe' });
    expect(problemOf(parseChatCommand('\u3164'))).toEqual({ kind: 'empty-message' });
  });

  it('keeps visible text among blanks as typed', () => {
    expect(checkMessageText('\u3164x\u2800')).toEqual({ ok: true, value: '\u3164x\u2800' });
    expect(checkMessageText('e\u0301 \u2801')).toEqual({ ok: true, value: 'e\u0301 \u2801' });
  });

  it('drops NUL (which no database column of ours can hold) and repairs lone surrogates', () => {
    expect(checkMessageText('a\u0000b')).toEqual({ ok: true, value: 'ab' });
    expect(checkMessageText('x\ud800y\udc00z')).toEqual({ ok: true, value: 'x\ufffdy\ufffdz' });
    expect(checkMessageText('ok 😀')).toEqual({ ok: true, value: 'ok 😀' });
  });
});
