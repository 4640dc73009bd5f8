/**
 * The SQLite store's schema and statements. They are handed to the worker thread at start-up (see
 * sqlite.ts), which keeps the worker free of imports of our own: it can then run from `dist/` as compiled
 * JavaScript, and from `src/` when Node strips the types, as under Jest.
 */
import { SWEEP_BATCH } from './message-store.js';

/**
 * Each entry runs once, in order, inside the transaction that bumps `PRAGMA user_version` to its index + 1.
 * Append only: never edit a migration that has shipped.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
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
  // Post keys live apart from the messages: they are needed for minutes, not for the message's life, and a
  // key must outlive a deleted message, or a copy of the request would post it again.
  `CREATE TABLE chat_post_keys (
     enterprise_id TEXT NOT NULL,
     team_id TEXT NOT NULL,
     channel_id TEXT NOT NULL,
     trigger_id TEXT NOT NULL,
     message_id INTEGER NOT NULL,
     user_id TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (enterprise_id, team_id, channel_id, trigger_id)
   );
   CREATE INDEX chat_post_keys_created_at ON chat_post_keys (created_at);
   -- One row, rewritten by the health check to prove that a commit still reaches the disk.
   CREATE TABLE store_probe (id INTEGER PRIMARY KEY CHECK (id = 1), probed_at INTEGER NOT NULL);`,
];

/** Whether the bucket holds a whole token now (see TokenBucketPolicy). */
const FITS = 'max(full_at, @now) - @now <= @headroom';

/**
 * One statement: a new bucket starts full and this take spends one token of it; an existing one gives a
 * token if it holds one, and is left as it was if not. It runs in an IMMEDIATE transaction, so another
 * process on the same file waits for the write lock instead of deciding on the same old state. Exported
 * so a test can run exactly this statement from several processes at once.
 */
export const SQLITE_TAKE_SQL = `INSERT INTO chat_post_buckets (enterprise_id, team_id, channel_id, user_id, full_at, allowed)
  VALUES (@enterprise, @team, @channel, @user, @now + @interval, 1)
  ON CONFLICT (enterprise_id, team_id, channel_id, user_id) DO UPDATE SET
    full_at = CASE WHEN ${FITS} THEN max(full_at, @now) + @interval ELSE full_at END,
    allowed = ${FITS}
  RETURNING full_at, allowed`;

/** Exported so tests can EXPLAIN exactly the query the store runs. */
export const SQLITE_LATEST_SQL = `SELECT id, user_id, text, created_at FROM chat_messages
  WHERE enterprise_id = ? AND team_id = ? AND channel_id = ?
  ORDER BY id DESC LIMIT ?`;

const BOARD = 'enterprise_id = ? AND team_id = ? AND channel_id = ?';

/** Every statement the worker prepares, by name. */
export const SQLITE_STATEMENTS = {
  insert: `INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text, created_at)
    VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
  latest: SQLITE_LATEST_SQL,
  owner: `SELECT user_id FROM chat_messages WHERE id = ? AND ${BOARD}`,
  deleteById: 'DELETE FROM chat_messages WHERE id = ?',
  take: SQLITE_TAKE_SQL,
  /** Deletes at most SWEEP_BATCH long-full buckets, oldest first, so one sweep stays short. */
  sweepBuckets: `DELETE FROM chat_post_buckets WHERE rowid IN (
    SELECT rowid FROM chat_post_buckets WHERE full_at < ? ORDER BY full_at LIMIT ${SWEEP_BATCH})`,
  findKey: `SELECT message_id, user_id, created_at FROM chat_post_keys WHERE ${BOARD} AND trigger_id = ?`,
  insertKey: `INSERT INTO chat_post_keys (enterprise_id, team_id, channel_id, trigger_id, message_id, user_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`,
  text: `SELECT text FROM chat_messages WHERE id = ? AND ${BOARD}`,
  sweepKeys: `DELETE FROM chat_post_keys WHERE rowid IN (
    SELECT rowid FROM chat_post_keys WHERE created_at < ? ORDER BY created_at LIMIT ${SWEEP_BATCH})`,
  probe: `INSERT INTO store_probe (id, probed_at) VALUES (1, ?)
    ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at`,
  read: 'SELECT 1',
} as const;

export type SqliteStatementName = keyof typeof SQLITE_STATEMENTS;
