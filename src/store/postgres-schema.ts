/**
 * The PostgreSQL store's schema and statements, and the migration runner that brings a database to them.
 */
import pg from 'pg';
import { SWEEP_BATCH } from './message-store.js';

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
  // Post keys live apart from the messages: they are needed for minutes, not for the message's life, and a
  // key must outlive a deleted message, or a copy of the request would post it again.
  `CREATE TABLE chat_post_keys (
     enterprise_id text NOT NULL,
     team_id text NOT NULL,
     channel_id text NOT NULL,
     trigger_id text NOT NULL,
     message_id bigint NOT NULL,
     user_id text NOT NULL,
     created_at timestamptz NOT NULL,
     PRIMARY KEY (enterprise_id, team_id, channel_id, trigger_id)
   );
   CREATE INDEX chat_post_keys_created_at ON chat_post_keys (created_at);
   -- One row, rewritten by the health check to prove that a commit still goes through.
   CREATE TABLE store_probe (id integer PRIMARY KEY CHECK (id = 1), probed_at timestamptz NOT NULL);`,
];

/** Whether the bucket holds a whole token now (see TokenBucketPolicy). $5 interval, $6 headroom, $7 now. */
const FITS = 'greatest(bucket.full_at, $7::bigint) - $7::bigint <= $6::bigint';

/**
 * One statement, so it is atomic without a transaction of our own: a new bucket starts full and this take
 * spends one token of it; an existing one gives a token if it holds one, and is left as it was if not.
 * Concurrent takes of one bucket, from any instance, queue on its row lock, and ON CONFLICT DO UPDATE
 * evaluates each against the row as the previous one left it: never more tokens than the policy allows.
 * When $8, a post's key, is already stored, nothing is inserted and no row comes back: the post is a repeat.
 */
export const TAKE_SQL = `INSERT INTO chat_post_buckets AS bucket
    (enterprise_id, team_id, channel_id, user_id, full_at, allowed)
  SELECT $1::text, $2::text, $3::text, $4::text, $7::bigint + $5::bigint, true
  WHERE NOT EXISTS (SELECT 1 FROM chat_post_keys
    WHERE enterprise_id = $1 AND team_id = $2 AND channel_id = $3 AND trigger_id = $8::text)
  ON CONFLICT (enterprise_id, team_id, channel_id, user_id) DO UPDATE SET
    full_at = CASE WHEN ${FITS} THEN greatest(bucket.full_at, $7::bigint) + $5::bigint ELSE bucket.full_at END,
    allowed = ${FITS}
  RETURNING full_at, allowed`;

/**
 * Deletes at most SWEEP_BATCH long-full buckets. SKIP LOCKED: a bucket being taken right now is skipped
 * rather than waited for, and two instances sweeping at once take disjoint rows instead of deadlocking.
 */
export const SWEEP_BUCKETS_SQL = `DELETE FROM chat_post_buckets
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

/**
 * A keyed post in one statement. The message's id is drawn first so the key row can name it; the key's
 * primary key then decides: the first of two identical posts inserts both rows, the second (waiting on the
 * first's key until it commits) inserts neither and gets no row back. Ids skipped that way are never reused.
 */
export const POSTGRES_KEYED_POST_SQL = `WITH minted AS (
    SELECT nextval(pg_get_serial_sequence('chat_messages', 'id')) AS id, now() AS created_at
  ), claimed AS (
    INSERT INTO chat_post_keys (enterprise_id, team_id, channel_id, trigger_id, message_id, user_id, created_at)
    SELECT $1::text, $2::text, $3::text, $6::text, id, $4::text, created_at FROM minted
    ON CONFLICT DO NOTHING
    RETURNING message_id, created_at
  )
  INSERT INTO chat_messages (id, enterprise_id, team_id, channel_id, user_id, text, created_at)
  OVERRIDING SYSTEM VALUE
  SELECT message_id, $1, $2, $3, $4, $5::text, created_at FROM claimed
  RETURNING id, created_at`;

/** What a repeated post returns: the original, or what its key kept of it if it was deleted since. */
export const POSTGRES_REPEAT_SQL = `SELECT k.message_id AS id, k.user_id, k.created_at, m.text
  FROM chat_post_keys k LEFT JOIN chat_messages m
    ON m.enterprise_id = k.enterprise_id AND m.team_id = k.team_id AND m.channel_id = k.channel_id
    AND m.id = k.message_id
  WHERE k.enterprise_id = $1 AND k.team_id = $2 AND k.channel_id = $3 AND k.trigger_id = $4`;

/** Deletes at most SWEEP_BATCH expired post keys; SKIP LOCKED for the same reasons as the bucket sweep. */
export const SWEEP_KEYS_SQL = `DELETE FROM chat_post_keys
  WHERE (enterprise_id, team_id, channel_id, trigger_id) IN (
    SELECT enterprise_id, team_id, channel_id, trigger_id FROM chat_post_keys
    WHERE created_at < now() - make_interval(secs => $1::bigint / 1000.0)
    ORDER BY created_at LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED)`;

export const PROBE_SQL = `INSERT INTO store_probe (id, probed_at) VALUES (1, now())
  ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at`;

/** Migrations may wait for another instance's migration (the advisory lock); they get longer than a request. */
const MIGRATION_TIMEOUT_MS = 30_000;
/** Any fixed 64-bit number, the same in every instance: the advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 7_426_580_137_011_001;

/**
 * Runs the pending migrations on a connection of its own (longer timeouts than requests get), inside one
 * transaction holding an advisory lock: instances starting at the same time take turns, and each
 * migration runs exactly once. `CREATE TABLE IF NOT EXISTS` alone is not enough: two concurrent ones can
 * both pass the check and one then fails on the catalog's unique index.
 */
export async function migrate({ url, connectTimeoutMs }: { url: string; connectTimeoutMs: number }): Promise<void> {
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
    // Up to date already: nothing to lock or create, which also lets a read-only database open (and then
    // report, through ping, that it cannot take writes).
    if ((await appliedVersions(client)).size === MIGRATIONS.length) return;
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await appliedVersions(client);
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

/** The versions schema_migrations records, of those this code knows; none before the first migration. */
async function appliedVersions(client: pg.Client): Promise<Set<number>> {
  const [table] = (
    await client.query<{ present: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`)
  ).rows;
  if (table?.present !== true) return new Set();
  const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations WHERE version <= $1', [
    MIGRATIONS.length,
  ]);
  return new Set(applied.rows.map((row) => row.version));
}
