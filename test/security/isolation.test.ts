/**
 * Randomised board isolation through the real app: signed HTTP requests as Slack sends them, the real
 * receiver, Bolt and `/chat`, and a real store (an SQLite file always, PostgreSQL when TEST_DATABASE_URL is
 * set). Many users post to many boards across workspaces (the same channel id in several of them, and an
 * Enterprise Grid org); after every post, `/chat list 50` on every board must show exactly what was posted
 * to that board and nothing else. Each post carries a unique token, so a message that leaks shows up by
 * its token wherever it lands.
 *
 * The app runs with its real post limit: the random posts are spread so that no user posts more than 10
 * times to one board, and now and then a user deliberately posts 12 in a row, whose last 2 must be refused
 * and appear nowhere.
 *
 * ISOLATION_SEED replays a run; ISOLATION_POSTS sets how many random posts it makes (default 150).
 */
import type { MessageStore } from '../../src/store/message-store.js';
import { createPostgresStore } from '../../src/store/postgres.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import {
  asReply,
  createCapturingLogger,
  createRandom,
  type Random,
  type RunningApp,
  type SlashCommandFields,
  sendSlashCommand,
  startTestApp,
} from '../helpers.js';
import { createTempDir, createTestSchema, describeWithPostgres } from '../store/test-databases.js';

const SEED = Number(process.env.ISOLATION_SEED ?? 20261122);
const POSTS = Number(process.env.ISOLATION_POSTS ?? 150);
/** The app's real policy: 10 posts in a row per user and board (src/chat/rate-limit.ts). */
const BURST = 10;

type Where = Required<Pick<SlashCommandFields, 'team_id' | 'channel_id'>> & Pick<SlashCommandFields, 'enterprise_id'>;

/** Boards that differ in exactly one part of (enterprise, team, channel) from at least one other. */
const BOARDS: readonly Where[] = [
  // The same channel id in two workspaces.
  { team_id: 'T0ISOA', channel_id: 'C0SHARED' },
  { team_id: 'T0ISOB', channel_id: 'C0SHARED' },
  // The same workspace and channel ids again, inside an Enterprise Grid org, and a second workspace of that org.
  { team_id: 'T0ISOA', channel_id: 'C0SHARED', enterprise_id: 'E0ISOGRID' },
  { team_id: 'T0ISOC', channel_id: 'C0SHARED', enterprise_id: 'E0ISOGRID' },
  // Public, private and direct conversations, some ids repeated across workspaces.
  { team_id: 'T0ISOA', channel_id: 'C0GENERAL' },
  { team_id: 'T0ISOB', channel_id: 'C0GENERAL' },
  { team_id: 'T0ISOA', channel_id: 'G0PRIVATE' },
  { team_id: 'T0ISOB', channel_id: 'C0RANDOM' },
  { team_id: 'T0ISOA', channel_id: 'D0DIRECT' },
  { team_id: 'T0ISOB', channel_id: 'D0DIRECT' },
];
/** The same user ids in every workspace: a user id alone must never open another workspace's board. */
const USERS = Array.from({ length: 24 }, (_, n) => `U0ISO${String(n).padStart(2, '0')}`);

/** Text around the token: markup, entities, Unicode and SQL, none of which may move a message elsewhere. */
const FILLER = [
  'hello',
  '&lt;!channel&gt;',
  '&lt;@U0ISO01&gt;',
  '&amp;amp;',
  '🐄',
  'e\u0301',
  'שלום',
  "' OR team_id = team_id --",
  '%',
  '_',
  'list 50',
  'C0SHARED',
  'T0ISOB',
];

const TOKEN = /\biso-\d+-\d+\b/g;
const tokensIn = (reply: string) => [...reply.matchAll(TOKEN)].map((match) => match[0]);

async function chat(app: RunningApp, text: string, where: Where, userId: string): Promise<string> {
  const response = await sendSlashCommand(app.baseUrl, { command: '/chat', text, user_id: userId, ...where });
  expect(response.status).toBe(200);
  const reply = asReply(response);
  expect(reply.response_type).toBe('ephemeral');
  return reply.text ?? '';
}

/**
 * Runs the random posts against `app` and checks every board after each one. `model` is what each board
 * must hold: the tokens posted to it, in order.
 */
async function runIsolation(app: RunningApp, random: Random): Promise<{ posted: number; refused: number }> {
  const model = BOARDS.map(() => [] as string[]);
  const postsBy = new Map<string, number>();
  const refusedTokens: string[] = [];
  let serial = 0;
  const nextToken = () => {
    serial += 1;
    return `iso-${SEED}-${serial}`;
  };
  const textWith = (token: string) =>
    [token, ...Array.from({ length: random.int(4) }, () => random.pick(FILLER))].join(' ');

  /** Every board, listed by a random user: exactly its own tokens, oldest first, and no refused one. */
  const checkEveryBoard = async (context: string) => {
    for (const [index, where] of BOARDS.entries()) {
      const listing = await chat(app, 'list 50', where, random.pick(USERS));
      const expected = model[index]?.slice(-50) ?? [];
      expect({ context, board: where, tokens: tokensIn(listing) }).toEqual({ context, board: where, tokens: expected });
    }
  };

  const post = async (boardIndex: number, userId: string): Promise<boolean> => {
    const where = BOARDS[boardIndex] as Where;
    const token = nextToken();
    const reply = await chat(app, textWith(token), where, userId);
    if (!/^Posted as \*#\d+\*\./.test(reply)) {
      expect(reply).toMatch(/^Easy there:.*not stored/s);
      refusedTokens.push(token);
      return false;
    }
    const mine = model[boardIndex] as string[];
    mine.push(token);
    // The confirmation shows the board's latest 10: they too must all be this board's.
    expect({ token, board: where, shown: tokensIn(reply) }).toEqual({ token, board: where, shown: mine.slice(-10) });
    return true;
  };

  for (let n = 0; n < POSTS; n += 1) {
    // One busy board (a third of the posts) outgrows `list 50`, so the window itself is checked too.
    const boardIndex = random.next() < 0.35 ? 0 : random.int(BOARDS.length);
    if (random.next() < 0.04) {
      // A user who has not posted here yet sends 12 in a row: 10 go through, 2 are refused.
      const fresh = USERS.filter((user) => !postsBy.has(`${boardIndex}/${user}`));
      const userId = random.pick(fresh);
      const outcomes: boolean[] = [];
      for (let k = 0; k < BURST + 2; k += 1) outcomes.push(await post(boardIndex, userId));
      expect(outcomes).toEqual([...Array.from({ length: BURST }, () => true), false, false]);
      postsBy.set(`${boardIndex}/${userId}`, BURST + 2);
    } else {
      // Anyone with posts to spare on this board: the limit must not be what refuses a post here.
      const candidates = USERS.filter((user) => (postsBy.get(`${boardIndex}/${user}`) ?? 0) < BURST);
      const userId = random.pick(candidates);
      postsBy.set(`${boardIndex}/${userId}`, (postsBy.get(`${boardIndex}/${userId}`) ?? 0) + 1);
      expect(await post(boardIndex, userId)).toBe(true);
    }
    await checkEveryBoard(`after post ${n + 1} (seed ${SEED})`);
  }
  await checkEveryBoard(`at the end (seed ${SEED})`);

  // The run really mixed things up: most boards were used, and one holds more than a listing shows.
  const sizes = model.map((tokens) => tokens.length);
  expect(sizes.filter((size) => size > 0).length).toBeGreaterThanOrEqual(BOARDS.length - 1);
  if (POSTS >= 150) expect(Math.max(...sizes)).toBeGreaterThan(50);
  const posted = sizes.reduce((sum, size) => sum + size, 0);
  return { posted, refused: refusedTokens.length };
}

describe(`board isolation over HTTP on SQLite (${POSTS} random posts, seed ${SEED})`, () => {
  it('shows every board exactly its own messages, after every post', async () => {
    const dir = createTempDir();
    const store: MessageStore = await createSqliteStore({ path: dir.file('isolation.db') });
    const app = await startTestApp({ store });
    try {
      const { posted, refused } = await runIsolation(app, createRandom(SEED));
      // Nothing else reached the table: what the model expects is every row there is.
      let rows = 0;
      for (const where of BOARDS) {
        rows += (
          await store.latest(
            { enterpriseId: where.enterprise_id ?? '', teamId: where.team_id, channelId: where.channel_id },
            1000,
          )
        ).length;
      }
      expect(rows).toBe(posted);
      expect(refused).toBeGreaterThan(0);
    } finally {
      await app.stop();
      await store.close();
      dir.remove();
    }
  }, 120_000);
});

describeWithPostgres(`board isolation over HTTP on PostgreSQL (${POSTS} random posts, seed ${SEED})`, () => {
  it('shows every board exactly its own messages, after every post', async () => {
    const schema = await createTestSchema();
    const logger = createCapturingLogger();
    const store = await createPostgresStore({ url: schema.url, logger });
    const app = await startTestApp({ store, logger });
    try {
      const { posted, refused } = await runIsolation(app, createRandom(SEED));
      const [row] = await schema.query<{ count: number }>('SELECT count(*)::int AS count FROM chat_messages');
      expect(row?.count).toBe(posted);
      expect(refused).toBeGreaterThan(0);
    } finally {
      await app.stop();
      await store.close();
      await schema.drop();
    }
  }, 120_000);
});
