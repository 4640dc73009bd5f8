/**
 * The access line: one per request, with the request id (echoed in X-Request-ID), the route's name, the
 * status, the time taken and, for Slack, the command, its outcome and the team. Driven over HTTP through
 * the real app, with requests signed as Slack signs them.
 */
import { request as httpRequest } from 'node:http';
import type { CowCatalog } from '../../src/cowsay/cows.js';
import { openStore } from '../../src/store/index.js';
import type { MessageStore } from '../../src/store/message-store.js';
import {
  createCapturingLogger,
  createFakeStore,
  postToSlack,
  sendSlashCommand,
  slashCommandBody,
  testCatalog,
} from '../helpers.js';
import { createTempDir, type TempDir } from '../store/test-databases.js';
import { type ObservedApp, startObservedApp } from './observed-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let observed: ObservedApp;
beforeAll(async () => {
  observed = await startObservedApp();
});
afterAll(() => observed.stop());

let counter = 0;
/** A fresh valid request id, so each test finds its own line. */
function newId(label: string): string {
  counter += 1;
  return `${label}-${String(counter).padStart(4, '0')}-0123456789abcdef`;
}

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${observed.baseUrl}${path}`, { headers });
  await response.arrayBuffer();
  return response;
}

describe('request ids', () => {
  it('echoes a valid X-Request-ID and logs the request under it', async () => {
    const id = newId('heroku-router');
    const response = await get('/healthz', { 'X-Request-ID': id });
    expect(response.headers.get('x-request-id')).toBe(id);
    expect(await observed.accessLineOf(id)).toMatchObject({
      level: 'info',
      requestId: id,
      method: 'GET',
      route: '/healthz',
      status: 200,
    });
  });

  it('makes up a UUID when there is none', async () => {
    const response = await get('/healthz');
    const id = response.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    expect((await observed.accessLineOf(id)).route).toBe('/healthz');
  });

  it('replaces an id that is too short, too long, or not visible ASCII', async () => {
    const hostile = ['', 'x', 'a'.repeat(19), 'a'.repeat(201), 'has spaces in it, twenty+', `é${'a'.repeat(30)}`];
    for (const id of hostile) {
      const response = await get('/healthz', { 'X-Request-ID': id });
      const echoed = response.headers.get('x-request-id') ?? '';
      expect(echoed).toMatch(UUID);
      expect((await observed.accessLineOf(echoed)).requestId).toBe(echoed);
    }
  });

  it('keeps an id that looks like JSON a plain string in a valid JSON line', async () => {
    const id = '"},{"level":"error","msg":"forged"}';
    await get('/healthz', { 'X-Request-ID': id });
    // Every captured line was parsed as JSON when written; the forged fields are only text inside the id.
    expect((await observed.accessLineOf(id)).level).toBe('info');
    expect(observed.lines.some((line) => line.msg === 'forged')).toBe(false);
  });
});

describe('route names', () => {
  it('names the route, never the path that holds the words', async () => {
    const sentinel = 'route-sentinel-7c1f';
    const cases: Array<[string, string, number]> = [
      [`/say/${sentinel}`, '/say', 200],
      [`/say/${sentinel}?unknown=option`, '/say', 400],
      ['/', '/', 200],
      [`/nowhere/${sentinel}`, 'unmatched', 404],
      ['/metrics', '/metrics', 404],
    ];
    for (const [path, route, status] of cases) {
      const id = newId('route');
      await get(path, { 'X-Request-ID': id });
      expect(await observed.accessLineOf(id)).toMatchObject({ route, status });
    }
    expect(observed.raw()).not.toContain(sentinel);
  });

  it('names an absolute-form target (as proxies send) by its path', async () => {
    const id = newId('absolute');
    const { port } = new URL(observed.baseUrl);
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest({
        port,
        path: 'http://example.test/say/absolute-sentinel',
        headers: { 'X-Request-ID': id },
      });
      request.on('response', (response) => response.resume().on('end', resolve));
      request.on('error', reject);
      request.end();
    });
    expect((await observed.accessLineOf(id)).route).toBe('/say');
    expect(observed.raw()).not.toContain('absolute-sentinel');
  });

  it('logs a refused method with its status', async () => {
    const id = newId('method');
    const response = await fetch(`${observed.baseUrl}/healthz`, { method: 'DELETE', headers: { 'X-Request-ID': id } });
    expect(response.status).toBe(405);
    expect(await observed.accessLineOf(id)).toMatchObject({ method: 'DELETE', route: '/healthz', status: 405 });
  });
});

describe('Slack requests', () => {
  it('carries the command, its outcome and the team, and no words', async () => {
    const id = `abc${'d'.repeat(30)}`;
    const response = await sendSlashCommand(
      observed.baseUrl,
      { command: '/cowsay', text: 'moo-sentinel-4b2e', team_id: 'T0TEAM' },
      { headers: { 'X-Request-ID': id } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(id);
    const line = await observed.accessLineOf(id);
    expect(line).toMatchObject({
      requestId: id,
      method: 'POST',
      route: '/slack/events',
      status: 200,
      command: '/cowsay',
      outcome: 'ok',
      teamId: 'T0TEAM',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
    expect(observed.raw()).not.toContain('moo-sentinel-4b2e');
    expect(observed.raw()).not.toContain('hooks.slack.com');
  });

  it('tells user errors from successes', async () => {
    const cases: Array<[string, string, string]> = [
      ['/cowsay', '-f no-such-cow hello', 'user_error'],
      ['/cowsay', 'x'.repeat(2001), 'user_error'],
      ['/cowsay', '-W 5 narrow', 'user_error'],
      ['/cowsay', 'help', 'ok'],
      ['/chat', 'delete not-a-number', 'user_error'],
      ['/chat', 'a post', 'ok'],
      ['/chat', 'list', 'ok'],
    ];
    for (const [command, text, outcome] of cases) {
      const id = newId('outcome');
      await sendSlashCommand(observed.baseUrl, { command, text }, { headers: { 'X-Request-ID': id } });
      expect(await observed.accessLineOf(id)).toMatchObject({ command, outcome, status: 200 });
    }
  });

  it('counts a payload without a valid board as a user error and leaves out a malformed team id', async () => {
    const id = newId('no-board');
    await sendSlashCommand(
      observed.baseUrl,
      { command: '/chat', text: 'hi', team_id: 't-lower"case' },
      { headers: { 'X-Request-ID': id } },
    );
    const line = await observed.accessLineOf(id);
    expect(line).toMatchObject({ command: '/chat', outcome: 'user_error' });
    expect(line).not.toHaveProperty('teamId');
  });

  it('records a refused signature without a command', async () => {
    const id = newId('forged');
    const response = await sendSlashCommand(
      observed.baseUrl,
      { command: '/cowsay', text: 'forged-sentinel' },
      { secret: 'not-the-secret-0000000000000000', headers: { 'X-Request-ID': id } },
    );
    expect(response.status).toBe(401);
    const line = await observed.accessLineOf(id);
    expect(line).toMatchObject({ status: 401, outcome: 'refused_signature' });
    expect(line).not.toHaveProperty('command');
  });

  it('records a command name that is not one as "invalid"', async () => {
    for (const command of ['/cowsay text-sentinel', 'no-slash', `/${'a'.repeat(40)}`, '/😀', '']) {
      const id = newId('bad-command');
      await postToSlack(observed.baseUrl, slashCommandBody({ command, text: 'x' }), {
        headers: { 'X-Request-ID': id },
      });
      const line = await observed.accessLineOf(id);
      expect(line.command).toBe('invalid');
    }
    expect(observed.raw()).not.toContain('text-sentinel');
  });

  it('keeps concurrent requests apart', async () => {
    const requests = Array.from({ length: 40 }, (_, index) => {
      const fails = index % 2 === 1;
      const id = newId(fails ? 'parallel-bad' : 'parallel-good');
      const text = fails ? '-f no-such-cow x' : 'fine';
      return {
        id,
        fails,
        sent: sendSlashCommand(observed.baseUrl, { command: '/cowsay', text }, { headers: { 'X-Request-ID': id } }),
      };
    });
    await Promise.all(requests.map((request) => request.sent));
    for (const { id, fails } of requests) {
      expect((await observed.accessLineOf(id)).outcome).toBe(fails ? 'user_error' : 'ok');
    }
  });
});

describe('outcomes that need a particular store or catalogue', () => {
  let dir: TempDir;
  beforeAll(() => {
    dir = createTempDir();
  });
  afterAll(() => dir.remove());

  async function withApp(
    options: { store?: MessageStore; catalog?: CowCatalog },
    test: (app: ObservedApp) => Promise<void>,
  ) {
    const app = await startObservedApp(options);
    try {
      await test(app);
    } finally {
      await app.stop();
    }
  }

  it('rate_limited, on a real SQLite store', async () => {
    const store = await openStore({ kind: 'sqlite', path: dir.file('limits.db') }, createCapturingLogger());
    await withApp({ store }, async (app) => {
      const outcomes: unknown[] = [];
      for (let post = 1; post <= 11; post += 1) {
        const id = newId('limit');
        await sendSlashCommand(
          app.baseUrl,
          { command: '/chat', text: `post ${post}` },
          { headers: { 'X-Request-ID': id } },
        );
        outcomes.push((await app.accessLineOf(id)).outcome);
      }
      expect(outcomes).toEqual([...Array(10).fill('ok'), 'rate_limited']);
    });
    await store.close();
  });

  it('store_unavailable, and the store warning carries the request id', async () => {
    const store = createFakeStore();
    store.failing = true;
    await withApp({ store }, async (app) => {
      const id = newId('store-down');
      await sendSlashCommand(app.baseUrl, { command: '/chat', text: 'list' }, { headers: { 'X-Request-ID': id } });
      expect((await app.accessLineOf(id)).outcome).toBe('store_unavailable');
      const warning = app.lines.find(
        (line) => line.level === 'warn' && String(line.msg).includes('message store failed'),
      );
      expect(warning?.requestId).toBe(id);
    });
  });

  it('none at LOG_LEVEL=warn, which Bolt leaves as it is', async () => {
    const store = createFakeStore();
    store.failing = true;
    const app = await startObservedApp({ store, level: 'warn' });
    try {
      await sendSlashCommand(app.baseUrl, { command: '/cowsay', text: 'quiet' });
      await sendSlashCommand(app.baseUrl, { command: '/chat', text: 'list' });
      // The warning is written while the second request is handled, after the first one's access line would be.
      await app.lineWhere((line) => line.level === 'warn');
      expect(app.accessLines()).toEqual([]);
      expect(app.lines.every((line) => line.level === 'warn' || line.level === 'error')).toBe(true);
    } finally {
      await app.stop();
    }
  });

  it('error, when a command throws', async () => {
    const catalog = await testCatalog();
    let broken = false;
    // Broken only after start-up: the index page draws its cow when the app is built.
    const flaky: CowCatalog = {
      ...catalog,
      art: (...args: Parameters<CowCatalog['art']>) => {
        if (broken) throw new Error('the catalogue broke');
        return catalog.art(...args);
      },
    };
    await withApp({ catalog: flaky }, async (app) => {
      broken = true;
      const id = newId('throws');
      const response = await sendSlashCommand(
        app.baseUrl,
        { command: '/cowsay', text: 'x' },
        { headers: { 'X-Request-ID': id } },
      );
      // The user gets an apology, never a 500; the access line still says it failed.
      expect(response.status).toBe(200);
      expect(await app.accessLineOf(id)).toMatchObject({ command: '/cowsay', outcome: 'error', status: 200 });
    });
  });
});
