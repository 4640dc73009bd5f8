/**
 * The SQLite store's worker thread: the only place the database file is touched. better-sqlite3 is
 * synchronous, so a disk that stalls stalls whichever thread calls it; here that is this thread, and the
 * event loop keeps serving (sqlite.ts puts deadlines on every request).
 *
 * Values are imported from packages only, never from our own modules: run from `src/` (Jest), Node strips
 * this file's types but would not find `./x.js` beside it. Statements and limits arrive in `workerData`.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Board, DeleteOutcome } from './message-store.js';
import type { SqliteStatementName } from './sqlite-schema.js';

export interface SqliteWorkerData {
  path: string;
  busyTimeoutMs: number;
  migrations: readonly string[];
  statements: Readonly<Record<SqliteStatementName, string>>;
  sweepEveryTakes: number;
  sweepEveryPosts: number;
  idleBucketMs: number;
  postKeyTtlMs: number;
  writeProbeIntervalMs: number;
}

/** A message as stored; `createdAt` in milliseconds since the epoch. */
export interface MessageRow {
  id: number;
  userId: string;
  text: string;
  createdAt: number;
}

/** Each operation's input and output; inputs are already validated by the main thread. */
export interface SqliteOperations {
  post: { input: { board: Board; userId: string; text: string; triggerId: string | undefined }; output: MessageRow };
  latest: { input: { board: Board; limit: number }; output: MessageRow[] };
  delete: { input: { board: Board; id: number; userId: string }; output: DeleteOutcome };
  /** `null`: the post's key is already stored, so the take is granted without spending. */
  take: {
    input: {
      board: Board;
      userId: string;
      interval: number;
      headroom: number;
      nowMs: number;
      triggerId: string | undefined;
    };
    output: { fullAt: number; allowed: boolean } | null;
  };
  ping: { input: object; output: null };
}

export type SqliteOperation = {
  [K in keyof SqliteOperations]: { kind: K } & SqliteOperations[K]['input'];
}[keyof SqliteOperations];

/** `deadline`: milliseconds since the epoch after which nobody waits for the answer, so it is not run. */
export type SqliteRequest = { id: number; deadline: number; operation: SqliteOperation } | { close: true };
export type SqliteReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; reason: string };
export type SqliteStartup = { ready: true } | { ready: false; reason: string };

type Statements = Record<SqliteStatementName, Database.Statement<unknown[], unknown>>;

function openDatabase(data: SqliteWorkerData): Database.Database {
  const { path } = data;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: data.busyTimeoutMs });
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && path !== ':memory:') {
      throw new Error(`SQLite refused WAL mode (journal_mode is ${String(mode)}); is it on a network filesystem?`);
    }
    // FULL syncs the WAL on every commit: an acknowledged post survives a power cut, not only a crash
    // (NORMAL would survive `kill -9` but may lose the last commits when the machine itself goes down).
    db.pragma('synchronous = FULL');
    // IMMEDIATE takes the write lock before reading the version, so two processes opening the same file at
    // once run each migration exactly once: the second waits, then sees the new version.
    db.transaction(() => {
      const version = Number(db.pragma('user_version', { simple: true }));
      for (let index = version; index < data.migrations.length; index += 1) {
        db.exec(data.migrations[index] ?? '');
        db.pragma(`user_version = ${index + 1}`);
      }
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Throws unless the path still names the file opened at start. A deleted file (or directory) keeps taking
 * writes through the open descriptor, and all of them vanish at the next start: refusing is the honest answer.
 */
function createFileCheck(path: string): () => void {
  if (path === ':memory:') return () => {};
  const identify = () => {
    try {
      return statSync(path, { bigint: true, throwIfNoEntry: false });
    } catch (error) {
      // The message would name the path; the reason goes to /healthz, which is public.
      throw new Error(`the database file cannot be checked (${String((error as { code?: unknown }).code)})`);
    }
  };
  const opened = identify();
  if (opened === undefined) throw new Error('the database file vanished while opening');
  return () => {
    const now = identify();
    if (now === undefined) throw new Error('the database file is gone (deleted, or its directory was)');
    if (now.dev !== opened.dev || now.ino !== opened.ino) throw new Error('the database file was replaced');
  };
}

function prepareAll(db: Database.Database, sql: SqliteWorkerData['statements']): Statements {
  const entries = Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]);
  return Object.fromEntries(entries) as Statements;
}

const boardKey = (board: Board) => [board.enterpriseId, board.teamId, board.channelId] as const;

/** Writes: each in an IMMEDIATE transaction, so a second process on the file waits instead of racing. */
function createWrites(db: Database.Database, s: Statements, data: SqliteWorkerData) {
  let postsSinceSweep = 0;
  let takesSinceSweep = 0;
  const post = db.transaction(({ board, userId, text, triggerId }: SqliteOperations['post']['input']) => {
    const where = boardKey(board);
    if (triggerId !== undefined) {
      const seen = s.findKey.get(...where, triggerId) as
        | { message_id: number; user_id: string; created_at: number }
        | undefined;
      if (seen !== undefined) {
        // The original's text, or, if it was deleted since, the repeat's own (the same signed request).
        const kept = s.text.get(seen.message_id, ...where) as { text: string } | undefined;
        return { id: seen.message_id, userId: seen.user_id, text: kept?.text ?? text, createdAt: seen.created_at };
      }
    }
    const createdAt = Date.now();
    const row = s.insert.get(...where, userId, text, createdAt) as { id: number } | undefined;
    if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
    if (triggerId !== undefined) {
      s.insertKey.run(...where, triggerId, row.id, userId, createdAt);
      postsSinceSweep += 1;
      if (postsSinceSweep >= data.sweepEveryPosts) {
        postsSinceSweep = 0;
        s.sweepKeys.run(createdAt - data.postKeyTtlMs);
      }
    }
    return { id: row.id, userId, text, createdAt };
  });
  const take = db.transaction((input: SqliteOperations['take']['input']) => {
    takesSinceSweep += 1;
    if (takesSinceSweep >= data.sweepEveryTakes) {
      takesSinceSweep = 0;
      // Inside the take's transaction: the write lock is held anyway, and the batch is small.
      s.sweepBuckets.run(input.nowMs - data.idleBucketMs);
    }
    const [enterprise, team, channel] = boardKey(input.board);
    if (input.triggerId !== undefined && s.findKey.get(enterprise, team, channel, input.triggerId) !== undefined) {
      return null;
    }
    const { userId: user, interval, headroom, nowMs: now } = input;
    const row = s.take.get({ enterprise, team, channel, user, interval, headroom, now }) as
      | { full_at: number; allowed: number }
      | undefined;
    if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
    return { fullAt: row.full_at, allowed: row.allowed === 1 };
  });
  // One transaction, so the owner check and the delete see the same row even with a second process.
  const remove = db.transaction(({ board, id, userId }: SqliteOperations['delete']['input']): DeleteOutcome => {
    const row = s.owner.get(id, ...boardKey(board)) as { user_id: string } | undefined;
    if (row === undefined) return 'not-found';
    if (row.user_id !== userId) return 'not-owner';
    s.deleteById.run(id);
    return 'deleted';
  });
  return { post: post.immediate, take: take.immediate, remove: remove.immediate };
}

/** Runs one operation against the open database; every write first checks the file is still ours. */
function createExecutor(db: Database.Database, data: SqliteWorkerData): (operation: SqliteOperation) => unknown {
  const s = prepareAll(db, data.statements);
  const checkFile = createFileCheck(data.path);
  const writes = createWrites(db, s, data);
  let probedAt = Number.NEGATIVE_INFINITY;
  return (operation) => {
    switch (operation.kind) {
      case 'latest': {
        const rows = s.latest.all(...boardKey(operation.board), operation.limit) as Array<{
          id: number;
          user_id: string;
          text: string;
          created_at: number;
        }>;
        return rows
          .reverse()
          .map((row) => ({ id: row.id, userId: row.user_id, text: row.text, createdAt: row.created_at }));
      }
      case 'post':
        checkFile();
        return writes.post(operation);
      case 'take':
        checkFile();
        return writes.take(operation);
      case 'delete':
        checkFile();
        return writes.remove(operation);
      case 'ping': {
        checkFile();
        // A read alone says nothing about a full disk or a read-only file: commit a write now and then.
        const now = Date.now();
        if (now - probedAt < data.writeProbeIntervalMs) s.read.get();
        else {
          s.probe.run(now);
          probedAt = now;
        }
        return null;
      }
    }
  };
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

function serve(): void {
  const port = parentPort;
  if (port === null) throw new Error('sqlite-worker.js runs as a worker thread only');
  const data = workerData as SqliteWorkerData;
  let db: Database.Database;
  let execute: (operation: SqliteOperation) => unknown;
  try {
    db = openDatabase(data);
    execute = createExecutor(db, data);
  } catch (error) {
    port.postMessage({ ready: false, reason: describe(error) } satisfies SqliteStartup);
    port.close();
    return;
  }
  port.postMessage({ ready: true } satisfies SqliteStartup);
  port.on('message', (request: SqliteRequest) => {
    if ('close' in request) {
      db.close();
      port.close();
      return;
    }
    const { id, deadline, operation } = request;
    // Queued behind a stall: its caller has been told "unavailable" already, so it must not happen now.
    if (Date.now() >= deadline) {
      port.postMessage({ id, ok: false, reason: 'expired before it ran' } satisfies SqliteReply);
      return;
    }
    try {
      port.postMessage({ id, ok: true, value: execute(operation) } satisfies SqliteReply);
    } catch (error) {
      port.postMessage({ id, ok: false, reason: describe(error) } satisfies SqliteReply);
    }
  });
}

serve();
