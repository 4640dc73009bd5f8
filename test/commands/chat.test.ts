/**
 * `/chat` through the real app: signed HTTP requests as Slack sends them, the real receiver and Bolt, and
 * a real SQLite file underneath. What a user types, what they read back, and what ends up stored.
 */
import Database from 'better-sqlite3';
import type { MessageStore } from '../../src/store/message-store.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import {
  asReply,
  type CommandOrigin,
  createFakeStore,
  listedIds,
  postedId,
  type RunningApp,
  sendChat,
  sendSlashCommand,
  startTestApp,
} from '../helpers.js';
import { createTempDir, type TempDir } from '../store/test-databases.js';

let dir: TempDir;
let store: MessageStore;
let running: RunningApp;

beforeAll(async () => {
  dir = createTempDir();
  store = await createSqliteStore({ path: dir.file('board.db') });
  running = await startTestApp({ store });
});
afterAll(async () => {
  await running.stop();
  await store.close();
  dir.remove();
});

let channels = 0;
/** A channel of its own for each test, so tests share the database but never a board. */
const newChannel = () => {
  channels += 1;
  return `C${channels}CHAT`;
};

type Where = CommandOrigin;

const chat = (text: string, where: Where, app: RunningApp = running) => sendChat(app.baseUrl, text, where);

/** Every `<…>` the reply would make live in Slack; only the app's own author mentions and dates may appear. */
const liveTokens = (reply: string) => [...reply.matchAll(/<[^>]*>/g)].map((match) => match[0]);

/** What is in the database file for a channel, read with a connection of its own. */
function storedRows(channelId: string): Array<{ id: number; user_id: string; text: string; team_id: string }> {
  const db = new Database(dir.file('board.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT id, user_id, text, team_id FROM chat_messages WHERE channel_id = ? ORDER BY id')
      .all(channelId) as Array<{ id: number; user_id: string; text: string; team_id: string }>;
  } finally {
    db.close();
  }
}

describe('/chat <text>', () => {
  it('stores the message and confirms with its id, author, time and the board', async () => {
    const where = { channel_id: newChannel() };
    const reply = await chat('Hello, board!', where);
    const id = postedId(reply);
    expect(reply).toContain(`*#${id}* <@U0001> <!date^`);
    expect(reply).toMatch(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>/);
    expect(reply).toContain('Hello, board!');
    expect(storedRows(where.channel_id)).toEqual([{ id, user_id: 'U0001', text: 'Hello, board!', team_id: 'T0001' }]);
  });

  it('takes the author from Slack’s user_id, never from the text', async () => {
    const where = { channel_id: newChannel(), user_id: 'U0002' };
    const reply = await chat('&lt;@U0001&gt; wrote this, honest', where);
    expect(reply).toContain('<@U0002>');
    expect(liveTokens(reply).filter((token) => token.startsWith('<@'))).toEqual(['<@U0002>']);
    expect(storedRows(where.channel_id)[0]?.user_id).toBe('U0002');
  });

  it('accepts exactly 1,000 characters, emoji counting one each', async () => {
    const where = { channel_id: newChannel() };
    postedId(await chat('a'.repeat(1000), where));
    postedId(await chat('🐄'.repeat(1000), where));
    // Slack sends "<" as "&lt;": it is one character the user typed.
    postedId(await chat('&lt;'.repeat(1000), where));
    expect(storedRows(where.channel_id).map((row) => [...row.text].length)).toEqual([1000, 1000, 1000]);
  });

  it.each([
    ['1,001 characters', 'a'.repeat(1001), /1,001 characters long; the limit is 1,000/],
    ['1,001 emoji', '🐄'.repeat(1001), /1,001 characters long/],
    // 20,000 characters as sent; the trailing space is trimmed before counting.
    ['a huge text', 'moo '.repeat(5000), /Your message is 19,999 characters long; the limit is 1,000/],
    ['only zero-width spaces', '\u200b\u200b\u200b', /empty/],
    ['only NUL characters', '\u0000\u0000', /empty/],
    ['an empty escaped post', '--', /empty/],
  ])('refuses %s and stores nothing', async (_name, text, expected) => {
    const where = { channel_id: newChannel() };
    const reply = await chat(text, where);
    expect(reply).toMatch(expected);
    expect(reply).toMatch(/Nothing was stored|nothing was stored/);
    expect(storedRows(where.channel_id)).toEqual([]);
  });

  it('turns away a body over the request cap before it reaches /chat', async () => {
    const where = { channel_id: newChannel() };
    const response = await sendSlashCommand(running.baseUrl, { command: '/chat', text: 'x'.repeat(200_000), ...where });
    expect(response.status).toBe(413);
    expect(storedRows(where.channel_id)).toEqual([]);
  });

  it('lists on whitespace-only text instead of posting it', async () => {
    const where = { channel_id: newChannel() };
    const reply = await chat('   \t  ', where);
    expect(reply).toMatch(/empty/i);
    expect(liveTokens(reply)).toEqual([]);
    expect(storedRows(where.channel_id)).toEqual([]);
  });

  it('stores Unicode as typed: emoji, right-to-left, combining marks; NUL and bidi overrides removed', async () => {
    const where = { channel_id: newChannel() };
    const texts = ['👩‍👩‍👧‍👦 🇺🇳 👍🏽', 'שלום עולם', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇ e\u0301', '漢字 한국어'];
    for (const text of texts) expect(await chat(text, where)).toContain(text);
    postedId(await chat('nul\u0000inside \u202eevil\u202c', where));
    expect(storedRows(where.channel_id).map((row) => row.text)).toEqual([...texts, 'nulinside evil']);
  });

  it('stores SQL as text and keeps working', async () => {
    const where = { channel_id: newChannel() };
    const attacks = [
      "'); DROP TABLE chat_messages; --",
      "x' OR '1'='1",
      '1; DELETE FROM chat_messages',
      "Robert'); UPDATE chat_messages SET user_id='U0002'; --",
    ];
    for (const attack of attacks) postedId(await chat(attack, where));
    expect(storedRows(where.channel_id).map((row) => [row.text, row.user_id])).toEqual(
      attacks.map((attack) => [attack, 'U0001']),
    );
  });
});

describe('/chat escaping', () => {
  it('stores what the user meant and shows it inert: no mention, broadcast, link or code block goes live', async () => {
    const where = { channel_id: newChannel() };
    // Exactly what Slack sends for: <!channel> <!here> <@U0002> <https://evil.example|click> & &lt; ```
    const sent = '&lt;!channel&gt; &lt;!here&gt; &lt;@U0002&gt; &lt;https://evil.example|click&gt; &amp; &amp;lt; ```';
    const meant = '<!channel> <!here> <@U0002> <https://evil.example|click> & &lt; ```';
    const replies = [await chat(sent, where), await chat('', where), await chat('list 1', where)];
    expect(storedRows(where.channel_id).map((row) => row.text)).toEqual([meant]);
    for (const reply of replies) {
      for (const token of liveTokens(reply)) expect(token).toMatch(/^<@U0001>$|^<!date\^\d+\^[^|>]*\|[^<>]*>$/);
      expect(reply).toContain('&lt;!channel&gt; &lt;!here&gt; &lt;@U0002&gt; &lt;https://evil.example|click&gt;');
      expect(reply).toContain('&amp; &amp;lt;');
      expect(reply).not.toContain('```');
    }
  });

  it('keeps user text out of error replies’ live markup too', async () => {
    const reply = await chat('delete &lt;!channel&gt;', { channel_id: newChannel() });
    expect(reply).toMatch(/is not a message id/);
    expect(liveTokens(reply)).toEqual([]);
  });
});

describe('/chat and /chat list [N]', () => {
  it('shows the latest 10 by default and N on request, oldest first', async () => {
    const where = { channel_id: newChannel() };
    const ids: number[] = [];
    // Two authors: one may post only 10 in a row (see '/chat post limit').
    for (let n = 1; n <= 12; n += 1) {
      ids.push(postedId(await chat(`message ${n}`, { ...where, user_id: n % 2 === 0 ? 'U0002' : 'U0001' })));
    }
    expect(listedIds(await chat('', where))).toEqual(ids.slice(2));
    expect(listedIds(await chat('list', where))).toEqual(ids.slice(2));
    expect(listedIds(await chat('list 3', where))).toEqual(ids.slice(9));
    const all = await chat('LIST 50', where);
    expect(listedIds(all)).toEqual(ids);
    expect(all).toMatch(/All 12 messages/);
  });

  it('confirms a post with the board’s latest messages, the new one last', async () => {
    const where = { channel_id: newChannel() };
    const first = postedId(await chat('first', where));
    const reply = await chat('second', where);
    expect(listedIds(reply)).toEqual([first, postedId(reply)]);
  });

  it.each(['list 0', 'list -1', 'list -500', 'list 1e3', 'list abc', 'list ５', "list 1' OR '1'='1", 'list 5 6'])(
    'refuses %j, saying what a count is',
    async (text) => {
      const where = { channel_id: newChannel() };
      expect(await chat(text, where)).toMatch(/is not a number of messages: give a whole number from 1/);
      expect(storedRows(where.channel_id)).toEqual([]);
    },
  );

  it.each(['list 51', 'list 500', 'list 99999999999999999999'])(
    'answers %j with the latest 50, and says a list shows at most 50',
    async (text) => {
      const where = { channel_id: newChannel() };
      const ids: number[] = [];
      // Six authors, so the post limit (10 in a row each) is never met.
      for (let n = 0; n < 55; n += 1) ids.push(postedId(await chat(`m${n}`, { ...where, user_id: `U${n % 6}AB` })));
      const reply = await chat(text, where);
      expect(reply).toMatch(/^\*The latest 50 messages on this board:\* \(a list shows at most 50\)\n/);
      expect(listedIds(reply)).toEqual(ids.slice(5));
    },
  );

  it('shows at most 50 even for a busy board, within Slack’s message size', async () => {
    const where = { channel_id: newChannel() };
    for (let n = 0; n < 55; n += 1)
      await store.post({ enterpriseId: '', teamId: 'T0001', channelId: where.channel_id }, 'U0001', '&<>'.repeat(333));
    const reply = await chat('list 50', where);
    expect(listedIds(reply)).toHaveLength(50);
    expect(reply.length).toBeLessThan(40_000);
  });
});

describe('/chat delete <id>', () => {
  it('deletes the caller’s own message, by 42 or #42', async () => {
    const where = { channel_id: newChannel() };
    const first = postedId(await chat('remove me later', where));
    const second = postedId(await chat('me too', where));
    expect(await chat(`delete ${first}`, where)).toBe(`Deleted *#${first}*.`);
    expect(await chat(`delete #${second}`, where)).toBe(`Deleted *#${second}*.`);
    expect(storedRows(where.channel_id)).toEqual([]);
    expect(await chat(`delete ${first}`, where)).toBe(`There is no message #${first} on this board.`);
  });

  it('refuses to delete someone else’s message, which stays', async () => {
    const where = { channel_id: newChannel() };
    const id = postedId(await chat('mine', { ...where, user_id: 'U0001' }));
    expect(await chat(`delete ${id}`, { ...where, user_id: 'U0002' })).toMatch(/posted by someone else/);
    expect(storedRows(where.channel_id).map((row) => row.id)).toEqual([id]);
  });

  it('cannot reach a message of another channel, workspace or enterprise', async () => {
    const channel = newChannel();
    const id = postedId(await chat('home', { channel_id: channel }));
    for (const elsewhere of [
      { channel_id: newChannel() },
      { channel_id: channel, team_id: 'T0002' },
      { channel_id: channel, enterprise_id: 'E0001' },
    ]) {
      expect(await chat(`delete ${id}`, elsewhere)).toBe(`There is no message #${id} on this board.`);
    }
    expect(storedRows(channel).map((row) => row.id)).toEqual([id]);
  });

  it.each([
    ['-1', /is not a message id/],
    ['#', /is not a message id/],
    ['1e3', /is not a message id/],
    ['abc', /is not a message id/],
    ['1 OR 1=1', /is not a message id/],
    ['0', /There is no message #0 on this board/],
    ['99999999999999999999', /There is no message #99999999999999999999 on this board/],
    ['', /Which message\?/],
  ])('answers "delete %s" clearly and deletes nothing', async (id, expected) => {
    const where = { channel_id: newChannel() };
    postedId(await chat('survivor', where));
    expect(await chat(`delete ${id}`, where)).toMatch(expected);
    expect(storedRows(where.channel_id)).toHaveLength(1);
  });
});

describe('/chat boards', () => {
  it('keeps each channel, workspace and enterprise to itself', async () => {
    const channel = newChannel();
    const boards: Where[] = [
      { channel_id: channel, team_id: 'T0001' },
      { channel_id: channel, team_id: 'T0002' },
      { channel_id: channel, team_id: 'T0001', enterprise_id: 'E0001' },
      { channel_id: channel, team_id: 'T0001', enterprise_id: 'E0002' },
      { channel_id: newChannel(), team_id: 'T0001' },
      { channel_id: `D${channel.slice(1)}`, team_id: 'T0001' },
    ];
    const ids = [];
    for (const [n, where] of boards.entries()) ids.push(postedId(await chat(`secret ${n}`, where)));
    for (const [n, where] of boards.entries()) {
      const listing = await chat('list 50', where);
      expect(listedIds(listing)).toEqual([ids[n]]);
      expect(listing).toContain(`secret ${n}`);
    }
  });

  it.each([
    ['a user id that is markup', { user_id: 'U1> <!channel' }],
    ['a lower-case team id', { team_id: 't0001' }],
    ['no team id', { team_id: '' }],
    ['a malformed channel id', { channel_id: "C1' OR '1'='1" }],
    ['a malformed enterprise id', { enterprise_id: 'ENTERPRISE;' }],
  ])('does nothing for a payload with %s', async (_name, where) => {
    const reply = await chat('hello', where);
    expect(reply).toMatch(/cannot tell which workspace, channel or user/);
    expect(liveTokens(reply)).toEqual([]);
  });
});

describe('/chat help', () => {
  it('explains every form', async () => {
    const reply = await chat('help', { channel_id: newChannel() });
    for (const form of [
      '/chat &lt;text&gt;',
      '/chat list [N]',
      '/chat delete &lt;id&gt;',
      '/chat help',
      '1,000',
      '50',
      '10 messages in a row to a board, then one every 15 seconds',
    ]) {
      expect(reply).toContain(form);
    }
    expect(liveTokens(reply)).toEqual([]);
  });
});

describe('/chat post limit', () => {
  /** Only the message texts, read straight from the file. */
  const storedTexts = (channelId: string) => storedRows(channelId).map((row) => row.text);

  it('refuses the 11th post in a burst with a friendly ephemeral reply, and stores nothing for it', async () => {
    const where = { channel_id: newChannel(), user_id: 'U0LIMIT1' };
    const burst = Array.from({ length: 10 }, (_, n) => `burst ${n}`);
    for (const text of burst) postedId(await chat(text, where));
    const reply = await chat('the eleventh', where);
    expect(reply).toMatch(/^Easy there: you can post 10 messages in a row to this board, then one every 15 seconds\./);
    expect(reply).toMatch(/Your message was not stored; you can post again in (1[0-5]|[1-9]) seconds?\./);
    expect(liveTokens(reply)).toEqual([]);
    expect(storedTexts(where.channel_id)).toEqual(burst);
    // Still refused, still nothing stored: refusals do not reset or extend anything.
    expect(await chat('the twelfth', where)).toMatch(/not stored/);
    expect(storedTexts(where.channel_id)).toEqual(burst);
  });

  it('holds back only that user on that board: other users, channels and workspaces post as usual', async () => {
    const channel = newChannel();
    const limited = { channel_id: channel, user_id: 'U0LIMIT2' };
    for (let n = 0; n < 10; n += 1) postedId(await chat(`mine ${n}`, limited));
    expect(await chat('refused', limited)).toMatch(/not stored/);
    for (const elsewhere of [
      { channel_id: channel, user_id: 'U0OTHER1' },
      { channel_id: newChannel(), user_id: 'U0LIMIT2' },
      { channel_id: channel, user_id: 'U0LIMIT2', team_id: 'T0002' },
      { channel_id: channel, user_id: 'U0LIMIT2', enterprise_id: 'E0001' },
    ]) {
      expect(await chat(`from ${JSON.stringify(elsewhere)}`, elsewhere)).toMatch(/^Posted as/);
    }
    expect(
      storedRows(channel)
        .filter((row) => row.team_id === 'T0001')
        .map((row) => row.user_id),
    ).toEqual([
      ...Array.from({ length: 10 }, () => 'U0LIMIT2'),
      'U0OTHER1',
      'U0LIMIT2', // the enterprise board: same team and channel id, but a board of its own
    ]);
    expect(await chat('still refused', limited)).toMatch(/not stored/);
  });

  it('never limits reading, help or delete', async () => {
    const where = { channel_id: newChannel(), user_id: 'U0LIMIT3' };
    const ids: number[] = [];
    for (let n = 0; n < 10; n += 1) ids.push(postedId(await chat(`post ${n}`, where)));
    expect(await chat('over the limit', where)).toMatch(/not stored/);
    for (let n = 0; n < 15; n += 1) {
      expect(listedIds(await chat('list 50', where))).toEqual(ids);
      expect(listedIds(await chat('', where))).toEqual(ids);
      expect(await chat('help', where)).toMatch(/^\*Usage:\*/);
    }
    expect(await chat(`delete ${ids[0]}`, where)).toBe(`Deleted *#${ids[0]}*.`);
    expect(await chat('still over the limit', where)).toMatch(/not stored/);
  });
});

describe('/chat across a restart', () => {
  it('shows the same board after the app and the store are stopped and started again', async () => {
    const restartDir = createTempDir();
    try {
      const path = restartDir.file('restart.db');
      const where = { channel_id: 'C0RESTART' };
      const firstStore = await createSqliteStore({ path });
      const first = await startTestApp({ store: firstStore });
      const id = postedId(await chat('before the restart', where, first));
      await first.stop();
      await firstStore.close();

      const secondStore = await createSqliteStore({ path });
      const second = await startTestApp({ store: secondStore });
      try {
        const listing = await chat('', where, second);
        expect(listedIds(listing)).toEqual([id]);
        expect(listing).toContain('before the restart');
      } finally {
        await second.stop();
        await secondStore.close();
      }
    } finally {
      restartDir.remove();
    }
  });
});

describe('/chat when the store fails', () => {
  it('answers "unavailable" fast while /cowsay keeps working, and works again once the store is back', async () => {
    const failing = createFakeStore();
    const app = await startTestApp({ store: failing });
    try {
      failing.failing = true;
      for (const text of ['hello', '', 'delete 1']) {
        const started = Date.now();
        expect(await chat(text, { channel_id: 'C0DOWN' }, app)).toMatch(
          /The board is unavailable right now, try again/,
        );
        expect(Date.now() - started).toBeLessThan(3000);
      }
      const cow = asReply(await sendSlashCommand(app.baseUrl, { command: '/cowsay', text: 'still here' }));
      expect(cow.response_type).toBe('in_channel');
      failing.failing = false;
      postedId(await chat('back again', { channel_id: 'C0DOWN' }, app));
      expect(app.logger.lines.some((line) => line.includes('fake store is down'))).toBe(true);
    } finally {
      await app.stop();
    }
  });

  it('answers "unavailable" while another process holds the SQLite write lock, and recovers by itself', async () => {
    const where = { channel_id: newChannel() };
    const before = postedId(await chat('before the lock', where));
    const other = new Database(dir.file('board.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      expect(await chat('while locked', where)).toMatch(/The board is unavailable right now/);
      expect(Date.now() - started).toBeLessThan(3000);
      // Reading is not blocked by a writer (WAL), and /cowsay never touches the store.
      expect(listedIds(await chat('', where))).toEqual([before]);
      expect(asReply(await sendSlashCommand(running.baseUrl, { command: '/cowsay', text: 'moo' })).response_type).toBe(
        'in_channel',
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const after = postedId(await chat('after the lock', where));
    expect(storedRows(where.channel_id).map((row) => row.id)).toEqual([before, after]);
  });
});
