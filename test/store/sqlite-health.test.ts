/**
 * Health tells whether the SQLite store can write, not only read: a deleted database file (or directory), a
 * replaced file and a read-only file each make ping() fail and every write refuse, so /healthz says 503
 * and no post is confirmed into a file that the next start will not see.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { type MessageStore, StoreUnavailableError } from '../../src/store/message-store.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { readResponse, sendChat, startTestApp } from '../helpers.js';
import { createTempDir, type TempDir } from './test-databases.js';

const board = { enterpriseId: '', teamId: 'T1', channelId: 'C1' };
const policy = { burst: 10, refillIntervalMs: 15_000 };

let dir: TempDir;
let stores: MessageStore[];
beforeEach(() => {
  dir = createTempDir();
  stores = [];
});
afterEach(async () => {
  for (const store of stores) await store.close();
  dir.remove();
});
const open = async (path: string) => {
  const store = await createSqliteStore({ path });
  stores.push(store);
  return store;
};

/** Every kind of write is refused as unavailable, with `reason` in the message. */
async function expectWritesRefused(store: MessageStore, reason: RegExp): Promise<void> {
  for (const write of [
    () => store.ping(),
    () => store.post(board, 'U1', 'must not be confirmed'),
    () => store.takeToken(board, 'U1', policy, Date.now()),
    () => store.delete(board, 1, 'U1'),
  ]) {
    const error = await write().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(reason);
  }
}

const removeDatabase = (path: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
};

describe('SQLite store health', () => {
  it('refuses writes once the database file is deleted', async () => {
    const path = dir.file('board.db');
    const store = await open(path);
    await store.post(board, 'U1', 'before');
    await expect(store.ping()).resolves.toBeUndefined();
    removeDatabase(path);
    await expectWritesRefused(store, /database file is gone/);
  });

  it('refuses writes once the database’s directory is deleted', async () => {
    const path = dir.file('nested/board.db');
    const store = await open(path);
    await store.post(board, 'U1', 'before');
    rmSync(dir.file('nested'), { recursive: true, force: true });
    await expectWritesRefused(store, /database file is gone/);
  });

  it('refuses writes once another file has taken the database’s name', async () => {
    const path = dir.file('board.db');
    const store = await open(path);
    await store.post(board, 'U1', 'before');
    const other = dir.file('other.db');
    new Database(other).close();
    removeDatabase(path);
    renameSync(other, path);
    await expectWritesRefused(store, /database file was replaced/);
  });

  const readOnly = readOnlyMechanism();
  (readOnly === undefined ? it.skip : it)('refuses writes, and still reads, on a read-only database file', async () => {
    const path = dir.file('board.db');
    const writer = await createSqliteStore({ path });
    const posted = await writer.post(board, 'U1', 'written before');
    await writer.close();
    const undo = readOnly?.(path);
    try {
      const store = await open(path);
      await expectWritesRefused(store, /readonly/i);
      expect(await store.latest(board, 10)).toEqual([posted]);
    } finally {
      undo?.();
    }
  });
});

describe('/healthz and /chat on a store that cannot write', () => {
  it('answers 503 and refuses a post once the database directory is gone, instead of confirming it', async () => {
    const path = dir.file('app/board.db');
    const store = await open(path);
    const app = await startTestApp({ store });
    try {
      expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
      expect(await sendChat(app.baseUrl, 'stored', { channel_id: 'C0GONE' })).toMatch(/^Posted as/);
      rmSync(dir.file('app'), { recursive: true, force: true });
      const health = await readResponse(await fetch(`${app.baseUrl}/healthz`));
      expect(health.status).toBe(503);
      expect(health.json).toEqual({ status: 'unavailable', reason: expect.stringMatching(/database file is gone/) });
      // The path is the operator's secret as much as anything: /healthz is public.
      expect(health.text).not.toContain(dir.path);
      expect(await sendChat(app.baseUrl, 'into the void', { channel_id: 'C0GONE' })).toMatch(
        /^The board is unavailable right now/,
      );
    } finally {
      await app.stop();
    }
  });
});

/**
 * A way to make a file read-only for this process. chmod does not stop root, and tests may run as root;
 * there, the immutable attribute does, where the filesystem has it. Returns how to undo it.
 */
function readOnlyMechanism(): ((path: string) => () => void) | undefined {
  if (process.getuid?.() !== 0) {
    return (path) => {
      chmodSync(path, 0o444);
      return () => chmodSync(path, 0o644);
    };
  }
  const probe = createTempDir();
  try {
    writeFileSync(probe.file('probe'), '');
    execFileSync('chattr', ['+i', probe.file('probe')], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe.file('probe')], { stdio: 'ignore' });
  } catch {
    console.warn('Running as root without chattr +i here: skipping the read-only SQLite file test.');
    return undefined;
  } finally {
    probe.remove();
  }
  return (path) => {
    execFileSync('chattr', ['+i', path]);
    return () => execFileSync('chattr', ['-i', path]);
  };
}
