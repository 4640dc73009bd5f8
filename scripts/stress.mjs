#!/usr/bin/env node
/**
 * npm run stress: attacks the built app (dist/) on loopback as a hostile client would, most attacks
 * without Slack credentials, and prints what it withstood. Not part of npm test: it takes a few minutes
 * and its figures depend on the machine. Each phase starts a fresh app, is bounded in time and in
 * connections, and stops it; a watchdog ends the whole run.
 *
 *   npm run stress                                (builds first)
 *   STRESS_PHASES=pipelining,flood npm run stress (pipelining, render, flood, slow, cap, freeze)
 */
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { freezePhase, thawAll } from './stress-freeze.mjs';
import {
  children,
  countStatuses,
  ONLOOKER,
  randomWideText,
  sampleWhile,
  slashCommand,
  startApp,
  summary,
  timed,
} from './stress-kit.mjs';

const WATCHDOG_MS = 10 * 60_000;
/** Characters of random CJK text that still fit in a request line (Node accepts 16 KB of headers). */
const SAY_CHARACTERS = 1800;
const COWSAY_CHARACTERS = 2000;

const print = (line = '') => console.log(line);
const round = (value) => Math.round(value);

/** Runs an attack from scripts/stress-attacker.mjs in its own process; resolves with its result. */
function attack(name, options) {
  return new Promise((resolve, reject) => {
    const script = new URL('./stress-attacker.mjs', import.meta.url).pathname;
    const child = spawn(process.execPath, [script, name, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => {
      children.delete(child);
      if (code === 0) resolve(JSON.parse(output));
      else reject(new Error(`the ${name} attack exited with ${code}`));
    });
  });
}

async function pipeliningPhase() {
  print('## Clients pipelining GET / without reading the answers (15 s, reconnecting when cut)');
  const variants = [
    [20, {}],
    [150, {}],
    [150, { WEB_RATE_LIMIT: '0' }],
  ];
  for (const [connections, env] of variants) {
    const app = await startApp(env);
    const idle = app.memory().now;
    const attacking = attack('pipelining', { port: app.port, connections, durationMs: 15_000 });
    const probe = () => timed(app.port, { path: '/healthz', timeoutMs: 10_000, from: ONLOOKER });
    const health = await sampleWhile(attacking, 250, probe);
    const { cuts } = await attacking;
    const { peak } = app.memory();
    const limit = env.WEB_RATE_LIMIT === '0' ? ', per-client limit off' : '';
    print(`- ${connections} connections${limit}: RSS ${round(idle)} MB idle, peak ${round(peak)} MB; ${cuts} cut`);
    print(`  /healthz from another address meanwhile: ${countStatuses(health)}; ${summary(health.map((o) => o.ms))}`);
    await app.stop();
  }
}

/** `count` requests one after another, each waiting twice its own time after it (the web routes' share). */
async function paced(port, count, makeRequest) {
  const outcomes = [];
  for (let index = 0; index < count; index++) {
    const outcome = await timed(port, makeRequest());
    outcomes.push(outcome);
    await new Promise((resolve) => setTimeout(resolve, 2 * outcome.ms));
  }
  return outcomes;
}

const sayUrl = (text, width = 10) => `/say/${encodeURIComponent(text)}?W=${width}`;

async function renderPhase() {
  print('## Worst accepted input, one request at a time (each text random, so no cache helps)');
  const app = await startApp({ WEB_RATE_LIMIT: '0' });
  const cases = [
    ['GET /say/hello (baseline)', () => ({ path: '/say/hello' })],
    [`GET /say/<${SAY_CHARACTERS} random CJK>?W=10`, () => ({ path: sayUrl(randomWideText(SAY_CHARACTERS)) })],
    ['/cowsay hello (baseline)', () => slashCommand('/cowsay', 'hello')],
    [`/cowsay <${COWSAY_CHARACTERS} random CJK>`, () => slashCommand('/cowsay', randomWideText(COWSAY_CHARACTERS))],
  ];
  for (const [label, makeRequest] of cases) {
    await paced(app.port, 5, makeRequest);
    const outcomes = await paced(app.port, 40, makeRequest);
    print(`- ${label}: ${summary(outcomes.map((outcome) => outcome.ms))}; ${countStatuses(outcomes)}`);
  }
  await app.stop();
}

async function floodPhase() {
  print('## A signed /cowsay hello while 64 connections request worst-case /say pages (10 s)');
  const variants = [
    ['from one address', {}, false],
    ['from a new address each request (TRUST_PROXY_HOPS=1, X-Forwarded-For varied)', { TRUST_PROXY_HOPS: '1' }, true],
  ];
  for (const [label, env, forwarded] of variants) {
    const app = await startApp(env);
    const cowsay = () => timed(app.port, { ...slashCommand('/cowsay', 'hello'), timeoutMs: 15_000 });
    const quiet = [];
    for (let index = 0; index < 20; index++) quiet.push(await cowsay());
    const options = { port: app.port, connections: 64, durationMs: 10_000, characters: SAY_CHARACTERS, forwarded };
    const flood = attack('sayFlood', options);
    const during = await sampleWhile(flood, 200, cowsay);
    const { statuses } = await flood;
    const total = Object.values(statuses).reduce((sum, count) => sum + count, 0);
    const counts = Object.entries(statuses).map(
      ([status, count]) => `${status === '0' ? 'no answer' : status}: ${count}`,
    );
    print(`- ${label}:`);
    print(`  /cowsay without the flood: ${summary(quiet.map((outcome) => outcome.ms))}`);
    print(`  /cowsay during the flood:  ${summary(during.map((outcome) => outcome.ms))}; ${countStatuses(during)}`);
    print(`  the flood: ${total} requests (${round(total / 10)}/s): ${counts.join(', ')}`);
    await app.stop();
  }
}

/** Opens a connection, sends `bytes`, and resolves with when the server answered, when it closed, and what it said. */
function heldFor(port, bytes) {
  return new Promise((resolve) => {
    const started = performance.now();
    let answer = '';
    let answeredMs = Number.NaN;
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on('data', (chunk) => {
      if (answer === '') answeredMs = performance.now() - started;
      answer += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () =>
      resolve({ answeredMs, closedMs: performance.now() - started, answer: answer.split('\r\n')[0] || 'nothing' }),
    );
  });
}

async function slowPhase() {
  print('## Slow clients: how long a connection is kept (headers and body time: 10 s)');
  const app = await startApp();
  const body = 'POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n';
  const cases = [
    ['connects and sends nothing', ''],
    ['sends half its headers', 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: '],
    ['sends headers, then 1 KB of a 32 KB body', `${body}Content-Length: 32768\r\n\r\n${'a'.repeat(1024)}`],
  ];
  const results = await Promise.all(cases.map(([, bytes]) => heldFor(app.port, bytes)));
  const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
  cases.forEach(([label], index) => {
    const { answeredMs, closedMs, answer } = results[index];
    print(`- ${label}: "${answer}" after ${seconds(answeredMs)}, closed after ${seconds(closedMs)}`);
  });
  await app.stop();
}

/** `count` connections that each send headers and most of a 32 KB body, then stall (reading what comes). */
function stalledBodies(port, count) {
  const request = `POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 32768\r\n\r\n${'a'.repeat(32_000)}`;
  return Array.from({ length: count }, () => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.on('error', () => {});
    socket.resume();
    return new Promise((resolve) => socket.once('close', () => resolve(performance.now() - started)));
  });
}

/** Resolves with `promise`'s value, or `undefined` if it takes longer than `ms`. */
const within = (promise, ms) => Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);

async function capPhase() {
  print('## 1,500 stalled 32 KB bodies at once against the cap of 1,000 open connections (the default)');
  const app = await startApp();
  const existing = new Agent({ keepAlive: true, maxSockets: 1 });
  await timed(app.port, { path: '/healthz', agent: existing });
  const idle = app.memory().now;
  const stalled = stalledBodies(app.port, 1500);
  const early = await Promise.all(stalled.map((closed) => within(closed, 3000)));
  const refused = early.filter((ms) => ms !== undefined);
  print(`- ${refused.length} closed as soon as accepted; from connect to close, in the queue behind the first 1,000:`);
  print(`  ${summary(refused)}`);
  const fresh = [];
  for (let index = 0; index < 50; index++) fresh.push(await within(stalledBodies(app.port, 1)[0], 3000));
  print(`- while full, a new connection is closed in ${summary(fresh.filter((ms) => ms !== undefined))}`);
  const served = await timed(app.port, { path: '/healthz', agent: existing, timeoutMs: 5000 });
  print(
    `- meanwhile /healthz on a keep-alive connection opened before: ${served.status || served.error} in ${served.ms.toFixed(1)} ms`,
  );
  const held = (await Promise.all(stalled)).filter((_, index) => early[index] === undefined);
  print(
    `- the ${held.length} accepted were cut by the body timeout after ${summary(
      held.map((ms) => ms / 1000),
      's',
    )}`,
  );
  print(`- RSS ${round(idle)} MB before, peak ${round(app.memory().peak)} MB`);
  existing.destroy();
  await app.stop();
}

const PHASES = {
  pipelining: pipeliningPhase,
  render: renderPhase,
  flood: floodPhase,
  slow: slowPhase,
  cap: capPhase,
  freeze: () => freezePhase(print),
};

async function main() {
  const chosen = (process.env.STRESS_PHASES ?? Object.keys(PHASES).join(',')).split(',').map((name) => name.trim());
  print(`# npm run stress: node ${process.version}, ${new Date().toISOString()}`);
  for (const name of chosen) {
    const phase = PHASES[name];
    if (phase === undefined)
      throw new Error(`unknown phase "${name}"; the phases are ${Object.keys(PHASES).join(', ')}`);
    print();
    await phase();
  }
}

const watchdog = setTimeout(() => {
  console.error(`stress: still running after ${WATCHDOG_MS / 60_000} minutes; stopping.`);
  shutDown(1);
}, WATCHDOG_MS);
watchdog.unref();

function shutDown(code) {
  thawAll();
  for (const child of children) child.kill('SIGKILL');
  process.exit(code);
}
process.once('SIGINT', () => shutDown(130));

main().then(
  () => shutDown(0),
  (error) => {
    console.error(`stress: ${error instanceof Error ? error.message : String(error)}`);
    shutDown(1);
  },
);
