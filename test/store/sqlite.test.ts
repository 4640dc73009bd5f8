/**
 * The SQLite backend on real files in a temp directory: the shared contract, plus what only SQLite has
 * (WAL, the file and its directory, the query plan, a second process holding the write lock).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type Board, StoreUnavailableError } from '../../src/store/message-store.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { SQLITE_LATEST_SQL, SQLITE_MIGRATIONS, SQLITE_TAKE_SQL } from '../../src/store/sqlite-schema.js';
import { storeContract } from './contract.js';
import { createTempDir, type TempDir } from './test-databases.js';

let dir: TempDir;
beforeAll(() => {
  dir = createTempDir();
});
afterAll(() => dir.remove());

describe('SQLite store: the MessageStore contract', () => {
  storeContract(() => ({
    open: () => createSqliteStore({ path: dir.file('contract.db') }),
    bucketRows: (board) => countRows('chat_post_buckets', board),
    keyRows: (board) => countRows('chat_post_keys', board),
    ageKeys: async (board, ms) => {
      const db = new Database(dir.file('contract.db'));
      try {
        db.prepare(
          'UPDATE chat_post_keys SET created_at = created_at - ? WHERE enterprise_id = ? AND team_id = ? AND channel_id = ?',
        ).run(ms, board.enterpriseId, board.teamId, board.channelId);
      } finally {
        db.close();
      }
    },
  }));
});

/** Rows of a table for one board, read with a connection of the test's own. */
async function countRows(table: string, board: Board): Promise<number> {
  const db = new Database(dir.file('contract.db'), { readonly: true });
  try {
    return (
      db
        .prepare<[string, string, string], number>(
          `SELECT count(*) FROM ${table} WHERE enterprise_id = ? AND team_id = ? AND channel_id = ?`,
        )
        .pluck()
        .get(board.enterpriseId, board.teamId, board.channelId) ?? 0
    );
  } finally {
    db.close();
  }
}

describe('SQLite store', () => {
  const board = { enterpriseId: '', teamId: 'T1', channelId: 'C1' };

  it('creates the directory on demand and uses WAL with full sync', async () => {
    const path = dir.file('nested/deeper/board.db');
    const store = await createSqliteStore({ path });
    await store.post(board, 'U1', 'hello');
    await store.close();
    // A separate connection sees what is on disk: WAL is a property of the file.
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT text FROM chat_messages').pluck().all()).toEqual(['hello']);
    db.close();
  });

  it('migrates once: opening the same file again keeps the schema version and the data', async () => {
    const path = dir.file('migrate.db');
    const first = await createSqliteStore({ path });
    await first.post(board, 'U1', 'before');
    await first.close();
    const second = await createSqliteStore({ path });
    expect((await second.latest(board, 10)).map((message) => message.text)).toEqual(['before']);
    await second.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    db.close();
  });

  it('brings a file an older version left (schema 2, with messages) up to date, keeping them', async () => {
    const path = dir.file('schema-2.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    for (const migration of SQLITE_MIGRATIONS.slice(0, 2)) old.exec(migration);
    old.pragma('user_version = 2');
    old
      .prepare(
        'INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run('', 'T1', 'C1', 'U1', 'from version 2', 1_700_000_000_000);
    old.close();
    const store = await createSqliteStore({ path });
    const posted = await store.post(board, 'U1', 'keyed', { triggerId: '1.2.upgrade' });
    expect(await store.post(board, 'U1', 'keyed', { triggerId: '1.2.upgrade' })).toEqual(posted);
    expect((await store.latest(board, 10)).map((message) => message.text)).toEqual(['from version 2', 'keyed']);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
  });

  it('lists a board by walking its index, whatever the table size (no scan, no sort)', async () => {
    const path = dir.file('plan.db');
    const store = await createSqliteStore({ path });
    await store.close();
    const db = new Database(path);
    const insert = db.prepare(
      'INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      for (let n = 0; n < 20_000; n += 1) insert.run('', `T${n % 7}`, `C${n % 97}`, 'U1', `message ${n}`, n);
    })();
    db.exec('ANALYZE');
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${SQLITE_LATEST_SQL}`)
      .all('', 'T1', 'C1', 10)
      .map((row) => (row as { detail: string }).detail)
      .join('\n');
    db.close();
    expect(plan).toMatch(
      /SEARCH chat_messages USING INDEX chat_messages_board_latest \(enterprise_id=\? AND team_id=\? AND channel_id=\?\)/,
    );
    // A temp B-tree would mean sorting the whole board: cost growing with its size.
    expect(plan).not.toMatch(/TEMP B-TREE|SCAN chat_messages/);
  });

  it('reports a write lock held by another process as unavailable, then recovers once it is released', async () => {
    const path = dir.file('locked.db');
    const store = await createSqliteStore({ path, busyTimeoutMs: 100 });
    const before = await store.post(board, 'U1', 'before the lock');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(store.post(board, 'U1', 'while locked')).rejects.toBeInstanceOf(StoreUnavailableError);
      // WAL: readers are not blocked by a writer.
      expect(await store.latest(board, 10)).toEqual([before]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const after = await store.post(board, 'U1', 'after the lock');
    expect((await store.latest(board, 10)).map((message) => message.text)).toEqual([before.text, after.text]);
    await store.close();
  });

  it('holds the post limit across processes sharing the file: 4 processes, 400 takes, 10 tokens', async () => {
    const path = dir.file('processes.db');
    const store = await createSqliteStore({ path });
    await store.close(); // migrated
    // Each process runs the store's statement the way takeToken does (an IMMEDIATE transaction), on the same
    // bucket with the same clock. Each says "ready" once it is set up and starts only on "go", which is sent
    // when all four are ready, however slowly they were spawned; each reports when its takes began and ended.
    const script = `
      import Database from 'better-sqlite3';
      const [path, sql] = process.argv.slice(1);
      const db = new Database(path, { timeout: 10000 });
      const take = db.prepare(sql);
      const params = { enterprise: '', team: 'T1', channel: 'CPROC', user: 'U1', interval: 15000, headroom: 135000, now: 1800000000000 };
      const once = db.transaction(() => take.get(params).allowed === 1);
      process.stdout.write('ready\\n');
      process.stdin.once('data', () => {
        const began = performance.timeOrigin + performance.now();
        let allowed = 0;
        for (let n = 0; n < 100; n += 1) if (once.immediate()) allowed += 1;
        const ended = performance.timeOrigin + performance.now();
        db.close();
        process.stdout.write(JSON.stringify({ allowed, began, ended }));
        process.stdin.destroy();
      });`;
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', script, path, SQLITE_TAKE_SQL], {
        cwd: root,
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    const outputs = children.map((child) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => output.startsWith('ready\n') && resolve());
        child.once('exit', () => reject(new Error(`a process exited before it was ready:\n${output}`)));
      });
      const report = new Promise<{ allowed: number; began: number; ended: number }>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) =>
          code === 0 ? resolve(JSON.parse(output.slice('ready\n'.length))) : reject(new Error(output)),
        );
      });
      return { ready, report };
    });
    await Promise.all(outputs.map((output) => output.ready));
    for (const child of children) child.stdin.write('go\n');
    const reports = await Promise.all(outputs.map((output) => output.report));
    expect(reports.reduce((sum, report) => sum + report.allowed, 0)).toBe(10);
    // The point is concurrency: takes that never ran while another process's did prove nothing, so at least
    // two processes' runs must overlap (the barrier starts them together; a busy machine may still stagger one).
    const alone = reports.filter((report) =>
      reports.every((other) => other === report || other.ended < report.began || other.began > report.ended),
    );
    expect({ overlapping: reports.length - alone.length >= 2, reports }).toEqual({ overlapping: true, reports });
  });

  it('reports a post-limit check blocked by another process’s write lock as unavailable', async () => {
    const path = dir.file('limit-locked.db');
    const store = await createSqliteStore({ path, busyTimeoutMs: 100 });
    const policy = { burst: 10, refillIntervalMs: 15_000 };
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(store.takeToken(board, 'U1', policy, Date.now())).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    await expect(store.takeToken(board, 'U1', policy, Date.now())).resolves.toEqual({ allowed: true });
    await store.close();
  });

  it('refuses a file it cannot open, at start-up', async () => {
    await expect(createSqliteStore({ path: dir.path })).rejects.toThrow(/SQLite could not open the database/);
  });
});
