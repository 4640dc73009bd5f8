/**
 * A SQLite call that hangs. Another connection holds the write lock and the store waits up to a minute for
 * it (its busy timeout): the worker thread is then stuck inside SQLite, as it would be on a frozen disk,
 * until the test lets go of the lock. Nothing on the main thread may wait for it.
 */
import Database from 'better-sqlite3';
import { type MessageStore, StoreUnavailableError } from '../../src/store/message-store.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import {
  asReply,
  postedId,
  type RunningApp,
  readResponse,
  sendChat,
  sendSlashCommand,
  startTestApp,
} from '../helpers.js';
import { createTempDir, type TempDir } from './test-databases.js';

const board = { enterpriseId: '', teamId: 'T1', channelId: 'C1' };
const HANG_MS = 60_000;

let dir: TempDir;
beforeAll(() => {
  dir = createTempDir();
});
afterAll(() => dir.remove());

/** Holds the file's write lock from a connection of the test's own until released. */
function holdWriteLock(path: string): { release(): void } {
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  return {
    release() {
      if (!other.open) return;
      other.exec('ROLLBACK');
      other.close();
    },
  };
}

/** Waits (bounded) until `check` resolves: the store heals by itself, the test only waits for it. */
async function eventually(check: () => Promise<unknown>): Promise<void> {
  const giveUp = Date.now() + 15_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > giveUp) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('SQLite store while a call hangs', () => {
  let store: MessageStore;
  afterEach(() => store.close());

  it('refuses at the deadline, then at once until the worker answers, and drains when it does', async () => {
    const path = dir.file('stall.db');
    store = await createSqliteStore({ path, busyTimeoutMs: HANG_MS, requestTimeoutMs: 300 });
    await store.post(board, 'U1', 'before');
    const lock = holdWriteLock(path);
    try {
      const hanging = store.post(board, 'U1', 'caught in the stall');
      const behind = [1, 2, 3, 4, 5].map((n) => store.post(board, 'U1', `behind it ${n}`));
      await expect(hanging).rejects.toThrow(/SQLite: no answer within 300 ms/);
      for (const each of behind) await expect(each).rejects.toBeInstanceOf(StoreUnavailableError);
      // Known to be stuck: new requests are refused without waiting out a deadline of their own.
      await expect(store.ping()).rejects.toThrow(/not answering/);
      await expect(store.latest(board, 10)).rejects.toThrow(/not answering/);
    } finally {
      lock.release();
    }
    await eventually(() => store.ping());
    // The post already running when its deadline passed committed after all (its caller was told it may
    // have); the ones queued behind it were past their deadline when the worker reached them, so never ran.
    expect((await store.latest(board, 10)).map((message) => message.text)).toEqual(['before', 'caught in the stall']);
    expect((await store.post(board, 'U1', 'after')).text).toBe('after');
  });

  it('refuses at once, rather than queue, beyond a thousand waiting requests', async () => {
    const path = dir.file('queue.db');
    store = await createSqliteStore({ path, busyTimeoutMs: HANG_MS, requestTimeoutMs: 10_000 });
    const lock = holdWriteLock(path);
    try {
      const hanging = store.post(board, 'U1', 'holds the worker');
      // Three more fill the worker's hands, a thousand wait their turn: the next one is one too many.
      const waiting = Array.from({ length: 3 + 1000 }, () => store.latest(board, 1));
      await expect(store.latest(board, 1)).rejects.toThrow(/too many requests waiting/);
      lock.release();
      await hanging;
      expect(await Promise.all(waiting)).toHaveLength(1003);
    } finally {
      lock.release();
    }
  });

  it('closes without waiting for the hung call, and what it committed before stays', async () => {
    const path = dir.file('close-stalled.db');
    store = await createSqliteStore({ path, busyTimeoutMs: HANG_MS, requestTimeoutMs: 300 });
    await store.post(board, 'U1', 'kept');
    const lock = holdWriteLock(path);
    try {
      await expect(store.post(board, 'U1', 'hangs')).rejects.toBeInstanceOf(StoreUnavailableError);
      await store.close();
      await expect(store.ping()).rejects.toThrow(/closed/);
    } finally {
      lock.release();
    }
    const reader = new Database(path, { readonly: true });
    try {
      expect(reader.prepare('SELECT text FROM chat_messages ORDER BY id').pluck().all()).toContain('kept');
    } finally {
      reader.close();
    }
  });
});

describe('the app while SQLite hangs', () => {
  let store: MessageStore;
  let app: RunningApp;
  const path = () => dir.file('app-stall.db');
  beforeAll(async () => {
    store = await createSqliteStore({ path: path(), busyTimeoutMs: HANG_MS });
    app = await startTestApp({ store });
  });
  afterAll(async () => {
    await app.stop();
    await store.close();
  });
  const where = { channel_id: 'C0STALL' };
  const get = async (route: string, accept = 'text/plain') =>
    readResponse(await fetch(`${app.baseUrl}${route}`, { headers: { accept } }));

  it('answers /chat "unavailable" within Slack’s 3 s, serves /cowsay, /say and /healthz, and recovers', async () => {
    postedId(await sendChat(app.baseUrl, 'before the stall', where));
    const lock = holdWriteLock(path());
    try {
      const started = Date.now();
      const chatting = sendChat(app.baseUrl, 'during the stall', where);
      // A health check has a shorter deadline than a request: it reports the stall within half a second.
      const early = await get('/healthz', 'application/json');
      expect(early.status).toBe(503);
      expect(early.json).toEqual({
        status: 'unavailable',
        reason: expect.stringMatching(/no answer within 500 ms/),
      });
      expect(await chatting).toMatch(/The board is unavailable right now/);
      expect(Date.now() - started).toBeLessThan(3000);
      // The worker is still stuck inside SQLite (the lock is held): everything else answers meanwhile.
      const cow = asReply(await sendSlashCommand(app.baseUrl, { command: '/cowsay', text: 'still here' }));
      expect(cow.response_type).toBe('in_channel');
      const say = await get('/say/still%20here');
      expect(say.status).toBe(200);
      expect(say.text).toContain('still here');
      const health = await get('/healthz', 'application/json');
      expect(health.status).toBe(503);
      expect(health.json).toEqual({ status: 'unavailable', reason: expect.stringMatching(/not answering/) });
    } finally {
      lock.release();
    }
    await eventually(async () => {
      if ((await get('/healthz')).status !== 200) throw new Error('not healthy yet');
    });
    postedId(await sendChat(app.baseUrl, 'after the stall', where));
  });
});
