/**
 * `/chat` through the real app on a real PostgreSQL (TEST_DATABASE_URL): several instances sharing one
 * board, a restart, and the database going silent and coming back under a running app.
 */
import { parseConfig } from '../../src/config.js';
import { openStore } from '../../src/store/index.js';
import type { MessageStore } from '../../src/store/message-store.js';
import { createPostgresStore } from '../../src/store/postgres.js';
import { MIGRATIONS } from '../../src/store/postgres-schema.js';
import {
  asReply,
  type CommandOrigin,
  createCapturingLogger,
  listedIds,
  postedId,
  type RunningApp,
  sendChat,
  sendSlashCommand,
  startTestApp,
  TEST_SIGNING_SECRET,
} from '../helpers.js';
import { startTcpProxy, type TcpProxy } from '../store/tcp-proxy.js';
import {
  createTestSchema,
  describeWithPostgres,
  type TestSchema,
  testDatabaseAddress,
} from '../store/test-databases.js';

const chat = (app: RunningApp, text: string, where: CommandOrigin = {}) => sendChat(app.baseUrl, text, where);

async function healthz(app: RunningApp): Promise<{ status: number; body: string }> {
  const response = await fetch(`${app.baseUrl}/healthz`);
  return { status: response.status, body: await response.text() };
}

/** Polls until /healthz is 200: the app heals by itself, the test only waits (bounded) for it. */
async function waitForHealthy(app: RunningApp): Promise<void> {
  const giveUp = Date.now() + 15_000;
  while ((await healthz(app)).status !== 200) {
    if (Date.now() > giveUp) throw new Error('the app did not recover within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describeWithPostgres('/chat on PostgreSQL', () => {
  let schema: TestSchema;
  const cleanups: Array<() => Promise<void>> = [];
  /** A store and an app on it, both stopped after the test. */
  const startInstance = async (url = schema.url) => {
    const logger = createCapturingLogger();
    const store: MessageStore = await createPostgresStore({ url, logger });
    const app = await startTestApp({ store, logger });
    cleanups.push(async () => {
      await app.stop();
      await store.close();
    });
    return app;
  };

  beforeEach(async () => {
    schema = await createTestSchema();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await schema.drop();
  });

  it('serves one board from two app instances sharing the database', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const fromA = postedId(await chat(a, 'posted through instance A'));
    const fromB = postedId(await chat(b, 'posted through instance B', { user_id: 'U0002' }));
    for (const app of [a, b]) expect(listedIds(await chat(app, ''))).toEqual([fromA, fromB]);
    // Ownership holds across instances too.
    expect(await chat(a, `delete ${fromB}`)).toMatch(/posted by someone else/);
    expect(await chat(b, `delete ${fromA}`)).toBe(`Deleted *#${fromA}*.`);
    expect(listedIds(await chat(a, ''))).toEqual([fromB]);
    // Another channel is another board, whichever instance answers.
    expect(listedIds(await chat(b, '', { channel_id: 'C0OTHER' }))).toEqual([]);
  });

  it('shares the post limit between two app instances: 10 in a row in total, whichever instance answers', async () => {
    const [a, b] = [await startInstance(), await startInstance()];
    const where = { channel_id: 'C0SHARED', user_id: 'U0BURST' };
    // 24 posts at once, alternating between the instances: each instance alone would allow 10.
    const replies = await Promise.all(
      Array.from({ length: 24 }, (_, n) => chat(n % 2 === 0 ? a : b, `shared burst ${n}`, where)),
    );
    const accepted = replies.filter((reply) => /^Posted as/.test(reply));
    const refused = replies.filter((reply) => /^Easy there:.*not stored/s.test(reply));
    expect(accepted).toHaveLength(10);
    expect(refused).toHaveLength(14);
    const rows = await schema.query<{ id: string; text: string }>(
      "SELECT id, text FROM chat_messages WHERE channel_id = 'C0SHARED' ORDER BY id",
    );
    expect(rows.map((row) => Number(row.id)).sort((x, y) => x - y)).toEqual(
      accepted.map(postedId).sort((x, y) => x - y),
    );
    // Sequentially too, and both instances agree afterwards; another user is not affected.
    expect(await chat(a, 'later through A', where)).toMatch(/not stored/);
    expect(await chat(b, 'later through B', where)).toMatch(/not stored/);
    postedId(await chat(b, 'someone else', { ...where, user_id: 'U0CALM' }));
    expect(listedIds(await chat(a, 'list 50', where))).toHaveLength(11);
  });

  it('shows the same board after every instance is stopped and started again', async () => {
    const first = await startInstance();
    const id = postedId(await chat(first, 'before the restart'));
    const stop = cleanups.pop();
    await stop?.();
    const second = await startInstance();
    expect(listedIds(await chat(second, ''))).toEqual([id]);
  });

  it('survives the database going silent: fast "unavailable", /cowsay and 503 meanwhile, healed after', async () => {
    const proxy: TcpProxy = await startTcpProxy(testDatabaseAddress());
    cleanups.push(() => proxy.close());
    const password = 'sw0rdfish-must-not-leak';
    const app = await startInstance(schema.urlVia('127.0.0.1', proxy.port, password));
    const before = postedId(await chat(app, 'before the outage'));
    expect((await healthz(app)).status).toBe(200);

    proxy.block();
    const seen: string[] = [];
    for (const text of ['during the outage', '', 'list 5', `delete ${before}`]) {
      const started = Date.now();
      const reply = await chat(app, text);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(reply).toMatch(/The board is unavailable right now, try again/);
      seen.push(reply);
    }
    const cow = asReply(
      await sendSlashCommand(app.baseUrl, { command: '/cowsay', text: 'the cow does not need a database' }),
    );
    expect(cow.response_type).toBe('in_channel');
    const down = await healthz(app);
    expect(down.status).toBe(503);
    seen.push(down.body);

    proxy.restore();
    await waitForHealthy(app);
    const after = postedId(await chat(app, 'after the outage'));
    expect(listedIds(await chat(app, ''))).toEqual([before, after]);

    const everything = [...seen, ...app.logger.lines].join('\n');
    expect(everything).not.toContain(password);
    expect(seen.join('\n')).not.toContain(String(proxy.port));
  });

  it('starts with the database down, serves /cowsay, and takes /chat up once the database answers', async () => {
    const proxy = await startTcpProxy(testDatabaseAddress());
    cleanups.push(() => proxy.close());
    proxy.block();
    // The production path: DATABASE_URL through config.ts and openStore, on an empty schema.
    const config = parseConfig({
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      PORT: '0',
      DATABASE_URL: schema.urlVia('127.0.0.1', proxy.port),
    });
    const logger = createCapturingLogger();
    const store = await openStore(config.store, logger);
    const app = await startTestApp({ store, config, logger });
    cleanups.push(async () => {
      await app.stop();
      await store.close();
    });

    expect(asReply(await sendSlashCommand(app.baseUrl, { command: '/cowsay', text: 'moo' })).response_type).toBe(
      'in_channel',
    );
    expect(await chat(app, 'too early')).toMatch(/unavailable/);
    expect((await healthz(app)).status).toBe(503);

    proxy.restore();
    await waitForHealthy(app);
    const id = postedId(await chat(app, 'the schema was created late'));
    expect(listedIds(await chat(app, ''))).toEqual([id]);
    expect(await schema.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(
      MIGRATIONS.map((_, index) => ({ version: index + 1 })),
    );
  });
});
