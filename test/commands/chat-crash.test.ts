/**
 * "Acknowledged means stored": the built app (`node dist/index.js`, as `npm start` runs it) takes a burst
 * of posts, is killed with SIGKILL the moment the last acknowledgement arrives, and every acknowledged
 * post must be in the database afterwards, read without the app's code.
 *
 * Runs `dist/`, which Jest's global set-up builds when it is missing or older than `src/`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { asReply, sendSlashCommand, TEST_SIGNING_SECRET } from '../helpers.js';
import { createTempDir, createTestSchema, describeWithPostgres, type TempDir } from '../store/test-databases.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = join(root, 'dist', 'index.js');
const BURST = 40;

interface Child {
  process: ChildProcess;
  baseUrl: string;
  output: () => string;
}

/** Starts the built app with only the variables it documents, in an empty directory (no .env to pick up). */
async function startBuiltApp(cwd: string, databaseUrl: string): Promise<Child> {
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { PATH: process.env.PATH, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, PORT: '0', DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on port (\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}:\n${output}`));
    });
  });
  return { process: child, baseUrl: `http://127.0.0.1:${port}`, output: () => output };
}

async function killHard(child: Child): Promise<NodeJS.Signals | null> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.process.signalCode;
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.process.once('exit', (_code, signal) => resolve(signal)),
  );
  child.process.kill('SIGKILL');
  return exited;
}

/** Posts a burst at once and returns what each acknowledgement promised: id → text. */
async function postBurst(child: Child): Promise<Map<number, string>> {
  const replies = await Promise.all(
    Array.from({ length: BURST }, async (_, n) => {
      const text = `burst message ${n} 🐄`;
      // Five authors: each may post 10 in a row, and this test is about durability, not the post limit.
      const where = { channel_id: 'C0CRASH', user_id: `U0CRASH${n % 5}` };
      const reply = asReply(await sendSlashCommand(child.baseUrl, { command: '/chat', text, ...where }));
      const match = /^Posted as \*#(\d+)\*\./.exec(reply.text ?? '');
      if (match === null) throw new Error(`not acknowledged: ${reply.text}`);
      return [Number(match[1]), text] as const;
    }),
  );
  return new Map(replies);
}

describe('kill -9 right after a burst of acknowledged posts (SQLite)', () => {
  let dir: TempDir;
  let child: Child | undefined;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(async () => {
    if (child !== undefined) await killHard(child);
    dir.remove();
  });

  it('loses none of them', async () => {
    const path = dir.file('data/board.db');
    child = await startBuiltApp(dir.path, `sqlite:${path}`);
    const acknowledged = await postBurst(child);
    expect(await killHard(child)).toBe('SIGKILL');

    const db = new Database(path);
    const stored = new Map(
      (db.prepare('SELECT id, text FROM chat_messages').all() as Array<{ id: number; text: string }>).map((row) => [
        row.id,
        row.text,
      ]),
    );
    db.close();
    expect(acknowledged.size).toBe(BURST);
    for (const [id, text] of acknowledged) expect(stored.get(id)).toBe(text);
  });
});

describeWithPostgres('kill -9 right after a burst of acknowledged posts (PostgreSQL)', () => {
  it('loses none of them', async () => {
    const schema = await createTestSchema();
    const dir = createTempDir();
    let child: Child | undefined;
    try {
      child = await startBuiltApp(dir.path, schema.url);
      const acknowledged = await postBurst(child);
      expect(await killHard(child)).toBe('SIGKILL');
      const rows = await schema.query<{ id: string; text: string }>('SELECT id, text FROM chat_messages');
      const stored = new Map(rows.map((row) => [Number(row.id), row.text]));
      expect(acknowledged.size).toBe(BURST);
      for (const [id, text] of acknowledged) expect(stored.get(id)).toBe(text);
    } finally {
      if (child !== undefined) await killHard(child);
      dir.remove();
      await schema.drop();
    }
  });
});
