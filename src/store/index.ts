/**
 * The one place that picks the message store's backend. Nothing else in the app knows which one runs.
 */
import type { Logger } from '@slack/logger';
import type { MessageStore } from './message-store.js';

/** Which backend, and where: config.ts reads it from `DATABASE_URL`. Defined here so the store needs no config. */
export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export type {
  Board,
  DeleteOutcome,
  MessageStore,
  PostKey,
  StoredMessage,
  TokenBucketPolicy,
  TokenTake,
} from './message-store.js';
export { StoreUnavailableError } from './message-store.js';

/**
 * Opens the store `config` names (from `DATABASE_URL`, see config.ts) with its schema migrated.
 *
 * - **SQLite** (`DATABASE_URL` unset or `sqlite:<path>`): a file on local disk, zero set-up. The wrong
 *   choice as soon as more than one process serves the app: each instance would have its own board, or,
 *   on one shared file, they contend for its write lock. Also wrong wherever the disk does not outlive the
 *   process: Heroku's dyno filesystem is ephemeral (wiped on every restart and deploy, at least daily) and
 *   not shared between dynos, so every acknowledged post would be lost within a day. And wrong on a network
 *   filesystem (NFS, SMB): WAL needs shared memory and working file locks.
 * - **PostgreSQL** (`postgres://` or `postgresql://`): one database shared by every instance; the choice
 *   for Heroku (Heroku Postgres sets `DATABASE_URL`) and for anything behind a load balancer. The wrong
 *   choice when the database is far from the app: a slash command must be answered in 3 seconds, so each
 *   query gets at most 1.5 s, and a high-latency link turns into "the board is unavailable". Also mind the
 *   plan's connection limit: each instance keeps up to 5 connections.
 *
 * The store also keeps the `/chat` post limit's token buckets (`takeToken`), in the same database: so the
 * limit is one limit for every instance on PostgreSQL, and for every process on one SQLite file.
 *
 * A PostgreSQL that is down still opens (see createPostgresStore: every operation retries the migrations),
 * so a running app rides out an outage; whether the process starts at all when the store does not answer
 * is src/index.ts's decision. An SQLite file that cannot be opened rejects here: a local mistake that a
 * retry will not fix.
 */
export async function openStore(config: StoreConfig, logger: Logger): Promise<MessageStore> {
  switch (config.kind) {
    case 'sqlite':
      logger.info(`Message store: SQLite file ${config.path}.`);
      // Each backend is loaded only when chosen: `pg` alone adds ~60 ms to a cold start that uses SQLite.
      return (await import('./sqlite.js')).createSqliteStore({ path: config.path, logger });
    case 'postgres':
      // Never log the URL: it holds the password.
      logger.info('Message store: PostgreSQL (DATABASE_URL).');
      return (await import('./postgres.js')).createPostgresStore({ url: config.url, logger });
  }
}
