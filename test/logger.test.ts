/**
 * The built app as a process in production mode: what its stdout carries, line by line, as a log collector
 * would read it. `npm test` builds dist/ before jest runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sendSlashCommand, TEST_SIGNING_SECRET } from './helpers.js';

const ENTRY = new URL('../dist/index.js', import.meta.url).pathname;
const METRICS_TOKEN = 'process-test-metrics-token-0123456789';
/** Words a user sends; they must reach no log line at info level. */
const SENTINEL = 'sentinel-words-9f4e2a';

type Line = Record<string, unknown>;

let workDir: string;
let child: ChildProcess | undefined;
beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error('dist/index.js is missing: run `npm run build` (npm test does) first.');
  workDir = mkdtempSync(join(tmpdir(), 'cowsay-logs-'));
});
afterAll(() => {
  if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

/** Starts the app and collects its stdout lines; `waitFor` resolves when a line matching it has been written. */
function startApp() {
  const started = spawn(process.execPath, [ENTRY], {
    cwd: workDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      PORT: '0',
      LOG_LEVEL: 'info',
      METRICS_TOKEN,
      DATABASE_URL: `sqlite:${join(workDir, 'logs.db')}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  const stdout: string[] = [];
  let stderr = '';
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  started.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: started.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    stdout.push(line);
    for (const waiter of waiters.filter((candidate) => candidate.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => started.on('exit', resolve));
  const waitFor = (test: (line: string) => boolean) =>
    new Promise<string>((resolve, reject) => {
      const seen = stdout.find(test);
      if (seen !== undefined) resolve(seen);
      else waiters.push({ test, resolve });
      exited.then(() => reject(new Error(`the app exited first:\n${stdout.join('\n')}\n${stderr}`)));
    });
  return { stdout, stderr: () => stderr, exited, waitFor, process: started };
}

describe('logs in production mode', () => {
  it('writes only JSON lines, one access line per request with its id, and never the words', async () => {
    const app = startApp();
    const listening = JSON.parse(await app.waitFor((line) => line.includes('Listening on port'))) as Line;
    const port = /port (\d+)/.exec(String(listening.msg))?.[1];
    const baseUrl = `http://127.0.0.1:${port}`;

    const requestId = `abc${'0123456789'.repeat(3)}`;
    const cow = await sendSlashCommand(
      baseUrl,
      { command: '/cowsay', text: SENTINEL, team_id: 'T0LOGS' },
      { headers: { 'X-Request-ID': requestId } },
    );
    expect(cow.status).toBe(200);
    // Every other path that handles the user's words, the failing ones included.
    await sendSlashCommand(baseUrl, { command: '/chat', text: SENTINEL });
    await sendSlashCommand(baseUrl, { command: '/chat', text: 'list' });
    await sendSlashCommand(baseUrl, { command: '/chat', text: `delete ${SENTINEL}` });
    await sendSlashCommand(baseUrl, { command: '/cowsay', text: `-f ${SENTINEL} x` });
    await sendSlashCommand(
      baseUrl,
      { command: '/cowsay', text: SENTINEL },
      { secret: 'wrong-secret-0000000000000000' },
    );
    await fetch(`${baseUrl}/slack/events`, { method: 'POST', body: SENTINEL.repeat(5000) }).catch(() => undefined);
    await (await fetch(`${baseUrl}/say/${SENTINEL}`)).text();
    const lastId = `last-request-${'x'.repeat(20)}`;
    await (
      await fetch(`${baseUrl}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}`, 'X-Request-ID': lastId },
      })
    ).text();
    await app.waitFor((line) => line.includes(lastId));

    app.process.kill('SIGTERM');
    expect(await app.exited).toBe(0);

    const lines = app.stdout.map((text) => JSON.parse(text) as Line);
    for (const line of lines) expect(typeof line).toBe('object');
    expect(app.stderr()).toBe('');
    expect(lines.find((line) => line.requestId === requestId && line.msg === 'request')).toMatchObject({
      route: '/slack/events',
      method: 'POST',
      status: 200,
      command: '/cowsay',
      outcome: 'ok',
      teamId: 'T0LOGS',
    });
    expect(lines.filter((line) => line.msg === 'request')).toHaveLength(9);
    expect(app.stdout.join('\n')).not.toContain(SENTINEL);
    expect(app.stdout.join('\n')).not.toContain(TEST_SIGNING_SECRET);
    expect(app.stdout.join('\n')).not.toContain(METRICS_TOKEN);
    expect(lines.at(-1)?.msg).toBe('Stopped cleanly.');
  }, 30_000);
});
