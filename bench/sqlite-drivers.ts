/**
 * `npm run bench:sqlite-drivers`: better-sqlite3 against Node's built-in `node:sqlite`, used the way the
 * store uses its driver: on a worker thread, the main thread keeping a few requests in flight and waiting
 * for each answer. Posts are the store's durable insert (WAL, synchronous=FULL, an IMMEDIATE transaction);
 * reads are its "latest 10 of a board" on a table of BENCH_DRIVER_ROWS messages. Rounds alternate between
 * the drivers; the table shows medians. It prints figures and never fails on one.
 *
 * Knobs: BENCH_DRIVER_SECONDS (per measurement, default 3), BENCH_DRIVER_ROUNDS (3), BENCH_DRIVER_ROWS
 * (200000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { formatNumber, markdownTable, median, progress } from './report.js';

type DriverName = 'better-sqlite3' | 'node:sqlite';
type Operation = 'post' | 'latest';

/** What the worker needs of a driver: run SQL, prepare statements returning plain rows. */
interface Connection {
  exec(sql: string): void;
  prepare(sql: string): { run(...values: unknown[]): unknown; all(...values: unknown[]): unknown[] };
  close(): void;
}

const SCHEMA = `PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
  CREATE TABLE IF NOT EXISTS chat_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, enterprise_id TEXT NOT NULL,
    team_id TEXT NOT NULL, channel_id TEXT NOT NULL, user_id TEXT NOT NULL, text TEXT NOT NULL,
    created_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS chat_messages_board_latest ON chat_messages (enterprise_id, team_id, channel_id, id DESC);`;

function connect(driver: DriverName, path: string): Connection {
  // Loaded only inside the worker that uses it, so each measures its own start-up cost, not the other's.
  const require = createRequire(import.meta.url);
  if (driver === 'better-sqlite3') {
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    return new Database(path);
  }
  const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
  const db = new DatabaseSync(path);
  return {
    exec: (sql) => db.exec(sql),
    prepare: (sql) => {
      const statement = db.prepare(sql);
      return {
        run: (...values) => statement.run(...(values as [])),
        all: (...values) => statement.all(...(values as [])),
      };
    },
    close: () => db.close(),
  };
}

/** The worker: opens the file with its driver, then answers each request with the operation's result. */
function serve(): void {
  const { driver, path } = workerData as { driver: DriverName; path: string };
  const port = parentPort;
  if (port === null) return;
  const db = connect(driver, path);
  db.exec(SCHEMA);
  const insert = db.prepare(`INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text, created_at)
    VALUES ('', 'T1', ?, 'U1', 'benchmark post', ?) RETURNING id`);
  const latest = db.prepare(`SELECT id, user_id, text, created_at FROM chat_messages
    WHERE enterprise_id = '' AND team_id = 'T1' AND channel_id = ? ORDER BY id DESC LIMIT 10`);
  port.on('message', (request: { id: number; operation: Operation | 'close' }) => {
    if (request.operation === 'close') {
      db.close();
      port.close();
      return;
    }
    let value: unknown;
    if (request.operation === 'post') {
      db.exec('BEGIN IMMEDIATE');
      value = insert.all('C0POSTS', Date.now());
      db.exec('COMMIT');
    } else {
      value = latest.all('C0SMALL').reverse();
    }
    port.postMessage({ id: request.id, value });
  });
  port.postMessage({ ready: true });
}

/** Seeds a 1k board and a big one with the store's own schema, in one transaction without syncs. */
function seed(path: string, rows: number): void {
  const db = connect('better-sqlite3', path);
  db.exec(SCHEMA);
  db.exec('PRAGMA synchronous = OFF; BEGIN');
  const insert = db.prepare(`INSERT INTO chat_messages (enterprise_id, team_id, channel_id, user_id, text, created_at)
    VALUES ('', 'T1', ?, 'U1', ?, ?)`);
  for (let n = 0; n < rows; n += 1) insert.run(n < 1000 ? 'C0SMALL' : 'C0BIG', `seeded ${n}`, n);
  db.exec('COMMIT; PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Requests per second through a worker of `driver` for `seconds`, keeping `window` requests in flight. */
async function measure(driver: DriverName, path: string, operation: Operation, seconds: number): Promise<number> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { driver, path } });
  await new Promise((resolve) => worker.once('message', resolve));
  const window = 4;
  const until = performance.now() + seconds * 1000;
  let done = 0;
  let sent = 0;
  const started = performance.now();
  const send = () => {
    sent += 1;
    worker.postMessage({ id: sent, operation });
  };
  await new Promise<void>((resolve) => {
    worker.on('message', () => {
      done += 1;
      if (performance.now() < until) send();
      else if (done === sent) resolve();
    });
    while (sent < window) send();
  });
  const rate = done / ((performance.now() - started) / 1000);
  worker.postMessage({ id: 0, operation: 'close' });
  await new Promise((resolve) => worker.once('exit', resolve));
  return rate;
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_DRIVER_SECONDS ?? 3);
  const rounds = Number(process.env.BENCH_DRIVER_ROUNDS ?? 3);
  const rows = Number(process.env.BENCH_DRIVER_ROWS ?? 200_000);
  const scratch = mkdtempSync(join(tmpdir(), 'cowsay-drivers-'));
  const drivers: DriverName[] = ['better-sqlite3', 'node:sqlite'];
  const results = new Map(drivers.map((driver) => [driver, { post: [] as number[], latest: [] as number[] }]));
  try {
    const path = join(scratch, 'drivers.db');
    progress(`seeding ${formatNumber(rows)} messages`);
    seed(path, rows);
    for (let round = 1; round <= rounds; round += 1) {
      for (const driver of round % 2 === 1 ? drivers : [...drivers].reverse()) {
        for (const operation of ['latest', 'post'] as const) {
          const rate = await measure(driver, path, operation, seconds);
          results.get(driver)?.[operation].push(rate);
          progress(`round ${round}: ${driver} ${operation} ${formatNumber(rate)}/s`);
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`### SQLite drivers on a worker thread: Node ${process.version}, medians of ${rounds} rounds\n`);
  const table = drivers.map((driver) => {
    const figures = results.get(driver) ?? { post: [], latest: [] };
    return [driver, formatNumber(median(figures.latest)), formatNumber(median(figures.post))];
  });
  console.log(markdownTable(['driver', 'latest 10 /s', 'durable posts /s'], table));
}

if (isMainThread) await main();
else serve();
