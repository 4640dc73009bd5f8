/**
 * The shared store: PostgreSQL through a `pg` connection pool, for several app instances behind a load
 * balancer (Heroku dynos) sharing one database.
 *
 * Every timeout here serves one number: Slack drops a slash command that is not answered within 3 seconds.
 * Getting a connection may take {@link DEFAULT_CONNECT_TIMEOUT_MS}, one query {@link DEFAULT_QUERY_TIMEOUT_MS},
 * so a dead or unreachable database costs the user an error message well inside that, never a Slack timeout.
 */
import type { Logger } from '@slack/logger';
import pg from 'pg';
import {
  assertBoard,
  assertLimit,
  assertMessageId,
  assertPost,
  assertTake,
  type DeleteOutcome,
  IDLE_BUCKET_MS,
  type MessageStore,
  type StoredMessage,
  StoreUnavailableError,
  SWEEP_BATCH,
  SWEEP_EVERY_TAKES,
  takeHeadroomMs,
  takeOutcome,
} from './message-store.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 1000;
export const DEFAULT_QUERY_TIMEOUT_MS = 1500;
/**
 * Connections per app instance. Small on purpose: every instance holds its own pool, and hosted plans cap
 * connections per database (Heroku's smallest at 20), so instances × pool size has to fit under the cap.
 */
export const DEFAULT_POOL_SIZE = 5;
/** Migrations may wait for another instance's migration (the advisory lock); they get longer than a request. */
const MIGRATION_TIMEOUT_MS = 30_000;
/** Any fixed 64-bit number, the same in every instance: the advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 7_426_580_137_011_001;

export interface PostgresStoreOptions {
  /** A postgres:// URL; TLS follows its `sslmode` (see README: Heroku Postgres). */
  url: string;
  logger: Logger;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  poolSize?: number;
}

/**
 * Append only: never edit a migration that has shipped. Each runs once, recorded in schema_migrations, in
 * the runner's one transaction (see migrate): a migration that fails leaves no trace and is retried whole.
 * Exported so tests can build a database as an older version left it.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE chat_messages (
     -- An identity never hands out an id twice, so "/chat delete 42" can never hit a later message.
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     enterprise_id text NOT NULL,
     team_id text NOT NULL,
     channel_id text NOT NULL,
     user_id text NOT NULL,
     text text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   );
   -- "Latest N of a board" is a backward range scan of this index that stops after N entries: the same
   -- cost with a thousand or a million messages stored.
   CREATE INDEX chat_messages_board_latest ON chat_messages (enterprise_id, team_id, channel_id, id DESC);`,
  // The post limit's token buckets, one per (board, user), shared by every instance; see TAKE_SQL.
  `CREATE TABLE chat_post_buckets (
     enterprise_id text NOT NULL,
     team_id text NOT NULL,
     channel_id text NOT NULL,
     user_id text NOT NULL,
     -- When the bucket is full again if nobody takes from it (see TokenBucketPolicy): milliseconds since the
     -- Unix epoch, by the app's clock, so tests can inject theirs.
     full_at bigint NOT NULL,
     -- Whether the latest take got a token: RETURNING sees only the new row, so the outcome is kept in it.
     allowed boolean NOT NULL,
     PRIMARY KEY (enterprise_id, team_id, channel_id, user_id)
   );
   -- The sweep finds the buckets that have long been full through this index.
   CREATE INDEX chat_post_buckets_full_at ON chat_post_buckets (full_at);`,
  // The board becomes the front of the primary key, and chat_messages_board_latest goes. With an index on
  // id alone, the planner reads "latest N of a board holding most rows" as a backward walk of that index,
  // filtering out every newer row of the other boards: the cost grew with what the rest of the table
  // received since (5 ms with 20k newer rows elsewhere, 18 to 29 ms with 100k, against 0.04 ms). With
  // no id-only index left, every query on messages names the board and reads the key's range for it,
  // whatever the table's size. Ids stay unique without an index of their own: the identity column hands out each once.
  // One ALTER rebuilds the key while holding the table (measured: 1.6 s for 1.1 million rows), well
  // inside the migration timeout; requests meanwhile wait, and those past their timeout answer
  // "unavailable". A cost paid once, against one paid by every listing of a busy board.
  `ALTER TABLE chat_messages
     DROP CONSTRAINT chat_messages_pkey,
     ADD CONSTRAINT chat_messages_pkey PRIMARY KEY (enterprise_id, team_id, channel_id, id);
   DROP INDEX chat_messages_board_latest;`,
];

/** Whether the bucket holds a whole token now (see TokenBucketPolicy). $5 interval, $6 headroom, $7 now. */
const FITS = 'greatest(bucket.full_at, $7::bigint) - $7::bigint <= $6::bigint';

/**
 * One statement, so it is atomic without a transaction of our own: a new bucket starts full and this take
 * spends one token of it; an existing one gives a token if it holds one, and is left as it was if not.
 * Concurrent takes of one bucket, from any instance, queue on its row lock, and ON CONFLICT DO UPDATE
 * evaluates each against the row as the previous one left it: never more tokens than the policy allows.
 */
const TAKE_SQL = `INSERT INTO chat_post_buckets AS bucket
    (enterprise_id, team_id, channel_id, user_id, full_at, allowed)
  VALUES ($1, $2, $3, $4, $7::bigint + $5::bigint, true)
  ON CONFLICT (enterprise_id, team_id, channel_id, user_id) DO UPDATE SET
    full_at = CASE WHEN ${FITS} THEN greatest(bucket.full_at, $7::bigint) + $5::bigint ELSE bucket.full_at END,
    allowed = ${FITS}
  RETURNING full_at, allowed`;

/**
 * Deletes at most SWEEP_BATCH long-full buckets. SKIP LOCKED: a bucket being taken right now is skipped
 * rather than waited for, and two instances sweeping at once take disjoint rows instead of deadlocking.
 */
const SWEEP_SQL = `DELETE FROM chat_post_buckets
  WHERE (enterprise_id, team_id, channel_id, user_id) IN (
    SELECT enterprise_id, team_id, channel_id, user_id FROM chat_post_buckets
    WHERE full_at < $1 ORDER BY full_at LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED)`;

/** Exported so tests can EXPLAIN exactly the query the store runs. */
export const POSTGRES_LATEST_SQL = `SELECT id, user_id, text, created_at FROM chat_messages
  WHERE enterprise_id = $1 AND team_id = $2 AND channel_id = $3
  ORDER BY id DESC LIMIT $4`;

/**
 * One round trip that tells the three outcomes apart. A message of another board is never `target`, so
 * it is "not found" here: its existence is not revealed across boards. Both halves name the whole primary
 * key (board and id): there is no index on id alone, and `WHERE id IN (…)` would scan the table.
 * Exported so tests can EXPLAIN it.
 */
export const POSTGRES_DELETE_SQL = `WITH target AS (
    SELECT id, user_id FROM chat_messages
    WHERE enterprise_id = $2 AND team_id = $3 AND channel_id = $4 AND id = $1
  ), removed AS (
    DELETE FROM chat_messages
    WHERE enterprise_id = $2 AND team_id = $3 AND channel_id = $4 AND id = $1 AND user_id = $5
    RETURNING id
  )
  SELECT (SELECT user_id FROM target) AS owner, (SELECT count(*) FROM removed)::int AS removed`;

interface MessageRow {
  id: string;
  user_id: string;
  text: string;
  created_at: Date;
}

/**
 * Opens the pool and runs the migrations. If the database cannot be reached now, the store still opens,
 * logs why, and every operation retries the migrations until they succeed; whether to start without it
 * is the caller's decision (the process entry point checks with ping() and exits).
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<MessageStore> {
  const { url, logger } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const redact = createRedactor(url);

  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    // Covers both opening a connection (TCP, TLS, auth) and waiting for a free one in a busy pool.
    connectionTimeoutMillis: connectTimeoutMs,
    // Client side: the query's promise rejects after this even if the network went silent; the pool then
    // discards that connection instead of handing it out again.
    query_timeout: queryTimeoutMs,
    // Server side: PostgreSQL cancels a statement that runs (or waits on a lock) longer than this.
    statement_timeout: queryTimeoutMs,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
    application_name: 'cowsay-slack',
  });
  // Without a listener, an idle connection dropped by the server (restart, failover) would crash the process.
  pool.on('error', (error) => {
    logger.warn(`PostgreSQL dropped an idle connection; the pool will open a new one: ${redact(describe(error))}`);
  });

  const fail = (error: unknown): StoreUnavailableError => {
    logger.warn(`PostgreSQL store: ${redact(describe(error))}`);
    return new StoreUnavailableError(`PostgreSQL is unavailable (${publicReason(error)})`);
  };

  let closed = false;
  let takesSinceSweep = 0;
  /** The sweep in progress, if any: it runs beside the requests, and close() waits for it. */
  let sweeping: Promise<void> | undefined;
  let schemaReady: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> => {
    schemaReady ??= migrate({ url, connectTimeoutMs }).catch((error: unknown) => {
      schemaReady = undefined;
      throw error;
    });
    return schemaReady;
  };

  /** Every operation: schema first (a no-op once migrated), then one statement through the pool. */
  const query = async <Row extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> => {
    if (closed) throw new StoreUnavailableError('PostgreSQL store is closed');
    try {
      await ensureSchema();
      const result = await pool.query<Row>(text, values);
      return result.rows;
    } catch (error) {
      throw fail(error);
    }
  };

  try {
    await ensureSchema();
    logger.debug(`PostgreSQL store ready (schema version ${MIGRATIONS.length}).`);
  } catch (error) {
    logger.error(`PostgreSQL is not ready at start-up (${publicReason(error)}): ${redact(describe(error))}`);
  }

  return {
    async post(board, userId, text) {
      assertPost(board, userId, text);
      // Autocommit: the promise resolves after PostgreSQL's COMMIT, which (with the default
      // synchronous_commit = on) means the row is in the write-ahead log on disk.
      const [row] = await query<{ id: string; created_at: Date }>(
        `INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text)
         VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
        [board.enterpriseId, board.teamId, board.channelId, userId, text],
      );
      if (row === undefined) throw fail(new Error('INSERT … RETURNING returned no row'));
      return { id: toId(row.id), userId, text, createdAt: row.created_at } satisfies StoredMessage;
    },
    async latest(board, limit) {
      assertBoard(board);
      assertLimit(limit);
      const rows = await query<MessageRow>(POSTGRES_LATEST_SQL, [
        board.enterpriseId,
        board.teamId,
        board.channelId,
        limit,
      ]);
      return rows.reverse().map((row) => ({
        id: toId(row.id),
        userId: row.user_id,
        text: row.text,
        createdAt: row.created_at,
      }));
    },
    async delete(board, id, userId): Promise<DeleteOutcome> {
      assertBoard(board);
      assertMessageId(id);
      const [row] = await query<{ owner: string | null; removed: number }>(POSTGRES_DELETE_SQL, [
        id,
        board.enterpriseId,
        board.teamId,
        board.channelId,
        userId,
      ]);
      if (row === undefined || row.owner === null) return 'not-found';
      if (row.removed > 0) return 'deleted';
      // The caller's own message, gone between the two halves of the statement: a concurrent delete won.
      return row.owner === userId ? 'not-found' : 'not-owner';
    },
    async takeToken(board, userId, policy, nowMs) {
      assertTake(board, userId, policy, nowMs);
      const [row] = await query<{ full_at: string; allowed: boolean }>(TAKE_SQL, [
        board.enterpriseId,
        board.teamId,
        board.channelId,
        userId,
        policy.refillIntervalMs,
        takeHeadroomMs(policy),
        nowMs,
      ]);
      if (row === undefined) throw fail(new Error('INSERT … RETURNING returned no row'));
      takesSinceSweep += 1;
      if (takesSinceSweep >= SWEEP_EVERY_TAKES && sweeping === undefined && !closed) {
        takesSinceSweep = 0;
        // Not awaited: the user's reply does not wait for housekeeping, and a failed sweep only means the
        // next one deletes more.
        sweeping = query(SWEEP_SQL, [nowMs - IDLE_BUCKET_MS])
          .then(
            () => {},
            () => {}, // already logged by query()
          )
          .finally(() => {
            sweeping = undefined;
          });
      }
      // bigint arrives as a string; the policy's bounds keep full_at far below 2^53.
      return takeOutcome(row.allowed, Number(row.full_at), policy, nowMs);
    },
    async ping() {
      await query('SELECT 1', []);
    },
    async close() {
      if (closed) return;
      closed = true;
      await sweeping;
      await pool.end();
    },
  };
}

/**
 * Runs the pending migrations on a connection of its own (longer timeouts than requests get), inside one
 * transaction holding an advisory lock: instances starting at the same time take turns, and each
 * migration runs exactly once. `CREATE TABLE IF NOT EXISTS` alone is not enough: two concurrent ones can
 * both pass the check and one then fails on the catalog's unique index.
 */
async function migrate({ url, connectTimeoutMs }: { url: string; connectTimeoutMs: number }): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: MIGRATION_TIMEOUT_MS,
    statement_timeout: MIGRATION_TIMEOUT_MS,
    application_name: 'cowsay-slack migrations',
  });
  // A connection lost mid-migration is reported by the failing query; this only keeps it from crashing us.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(applied.rows.map((row) => row.version));
    for (const [index, sql] of MIGRATIONS.entries()) {
      const version = index + 1;
      if (done.has(version)) continue;
      await client.query(sql);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

/** bigint arrives as a string; ids stay far below 2^53, and a number is what the rest of the app uses. */
function toId(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id)) throw new StoreUnavailableError('PostgreSQL returned an id beyond 2^53');
  return id;
}

/**
 * A short reason that names no host, user or password: it ends up in /healthz (public) and in logs.
 * Server errors carry a SQLSTATE code; network errors a Node code; pg's own timeouts only a message.
 */
export function publicReason(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (/timeout|timed out/i.test(text)) return 'timed out';
  if (/terminated|ended|closed|after calling end/i.test(text)) return 'connection closed';
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code;
  return 'connection failed';
}

/**
 * Removes the connection string and its password from text bound for a log. pg's own errors do not
 * contain the URL today, but a DNS or parse error might echo it; this does not rely on that.
 */
export function createRedactor(url: string): (text: string) => string {
  const secrets = new Set<string>([url]);
  try {
    const password = new URL(url).password;
    if (password !== '') {
      secrets.add(password);
      secrets.add(safeDecode(password));
    }
  } catch {
    // config.ts has already checked that the URL parses; nothing more to hide if it does not.
  }
  const ordered = [...secrets].filter((secret) => secret !== '').sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const secret of ordered) result = result.split(secret).join('***');
    // Any other credentials-in-URL shape, e.g. from a connection string a library built itself.
    return result.replace(/\b(postgres(?:ql)?:\/\/)[^@\s/]*@/gi, '$1***@');
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
