/**
 * The PostgreSQL backend against a real server (TEST_DATABASE_URL), each suite in a schema of its own:
 * the shared contract, plus what only a networked, shared database has (concurrent migrations, the query
 * plan at volume, outages, credentials in error text).
 */
import type { Board, MessageStore } from '../../src/store/message-store.js';
import { StoreUnavailableError } from '../../src/store/message-store.js';
import { createPostgresStore, createRedactor, publicReason } from '../../src/store/postgres.js';
import { MIGRATIONS, POSTGRES_DELETE_SQL, POSTGRES_LATEST_SQL } from '../../src/store/postgres-schema.js';
import { type CapturingLogger, createCapturingLogger } from '../helpers.js';
import { storeContract } from './contract.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { createTestSchema, describeWithPostgres, type TestSchema, testDatabaseAddress } from './test-databases.js';

const board = { enterpriseId: '', teamId: 'T1', channelId: 'C1' };
/** Every version the runner records once it is done: 1 … MIGRATIONS.length. */
const ALL_VERSIONS = MIGRATIONS.map((_, index) => index + 1);

describeWithPostgres('PostgreSQL store: the MessageStore contract', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema();
  });
  afterAll(() => schema.drop());
  storeContract(() => ({
    open: () => createPostgresStore({ url: schema.url, logger: createCapturingLogger() }),
    bucketRows: (board) => countRows(schema, 'chat_post_buckets', board),
    keyRows: (board) => countRows(schema, 'chat_post_keys', board),
    ageKeys: async (board, ms) => {
      await schema.query(
        `UPDATE chat_post_keys SET created_at = created_at - make_interval(secs => $4 / 1000.0)
         WHERE enterprise_id = $1 AND team_id = $2 AND channel_id = $3`,
        [board.enterpriseId, board.teamId, board.channelId, ms],
      );
    },
  }));
});

/** Rows of a table for one board, read with the test's own connection. */
async function countRows(schema: TestSchema, table: string, board: Board): Promise<number> {
  const [row] = await schema.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${table} WHERE enterprise_id = $1 AND team_id = $2 AND channel_id = $3`,
    [board.enterpriseId, board.teamId, board.channelId],
  );
  return row?.count ?? 0;
}

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
    expect(versions.map((row) => row.version)).toEqual(ALL_VERSIONS);
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
    expect(await schema.query('SELECT version FROM schema_migrations')).toHaveLength(ALL_VERSIONS.length);
  });

  it('brings a database of schema version 2 to exactly the schema a fresh one gets, keeping its data', async () => {
    await open();
    const legacy = await createTestSchema();
    try {
      // What an instance of version 2 left behind, built from the very migrations it ran, with messages.
      await legacy.query(
        `CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
         ${MIGRATIONS[0]};
         ${MIGRATIONS[1]};
         INSERT INTO schema_migrations (version) VALUES (1), (2);`,
      );
      const other = { ...board, channelId: 'C2' };
      const old = await legacy.query<{ id: string; channel_id: string }>(
        `INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text)
         VALUES ('', 'T1', 'C1', 'U1', 'one'), ('', 'T1', 'C2', 'U1', 'two'), ('', 'T1', 'C1', 'U2', 'three')
         RETURNING id, channel_id`,
      );
      const oldIds = old.map((row) => Number(row.id));

      const migrated = await open(legacy.url);
      expect(await schemaShape(legacy)).toEqual(await schemaShape(schema));
      const versions = await legacy.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      expect(versions.map((row) => row.version)).toEqual(ALL_VERSIONS);

      expect((await migrated.latest(board, 10)).map((message) => message.text)).toEqual(['one', 'three']);
      expect((await migrated.latest(other, 10)).map((message) => message.text)).toEqual(['two']);
      // The identity carries on from where version 2 left it: no id is handed out twice.
      const posted = await migrated.post(board, 'U1', 'after the migration');
      expect(posted.id).toBeGreaterThan(Math.max(...oldIds));
      const [first, , third] = oldIds;
      expect(await migrated.delete(board, first ?? 0, 'U1')).toBe('deleted');
      expect(await migrated.delete(board, third ?? 0, 'U1')).toBe('not-owner');
      expect(await migrated.delete(other, third ?? 0, 'U2')).toBe('not-found');
    } finally {
      // The store on the legacy schema holds connections to it: close before dropping.
      for (const store of stores.splice(0)) await store.close();
      await legacy.drop();
    }
  });

  it('reports a database that refuses writes as unavailable, while it still reads', async () => {
    const writer = await open();
    const posted = await writer.post(board, 'U1', 'written before');
    await expect(writer.ping()).resolves.toBeUndefined();
    // Every session of this store starts read-only, as on a standby or a database put in read-only mode.
    const url = new URL(schema.url);
    url.searchParams.set('options', `${url.searchParams.get('options')} -c default_transaction_read_only=on`);
    const readOnly = await open(url.toString());
    expect(await readOnly.latest(board, 10)).toEqual([posted]);
    await expect(readOnly.ping()).rejects.toThrow('PostgreSQL is unavailable (read-only)');
    await expect(readOnly.post(board, 'U1', 'refused')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(readOnly.post(board, 'U1', 'refused', { triggerId: '1.2.ro' })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(await writer.latest(board, 10)).toEqual([posted]);
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

describeWithPostgres('PostgreSQL store at volume: the query plans', () => {
  let schema: TestSchema;
  let store: MessageStore;
  const big = board;
  const busy = { ...board, channelId: 'C2' };

  beforeAll(async () => {
    schema = await createTestSchema();
    store = await createPostgresStore({ url: schema.url, logger: createCapturingLogger() });
    await store.ping();
    // The case that once cost a scan of everything newer: a board holding most of the table, then a lot
    // of newer messages in another one. With an index on id alone, the planner walks it backwards from
    // the newest id and filters out all 20,000 of the other board's rows before finding the big board's.
    await schema.query(
      `INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text)
       SELECT '', 'T1', 'C1', 'U1', 'm' FROM generate_series(1, 200000)`,
    );
    await schema.query(
      `INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text)
       SELECT '', 'T1', 'C2', 'U2', 'm' FROM generate_series(1, 20000)`,
    );
    await schema.query('ANALYZE chat_messages');
  });
  afterAll(async () => {
    await store.close();
    await schema.drop();
  });

  /** Runs the statement under EXPLAIN ANALYZE; returns every node of its plan, parents first. */
  const explain = async (sql: string, values: unknown[]): Promise<PlanNode[]> => {
    const [row] = await schema.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
      values,
    );
    if (row === undefined) throw new Error('EXPLAIN returned no row');
    return planNodes(row['QUERY PLAN'][0].Plan);
  };
  /** What matters about each read of chat_messages: how it finds its rows, and how many it throws away. */
  const scansOfMessages = (nodes: PlanNode[]) =>
    nodes
      .filter((node) => node['Relation Name'] === 'chat_messages' && node['Node Type'] !== 'ModifyTable')
      .map((node) => ({
        node: node['Node Type'],
        keyColumns: ['enterprise_id', 'team_id', 'channel_id', 'id'].filter((column) =>
          new RegExp(`\\b${column} =`).test(node['Index Cond'] ?? ''),
        ),
        rowsRemovedByFilter: node['Rows Removed by Filter'] ?? 0,
        rows: node['Actual Rows'],
      }));

  it.each([
    ['a board holding most of the table, all older than another board’s', big],
    ['the board that received the newest messages', busy],
  ])('lists %s reading only the 10 rows it returns', async (_, which) => {
    const nodes = await explain(POSTGRES_LATEST_SQL, [which.enterpriseId, which.teamId, which.channelId, 10]);
    // An index range scan on the board, stopped by the LIMIT: no filter skipping other boards' rows
    // (the old plan removed all 20,000 of them here), no sequential scan, no sort.
    expect(scansOfMessages(nodes)).toEqual([
      { node: 'Index Scan', keyColumns: ['enterprise_id', 'team_id', 'channel_id'], rowsRemovedByFilter: 0, rows: 10 },
    ]);
    expect(nodes.map((node) => node['Node Type'])).toEqual(['Limit', 'Index Scan']);
    expect(nodes.filter((node) => node.Filter !== undefined)).toEqual([]);
  });

  it('finds the message to delete by board and id, both to check its owner and to delete it', async () => {
    const [oldest] = await schema.query<{ id: string }>(
      `SELECT id FROM chat_messages WHERE enterprise_id = '' AND team_id = 'T1' AND channel_id = 'C1'
       ORDER BY id LIMIT 1`,
    );
    const id = Number(oldest?.id);
    const nodes = await explain(POSTGRES_DELETE_SQL, [id, big.enterpriseId, big.teamId, big.channelId, 'U1']);
    expect(nodes.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    const lookup = { node: 'Index Scan', keyColumns: ['enterprise_id', 'team_id', 'channel_id', 'id'] };
    expect(scansOfMessages(nodes)).toEqual([
      { ...lookup, rowsRemovedByFilter: 0, rows: 1 },
      { ...lookup, rowsRemovedByFilter: 0, rows: 1 },
    ]);
    expect(await store.delete(big, id, 'U1')).toBe('not-found'); // EXPLAIN ANALYZE did delete it
  });
});

/** The fields of an EXPLAIN (FORMAT JSON) node these tests read. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  'Rows Removed by Filter'?: number;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/**
 * The app's tables as the catalog describes them (columns, constraints, indexes), with the schema's own
 * name left out, so two test schemas can be compared.
 */
async function schemaShape(schema: TestSchema): Promise<unknown> {
  const columns = await schema.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity, identity_generation
     FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const constraints = await schema.query(
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
     FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2`,
  );
  const indexes = await schema.query(
    `SELECT tablename, indexname, replace(indexdef, schemaname || '.', '') AS definition
     FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2`,
  );
  return { columns, constraints, indexes };
}

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
