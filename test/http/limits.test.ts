/**
 * The web routes' per-client limit and load shedding over real HTTP against the real app: 429 and 503 with
 * Retry-After, keyed on an address a client cannot choose, and never applied to Slack's signed requests.
 */
import { createFakeStore, type RunningApp, sendSlashCommand, startTestApp, testConfig } from '../helpers.js';

/** Two requests per client, then a refill so slow that no test outlives it. */
const TWO_REQUESTS = { perSecond: 0.001, burst: 2, maxClients: 100 };

const running: RunningApp[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
});

async function start(options: Parameters<typeof startTestApp>[0]): Promise<RunningApp> {
  const app = await startTestApp(options);
  running.push(app);
  return app;
}

async function status(app: RunningApp, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.baseUrl}${path}`, { headers });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get('retry-after') };
}

async function expectCowsayAnswered(app: RunningApp): Promise<void> {
  const reply = await sendSlashCommand(app.baseUrl, { command: '/cowsay', text: 'Slack is still served' });
  expect(reply.status).toBe(200);
  expect(reply.text).toContain('Slack is still served');
}

describe('the per-client limit on the web routes', () => {
  it('answers 429 with Retry-After past the limit, and never limits Slack', async () => {
    const app = await start({ httpLimits: { clientRate: TWO_REQUESTS } });
    expect((await status(app, '/say/one')).status).toBe(200);
    expect((await status(app, '/healthz')).status).toBe(200);
    const refused = await fetch(`${app.baseUrl}/`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.text()).toMatch(/too many requests/i);
    for (let index = 0; index < 5; index++) await expectCowsayAnswered(app);
  });

  it('ignores X-Forwarded-For unless a proxy is trusted, so a client cannot pick a fresh key', async () => {
    const app = await start({ httpLimits: { clientRate: TWO_REQUESTS } });
    for (const forwarded of ['198.51.100.1', '198.51.100.2', '198.51.100.3, 198.51.100.4', 'garbage']) {
      const { status: code } = await status(app, '/say/x', { 'X-Forwarded-For': forwarded });
      expect([forwarded, code]).toEqual([
        forwarded,
        forwarded === '198.51.100.1' || forwarded === '198.51.100.2' ? 200 : 429,
      ]);
    }
  });

  it('behind a trusted proxy, keys on the address the proxy appended, not on what the client sent', async () => {
    const app = await start({
      config: testConfig({ TRUST_PROXY_HOPS: '1' }),
      httpLimits: { clientRate: TWO_REQUESTS },
    });
    const from = (forwarded: string) => status(app, '/say/x', { 'X-Forwarded-For': forwarded });
    expect((await from('198.51.100.1')).status).toBe(200);
    expect((await from('203.0.113.50, 198.51.100.1')).status).toBe(200);
    // The client put other addresses first; the proxy's entry is the same, and so is the limit.
    expect((await from('203.0.113.51, 198.51.100.1')).status).toBe(429);
    // Another client behind the same proxy is not held back.
    expect((await from('198.51.100.2')).status).toBe(200);
  });
});

describe('load shedding on the web routes', () => {
  it('answers 503 with Retry-After while too many web requests are in flight, and serves Slack', async () => {
    let releasePing: () => void = () => {};
    const store = createFakeStore();
    const pinged = new Promise<void>((resolve) => {
      store.ping = () =>
        new Promise<void>((done) => {
          releasePing = done;
          resolve();
        });
    });
    const app = await start({ store, httpLimits: { load: { maxInFlight: 1, cpuShare: 1, cpuBurstMs: 1e9 } } });
    const health = fetch(`${app.baseUrl}/healthz`);
    await pinged;

    expect(await status(app, '/say/busy')).toEqual({ status: 503, retryAfter: '1' });
    await expectCowsayAnswered(app);
    releasePing();
    expect((await health).status).toBe(200);
    expect((await status(app, '/say/free')).status).toBe(200);
  });

  it('answers 503 once the web routes have used their share of the event loop', async () => {
    // A share so small that the first render's work is not paid back within the test.
    const app = await start({ httpLimits: { load: { maxInFlight: 64, cpuShare: 1e-9, cpuBurstMs: 1e-6 } } });
    expect((await status(app, '/say/first')).status).toBe(200);
    expect(await status(app, '/say/second')).toEqual({ status: 503, retryAfter: '1' });
    expect(await status(app, '/')).toEqual({ status: 503, retryAfter: '1' });
    await expectCowsayAnswered(app);
  });
});
