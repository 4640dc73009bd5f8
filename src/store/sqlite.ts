/**
 * The embedded store: one SQLite file through better-sqlite3, in WAL mode.
 *
 * better-sqlite3 is synchronous: every call below blocks the event loop while it runs. That is fine
 * because each one is a single-row insert, a bounded index range scan (at most MAX_LATEST_LIMIT rows) or
 * a primary-key delete, each well under a millisecond; nothing here may grow into a long query.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@slack/logger';
import Database from 'better-sqlite3';
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
  type StoredMessage,
  StoreUnavailableError,
  SWEEP_BATCH,
  SWEEP_EVERY_TAKES,
  type TokenBucketPolicy,
  type TokenTake,
  takeHeadroomMs,
  takeOutcome,
} from './message-store.js';

export interface SqliteStoreOptions {
  /** The database file; its directory is created if missing. */
  path: string;
  logger?: Logger;
  /**
   * How long a write waits for another connection's lock before failing (SQLITE_BUSY). It blocks the event
   * loop while it waits, so it stays short; only a second process on the same file ever holds the lock.
   */
  busyTimeoutMs?: number;
}

/**
 * Each entry runs once, in order, inside the transaction that bumps `PRAGMA user_version` to its index + 1.
 * Append only: never edit a migration that has shipped.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE chat_messages (
     -- AUTOINCREMENT: an id is never handed out twice, even after the newest message is deleted, so
     -- "/chat delete 42" can never hit a later message that inherited #42.
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     enterprise_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     text TEXT NOT NULL,
     -- Milliseconds since the Unix epoch: UTC by definition.
     created_at INTEGER NOT NULL
   );
   -- "Latest N of a board" walks this index backwards from the board's newest id and stops after N
   -- entries: the same cost however many messages the table holds.
   CREATE INDEX chat_messages_board_latest ON chat_messages (enterprise_id, team_id, channel_id, id DESC);`,
  // The post limit's token buckets, one per (board, user); see TokenBucketPolicy for what full_at means.
  `CREATE TABLE chat_post_buckets (
     enterprise_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     -- When the bucket is full again if nobody takes from it: milliseconds since the Unix epoch, by the
     -- app's clock (tests inject theirs).
     full_at INTEGER NOT NULL,
     -- Whether the latest take got a token (1) or not (0), so the statement's RETURNING can tell.
     allowed INTEGER NOT NULL,
     PRIMARY KEY (enterprise_id, team_id, channel_id, user_id)
   );
   -- The sweep finds the buckets that have long been full through this index.
   CREATE INDEX chat_post_buckets_full_at ON chat_post_buckets (full_at);`,
];

/** Whether the bucket holds a whole token now (see TokenBucketPolicy). */
const FITS = 'max(full_at, @now) - @now <= @headroom';

/**
 * One statement: a new bucket starts full and this take spends one token of it; an existing one gives a
 * token if it holds one, and is left as it was if not. It runs in an IMMEDIATE transaction (see takeToken),
 * so another process on the same file waits for the write lock instead of deciding on the same old state.
 * Exported so a test can run exactly this statement from several processes at once.
 */
export const SQLITE_TAKE_SQL = `INSERT INTO chat_post_buckets (enterprise_id, team_id, channel_id, user_id, full_at, allowed)
  VALUES (@enterprise, @team, @channel, @user, @now + @interval, 1)
  ON CONFLICT (enterprise_id, team_id, channel_id, user_id) DO UPDATE SET
    full_at = CASE WHEN ${FITS} THEN max(full_at, @now) + @interval ELSE full_at END,
    allowed = ${FITS}
  RETURNING full_at, allowed`;

/** Deletes at most SWEEP_BATCH long-full buckets, oldest first, so one sweep stays short. */
const SWEEP_SQL = `DELETE FROM chat_post_buckets WHERE rowid IN (
  SELECT rowid FROM chat_post_buckets WHERE full_at < ? ORDER BY full_at LIMIT ${SWEEP_BATCH})`;

/** Exported so tests can EXPLAIN exactly the query the store runs. */
export const SQLITE_LATEST_SQL = `SELECT id, user_id, text, created_at FROM chat_messages
  WHERE enterprise_id = ? AND team_id = ? AND channel_id = ?
  ORDER BY id DESC LIMIT ?`;

interface Row {
  id: number;
  user_id: string;
  text: string;
  created_at: number;
}

export function createSqliteStore(options: SqliteStoreOptions): MessageStore {
  const { path, logger } = options;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 1000 });

  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && path !== ':memory:') {
      throw new Error(`SQLite refused WAL mode (journal_mode is ${String(mode)}); is ${path} on a network filesystem?`);
    }
    // FULL syncs the WAL on every commit: an acknowledged post survives a power cut, not only a crash
    // (NORMAL would survive `kill -9` but may lose the last commits when the machine itself goes down).
    db.pragma('synchronous = FULL');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  logger?.debug(`SQLite store open at ${path} (schema version ${MIGRATIONS.length}).`);

  const insert = db.prepare<[string, string, string, string, string, number], { id: number }>(
    `INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text, created_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const selectLatest = db.prepare<[string, string, string, number], Row>(SQLITE_LATEST_SQL);
  const selectOwner = db.prepare<[number, string, string, string], { user_id: string }>(
    `SELECT user_id FROM chat_messages WHERE id = ? AND enterprise_id = ? AND team_id = ? AND channel_id = ?`,
  );
  const deleteById = db.prepare<[number]>('DELETE FROM chat_messages WHERE id = ?');
  // One transaction, so the owner check and the delete see the same row even with a second process.
  const deleteOwn = db.transaction((board: Board, id: number, userId: string): DeleteOutcome => {
    const row = selectOwner.get(id, board.enterpriseId, board.teamId, board.channelId);
    if (row === undefined) return 'not-found';
    if (row.user_id !== userId) return 'not-owner';
    deleteById.run(id);
    return 'deleted';
  });

  const take = db.prepare<
    [
      {
        enterprise: string;
        team: string;
        channel: string;
        user: string;
        interval: number;
        headroom: number;
        now: number;
      },
    ],
    { full_at: number; allowed: number }
  >(SQLITE_TAKE_SQL);
  const sweep = db.prepare<[number]>(SWEEP_SQL);
  let takesSinceSweep = 0;
  const takeInTransaction = db.transaction(
    (board: Board, userId: string, policy: TokenBucketPolicy, nowMs: number): TokenTake => {
      takesSinceSweep += 1;
      if (takesSinceSweep >= SWEEP_EVERY_TAKES) {
        takesSinceSweep = 0;
        // Inside the take's transaction: the write lock is held anyway, and the batch is small.
        sweep.run(nowMs - IDLE_BUCKET_MS);
      }
      const row = take.get({
        enterprise: board.enterpriseId,
        team: board.teamId,
        channel: board.channelId,
        user: userId,
        interval: policy.refillIntervalMs,
        headroom: takeHeadroomMs(policy),
        now: nowMs,
      });
      if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
      return takeOutcome(row.allowed === 1, row.full_at, policy, nowMs);
    },
  );

  /** Runs one operation, turning SQLite's failures (busy, I/O, closed) into the store's error. */
  const run = <T>(operation: () => T): Promise<T> => {
    try {
      return Promise.resolve(operation());
    } catch (error) {
      // RangeError: our own input checks (a caller's bug). Everything else, including better-sqlite3's
      // TypeError for a closed database, means the store cannot serve.
      if (error instanceof RangeError) return Promise.reject(error);
      return Promise.reject(new StoreUnavailableError(`SQLite: ${describe(error)}`));
    }
  };

  return {
    post(board, userId, text) {
      return run(() => {
        assertPost(board, userId, text);
        const createdAt = Date.now();
        // Autocommit: run() returns after the commit (and, with synchronous=FULL, after the fsync).
        const row = insert.get(board.enterpriseId, board.teamId, board.channelId, userId, text, createdAt);
        if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
        return { id: row.id, userId, text, createdAt: new Date(createdAt) } satisfies StoredMessage;
      });
    },
    latest(board, limit) {
      return run(() => {
        assertBoard(board);
        assertLimit(limit);
        return selectLatest.all(board.enterpriseId, board.teamId, board.channelId, limit).reverse().map(toMessage);
      });
    },
    delete(board, id, userId) {
      return run(() => {
        assertBoard(board);
        assertMessageId(id);
        return deleteOwn.immediate(board, id, userId);
      });
    },
    takeToken(board, userId, policy, nowMs) {
      return run(() => {
        assertTake(board, userId, policy, nowMs);
        return takeInTransaction.immediate(board, userId, policy, nowMs);
      });
    },
    ping() {
      return run(() => {
        db.prepare('SELECT 1').get();
      });
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  // IMMEDIATE takes the write lock before reading the version, so two processes opening the same file at
  // once run each migration exactly once: the second waits, then sees the new version.
  db.transaction(() => {
    const version = Number(db.pragma('user_version', { simple: true }));
    for (let index = version; index < MIGRATIONS.length; index += 1) {
      db.exec(MIGRATIONS[index] ?? '');
      db.pragma(`user_version = ${index + 1}`);
    }
  }).immediate();
}

function toMessage(row: Row): StoredMessage {
  return { id: row.id, userId: row.user_id, text: row.text, createdAt: new Date(row.created_at) };
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${message} (${code})` : message;
}
