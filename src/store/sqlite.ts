/**
 * The embedded store: one SQLite file in WAL mode, through better-sqlite3, on a worker thread of its own
 * (sqlite-worker.ts). better-sqlite3 blocks its thread for every call, and a stalled disk blocks it for
 * as long as the stall lasts: on the main thread that froze every route. Here the main thread only queues
 * requests, each with the deadline a PostgreSQL query gets, and answers "unavailable" when it passes.
 *
 * A thread stuck in a system call cannot be interrupted, so there is one worker, never a second one beside
 * it: requests queue, those whose deadline passes are refused (and skipped by the worker if they reach it),
 * and when the disk answers again the worker drains the rest. A post already running when its deadline
 * passed may still commit; the /chat reply for that case says so (POST_UNCONFIRMED_TEXT).
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@slack/logger';
import {
  assertBoard,
  assertLimit,
  assertMessageId,
  assertPost,
  assertTake,
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
import { SQLITE_MIGRATIONS, SQLITE_STATEMENTS } from './sqlite-schema.js';
import type {
  MessageRow,
  SqliteOperation,
  SqliteOperations,
  SqliteReply,
  SqliteRequest,
  SqliteStartup,
  SqliteWorkerData,
} from './sqlite-worker.js';

/** The same budget as one PostgreSQL query, so /chat answers within Slack's 3 seconds on either backend. */
const DEFAULT_REQUEST_TIMEOUT_MS = 1500;
/**
 * A health check's own deadline, shorter than a request's: a stall is reported within half a second, not
 * after a full request deadline. A healthy disk answers a probe in milliseconds.
 */
const PING_TIMEOUT_MS = 500;
/** Requests handed to the worker at once: enough to keep it busy, few enough to skip cheaply after a stall. */
const MAX_IN_FLIGHT = 4;
/** Beyond this many waiting requests, new ones are refused at once rather than queued for seconds. */
const MAX_QUEUED = 1000;

export interface SqliteStoreOptions {
  /** The database file; its directory is created if missing. */
  path: string;
  logger?: Logger;
  /** How long a write waits for another process's write lock before failing (SQLITE_BUSY). */
  busyTimeoutMs?: number;
  /** How long a request may wait for the worker, queueing included. */
  requestTimeoutMs?: number;
}

/** Opens the file on a new worker thread, migrated; rejects, at start-up, when it cannot be opened. */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<MessageStore> {
  const worker = await startWorker(options);
  options.logger?.debug(`SQLite store open at ${options.path} (schema version ${SQLITE_MIGRATIONS.length}).`);
  return storeOver(createWorkerLink(worker, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, options.logger));
}

/**
 * Compiled, the worker is the `.js` beside this file. Run from source (Jest), it is the `.ts` beside it,
 * which Node loads by stripping its types: so tests never run a stale build of it.
 */
function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './sqlite-worker.ts' : './sqlite-worker.js', import.meta.url);
}

function startWorker({ path, busyTimeoutMs = 1000 }: SqliteStoreOptions): Promise<Worker> {
  const workerData: SqliteWorkerData = {
    path,
    busyTimeoutMs,
    migrations: SQLITE_MIGRATIONS,
    statements: SQLITE_STATEMENTS,
    sweepEveryTakes: SWEEP_EVERY_TAKES,
    sweepEveryPosts: SWEEP_EVERY_POSTS,
    idleBucketMs: IDLE_BUCKET_MS,
    postKeyTtlMs: POST_KEY_TTL_MS,
    writeProbeIntervalMs: WRITE_PROBE_INTERVAL_MS,
  };
  const worker = new Worker(workerUrl(), { workerData, name: 'sqlite-store' });
  return new Promise((resolve, reject) => {
    const settle = (reason: string | undefined) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reason === undefined) resolve(worker);
      else reject(new Error(`SQLite could not open the database: ${reason}`));
    };
    const onMessage = (startup: SqliteStartup) => settle(startup.ready ? undefined : startup.reason);
    const onError = (error: Error) => settle(error.message);
    const onExit = (code: number) => settle(`its thread exited (code ${code})`);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

type Kind = keyof SqliteOperations;

interface Pending {
  readonly id: number;
  readonly timeoutMs: number;
  readonly deadline: number;
  readonly operation: SqliteOperation;
  readonly timer: NodeJS.Timeout;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface WorkerLink {
  /** Runs `operation` on the worker, refusing it after `timeoutMs` (at most the link's own). */
  call<K extends Kind>(
    operation: Extract<SqliteOperation, { kind: K }>,
    timeoutMs?: number,
  ): Promise<SqliteOperations[K]['output']>;
  close(): Promise<void>;
}

/** The main thread's side of the worker: requests waiting, requests the worker holds, and whether it is stuck. */
interface LinkState {
  readonly worker: Worker;
  readonly logger: Logger | undefined;
  readonly queue: Pending[];
  /** Requests the worker holds; `undefined` once their caller was answered "unavailable". */
  readonly inFlight: Map<number, Pending | undefined>;
  /**
   * Set when a request the worker already holds outlives its deadline: the worker is stuck, so new requests
   * fail at once instead of each waiting out a deadline; the worker's next answer (it came back) clears it.
   */
  stalled: boolean;
  /** Why no request will be answered any more (closed, or the thread stopped). */
  down: string | undefined;
}

const STALLED = 'the database is not answering (stalled disk?)';
const unavailable = (reason: string) => new StoreUnavailableError(`SQLite: ${reason}`);

function createWorkerLink(worker: Worker, timeoutMs: number, logger: Logger | undefined): WorkerLink {
  const state: LinkState = {
    worker,
    logger,
    queue: [],
    inFlight: new Map(),
    stalled: false,
    down: undefined,
  };
  let nextId = 1;
  let closing: Promise<void> | undefined;
  worker.on('message', (reply: SqliteReply) => answer(state, reply));
  worker.on('error', (error) => logger?.error(`SQLite worker failed: ${error.message}`));
  worker.on('exit', () => {
    state.down ??= 'the worker thread stopped';
    failAll(state, state.down);
  });
  return {
    call<K extends Kind>(operation: Extract<SqliteOperation, { kind: K }>, within = timeoutMs) {
      if (state.down !== undefined) return Promise.reject(unavailable(state.down));
      if (state.stalled) return Promise.reject(unavailable(STALLED));
      if (state.queue.length >= MAX_QUEUED) return Promise.reject(unavailable('too many requests waiting'));
      return new Promise<SqliteOperations[K]['output']>((resolve, reject) => {
        const id = nextId++;
        const ms = Math.min(within, timeoutMs);
        const timer = setTimeout(() => expire(state, pending), ms);
        const deadline = Date.now() + ms;
        const pending: Pending = {
          id,
          timeoutMs: ms,
          deadline,
          operation,
          timer,
          resolve: resolve as (value: unknown) => void,
          reject,
        };
        state.queue.push(pending);
        pump(state);
      });
    },
    close() {
      closing ??= (async () => {
        state.down = 'the store is closed';
        rejectQueued(state, state.down);
        // Requests the worker already holds are answered first: messages are handled in order.
        worker.postMessage({ close: true } satisfies SqliteRequest);
        await closeWithin(worker, timeoutMs);
      })();
      return closing;
    },
  };
}

/** Hands waiting requests to the worker, a few at a time, unless it is stuck. */
function pump(state: LinkState): void {
  while (!state.stalled && state.inFlight.size < MAX_IN_FLIGHT && state.queue.length > 0) {
    const next = state.queue.shift() as Pending;
    state.inFlight.set(next.id, next);
    state.worker.postMessage({
      id: next.id,
      deadline: next.deadline,
      operation: next.operation,
    } satisfies SqliteRequest);
  }
}

function rejectQueued(state: LinkState, reason: string): void {
  for (const pending of state.queue.splice(0)) {
    clearTimeout(pending.timer);
    pending.reject(unavailable(reason));
  }
}

/** A request's deadline passed: its caller hears "unavailable" now, whatever the worker does with it later. */
function expire(state: LinkState, pending: Pending): void {
  if (state.inFlight.has(pending.id)) {
    state.inFlight.set(pending.id, undefined);
    if (!state.stalled) state.logger?.warn(`SQLite has not answered for ${pending.timeoutMs} ms; refusing requests.`);
    state.stalled = true;
    rejectQueued(state, STALLED);
  } else {
    const index = state.queue.indexOf(pending);
    if (index >= 0) state.queue.splice(index, 1);
  }
  pending.reject(unavailable(`no answer within ${pending.timeoutMs} ms`));
}

function answer(state: LinkState, reply: SqliteReply): void {
  if (state.stalled) state.logger?.warn('SQLite answers again.');
  state.stalled = false;
  const pending = state.inFlight.get(reply.id);
  state.inFlight.delete(reply.id);
  if (pending !== undefined) {
    clearTimeout(pending.timer);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(unavailable(reply.reason));
  }
  pump(state);
}

function failAll(state: LinkState, reason: string): void {
  rejectQueued(state, reason);
  for (const pending of state.inFlight.values()) {
    if (pending === undefined) continue;
    clearTimeout(pending.timer);
    pending.reject(unavailable(reason));
  }
  state.inFlight.clear();
}

/**
 * Waits for the worker to close the database and exit. A worker stuck on the disk cannot be stopped, so
 * after `ms` it is let go (unref): the process may exit without it, and if the disk comes back first, the
 * worker still closes the file when it reaches the close request. Committed data is safe either way.
 */
async function closeWithin(worker: Worker, ms: number): Promise<void> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), ms);
  try {
    await once(worker, 'exit', { signal: timeout.signal });
  } catch {
    worker.unref();
  } finally {
    clearTimeout(timer);
  }
}

function toMessage(row: MessageRow): StoredMessage {
  return { id: row.id, userId: row.userId, text: row.text, createdAt: new Date(row.createdAt) };
}

/** The MessageStore over the worker: input is checked here, so nothing malformed ever crosses. */
function storeOver(link: WorkerLink): MessageStore {
  let pinging: Promise<void> | undefined;
  return {
    async post(board, userId, text, key = {}) {
      assertPost(board, userId, text, key);
      return toMessage(await link.call({ kind: 'post', board, userId, text, triggerId: key.triggerId }));
    },
    async latest(board, limit) {
      assertBoard(board);
      assertLimit(limit);
      return (await link.call({ kind: 'latest', board, limit })).map(toMessage);
    },
    async delete(board, id, userId) {
      assertBoard(board);
      assertMessageId(id);
      return link.call({ kind: 'delete', board, id, userId });
    },
    async takeToken(board, userId, policy, nowMs, key = {}) {
      assertTake(board, userId, policy, nowMs, key);
      const interval = policy.refillIntervalMs;
      const headroom = takeHeadroomMs(policy);
      const row = await link.call({ kind: 'take', board, userId, interval, headroom, nowMs, triggerId: key.triggerId });
      return row === null ? { allowed: true } : takeOutcome(row.allowed, row.fullAt, policy, nowMs);
    },
    ping() {
      // Health checks arriving together share one answer.
      pinging ??= link
        .call({ kind: 'ping' }, PING_TIMEOUT_MS)
        .then(() => undefined)
        .finally(() => {
          pinging = undefined;
        });
      return pinging;
    },
    close: () => link.close(),
  };
}
