#!/usr/bin/env node
/**
 * `npm run container:check`: builds the image from the Dockerfile and smoke-tests it the way an operator
 * would run it. Not part of `npm test`: it needs a container engine and takes a minute or two.
 *
 * Checks: the image's own layers add at most 50 MB to the runtime base; it runs as uid 1000 with node as
 * PID 1; it holds no .env, sources, tests or dev dependencies; /healthz, a signed /cowsay and /chat answer;
 * every stdout line is JSON; the HEALTHCHECK command passes; a /chat post survives into a second container
 * on the same volume; SIGTERM ends a container with exit code 0 well inside docker's 10 s; and, when a
 * PostgreSQL URL is given, the same with DATABASE_URL pointing at it (host networking).
 *
 * Environment: CONTAINER_CLI (default `docker`; e.g. `podman`), BUILD_IMAGE and NODE_IMAGE (passed as build
 * arguments when set), IMAGE_TAG (default cowsay-slack:check), CHECK_POSTGRES_URL (default TEST_DATABASE_URL;
 * `off` skips PostgreSQL). Containers use the host's network, on a free port.
 */
import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = (process.env.CONTAINER_CLI ?? 'docker').split(/\s+/).filter(Boolean);
const tag = process.env.IMAGE_TAG ?? 'cowsay-slack:check';
const postgresUrl = process.env.CHECK_POSTGRES_URL ?? process.env.TEST_DATABASE_URL;
const run = `check-${process.pid}-${Date.now().toString(36)}`;
const secret = randomBytes(24).toString('hex');
const MAX_ADDED_BYTES = 50 * 1000 * 1000;
const STOP_LIMIT_MS = 5000;

const containers = new Set();
let failures = 0;

function ok(what) {
  console.log(`  ok    ${what}`);
}

function fail(what) {
  failures += 1;
  console.log(`  FAIL  ${what}`);
}

function check(condition, what, detail = '') {
  if (condition) ok(what);
  else fail(detail === '' ? what : `${what}: ${detail}`);
}

/** Runs the container CLI; throws with its output unless `allowFailure`. */
function engine(args, { allowFailure = false, inherit = false, env } = {}) {
  const [command, ...prefix] = cli;
  const result = spawnSync(command, [...prefix, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: inherit ? ['ignore', 'inherit', 'inherit'] : 'pipe',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${cli.join(' ')} could not be run: ${result.error.message}`);
  if (result.status !== 0 && !allowFailure) {
    throw new Error(`${cli.join(' ')} ${args[0]} failed (${result.status}):\n${result.stderr ?? ''}`);
  }
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function inspect(kind, name, format) {
  return engine([kind, 'inspect', '--format', format, name]).stdout.trim();
}

function buildImage() {
  const buildArgs = ['BUILD_IMAGE', 'NODE_IMAGE'].flatMap((name) =>
    process.env[name] ? ['--build-arg', `${name}=${process.env[name]}`] : [],
  );
  console.log(`Building ${tag} with ${cli.join(' ')}…`);
  // Podman writes OCI images by default, which have no HEALTHCHECK; docker ignores this variable.
  engine(['build', '--network', 'host', ...buildArgs, '-t', tag, '.'], {
    inherit: true,
    env: { BUILDAH_FORMAT: 'docker' },
  });
}

function checkImage() {
  console.log('Image');
  const size = Number(inspect('image', tag, '{{.Size}}'));
  const base = process.env.NODE_IMAGE ?? 'node:24-bookworm-slim';
  const added = size - Number(inspect('image', base, '{{.Size}}'));
  check(added <= MAX_ADDED_BYTES, `adds ${(added / 1e6).toFixed(1)} MB to ${base} (at most 50 MB)`);
  check(inspect('image', tag, '{{.Config.User}}') === 'node', 'runs as the node user');
  const env = JSON.parse(inspect('image', tag, '{{json .Config.Env}}'));
  const secretish = env.filter((entry) => /SECRET|TOKEN|PASSWORD|KEY/i.test(entry.split('=')[0]));
  check(secretish.length === 0, 'no secret in the image environment', secretish.join(', '));
  checkFiles();
}

/** Lists /app, /data and the node user's home inside the image, and looks for what must not be there. */
function checkFiles() {
  const lister = `
    const fs = require('fs'), path = require('path'); const out = [];
    const walk = (dir, depth) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name); out.push(p); if (e.isDirectory() && depth > 0) walk(p, depth - 1); } };
    for (const dir of ['/app', '/data', '/home/node']) if (fs.existsSync(dir)) walk(dir, 2);
    console.log(JSON.stringify(out));`;
  const files = JSON.parse(
    engine(['run', '--rm', '--network', 'host', '--entrypoint', 'node', tag, '-e', lister]).stdout,
  );
  const top = files.filter((file) => /^\/app\/[^/]+$/.test(file)).map((file) => file.slice(5));
  check(
    top.sort().join(' ') === 'dist node_modules package.json',
    '/app holds only dist/, node_modules/ and package.json',
    top.join(' '),
  );
  const forbidden = files.filter((file) =>
    /(^|\/)(\.env[^/]*|\.git|\.npmrc|test|tests|bench|src|tools|tsconfig[^/]*\.json)$|\.ts$|\.map$|\.db$/.test(
      file.replace(/^\/app\/node_modules\/.*/, ''),
    ),
  );
  check(forbidden.length === 0, 'no .env, .npmrc, .git, sources, tests, tools, maps or databases', forbidden.join(' '));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const devOnly = Object.entries(lock.packages)
    .filter(([where, entry]) => entry.dev && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(where))
    .map(([where]) => `/app/${where}`);
  const present = devOnly.filter((dir) => files.includes(dir));
  check(present.length === 0, `none of the ${devOnly.length} dev-only packages`, present.join(' '));
}

/** A free TCP port on this host; containers share the host's network. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function startContainer(port, env, volume) {
  const name = `cowsay-${run}-${containers.size + 1}`;
  const envArgs = Object.entries({ PORT: String(port), SLACK_SIGNING_SECRET: secret, ...env }).flatMap(
    ([key, value]) => ['-e', `${key}=${value}`],
  );
  const volumeArgs = volume === undefined ? [] : ['-v', `${volume}:/data`];
  engine(['run', '-d', '--name', name, '--network', 'host', ...envArgs, ...volumeArgs, tag]);
  containers.add(name);
  return name;
}

async function waitForHealth(name, port) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (response?.status === 200) return response;
    if (inspect('container', name, '{{.State.Running}}') !== 'true') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not become healthy:\n${engine(['logs', name], { allowFailure: true }).stdout}`);
}

/** POSTs a slash command signed the way Slack signs it; resolves with the reply's text and blocks. */
async function slash(port, command, text, channel) {
  const body = new URLSearchParams({
    command,
    text,
    team_id: 'T0CHECK',
    channel_id: channel,
    user_id: 'U0CHECK',
    response_url: 'https://hooks.slack.com/commands/T0CHECK/1/x',
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': timestamp,
      'X-Slack-Signature': signature,
    },
    body,
  });
  const reply = response.status === 200 ? await response.json() : {};
  return { status: response.status, text: `${reply.text ?? ''}\n${reply.blocks?.[0]?.text?.text ?? ''}` };
}

/** Sends SIGTERM as `docker stop` does and waits for the exit; resolves with the code and the time it took. */
function stopContainer(name) {
  const started = Date.now();
  engine(['kill', '--signal', 'TERM', name]);
  const code = Number(engine(['wait', name]).stdout.trim().split('\n').pop());
  return { code, ms: Date.now() - started };
}

function checkStop(name) {
  const { code, ms } = stopContainer(name);
  check(
    code === 0 && ms < STOP_LIMIT_MS,
    `SIGTERM: exit code ${code} after ${ms} ms (want 0, within ${STOP_LIMIT_MS} ms)`,
  );
  const lines = engine(['logs', name])
    .stdout.split('\n')
    .filter((line) => line !== '');
  const notJson = lines.filter((line) => {
    try {
      return typeof JSON.parse(line) !== 'object';
    } catch {
      return true;
    }
  });
  check(lines.length > 0 && notJson.length === 0, `all ${lines.length} stdout lines are JSON`, notJson[0] ?? 'none');
}

function checkProcess(name) {
  const status = engine(['exec', name, 'cat', '/proc/1/status']).stdout;
  const cmdline = engine(['exec', name, 'cat', '/proc/1/cmdline']).stdout.split('\0').filter(Boolean);
  check(/^Uid:\s+1000\s/m.test(status), 'the app runs as uid 1000');
  check(cmdline.join(' ') === 'node dist/index.js', 'PID 1 is node dist/index.js itself', cmdline.join(' '));
  const test = JSON.parse(inspect('image', tag, '{{json .Config.Healthcheck.Test}}'));
  const command = test[0] === 'CMD-SHELL' ? ['sh', '-c', test[1]] : test.slice(1);
  check(engine(['exec', name, ...command], { allowFailure: true }).status === 0, 'the HEALTHCHECK command passes');
}

async function checkSqlite() {
  console.log('SQLite on a volume');
  const volume = `cowsay-${run}-data`;
  engine(['volume', 'create', volume]);
  try {
    const port = await freePort();
    const first = startContainer(port, {}, volume);
    const health = await waitForHealth(first, port);
    check(health.headers.get('x-request-id') !== null, 'GET /healthz: 200 with an X-Request-ID');
    checkProcess(first);
    const cow = await slash(port, '/cowsay', 'moo from the container', 'C0CHECK');
    check(cow.status === 200 && cow.text.includes('(oo)'), 'a signed /cowsay answers with the cow');
    const note = `kept across containers ${run}`;
    const posted = await slash(port, '/chat', note, 'C0CHECK');
    check(posted.text.startsWith('Posted as'), 'a signed /chat post is stored', posted.text);
    checkStop(first);
    const second = startContainer(port, {}, volume);
    await waitForHealth(second, port);
    const listed = await slash(port, '/chat', 'list', 'C0CHECK');
    check(listed.text.includes(note), 'a second container on the same volume lists the post');
    checkStop(second);
  } finally {
    removeContainers();
    engine(['volume', 'rm', '-f', volume], { allowFailure: true });
  }
}

async function checkPostgres() {
  if (postgresUrl === undefined || postgresUrl === 'off') {
    console.log('PostgreSQL: skipped (set CHECK_POSTGRES_URL or TEST_DATABASE_URL)');
    return;
  }
  console.log('PostgreSQL');
  try {
    const port = await freePort();
    const name = startContainer(port, { DATABASE_URL: postgresUrl });
    await waitForHealth(name, port);
    ok('GET /healthz: 200 with DATABASE_URL set to PostgreSQL');
    const channel = `C${randomBytes(5).toString('hex').toUpperCase()}`;
    const posted = await slash(port, '/chat', `stored in PostgreSQL ${run}`, channel);
    const listed = await slash(port, '/chat', 'list', channel);
    check(posted.text.startsWith('Posted as') && listed.text.includes(run), 'a /chat post is stored and listed');
    checkStop(name);
  } finally {
    removeContainers();
  }
}

function removeContainers() {
  for (const name of containers) engine(['rm', '-f', name], { allowFailure: true });
  containers.clear();
}

try {
  buildImage();
  checkImage();
  await checkSqlite();
  await checkPostgres();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  removeContainers();
}
console.log(failures === 0 ? `\n${tag}: every check passed.` : `\n${tag}: ${failures} check(s) failed.`);
process.exit(failures === 0 ? 0 : 1);
