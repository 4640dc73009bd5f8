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
import { describeError, redact as redactSecrets } from '../observability/errors.js';
import {
  assertBoard,
  assertLimit,
  assertMessageId,
  assertPost,
  assertTake,
  type Board,
  type DeleteOutcome,
  IDLE_BUCKET_MS,
  type MessageStore,
  POST_KEY_TTL_MS,
  type StoredMessage,
  StoreUnavailableError,
  SWEEP_EVERY_POSTS,
  SWEEP_EVERY_TAKES,
  takeHeadroomMs,
  takeOutcome,
  WRITE_PROBE_INTERVAL_MS,
} from './message-store.js';
import {
  MIGRATIONS,
  migrate,
  POSTGRES_DELETE_SQL,
  POSTGRES_KEYED_POST_SQL,
  POSTGRES_LATEST_SQL,
  POSTGRES_REPEAT_SQL,
  PROBE_SQL,
  SWEEP_BUCKETS_SQL,
  SWEEP_KEYS_SQL,
  TAKE_SQL,
} from './postgres-schema.js';

export const DEFAULT_CONNECT_TIMEOUT_MS = 1000;
export const DEFAULT_QUERY_TIMEOUT_MS = 1500;
/**
 * Connections per app instance. Small on purpose: every instance holds its own pool, and hosted plans cap
 * connections per database (Heroku's smallest at 20), so instances × pool size has to fit under the cap.
 */
export const DEFAULT_POOL_SIZE = 5;

export interface PostgresStoreOptions {
  /** A postgres:// URL; TLS follows its `sslmode` (see README: Heroku Postgres). */
  url: string;
  logger: Logger;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  poolSize?: number;
}

/** One statement through the pool, with the schema ensured first; failures arrive as StoreUnavailableError. */
type Query = <Row extends pg.QueryResultRow>(text: string, values: unknown[]) => Promise<Row[]>;

/** The store's connection to the database: queries, housekeeping beside them, and closing. */
interface Connection {
  /** Runs the migrations unless a run has succeeded; the raw error on failure. */
  ensureSchema(): Promise<void>;
  query: Query;
  fail(error: unknown): StoreUnavailableError;
  /** Runs `task` unless one is running already; close() waits for it. Its failure is only logged. */
  housekeep(task: () => Promise<unknown>): void;
  close(): Promise<void>;
}

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
  const redact = createRedactor(url);
  const connection = connect(options, redact);
  try {
    await connection.ensureSchema();
    logger.debug(`PostgreSQL store ready (schema version ${MIGRATIONS.length}).`);
  } catch (error) {
    logger.error(`PostgreSQL is not ready at start-up (${publicReason(error)}): ${redact(describeError(error))}`);
  }
  return storeOn(connection);
}

function createPool(options: PostgresStoreOptions, redact: (text: string) => string): pg.Pool {
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    // Covers both opening a connection (TCP, TLS, auth) and waiting for a free one in a busy pool.
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
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
    options.logger.warn(
      `PostgreSQL dropped an idle connection; the pool will open a new one: ${redact(describeError(error))}`,
    );
  });
  return pool;
}

/** Every query first ensures the schema: a no-op once migrated, and a retry while the database was away. */
function connect(options: PostgresStoreOptions, redact: (text: string) => string): Connection {
  const { url, logger } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const pool = createPool(options, redact);
  let closed = false;
  let schemaReady: Promise<void> | undefined;
  let housekeeping: Promise<void> | undefined;
  const ensureSchema = (): Promise<void> => {
    schemaReady ??= migrate({ url, connectTimeoutMs }).catch((error: unknown) => {
      schemaReady = undefined;
      throw error;
    });
    return schemaReady;
  };
  const fail = (error: unknown): StoreUnavailableError => {
    logger.warn(`PostgreSQL store: ${redact(describeError(error))}`);
    return new StoreUnavailableError(`PostgreSQL is unavailable (${publicReason(error)})`);
  };
  const query: Query = async (text, values) => {
    if (closed) throw new StoreUnavailableError('PostgreSQL store is closed');
    try {
      await ensureSchema();
      return (await pool.query(text, values)).rows;
    } catch (error) {
      throw fail(error);
    }
  };
  return {
    ensureSchema,
    query,
    fail,
    housekeep(task) {
      if (housekeeping !== undefined || closed) return;
      // Not awaited by the request: the user's reply does not wait for housekeeping, and a failed sweep only
      // means the next one deletes more (query() has logged why).
      housekeeping = task().then(
        () => undefined,
        () => undefined,
      );
      void housekeeping.finally(() => {
        housekeeping = undefined;
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await housekeeping;
      await pool.end();
    },
  };
}

function storeOn(connection: Connection): MessageStore {
  const { query, fail } = connection;
  let takesSinceSweep = 0;
  let postsSinceSweep = 0;
  let probedAt = Number.NEGATIVE_INFINITY;
  let pinging: Promise<void> | undefined;
  const probe = async () => {
    // A read alone says nothing about a read-only or full database: commit a write now and then.
    if (Date.now() - probedAt < WRITE_PROBE_INTERVAL_MS) await query('SELECT 1', []);
    else {
      await query(PROBE_SQL, []);
      probedAt = Date.now();
    }
  };
  return {
    async post(board, userId, text, key = {}) {
      assertPost(board, userId, text, key);
      if (key.triggerId === undefined) return insertMessage(connection, board, userId, text);
      postsSinceSweep += 1;
      if (postsSinceSweep >= SWEEP_EVERY_POSTS) {
        postsSinceSweep = 0;
        connection.housekeep(() => query(SWEEP_KEYS_SQL, [POST_KEY_TTL_MS]));
      }
      return insertKeyedMessage(connection, board, userId, text, key.triggerId);
    },
    async latest(board, limit) {
      assertBoard(board);
      assertLimit(limit);
      const rows = await query<MessageRow>(POSTGRES_LATEST_SQL, [...boardValues(board), limit]);
      return rows.reverse().map(toMessage);
    },
    delete: (board, id, userId) => deleteMessage(connection, board, id, userId),
    async takeToken(board, userId, policy, nowMs, key = {}) {
      assertTake(board, userId, policy, nowMs, key);
      const values = [...boardValues(board), userId, policy.refillIntervalMs, takeHeadroomMs(policy), nowMs];
      const [row] = await query<{ full_at: string; allowed: boolean }>(TAKE_SQL, [...values, key.triggerId ?? null]);
      takesSinceSweep += 1;
      if (takesSinceSweep >= SWEEP_EVERY_TAKES) {
        takesSinceSweep = 0;
        connection.housekeep(() => query(SWEEP_BUCKETS_SQL, [nowMs - IDLE_BUCKET_MS]));
      }
      // No row: the post's key is stored already, so this is a repeat and spends nothing.
      if (row === undefined) {
        if (key.triggerId !== undefined) return { allowed: true };
        throw fail(new Error('INSERT … RETURNING returned no row'));
      }
      // bigint arrives as a string; the policy's bounds keep full_at far below 2^53.
      return takeOutcome(row.allowed, Number(row.full_at), policy, nowMs);
    },
    ping() {
      // Health checks arriving together share one answer.
      pinging ??= probe().finally(() => {
        pinging = undefined;
      });
      return pinging;
    },
    close: () => connection.close(),
  };
}

const boardValues = (board: Board) => [board.enterpriseId, board.teamId, board.channelId];

function toMessage(row: MessageRow): StoredMessage {
  return { id: toId(row.id), userId: row.user_id, text: row.text, createdAt: row.created_at };
}

async function insertMessage(connection: Connection, board: Board, userId: string, text: string) {
  // Autocommit: the promise resolves after PostgreSQL's COMMIT, which (with the default
  // synchronous_commit = on) means the row is in the write-ahead log on disk.
  const [row] = await connection.query<{ id: string; created_at: Date }>(
    `INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text)
     VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
    [...boardValues(board), userId, text],
  );
  if (row === undefined) throw connection.fail(new Error('INSERT … RETURNING returned no row'));
  return { id: toId(row.id), userId, text, createdAt: row.created_at } satisfies StoredMessage;
}

/** A post with a key: stored once, however many times it arrives; a repeat returns the original. */
async function insertKeyedMessage(
  connection: Connection,
  board: Board,
  userId: string,
  text: string,
  triggerId: string,
): Promise<StoredMessage> {
  const [row] = await connection.query<{ id: string; created_at: Date }>(POSTGRES_KEYED_POST_SQL, [
    ...boardValues(board),
    userId,
    text,
    triggerId,
  ]);
  if (row !== undefined) return { id: toId(row.id), userId, text, createdAt: row.created_at };
  const [seen] = await connection.query<{ id: string; user_id: string; created_at: Date; text: string | null }>(
    POSTGRES_REPEAT_SQL,
    [...boardValues(board), triggerId],
  );
  // Only a key swept in between (kept for minutes) could be missing; nothing was stored for this request.
  if (seen === undefined) throw connection.fail(new Error('the post key vanished between two statements'));
  // The original's text, or, if it was deleted since, the repeat's own (the same signed request).
  return { id: toId(seen.id), userId: seen.user_id, text: seen.text ?? text, createdAt: seen.created_at };
}

async function deleteMessage(connection: Connection, board: Board, id: number, userId: string): Promise<DeleteOutcome> {
  assertBoard(board);
  assertMessageId(id);
  const [row] = await connection.query<{ owner: string | null; removed: number }>(POSTGRES_DELETE_SQL, [
    id,
    ...boardValues(board),
    userId,
  ]);
  if (row === undefined || row.owner === null) return 'not-found';
  if (row.removed > 0) return 'deleted';
  // The caller's own message, gone between the two halves of the statement: a concurrent delete won.
  return row.owner === userId ? 'not-found' : 'not-owner';
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
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return SQLSTATE_NAMES[code] ?? code;
  return 'connection failed';
}

/** The conditions an operator can act on without looking the code up; any other code is shown as it is. */
const SQLSTATE_NAMES: Readonly<Record<string, string>> = {
  '25006': 'read-only',
  '53100': 'disk full',
  '42501': 'permission denied',
  '53300': 'too many connections',
};

/**
 * Removes the connection string and its password from text bound for a log. pg's own errors do not
 * contain the URL today, but a DNS or parse error might echo it; this does not rely on that.
 */
export function createRedactor(url: string): (text: string) => string {
  const secrets = connectionSecrets(url);
  return (text) => redactSecrets(text, secrets);
}

/** The URL and its password, raw and percent-decoded: what no log line may show. */
function connectionSecrets(url: string): string[] {
  try {
    const password = new URL(url).password;
    return password === '' ? [url] : [url, password, safeDecode(password)];
  } catch {
    // config.ts has already checked that the URL parses; nothing more to hide if it does not.
    return [url];
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
