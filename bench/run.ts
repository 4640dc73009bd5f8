/**
 * `npm run bench`: the app against the bare-Node yardstick, then the message store at scale.
 *
 * Part 1 starts the built app (`dist/index.js`) and `bench/baseline-server.ts`, loads each with signed
 * `/cowsay hello world` requests in alternating rounds, and reports medians: req/s, the ratio to the
 * baseline, p50/p99 latency, CPU per request, RSS after load, and cold start (spawn → first answer).
 * Part 2 measures `/chat` list and post through the app with 1k and 1M messages on the board, on SQLite
 * and, when a PostgreSQL URL is configured, on PostgreSQL.
 *
 * It prints markdown tables on stdout and progress on stderr. It never fails on a number: targets are
 * for people to read, and numbers vary between machines.
 *
 * Knobs (environment): BENCH_DURATION (s per round, default 8), BENCH_ROUNDS (3), BENCH_WARMUP (s, 2),
 * BENCH_CONNECTIONS (10), BENCH_COLD_STARTS (7), BENCH_PARTS (cowsay,store), BENCH_STORE_MESSAGES
 * (1000000), BENCH_STORE_DURATION (s per measurement, 5), BENCH_POSTGRES_URL (default TEST_DATABASE_URL;
 * "off" skips PostgreSQL), BENCH_APPS (entry scripts to compare, comma-separated, each optionally
 * preceded by node options, e.g. "dist/index.js,--optimize-for-size dist/index.js"; default dist/index.js;
 * the store part uses the first script).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad } from './load.js';
import {
  type AppEntry,
  cpuSeconds,
  type Pinning,
  pinProcesses,
  post,
  type RunningServer,
  rssBytes,
  type ServerSpec,
  startServer,
} from './processes.js';
import { formatMegabytes, formatNumber, markdownTable, median, progress } from './report.js';
import { SIGNATURE_LIFETIME_SECONDS, signedHeaders, slashCommandBody } from './slack-request.js';
import { benchStore, type StoreKnobs } from './store.js';

const BASELINE_SCRIPT = 'dist/bench/bench/baseline-server.js';

interface Knobs extends StoreKnobs {
  durationSeconds: number;
  rounds: number;
  connections: number;
  coldStarts: number;
  parts: ReadonlySet<string>;
  apps: readonly AppEntry[];
}

/** An entry of BENCH_APPS: a script, optionally preceded by node options ("--optimize-for-size dist/index.js"). */
function parseAppEntry(entry: string): AppEntry {
  const words = entry.split(/\s+/);
  return { label: entry, script: words[words.length - 1] ?? entry, nodeArgs: words.slice(0, -1) };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function readKnobs(env: NodeJS.ProcessEnv): Knobs {
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
    }
    return value;
  };
  const postgres = env.BENCH_POSTGRES_URL ?? env.TEST_DATABASE_URL;
  const apps = list(env.BENCH_APPS ?? 'dist/index.js').map(parseAppEntry);
  return {
    // A signature is signed once per round, so a round must end inside its validity.
    durationSeconds: whole('BENCH_DURATION', 8, 1, SIGNATURE_LIFETIME_SECONDS),
    rounds: whole('BENCH_ROUNDS', 3, 1, 50),
    warmupSeconds: whole('BENCH_WARMUP', 2, 0, 60),
    connections: whole('BENCH_CONNECTIONS', 10, 1, 1000),
    coldStarts: whole('BENCH_COLD_STARTS', 7, 1, 50),
    parts: new Set(list(env.BENCH_PARTS ?? 'cowsay,store')),
    apps,
    app: apps[0] ?? parseAppEntry('dist/index.js'),
    storeMessages: whole('BENCH_STORE_MESSAGES', 1_000_000, 1_000, 100_000_000),
    storeDurationSeconds: whole('BENCH_STORE_DURATION', 5, 1, SIGNATURE_LIFETIME_SECONDS),
    postgresUrl: postgres === undefined || postgres === '' || postgres === 'off' ? undefined : postgres,
  };
}

async function main(): Promise<void> {
  const knobs = readKnobs(process.env);
  for (const script of [...knobs.apps.map((app) => app.script), BASELINE_SCRIPT]) {
    if (!existsSync(script)) throw new Error(`${script} is missing: run the benchmark with \`npm run bench\`.`);
  }
  const pinning = pinProcesses();
  const where =
    pinning.serverCpu === undefined
      ? 'no CPU pinning (needs taskset and 2 cores)'
      : `servers pinned to CPU ${pinning.serverCpu}, load generator to CPU ${pinning.loadCpu}`;
  console.log(`Node ${process.version}, ${where}, loopback. Load average before: ${loadAverage()}.\n`);

  const scratch = mkdtempSync(join(tmpdir(), 'cowsay-bench-'));
  try {
    if (knobs.parts.has('cowsay')) await benchCowsay(knobs, pinning, scratch);
    if (knobs.parts.has('store')) await benchStore(knobs, pinning, scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Anything else running on these cores takes from the servers; a load average well above what the
  // benchmark itself adds (about 2) means the numbers above are low.
  console.log(`Load average after: ${loadAverage()}.`);
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

interface Round {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosPerRequest: number;
  failures: number;
}

interface ServerResults {
  rounds: Round[];
  coldStartsMs: number[];
  /** Requests answered in all rounds, warm-up included: what the RSS is measured after. */
  served: number;
  rss: { now: number; peak: number } | undefined;
}

async function benchCowsay(knobs: Knobs, pinning: Pinning, scratch: string): Promise<void> {
  const specs: ServerSpec[] = [
    { name: 'baseline: bare node:http', script: BASELINE_SCRIPT, env: {} },
    // The app as deployed, with its SQLite store in a scratch file (part 1 never touches the store).
    ...knobs.apps.map((app, index) => ({
      name: knobs.apps.length === 1 ? 'app: Bolt App + our receiver' : `app: ${app.label}`,
      script: app.script,
      nodeArgs: app.nodeArgs,
      env: { DATABASE_URL: `sqlite:${join(scratch, `cowsay-${index}.db`)}` },
    })),
  ];
  const results = new Map<ServerSpec, ServerResults>(
    specs.map((spec) => [spec, { rounds: [], coldStartsMs: [], served: 0, rss: undefined }]),
  );
  /** Each round rotates who goes first, so drift (thermal, page cache, other tenants) hits all alike. */
  const inTurn = (round: number) => {
    const first = round % specs.length;
    return [...specs.slice(first), ...specs.slice(0, first)];
  };

  for (let attempt = 0; attempt < knobs.coldStarts; attempt += 1) {
    for (const spec of inTurn(attempt)) {
      const server = await startServer(spec, pinning);
      results.get(spec)?.coldStartsMs.push(server.coldStartMs);
      await server.stop();
    }
  }
  progress(`cold starts done (${knobs.coldStarts} each)`);

  const body = slashCommandBody({ command: '/cowsay', text: 'hello world' });
  const servers = new Map<ServerSpec, RunningServer>();
  let sameReply = false;
  try {
    for (const spec of specs) servers.set(spec, await startServer(spec, pinning));
    sameReply = await compareReplies([...servers.values()], body);
    // Round -1 is the warm-up: the JIT and the heap settle before anything is recorded.
    for (let round = -1; round < knobs.rounds; round += 1) {
      if (round < 0 && knobs.warmupSeconds === 0) continue;
      for (const spec of inTurn(round + 1)) {
        const server = servers.get(spec);
        const result = results.get(spec);
        if (server === undefined || result === undefined) continue;
        const recorded = await loadRound(server, body, round < 0 ? knobs.warmupSeconds : knobs.durationSeconds, knobs);
        result.served += recorded.requests;
        if (round < 0) continue;
        result.rounds.push(recorded.round);
        progress(
          `round ${round + 1}/${knobs.rounds} ${spec.name}: ${formatNumber(recorded.round.requestsPerSecond)} req/s, p99 ${formatNumber(recorded.round.p99Ms, 2)} ms`,
        );
      }
    }
    for (const [spec, server] of servers) {
      const result = results.get(spec);
      if (result !== undefined) result.rss = rssBytes(server.pid);
    }
  } finally {
    for (const server of servers.values()) await server.stop();
  }
  printCowsayTable(knobs, specs, results, sameReply);
}

/** One round against one server; CPU per request is the server's own user+system time over the round. */
async function loadRound(
  server: RunningServer,
  body: string,
  durationSeconds: number,
  knobs: Knobs,
): Promise<{ round: Round; requests: number }> {
  const cpuBefore = cpuSeconds(server.pid);
  const result = await runLoad({ port: server.port, body, connections: knobs.connections, durationSeconds });
  const cpuAfter = cpuSeconds(server.pid);
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? Number.NaN : cpuAfter - cpuBefore;
  return { round: { ...result, cpuMicrosPerRequest: (cpu * 1e6) / result.requests }, requests: result.requests };
}

function printCowsayTable(
  knobs: Knobs,
  specs: readonly ServerSpec[],
  results: ReadonlyMap<ServerSpec, ServerResults>,
  sameReply: boolean,
): void {
  const medianOf = (spec: ServerSpec | undefined, field: keyof Round) =>
    median((spec === undefined ? [] : (results.get(spec)?.rounds ?? [])).map((round) => round[field]));
  const baselineRate = medianOf(specs[0], 'requestsPerSecond');
  const rows = specs.map((spec) => {
    const result = results.get(spec);
    const rate = medianOf(spec, 'requestsPerSecond');
    return [
      spec.name,
      formatNumber(rate),
      `${formatNumber(rate / baselineRate, 2)}×`,
      `${formatNumber(medianOf(spec, 'p50Ms'), 2)} ms`,
      `${formatNumber(medianOf(spec, 'p99Ms'), 2)} ms`,
      `${formatNumber(medianOf(spec, 'cpuMicrosPerRequest'))} µs`,
      `${formatMegabytes(result?.rss?.now)} / ${formatMegabytes(result?.rss?.peak)}`,
      `${formatNumber((result?.served ?? 0) / 1000)}k`,
      `${formatNumber(median(result?.coldStartsMs ?? []))} ms`,
      formatNumber(result?.rounds.reduce((sum, round) => sum + round.failures, 0)),
    ];
  });
  console.log(
    `### /cowsay hello world: medians of ${knobs.rounds} alternating rounds of ${knobs.durationSeconds} s, ${knobs.connections} connections\n`,
  );
  console.log(
    markdownTable(
      ['server', 'req/s', 'vs baseline', 'p50', 'p99', 'CPU/req', 'RSS / peak', 'served', 'cold start', 'non-2xx'],
      rows,
    ),
  );
  console.log(
    [
      '',
      "CPU/req: the server process's user+system time (/proc/<pid>/stat) over a round, per request answered.",
      'RSS / peak: VmRSS after all its rounds, and VmHWM (the most it ever held); served: requests answered by then.',
      `Cold start: spawn → first signed /cowsay answered, median of ${knobs.coldStarts}.`,
      `Replies identical: ${sameReply ? 'yes' : 'NO (see stderr)'}.`,
      'Targets (issue "Performance"): ≥ 0.5× the baseline, p99 ≤ 3 ms, cold start ≤ 250 ms, RSS ≤ 90 MB after 100k requests.',
      '',
    ].join('\n'),
  );
}

/** Both servers must give the same answer to the benchmark's request, or the comparison means nothing. */
async function compareReplies(servers: readonly RunningServer[], body: string): Promise<boolean> {
  const answers = await Promise.all(servers.map((server) => post(server.port, body, signedHeaders(body))));
  const first = answers[0];
  const same = answers.every((answer) => answer.status === first?.status && answer.body === first?.body);
  if (!same) {
    answers.forEach((answer, index) => {
      progress(`reply of ${servers[index]?.name}: ${answer.status} ${answer.body.slice(0, 300)}`);
    });
  }
  return same;
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
