import { readableMessageText } from '../../src/slack/message-text.js';

describe('a message as its readers see it', () => {
  it.each([
    ['hello', 'hello'],
    ['hi <@U0123ABC>', 'hi @U0123ABC'],
    ['hi <@U0123ABC|ann>', 'hi @ann'],
    ['in <#C0123|general> and <#C0456>', 'in #general and #C0456'],
    ['<!here> <!channel> <!everyone>', '@here @channel @everyone'],
    ['<!subteam^S0123|@cows> meet', '@cows meet'],
    ['due <!date^1700000000^{date_short}|Nov 14, 2023>', 'due Nov 14, 2023'],
    ['see <https://example.com/a?b=1&amp;c=2|the docs>', 'see the docs'],
    ['see <https://example.com/a?b=1&amp;c=2>', 'see https://example.com/a?b=1&c=2'],
    [
      'mail <mailto:ann@example.com|ann@example.com> or <mailto:bo@example.com>',
      'mail ann@example.com or bo@example.com',
    ],
    ['a &lt;b&gt; &amp;amp; c', 'a <b> &amp; c'],
    ['an empty label <https://x.example|>', 'an empty label https://x.example'],
  ])('%j → %j', (text, readable) => {
    expect(readableMessageText(text)).toBe(readable);
  });

  it('leaves what is not a token alone: stray brackets, line breaks, unicode', () => {
    expect(readableMessageText('a < b\n> quoted\n牛 🐄 <unclosed')).toBe('a < b\n> quoted\n牛 🐄 <unclosed');
  });

  it('never yields a live mention: the brackets Slack needs for one are gone', () => {
    const readable = readableMessageText('<!here|here> <!channel> <@U1> &lt;!here&gt;');
    expect(readable).toBe('here @channel @U1 <!here>');
    // Decoded text can spell a token again; replies escape it (codeBlock/inertText), so it stays text.
  });

  it('reads huge and hostile input whole', () => {
    // The innermost `<…>` is a token with an empty target, read as its label: one of each bracket goes.
    const brackets = readableMessageText(`${'<'.repeat(100_000)}|${'>'.repeat(100_000)}`);
    expect(brackets === `${'<'.repeat(99_999)}${'>'.repeat(99_999)}`).toBe(true);
    const unclosed = '<@U1|'.repeat(50_000);
    expect(readableMessageText(unclosed) === unclosed).toBe(true);
  });
});
