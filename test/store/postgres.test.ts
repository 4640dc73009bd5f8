/**
 * The PostgreSQL backend against a real server (TEST_DATABASE_URL), each suite in a schema of its own:
 * the shared contract, plus what only a networked, shared database has (concurrent migrations, the query
 * plan at volume, outages, credentials in error text).
 */
import type { MessageStore } from '../../src/store/message-store.js';
import { StoreUnavailableError } from '../../src/store/message-store.js';
import { createPostgresStore, createRedactor, POSTGRES_LATEST_SQL, publicReason } from '../../src/store/postgres.js';
import { type CapturingLogger, createCapturingLogger } from '../helpers.js';
import { storeContract } from './contract.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { createTestSchema, describeWithPostgres, type TestSchema, testDatabaseAddress } from './test-databases.js';

const board = { enterpriseId: '', teamId: 'T1', channelId: 'C1' };

describeWithPostgres('PostgreSQL store: the MessageStore contract', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema();
  });
  afterAll(() => schema.drop());
  storeContract(() => ({
    open: () => createPostgresStore({ url: schema.url, logger: createCapturingLogger() }),
    bucketRows: async (board) => {
      const [row] = await schema.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM chat_post_buckets
         WHERE enterprise_id = $1 AND team_id = $2 AND channel_id = $3`,
        [board.enterpriseId, board.teamId, board.channelId],
      );
      return row?.count ?? 0;
    },
  }));
});

describeWithPostgres('PostgreSQL store', () => {
  let schema: TestSchema;
  const stores: MessageStore[] = [];
  const open = async (url = schema.url, logger: CapturingLogger = createCapturingLogger()) => {
    const store = await createPostgresStore({ url, logger });
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    schema = await createTestSchema();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await schema.drop();
  });

  it('runs the migrations once when several instances start at the same moment', async () => {
    // Line every instance up at the start of its migration: an uncommitted CREATE of the table they all
    // create first makes each one wait, then all are let go at once. Without a lock of their own they
    // would now race to create the tables, and all but one would fail.
    const blocker = await schema.connect();
    await blocker.query('BEGIN');
    await blocker.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY)');
    const loggers = Array.from({ length: 6 }, () => createCapturingLogger());
    const starting = Promise.all(loggers.map((logger) => open(schema.url, logger)));
    const giveUp = Date.now() + 10_000;
    for (;;) {
      const [row] = await schema.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
         WHERE application_name = 'cowsay-slack migrations' AND wait_event_type = 'Lock'`,
      );
      if (row?.waiting === loggers.length) break;
      if (Date.now() > giveUp) throw new Error(`only ${row?.waiting} instances reached the migration`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await blocker.query('ROLLBACK');
    await blocker.end();
    const started = await starting;

    for (const logger of loggers) expect(logger.lines.filter((line) => line.startsWith('[error]'))).toEqual([]);
    const versions = await schema.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((row) => row.version)).toEqual([1, 2]);
    // Every instance works on the one table.
    const posted = await Promise.all(started.map((store, n) => store.post(board, 'U1', `from instance ${n}`)));
    const [any] = started;
    expect((await any?.latest(board, 50))?.map((message) => message.id)).toEqual(
      posted.map((message) => message.id).sort((a, b) => a - b),
    );
  });

  it('is idempotent: opening an up-to-date database changes nothing', async () => {
    const first = await open();
    await first.post(board, 'U1', 'kept');
    await first.close();
    const second = await open();
    expect((await second.latest(board, 10)).map((message) => message.text)).toEqual(['kept']);
    expect(await schema.query('SELECT version FROM schema_migrations')).toHaveLength(2);
  });

  it('lists a board with a backward index range scan: no sequential scan, no sort', async () => {
    await open();
    // Enough rows in other boards that a scan would be the planner's choice without the index.
    await schema.query(
      `INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text)
       SELECT '', 'T' || (n % 7), 'C' || (n % 97), 'U1', 'message ' || n FROM generate_series(1, 50000) AS n`,
    );
    await schema.query('ANALYZE chat_messages');
    const plan = (await schema.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${POSTGRES_LATEST_SQL}`, ['', 'T1', 'C1', 10]))
      .map((row) => row['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(/Index Scan using chat_messages_board_latest on chat_messages/);
    expect(plan).not.toMatch(/Seq Scan|Sort/);
  });

  it('uses TLS when the URL asks for it, and never falls back to an unencrypted connection', async () => {
    const url = new URL(schema.url);
    url.searchParams.set('sslmode', 'no-verify');
    const store = await open(url.toString());
    const [setting] = await schema.query<{ ssl: string }>('SHOW ssl');
    if (setting?.ssl === 'on') {
      await expect(store.ping()).resolves.toBeUndefined();
    } else {
      // This server offers no TLS: a store that was asked for it must refuse to talk in the clear.
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    }
  });

  it('opens while the database is unreachable, answers "unavailable" fast, and heals when it is back', async () => {
    const proxy: TcpProxy = await startTcpProxy(testDatabaseAddress());
    try {
      proxy.block();
      const logger = createCapturingLogger();
      const password = 'pa55-w0rd-never-logged';
      const store = await open(schema.urlVia('127.0.0.1', proxy.port, password), logger);

      const started = Date.now();
      const failure = await store.post(board, 'U1', 'during the outage').catch((error: unknown) => error);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);

      proxy.restore();
      const posted = await store.post(board, 'U1', 'after the outage');
      expect((await store.latest(board, 10)).map((message) => message.id)).toEqual([posted.id]);

      const publicText = String((failure as Error).message);
      expect(publicText).not.toContain(String(proxy.port));
      expect(publicText).not.toContain('127.0.0.1');
      expect(logger.lines.some((line) => /not ready at start-up/.test(line))).toBe(true);
      expect([publicText, ...logger.lines].join('\n')).not.toContain(password);
    } finally {
      await proxy.close();
    }
  });

  it('gives up on a query the network swallowed, within the time a Slack reply allows, then recovers', async () => {
    const proxy = await startTcpProxy(testDatabaseAddress());
    try {
      const store = await open(schema.urlVia('127.0.0.1', proxy.port));
      await store.post(board, 'U1', 'before');
      // The pool now holds an open connection; the network goes silent under it.
      proxy.block();
      for (const operation of [() => store.latest(board, 10), () => store.post(board, 'U1', 'into the silence')]) {
        const started = Date.now();
        await expect(operation()).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(Date.now() - started).toBeLessThan(3000);
      }
      proxy.restore();
      await expect(store.ping()).resolves.toBeUndefined();
      expect((await store.latest(board, 10)).map((message) => message.text)).toEqual(['before']);
    } finally {
      await proxy.close();
    }
  });
});

describe('PostgreSQL error text', () => {
  it('names no host, user or password in the public reason', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' });
    expect(publicReason(refused)).toBe('ECONNREFUSED');
    const auth = Object.assign(new Error('password authentication failed for user "alice"'), { code: '28P01' });
    expect(publicReason(auth)).toBe('28P01');
    expect(publicReason(new Error('timeout exceeded when trying to connect'))).toBe('timed out');
    expect(publicReason(new Error('Connection terminated unexpectedly'))).toBe('connection closed');
    expect(publicReason(Object.assign(new Error('x'), { code: 'postgres://u:p@h/d' }))).toBe('connection failed');
    expect(publicReason(undefined)).toBe('connection failed');
  });

  it('removes the URL and its password, raw or percent-decoded, from log text', () => {
    const url = 'postgres://app:s%40cret%2Fpw@db.internal:5432/prod?sslmode=require';
    const redact = createRedactor(url);
    expect(redact(`failed to reach ${url}`)).toBe('failed to reach ***');
    expect(redact('auth with s@cret/pw failed')).toBe('auth with *** failed');
    expect(redact('auth with s%40cret%2Fpw failed')).toBe('auth with *** failed');
    expect(redact('other postgresql://bob:hunter2@elsewhere/db')).toBe('other postgresql://***@elsewhere/db');
  });
});
