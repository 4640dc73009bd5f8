/**
 * The built app as a process, the way the Procfile starts it: start-up faults, SIGTERM with requests in
 * flight, and what a full run writes to its log. Jest's global set-up builds dist/ when src/ is newer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fakeSlackToken,
  nowSeconds,
  sendSlashCommand,
  slackSignature,
  slashCommandBody,
  TEST_SIGNING_SECRET,
} from './helpers.js';
import { get, openRawConnection, parseResponses } from './http/raw-client.js';

const ENTRY = new URL('../dist/index.js', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

let workDir: string;
/** Every app this file starts; any still running after a test (say, one that failed) is killed. */
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});
beforeAll(() => {
  if (!existsSync(ENTRY)) throw new Error('dist/index.js is missing: Jest’s global set-up should have built it.');
  workDir = mkdtempSync(join(tmpdir(), 'cowsay-process-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Spawns the app with exactly `env` (plus PATH), from an empty directory so no .env file is picked up. */
function spawnApp(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [ENTRY], {
    cwd: workDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForListening(started: Started, port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`App exited early:\n${started.output()}`);
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`App did not start:\n${started.output()}`);
}

function expectOneClearLine(output: string, expected: RegExp): void {
  expect(output).toMatch(expected);
  // A clear line, not a stack trace.
  expect(output).not.toMatch(/^\s+at /m);
}

describe('start-up faults: one clear line and a non-zero exit', () => {
  it('missing signing secret', async () => {
    const started = spawnApp({ PORT: '0' });
    expect(await started.exited).toBe(1);
    expectOneClearLine(started.output(), /SLACK_SIGNING_SECRET is not set.*Basic Information/);
  });

  it('placeholder signing secret', async () => {
    const started = spawnApp({ SLACK_SIGNING_SECRET: 'your-signing-secret', PORT: '0' });
    expect(await started.exited).toBe(1);
    expectOneClearLine(started.output(), /SLACK_SIGNING_SECRET holds a placeholder/);
  });

  it('port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const started = spawnApp({
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        PORT: String(port),
        DATABASE_URL: `sqlite:${join(workDir, 'port.db')}`,
      });
      expect(await started.exited).toBe(1);
      expectOneClearLine(started.output(), /port .*in use/i);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('unwritable SQLite location', async () => {
    const notADirectory = join(workDir, 'a-file');
    writeFileSync(notADirectory, 'x');
    const started = spawnApp({
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      PORT: '0',
      DATABASE_URL: `sqlite:${join(notADirectory, 'cowsay.db')}`,
    });
    expect(await started.exited).toBe(1);
    expectOneClearLine(started.output(), /failed to start: .*(SQLite|database|directory)/i);
  });

  it('unreachable PostgreSQL, without showing its password even at debug level', async () => {
    // Needs no PostgreSQL server (port 1 refuses), so the password check means something on SQLite-only runs.
    const started = spawnApp({
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      PORT: '0',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'postgres://cowsay:hunter2-password@127.0.0.1:1/cowsay',
    });
    expect(await started.exited).toBe(1);
    expectOneClearLine(started.output(), /failed to start: .*(PostgreSQL|database)/i);
    expect(started.output()).not.toContain('hunter2-password');
  });

  it('FORTUNE_PATH with no usable fortune', async () => {
    const started = spawnApp({
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      PORT: '0',
      FORTUNE_PATH: join(workDir, 'no-such-fortunes'),
    });
    expect(await started.exited).toBe(1);
    expectOneClearLine(started.output(), /failed to start: FORTUNE_PATH holds no usable fortune file .*not found/);
    expect(started.output().trim().split('\n')).toHaveLength(1);
  });
});

describe('FORTUNE_PATH', () => {
  it('serves its fortunes to /cowsay -F and /say?fortune, naming the files it skipped in one line', async () => {
    const port = await freePort();
    const fixtures = new URL('./fixtures/fortunes', import.meta.url).pathname;
    const missing = join(workDir, 'missing-fortunes');
    const started = spawnApp({
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(workDir, 'fortunes.db')}`,
      FORTUNE_PATH: `${fixtures}:${missing}`,
    });
    await waitForListening(started, port);
    const fortuneLines = started
      .output()
      .split('\n')
      .filter((line) => line.includes('FORTUNE_PATH'))
      // Production logs are JSON lines; the message is what a person reads.
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(fortuneLines).toEqual([
      expect.stringMatching(new RegExp(`FORTUNE_PATH: skipped 1 file: "${missing}" \\(not found\\)\\.$`)),
      expect.stringMatching(/Fortunes: 5 fortunes from 2 files, from FORTUNE_PATH\.$/),
    ]);
    const said = await (
      await fetch(`http://127.0.0.1:${port}/say?fortune`, { headers: { Accept: 'text/plain' } })
    ).text();
    expect(said).toMatch(/fixture|Kuh/i);
    const reply = await sendSlashCommand(`http://127.0.0.1:${port}`, { command: '/cowsay', text: '-F' });
    expect(reply.text).toMatch(/fixture|Kuh/i);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  }, 30_000);
});

describe('SIGTERM', () => {
  it('stops accepting, answers the request in flight, closes the store and exits 0', async () => {
    const port = await freePort();
    const started = spawnApp({
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(workDir, 'sigterm.db')}`,
    });
    await waitForListening(started, port);

    // A request in flight: the server has read its headers (it said 100 Continue) and half the body when
    // SIGTERM arrives; the rest is sent once the app says it is stopping.
    const body = slashCommandBody({ command: '/cowsay', text: 'goodbye' });
    const timestamp = String(nowSeconds());
    const request = httpRequest(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': Buffer.byteLength(body),
        'X-Slack-Request-Timestamp': timestamp,
        'X-Slack-Signature': slackSignature(TEST_SIGNING_SECRET, timestamp, body),
        Expect: '100-continue',
      },
    });
    const inFlight = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      request.on('error', reject);
    });
    request.flushHeaders();
    await once(request, 'continue');
    await new Promise<void>((resolve) => request.write(body.slice(0, 40), () => resolve()));
    started.child.kill('SIGTERM');
    await outputContaining(started, 'SIGTERM received');
    request.end(body.slice(40));

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.text).toContain('goodbye');
    const code = await started.exited;
    expect(code).toBe(0);
    expect(started.output()).toContain('SIGTERM received');
    expect(started.output()).toContain('Stopped cleanly');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 30_000);
});

type LoopEnd = 'closed by the server' | 'refused' | `reset: ${string}`;

/**
 * One keep-alive client sending requests back to back (a health check, then a signed /cowsay, and so on) on
 * one connection, until the server says `Connection: close` or refuses a new connection.
 */
async function requestLoop(port: number, answered: () => void): Promise<LoopEnd> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let round = 0; ; round++) {
      const outcome = await requestOnce(port, agent, round % 2 === 0);
      if (outcome !== 'answered' && outcome !== 'answered, closing') return outcome;
      answered();
      if (outcome === 'answered, closing') return 'closed by the server';
    }
  } finally {
    agent.destroy();
  }
}

function requestOnce(port: number, agent: Agent, health: boolean): Promise<'answered' | 'answered, closing' | LoopEnd> {
  const body = slashCommandBody({ command: '/cowsay', text: 'keep alive' });
  const timestamp = String(nowSeconds());
  const headers = health
    ? {}
    : {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': timestamp,
        'X-Slack-Signature': slackSignature(TEST_SIGNING_SECRET, timestamp, body),
      };
  return new Promise((resolve) => {
    const request = httpRequest(
      {
        port,
        host: '127.0.0.1',
        agent,
        method: health ? 'GET' : 'POST',
        path: health ? '/healthz' : '/slack/events',
        headers,
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode !== 200) resolve(`reset: answered ${response.statusCode}`);
          else resolve(response.headers.connection === 'close' ? 'answered, closing' : 'answered');
        });
        response.on('error', (error) => resolve(`reset: ${error.message}`));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ECONNREFUSED' ? 'refused' : `reset: ${error.code ?? error.message}`),
    );
    request.end(health ? undefined : body);
  });
}

describe('SIGTERM with keep-alive clients', () => {
  it('answers every request that reached the app, closes idle connections, and resets nothing', async () => {
    const port = await freePort();
    const started = spawnApp({
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(workDir, 'keep-alive.db')}`,
      // 30 clients on one address ask for /healthz far faster than the per-client limit allows.
      WEB_RATE_LIMIT: '0',
    });
    await waitForListening(started, port);

    // Idle keep-alive connections: one answered request each, then nothing.
    const idle = await Promise.all(Array.from({ length: 10 }, () => openRawConnection(port)));
    for (const connection of idle) {
      connection.socket.write(get('/healthz'));
      await connection.waitFor((received) => parseResponses(received).length === 1);
    }

    // Busy ones: SIGTERM once every client has had three answers, so all of them are mid-loop.
    const clients = 30;
    let warmedUp = 0;
    let sigterm: () => void = () => {};
    const allWarm = new Promise<void>((resolve) => {
      sigterm = resolve;
    });
    const loops = Array.from({ length: clients }, () => {
      let answers = 0;
      return requestLoop(port, () => {
        answers++;
        if (answers === 3 && ++warmedUp === clients) sigterm();
      });
    });
    await allWarm;
    started.child.kill('SIGTERM');

    const ends = await Promise.all(loops);
    expect(ends.filter((end) => end.startsWith('reset'))).toEqual([]);
    expect(ends.filter((end) => end === 'closed by the server').length).toBeGreaterThan(0);
    for (const connection of idle) expect((await connection.closed).error).toBeUndefined();
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain('Stopped cleanly');
  }, 30_000);
});

describe('secrets in the log', () => {
  it('never logs the signing secret, a token or the database password, errors included', async () => {
    const port = await freePort();
    const secrets = {
      SLACK_SIGNING_SECRET: 'log-check-signing-secret-7f3a9c21',
      SLACK_BOT_TOKEN: fakeSlackToken('xoxb', '0000000000', '1111111111', 'logchecktokenvalue'),
    };
    const databaseUrl = process.env.TEST_DATABASE_URL || undefined;
    const password = 'log-check-db-password-5e1d';
    const started = spawnApp({
      ...secrets,
      PORT: String(port),
      LOG_LEVEL: 'debug',
      DATABASE_URL:
        databaseUrl === undefined ? `sqlite:${join(workDir, 'secrets.db')}` : withPassword(databaseUrl, password),
    });
    await waitForListening(started, port);
    const baseUrl = `http://127.0.0.1:${port}`;
    const secret = secrets.SLACK_SIGNING_SECRET;
    // A full run: good and bad commands, forged requests, errors.
    await sendSlashCommand(baseUrl, { command: '/cowsay', text: 'hello' }, { secret });
    await sendSlashCommand(baseUrl, { command: '/cowsay', text: '-f /proc/self/environ x' }, { secret });
    await sendSlashCommand(baseUrl, { command: '/chat', text: 'a post' }, { secret });
    await sendSlashCommand(baseUrl, { command: '/chat', text: 'delete 999' }, { secret });
    await sendSlashCommand(baseUrl, { command: '/cowsay', text: 'forged' }, { secret: 'wrong-secret-000000000000' });
    await sendSlashCommand(baseUrl, { command: '/cowsay', text: 'stale' }, { secret, timestamp: nowSeconds() - 999 });
    await fetch(`${baseUrl}/slack/events`, { method: 'POST', body: 'x'.repeat(100_000) }).catch(() => undefined);
    await fetch(`${baseUrl}/say/${'%E0%A4%A'}`);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);

    let log = started.output();
    if (databaseUrl === undefined) {
      // Without PostgreSQL the run above had no password to leak; this one has, and fails to connect with it.
      const failing = spawnApp({
        ...secrets,
        PORT: '0',
        LOG_LEVEL: 'debug',
        DATABASE_URL: `postgres://cowsay:${password}@127.0.0.1:1/cowsay`,
      });
      expect(await failing.exited).toBe(1);
      log += failing.output();
    }
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(secrets.SLACK_SIGNING_SECRET);
    expect(log).not.toContain(secrets.SLACK_BOT_TOKEN);
    expect(log).not.toContain(password);
  }, 30_000);
});

/** Resolves once the app has written `text` to its output. */
function outputContaining(started: Started, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!started.output().includes(text)) return;
      started.child.stdout?.off('data', check);
      started.child.stderr?.off('data', check);
      resolve();
    };
    started.child.stdout?.on('data', check);
    started.child.stderr?.on('data', check);
    started.child.once('exit', () => reject(new Error(`exited before writing ${JSON.stringify(text)}`)));
    check();
  });
}

/** The test database URL with a password added: trust authentication ignores it, so the app still connects. */
function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}
