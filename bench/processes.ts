/**
 * The server processes under test: spawning them (pinned to one core where `taskset` exists), waiting
 * for the first answered command, reading their CPU time and memory from /proc, and stopping them.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_SIGNING_SECRET, signedHeaders, slashCommandBody } from './slack-request.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Where the servers and the load generator run. `undefined`: wherever the OS puts them. */
export interface Pinning {
  serverCpu: number | undefined;
  loadCpu: number | undefined;
}

/**
 * Servers on the last core, the load generator (this process) on the first, when there are two cores and
 * `taskset` to say so. Sharing a core with the load generator would make each server pay for its own load.
 */
export function pinProcesses(): Pinning {
  const cores = availableParallelism();
  if (cores < 2 || !hasTaskset()) return { serverCpu: undefined, loadCpu: undefined };
  const pinning = { serverCpu: cores - 1, loadCpu: 0 };
  // -a: every thread of this process, libuv's pool included.
  execFileSync('taskset', ['-a', '-p', '-c', String(pinning.loadCpu), String(process.pid)], { stdio: 'ignore' });
  return pinning;
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface ServerSpec {
  name: string;
  /** A script path relative to the repository root. */
  script: string;
  /** Options for node itself (V8 flags such as --optimize-for-size), placed before the script. */
  nodeArgs?: readonly string[];
  env: Record<string, string>;
}

/** How the benchmark runs the app: its entry script, optionally with node options ("--optimize-for-size"). */
export interface AppEntry {
  label: string;
  /** Relative to the repository root. */
  script: string;
  nodeArgs: readonly string[];
}

export interface RunningServer {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** Milliseconds from spawn to the first signed `/cowsay` answered with 200. */
  readonly coldStartMs: number;
  stop(): Promise<void>;
}

/** How long a server may take to answer its first command before the benchmark gives up on it. */
const START_DEADLINE_MS = 30_000;
const POLL_INTERVAL_MS = 2;
const STOP_DEADLINE_MS = 10_000;

/** Spawns a server and resolves once it has answered a signed `/cowsay` (that moment is its cold start). */
export async function startServer(spec: ServerSpec, pinning: Pinning): Promise<RunningServer> {
  const port = await freePort();
  const env = { ...process.env, ...spec.env, PORT: String(port), SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET };
  const node = [process.execPath, ...(spec.nodeArgs ?? []), spec.script];
  const [command, args] =
    pinning.serverCpu === undefined
      ? [process.execPath, node.slice(1)]
      : ['taskset', ['-c', String(pinning.serverCpu), ...node]];
  const started = performance.now();
  // taskset execs node in place, so the child's pid is the server's pid.
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = captureTail(child);
  let exitCode: number | null | undefined;
  child.once('exit', (code) => {
    exitCode = code;
  });

  const body = slashCommandBody({ command: '/cowsay', text: 'moo' });
  const headers = signedHeaders(body);
  let answered = false;
  while (!answered && exitCode === undefined && performance.now() - started < START_DEADLINE_MS) {
    const answer = await post(port, body, headers).catch(() => undefined);
    answered = answer?.status === 200;
    if (!answered) await sleep(POLL_INTERVAL_MS);
  }
  const coldStartMs = performance.now() - started;
  if (!answered) {
    child.kill('SIGKILL');
    const why = exitCode !== undefined ? `exited with ${exitCode}` : `did not answer within ${START_DEADLINE_MS} ms`;
    throw new Error(`${spec.name} (${spec.script}) ${why}.\n${stderr()}`);
  }

  return {
    name: spec.name,
    pid: child.pid ?? -1,
    port,
    coldStartMs,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<'exited'>((resolve) => child.once('exit', () => resolve('exited')));
  child.kill('SIGTERM');
  const timer = new AbortController();
  const deadline = sleep(STOP_DEADLINE_MS, 'timeout' as const, { signal: timer.signal }).catch(() => 'exited' as const);
  const outcome = await Promise.race([exited, deadline]);
  // Cancel the deadline, or its timer would keep the benchmark alive after the last server stopped.
  timer.abort();
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** The last few KB a child wrote to stderr, to explain a failed start. */
function captureTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4096);
  });
  return () => tail;
}

export interface Answer {
  status: number;
  body: string;
}

/** One POST to /slack/events on its own connection. */
export function post(port: number, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path: SLACK_EVENTS_PATH, method: 'POST', headers, agent: false, timeout: 5000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });
}

const CLOCK_TICKS_PER_SECOND = clockTicks();

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** User + system CPU seconds the process has used so far (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; fields are counted from the ')' that closes it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Resident set size in bytes now (VmRSS) and at its peak so far (VmHWM), from /proc/<pid>/status. Under
 * load the app's heap saws up and down between full GCs, so one sample of VmRSS depends on the moment;
 * the peak does not.
 */
export function rssBytes(pid: number): { now: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { now: kilobytes('VmRSS') * 1024, peak: kilobytes('VmHWM') * 1024 };
  } catch {
    return undefined;
  }
}
