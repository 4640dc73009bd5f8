/**
 * The tools scripts/stress.mjs attacks with: the built app as a child process on loopback, Slack-signed
 * requests, timed requests, random wide text and figures. Every server it talks to is one it started itself.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Only ever used against apps this script starts. */
export const SECRET = 'stress-signing-secret-0123456789abcdef';
const ENTRY = new URL('../dist/index.js', import.meta.url).pathname;
const START_DEADLINE_MS = 20_000;
const STOP_DEADLINE_MS = 15_000;

/** Every app started, so that a watchdog or an error can stop them all. */
export const children = new Set();

/** Spawns dist/index.js with its own SQLite file (unless `env` names a database) and waits for /healthz. */
export async function startApp(env = {}) {
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'cowsay-stress-'));
  const child = spawn(process.execPath, [ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_SIGNING_SECRET: SECRET,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: `sqlite:${join(scratch, 'cowsay.db')}`,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  let log = '';
  child.stderr.on('data', (chunk) => {
    log = (log + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const started = performance.now();
  while ((await timed(port, { path: '/healthz', timeoutMs: 1000 })).status !== 200) {
    if (child.exitCode !== null || performance.now() - started > START_DEADLINE_MS) {
      child.kill('SIGKILL');
      throw new Error(`the app did not start:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
    await exited;
    clearTimeout(timer);
    children.delete(child);
    rmSync(scratch, { recursive: true, force: true });
  };
  return { port, pid: child.pid, log: () => log, memory: () => memoryOf(child.pid), stop };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resident memory now and at its peak since the process started, in MB, from /proc. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const megabytes = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1]) / 1024;
    return { now: megabytes('VmRSS'), peak: megabytes('VmHWM') };
  } catch {
    return { now: Number.NaN, peak: Number.NaN };
  }
}

/** The address an onlooker's requests come from, so that the attackers' per-client limit is not its own. */
export const ONLOOKER = '127.0.0.2';

/**
 * One request; resolves with its status (0 on an error or a timeout), what went wrong and how long it took.
 * `agent` false (the default) opens a connection of its own; `from` picks the loopback address it comes from.
 */
export function timed(port, { method = 'GET', path, headers = {}, body, agent = false, timeoutMs = 10_000, from }) {
  const started = performance.now();
  return new Promise((resolve) => {
    const finish = (status, error) => resolve({ status, error, ms: performance.now() - started });
    const options = { host: '127.0.0.1', port, method, path, headers, agent, localAddress: from };
    const outgoing = request(options, (response) => {
      response.resume();
      response.on('end', () => finish(response.statusCode ?? 0, undefined));
      response.on('error', (error) => finish(0, error.code ?? error.message));
    });
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    outgoing.on('error', (error) => finish(0, error.code ?? error.message));
    outgoing.end(body);
  });
}

/** A slash command signed the way Slack signs it, each with its own trigger_id as Slack gives. */
export function slashCommand(command, text) {
  const body = new URLSearchParams({
    token: 'unused',
    team_id: 'T0STRESS1',
    team_domain: 'stress',
    channel_id: 'C0STRESS1',
    channel_name: 'stress',
    user_id: 'U0STRESS1',
    user_name: 'stress',
    command,
    text,
    api_app_id: 'A0STRESS1',
    response_url: 'https://hooks.slack.com/commands/T0STRESS1/1/stress',
    trigger_id: randomUUID(),
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', SECRET).update(`v0:${timestamp}:`).update(body).digest('hex');
  const headers = {
    'Content-Type': 'application/x-www-form-urlencoded',
    'Content-Length': String(Buffer.byteLength(body)),
    'X-Slack-Request-Timestamp': timestamp,
    'X-Slack-Signature': `v0=${signature}`,
  };
  return { method: 'POST', path: '/slack/events', headers, body };
}

/** `length` random CJK ideographs: the text whose width lookups no cache can hold. */
export function randomWideText(length) {
  return String.fromCodePoint(...Array.from({ length }, () => 0x4e00 + Math.floor(Math.random() * 0x5000)));
}

/** Median, 95th percentile and maximum of `values`, as text. */
export function summary(values, unit = 'ms') {
  if (values.length === 0) return 'no samples';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
  const format = (value) =>
    `${unit === 's' ? value.toFixed(2) : value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
  return `median ${format(at(0.5))}, p95 ${format(at(0.95))}, max ${format(sorted.at(-1))} (n=${values.length})`;
}

/** How many of each status (0: no answer) a list of outcomes holds, as text. */
export function countStatuses(outcomes) {
  const counts = new Map();
  for (const { status } of outcomes) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status === 0 ? 'no answer' : status}: ${count}`)
    .join(', ');
}

/** Calls `probe` every `everyMs` until `until` settles; resolves with every result. */
export async function sampleWhile(until, everyMs, probe) {
  const results = [];
  let done = false;
  until.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  while (!done) {
    results.push(await probe());
    await Promise.race([until.catch(() => {}), new Promise((resolve) => setTimeout(resolve, everyMs))]);
  }
  return results;
}
