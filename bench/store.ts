/**
 * Part 2: `/chat list` and `/chat <text>` through the app (signed HTTP, Bolt, the store) with a small
 * board in a small table, the same board in a table of a million messages, and the million-message board
 * itself. On SQLite always; on PostgreSQL when a URL is configured (a fresh database, dropped afterwards).
 *
 * Seeding goes straight to SQL (a million posts through the app would take minutes of fsyncs), into the
 * schema the app's own migrations create: the bench opens the store once through `openStore` first.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createLogger } from '../src/logger.js';
import { type Board, openStore } from '../src/store/index.js';
import { runLoad } from './load.js';
import { type AppEntry, type Pinning, post, type RunningServer, startServer } from './processes.js';
import { formatNumber, markdownTable, progress } from './report.js';
import { signedHeaders, slashCommandBody } from './slack-request.js';

export interface StoreKnobs {
  app: AppEntry;
  storeMessages: number;
  storeDurationSeconds: number;
  /** Seconds of unrecorded `/chat list` load on each fresh app process, so the JIT has settled. */
  warmupSeconds: number;
  connections: number;
  postgresUrl: string | undefined;
}

const SMALL_BOARD_MESSAGES = 1000;
const TEAM_ID = 'T0BENCH01';
/** A slash command without `enterprise_id` is a board with enterpriseId '' (see store/message-store.ts). */
const SMALL_BOARD: Board = { enterpriseId: '', teamId: TEAM_ID, channelId: 'C0SMALL01' };
const BIG_BOARD: Board = { enterpriseId: '', teamId: TEAM_ID, channelId: 'C0BIG0001' };
const POST_TEXT = 'benchmark post';

interface Backend {
  name: string;
  /** DATABASE_URL for the app. */
  databaseUrl: string;
  /** Appends `count` messages to the board, texts `seeded 1` … `seeded <count>`; resolves once committed. */
  seed(board: Board, count: number): Promise<void>;
  /** How many messages the board holds (to check that posts were stored, not refused). */
  count(board: Board): Promise<number>;
  dispose(): Promise<void>;
}

export async function benchStore(knobs: StoreKnobs, pinning: Pinning, scratch: string): Promise<void> {
  const rows: string[][] = [];
  const notes: string[] = [];
  const backends: Array<{ name: string; open: () => Promise<Backend> }> = [
    { name: 'SQLite', open: () => sqliteBackend(join(scratch, 'chat.db')) },
  ];
  const postgresUrl = knobs.postgresUrl;
  if (postgresUrl !== undefined) backends.push({ name: 'PostgreSQL', open: () => postgresBackend(postgresUrl) });
  else notes.push('PostgreSQL skipped: set BENCH_POSTGRES_URL (or TEST_DATABASE_URL) to include it.');

  for (const { name, open } of backends) {
    let backend: Backend | undefined;
    try {
      backend = await open();
      rows.push(...(await benchBackend(backend, knobs, pinning)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      notes.push(`${name} skipped: ${message.split('\n')[0]}`);
      progress(message);
    } finally {
      await backend?.dispose();
    }
  }

  console.log(
    `### /chat through the app: ${knobs.connections} connections, ${knobs.storeDurationSeconds} s per measurement\n`,
  );
  console.log(
    markdownTable(
      [
        'store',
        'board',
        'stored',
        'list req/s',
        'list p50',
        'list p99',
        'post req/s',
        'post p50',
        'post p99',
        'posts kept',
        'non-2xx',
      ],
      rows,
    ),
  );
  console.log(
    `\n"list" is \`/chat list\` (latest 10), measured before the posts; "post" is \`/chat ${POST_TEXT}\` from a new user ` +
      'each time (one user may only post a few in a row), which stores durably and answers with the latest messages. ' +
      '"posts kept": whether the board gained every answered post. The big board is seeded after the 1k board, so the ' +
      "1k board's posts are newer than all of its messages, as with a long-lived busy board beside an active one.",
  );
  for (const note of notes) console.log(`\n${note}`);
  console.log('');
}

async function benchBackend(backend: Backend, knobs: StoreKnobs, pinning: Pinning): Promise<string[][]> {
  const size = (count: number) =>
    count >= 1_000_000 ? `${formatNumber(count / 1_000_000)}M` : `${formatNumber(count / 1000)}k`;
  const small = size(SMALL_BOARD_MESSAGES);
  const measure = (board: Board, boardSize: string, stored: string, expectedLatest: string) =>
    measureBoard({ backend, board, boardSize, stored, expectedLatest }, knobs, pinning);

  progress(`${backend.name}: seeding ${formatNumber(SMALL_BOARD_MESSAGES)} messages`);
  await backend.seed(SMALL_BOARD, SMALL_BOARD_MESSAGES);
  const rows = [await measure(SMALL_BOARD, small, small, `seeded ${SMALL_BOARD_MESSAGES}`)];

  const started = performance.now();
  progress(`${backend.name}: seeding ${formatNumber(knobs.storeMessages)} messages`);
  await backend.seed(BIG_BOARD, knobs.storeMessages);
  progress(`${backend.name}: seeded in ${formatNumber((performance.now() - started) / 1000, 1)} s`);
  const total = size(knobs.storeMessages + SMALL_BOARD_MESSAGES);
  rows.push(await measure(SMALL_BOARD, small, total, POST_TEXT));
  rows.push(await measure(BIG_BOARD, size(knobs.storeMessages), total, `seeded ${knobs.storeMessages}`));
  return rows;
}

interface Measurement {
  backend: Backend;
  board: Board;
  /** Labels for the table. */
  boardSize: string;
  stored: string;
  /** Text the board's latest message holds, to check the app reads the board the seed wrote. */
  expectedLatest: string;
}

/** Starts the app on the backend, checks that it reads the seeded board, then loads list and post. */
async function measureBoard(
  { backend, board, boardSize, stored, expectedLatest }: Measurement,
  knobs: StoreKnobs,
  pinning: Pinning,
): Promise<string[]> {
  const app = await startServer(
    {
      name: `app on ${backend.name}`,
      script: knobs.app.script,
      nodeArgs: knobs.app.nodeArgs,
      env: { DATABASE_URL: backend.databaseUrl },
    },
    pinning,
  );
  try {
    const slash = (text: string, userId?: string) =>
      slashCommandBody({ command: '/chat', text, teamId: board.teamId, channelId: board.channelId, userId });
    await expectReply(app, slash('list'), expectedLatest);
    await expectReply(app, slash(POST_TEXT, 'U0CHECK01'), 'Posted as');
    const load = (body: string | (() => string), durationSeconds = knobs.storeDurationSeconds) =>
      runLoad({ port: app.port, body, connections: knobs.connections, durationSeconds });
    if (knobs.warmupSeconds > 0) await load(slash('list'), knobs.warmupSeconds);
    const list = await load(slash('list'));
    // Each post from another user: one user may only post a few messages in a row (src/chat/rate-limit.ts),
    // and a refusal is not what this measures.
    let author = 0;
    const before = await backend.count(board);
    const posted = await load(() => slash(POST_TEXT, `U${(author++).toString(36).toUpperCase().padStart(8, '0')}`));
    const kept = (await backend.count(board)) - before;
    progress(
      `${backend.name} ${boardSize} board / ${stored} stored: list p99 ${formatNumber(list.p99Ms, 2)} ms, post p99 ${formatNumber(posted.p99Ms, 2)} ms, ${kept} of ${posted.requests} posts stored`,
    );
    return [
      backend.name,
      boardSize,
      stored,
      formatNumber(list.requestsPerSecond),
      `${formatNumber(list.p50Ms, 2)} ms`,
      `${formatNumber(list.p99Ms, 2)} ms`,
      formatNumber(posted.requestsPerSecond),
      `${formatNumber(posted.p50Ms, 2)} ms`,
      `${formatNumber(posted.p99Ms, 2)} ms`,
      // The board may gain a few more than were answered: posts in flight when the load stopped still commit.
      kept >= posted.requests ? 'all' : `${formatNumber(kept)} of ${formatNumber(posted.requests)}`,
      formatNumber(list.failures + posted.failures),
    ];
  } finally {
    await app.stop();
  }
}

/** A benchmark of the wrong thing (an error reply, another board) would look fast; make sure it is not. */
async function expectReply(app: RunningServer, body: string, expected: string): Promise<void> {
  const answer = await post(app.port, body, signedHeaders(body));
  if (answer.status !== 200 || !answer.body.includes(expected)) {
    throw new Error(`/chat did not answer with "${expected}": ${answer.status} ${answer.body.slice(0, 300)}`);
  }
}

/** Runs the app's own migrations on the database, so the seed writes into exactly the app's schema. */
async function migrate(config: Parameters<typeof openStore>[0]): Promise<void> {
  const store = await openStore(config, createLogger('error'));
  try {
    await store.ping();
  } finally {
    await store.close();
  }
}

async function sqliteBackend(path: string): Promise<Backend> {
  await migrate({ kind: 'sqlite', path });
  const next = new Map<string, number>();
  return {
    name: 'SQLite',
    databaseUrl: `sqlite:${path}`,
    async seed(board, count) {
      const db = new Database(path);
      try {
        // A bulk load, not user data: nothing here needs to survive a power cut before the file is closed.
        db.pragma('synchronous = OFF');
        const start = next.get(board.channelId) ?? Date.now() - count;
        db.prepare(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
           INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text, created_at)
           SELECT @enterprise, @team, @channel, 'U0BENCH' || (i % 50), 'seeded ' || i, @start + i FROM n`,
        ).run({ count, enterprise: board.enterpriseId, team: board.teamId, channel: board.channelId, start });
        next.set(board.channelId, start + count);
        db.exec('ANALYZE');
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    },
    async count(board) {
      const db = new Database(path, { readonly: true });
      try {
        const row = db
          .prepare<[string, string, string], { n: number }>(
            'SELECT count(*) AS n FROM chat_messages WHERE enterprise_id = ? AND team_id = ? AND channel_id = ?',
          )
          .get(board.enterpriseId, board.teamId, board.channelId);
        return row?.n ?? 0;
      } finally {
        db.close();
      }
    },
    async dispose() {},
  };
}

async function postgresBackend(adminUrl: string): Promise<Backend> {
  const database = `cowsay_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  await migrate({ kind: 'postgres', url: databaseUrl });

  return {
    name: 'PostgreSQL',
    databaseUrl,
    async seed(board, count) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(
          `INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text, created_at)
           SELECT $1, $2, $3, 'U0BENCH' || (i % 50), 'seeded ' || i, now() - make_interval(secs => ($4 - i) / 1000.0)
           FROM generate_series(1, $4::int) AS i`,
          [board.enterpriseId, board.teamId, board.channelId, count],
        );
        await client.query('VACUUM ANALYZE chat_messages');
      } finally {
        await client.end();
      }
    },
    async count(board) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const result = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM chat_messages WHERE enterprise_id = $1 AND team_id = $2 AND channel_id = $3',
          [board.enterpriseId, board.teamId, board.channelId],
        );
        return result.rows[0]?.n ?? 0;
      } finally {
        await client.end();
      }
    },
    async dispose() {
      const cleanup = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
