import {
  boardText,
  deletedText,
  fitBodies,
  listText,
  REPLY_BODY_BUDGET,
  rateLimitedText,
  slackDate,
} from '../../src/commands/chat-reply.js';
import { inertText, MESSAGE_TEXT_LIMIT } from '../../src/slack/format.js';
import type { StoredMessage } from '../../src/store/message-store.js';
import { createRandom } from '../helpers.js';

const message = (id: number, text: string, userId = 'U1'): StoredMessage => ({
  id,
  userId,
  text,
  createdAt: new Date(Date.UTC(2026, 10, 21, 9, 5, 30)),
});

/** Every `<…>` in a reply must be one the app made: an author mention or a date token. */
const liveTokens = (text: string) => [...text.matchAll(/<[^>]*>/g)].map((match) => match[0]);

describe('slackDate', () => {
  it('is a Slack date token with a UTC fallback', () => {
    expect(slackDate(new Date(Date.UTC(2026, 10, 21, 9, 5, 30)))).toBe(
      `<!date^${Date.UTC(2026, 10, 21, 9, 5, 30) / 1000}^{date_short_pretty} {time}|2026-11-21 09:05 UTC>`,
    );
  });
});

describe('boardText', () => {
  it('shows id, author mention and time for each message, and user text only escaped', () => {
    const text = boardText(
      [
        message(41, '<!channel> <@U999> <https://evil.example|click here> & ```code```', 'U1'),
        message(42, '<!here>', 'W2'),
      ],
      '*Board:*',
    );
    expect(text).toContain('*#41* <@U1> <!date^');
    expect(text).toContain('*#42* <@W2> <!date^');
    expect(text).toContain('&lt;!channel&gt; &lt;@U999&gt; &lt;https://evil.example|click here&gt; &amp;');
    expect(text).not.toContain('```');
    for (const token of liveTokens(text)) expect(token).toMatch(/^<@(U1|W2)>$|^<!date\^\d+\^[^|]*\|[\d: -]+UTC>$/);
  });

  it('keeps a long listing within Slack’s limits, however hostile the text', () => {
    const messages = Array.from({ length: 50 }, (_, n) => message(n + 1, '<&>'.repeat(333)));
    const text = listText(messages, 50);
    expect(text.length).toBeLessThan(MESSAGE_TEXT_LIMIT);
    for (const token of liveTokens(text)) expect(token).toMatch(/^<@U1>$|^<!date\^/);
  });

  it('says when the board is empty', () => {
    expect(listText([], 10)).toMatch(/empty/i);
  });
});

describe('fitBodies', () => {
  it('escapes and keeps everything when it fits', () => {
    expect(fitBodies(['a < b', 'c'], 100)).toEqual(['a &lt; b', 'c']);
  });

  it('shortens only the longest texts, to a common cap, and stays within the budget', () => {
    const texts = ['short', 'x'.repeat(500), 'y'.repeat(300)];
    const fitted = fitBodies(texts, 400);
    expect(fitted[0]).toBe('short');
    expect(fitted[1]).toMatch(/^x+… _\(shortened\)_$/);
    expect(fitted[2]).toMatch(/^y+… _\(shortened\)_$/);
    expect(fitted.join('').length).toBeLessThanOrEqual(400);
  });

  it('never cuts inside an escape, a surrogate pair or a grapheme cluster', () => {
    const family = '👩‍👩‍👧‍👦';
    const fitted = fitBodies(['<'.repeat(200), family.repeat(100), 'e\u0301'.repeat(200)], 300);
    const [escapes = '', emoji = '', accents = ''] = fitted;
    expect(escapes.replace(/… _\(shortened\)_$/, '')).toMatch(/^(&lt;)+$/);
    expect(emoji.replace(/… _\(shortened\)_$/, '')).toMatch(new RegExp(`^(${family})+$`, 'u'));
    expect(accents.replace(/… _\(shortened\)_$/, '')).toMatch(/^(e\u0301)+$/);
  });

  it('cuts each long text at the longest whole-cluster prefix whose escaped form fits', () => {
    // The rule spelled out the slow way: try every prefix of clusters, escape it, keep the longest that fits.
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const longestFitting = (text: string, room: number) => {
      const clusters = Array.from(segmenter.segment(text), (part) => part.segment);
      let count = 0;
      while (count < clusters.length && inertText(clusters.slice(0, count + 1).join('')).length <= room) count++;
      return inertText(clusters.slice(0, count).join('').trimEnd());
    };
    const pieces = ['a', ' ', '&', '<', '>', '`', '``', 'e\u0301', '`\u0301', '日', '👩‍👩‍👧‍👦', '🇯🇵', '\u0301'];
    /** The largest common cap on escaped lengths that keeps their sum within the budget. */
    const capFor = (escaped: number[], budget: number) => {
      let cap = 0;
      const longest = Math.max(...escaped);
      while (cap < longest && escaped.reduce((sum, length) => sum + Math.min(length, cap + 1), 0) <= budget) cap++;
      return cap;
    };
    const random = createRandom(5);
    let shortened = 0;
    for (let round = 0; round < 300; round++) {
      const texts = Array.from({ length: 1 + random.int(8) }, () =>
        Array.from({ length: random.int(120) }, () => random.pick(pieces)).join(''),
      );
      const budget = 20 + random.int(400);
      const cap = capFor(
        texts.map((text) => inertText(text).length),
        budget,
      );
      const fitted = fitBodies(texts, budget);
      texts.forEach((text, index) => {
        const whole = inertText(text);
        if (whole.length > cap) shortened++;
        const expected = whole.length <= cap ? whole : `${longestFitting(text, Math.max(0, cap - 15))}… _(shortened)_`;
        expect(fitted[index]).toBe(expected);
      });
    }
    expect(shortened).toBeGreaterThan(500);
  });

  it('shortens a board of 50 maximal messages with a bounded reply', () => {
    const texts = Array.from({ length: 50 }, (_, index) => `${'&`'.repeat(400)}${'日'.repeat(199)}${index}`);
    const fitted = fitBodies(texts, REPLY_BODY_BUDGET);
    expect(fitted.join('').length).toBeLessThanOrEqual(REPLY_BODY_BUDGET);
    for (const body of fitted) expect(body).toMatch(/^(&amp;`\u200b?)+… _\(shortened\)_$/);
  });
});

describe('deletedText', () => {
  it('words each outcome', () => {
    expect(deletedText('deleted', 42)).toBe('Deleted *#42*.');
    expect(deletedText('not-found', 42)).toBe('There is no message #42 on this board.');
    expect(deletedText('not-owner', 42)).toMatch(/someone else.*only your own/);
  });
});

describe('rateLimitedText', () => {
  const policy = { burst: 10, refillIntervalMs: 15_000 };

  it('explains the limit, says nothing was stored and when to try again, rounding the wait up', () => {
    const text = rateLimitedText(14_001, policy);
    expect(text).toContain('10 messages in a row');
    expect(text).toContain('one every 15 seconds');
    expect(text).toContain('not stored');
    expect(text).toContain('post again in 15 seconds');
    expect(text).toContain('`/chat list`');
    expect(liveTokens(text)).toEqual([]);
  });

  it.each([
    [1, '1 second'],
    [1000, '1 second'],
    [1001, '2 seconds'],
    [119_000, '119 seconds'],
    [120_000, '2 minutes'],
    [60 * 60_000, '60 minutes'],
    [3 * 60 * 60_000, '3 hours'],
  ])('words a wait of %i ms as "%s"', (ms, words) => {
    expect(rateLimitedText(ms, policy)).toContain(`post again in ${words}.`);
  });
});
