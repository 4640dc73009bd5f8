/**
 * `GET /metrics` through the real app: absent without METRICS_TOKEN, 401 without the right bearer token,
 * and counters that move exactly as requests are served.
 */
import { createFakeStore, sendSlashCommand, testConfig } from '../helpers.js';
import { METRICS_TOKEN, type ObservedApp, startObservedApp } from './observed-app.js';

const AUTHORIZED = { Authorization: `Bearer ${METRICS_TOKEN}` };

async function scrape(app: ObservedApp): Promise<string> {
  const response = await fetch(`${app.baseUrl}/metrics`, { headers: AUTHORIZED });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** The value of one series in Prometheus text format; 0 when the series is not there yet. */
function sampleOf(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

let counter = 0;
function newId(): string {
  counter += 1;
  return `metrics-test-${String(counter).padStart(6, '0')}-abcdef`;
}

/** Sends a slash command and waits until the app has recorded it (metrics are recorded with the access line). */
async function command(app: ObservedApp, fields: { command: string; text: string }, secret?: string) {
  const id = newId();
  const response = await sendSlashCommand(app.baseUrl, fields, { secret, headers: { 'X-Request-ID': id } });
  await app.accessLineOf(id);
  return response;
}

describe('without METRICS_TOKEN', () => {
  let app: ObservedApp;
  beforeAll(async () => {
    app = await startObservedApp();
  });
  afterAll(() => app.stop());

  it('/metrics does not exist, whatever is sent', async () => {
    for (const init of [{}, { headers: AUTHORIZED }, { method: 'POST', headers: AUTHORIZED }]) {
      const response = await fetch(`${app.baseUrl}/metrics`, init);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('slack_commands_total');
    }
  });
});

describe('with METRICS_TOKEN', () => {
  let app: ObservedApp;
  const store = createFakeStore();
  beforeAll(async () => {
    app = await startObservedApp({ config: testConfig({ METRICS_TOKEN }), store });
  });
  afterAll(() => app.stop());

  it('refuses a missing, wrong or malformed token with 401', async () => {
    const refused = [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      `Bearer ${METRICS_TOKEN}x`,
      `Bearer ${METRICS_TOKEN.slice(0, -1)}`,
      `Bearer ${METRICS_TOKEN.toUpperCase()}`,
      `Basic ${METRICS_TOKEN}`,
      `Basic ${Buffer.from(`user:${METRICS_TOKEN}`).toString('base64')}`,
      `Bearer ${METRICS_TOKEN} ${METRICS_TOKEN}`,
      `Bearer ${'a'.repeat(8000)}`,
      `Bearer ${METRICS_TOKEN.slice(0, -1)}\u00e9`,
      `Bearer ' OR '1'='1`,
    ];
    for (const authorization of refused) {
      const response = await fetch(`${app.baseUrl}/metrics`, {
        headers: authorization === undefined ? {} : { Authorization: authorization },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await response.text();
      expect(body).not.toContain('slack_commands_total');
      expect(body).not.toContain(METRICS_TOKEN);
    }
  });

  it('serves Prometheus text with the right token, the scheme in any case', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await fetch(`${app.baseUrl}/metrics`, {
        headers: { Authorization: `${scheme} ${METRICS_TOKEN}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const text = await response.text();
      for (const name of [
        'slack_commands_total',
        'http_request_duration_seconds_bucket',
        'store_query_duration_seconds',
        'store_errors_total',
        'process_cpu_user_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_seconds',
      ]) {
        expect(text).toContain(name);
      }
    }
  });

  it('writes valid text format: one TYPE per metric, cumulative buckets ending in +Inf = count', async () => {
    await command(app, { command: '/cowsay', text: 'shape' });
    const text = await scrape(app);
    const types = new Map<string, number>();
    for (const line of text.split('\n').filter((candidate) => candidate !== '')) {
      const type = /^# TYPE (\S+) (counter|gauge|histogram|summary)$/.exec(line);
      if (type !== null) types.set(type[1] ?? '', (types.get(type[1] ?? '') ?? 0) + 1);
      // prom-client writes NaN as "Nan"; Prometheus reads either.
      else if (!line.startsWith('# HELP ')) {
        expect(line).toMatch(
          /^[a-zA-Z_:][\w:]*(\{([a-zA-Z_]\w*="([^"\\\n]|\\.)*",?)*\})? (-?[\d.e+-]+|NaN|Nan|[+-]Inf)$/,
        );
      }
    }
    expect([...types.values()].every((count) => count === 1)).toBe(true);
    const series = '{route="/slack/events",method="POST",status="200"';
    const buckets = text
      .split('\n')
      .filter((line) => line.startsWith(`http_request_duration_seconds_bucket${series}`))
      .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
    expect(buckets.length).toBe(14);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(buckets.at(-1)).toBe(sampleOf(text, `http_request_duration_seconds_count${series}}`));
    expect(text).toContain(`http_request_duration_seconds_bucket${series},le="+Inf"}`);
  });

  it('answers other methods with 405', async () => {
    const response = await fetch(`${app.baseUrl}/metrics`, { method: 'POST', headers: AUTHORIZED });
    expect(response.status).toBe(405);
  });

  it('counts each signed /cowsay exactly once', async () => {
    const series = 'slack_commands_total{command="/cowsay",outcome="ok"}';
    let expected = sampleOf(await scrape(app), series);
    for (let sent = 0; sent < 3; sent += 1) {
      expect((await command(app, { command: '/cowsay', text: 'count me' })).status).toBe(200);
      expected += 1;
      expect(sampleOf(await scrape(app), series)).toBe(expected);
    }
  });

  it('counts outcomes apart, refused requests under "unverified"', async () => {
    const before = await scrape(app);
    await command(app, { command: '/cowsay', text: '-f no-such-cow x' });
    await command(app, { command: '/cowsay', text: 'forged' }, 'a-wrong-secret-000000000000000000');
    const after = await scrape(app);
    for (const series of [
      'slack_commands_total{command="/cowsay",outcome="user_error"}',
      'slack_commands_total{command="unverified",outcome="refused_signature"}',
    ]) {
      expect(sampleOf(after, series) - sampleOf(before, series)).toBe(1);
    }
    expect(sampleOf(after, 'slack_commands_total{command="/cowsay",outcome="ok"}')).toBe(
      sampleOf(before, 'slack_commands_total{command="/cowsay",outcome="ok"}'),
    );
  });

  it('keeps command labels to the known ones', async () => {
    const before = sampleOf(await scrape(app), 'slack_commands_total{command="other",outcome="ok"}');
    for (const name of ['/unknown-one', '/unknown-two', '/unknown-three'])
      await command(app, { command: name, text: 'x' });
    const text = await scrape(app);
    expect(sampleOf(text, 'slack_commands_total{command="other",outcome="ok"}') - before).toBe(3);
    expect(text).not.toContain('unknown-one');
  });

  it('times store calls and counts store errors', async () => {
    const before = await scrape(app);
    await command(app, { command: '/chat', text: 'a post' });
    store.failing = true;
    try {
      await command(app, { command: '/chat', text: 'list' });
    } finally {
      store.failing = false;
    }
    const after = await scrape(app);
    const delta = (series: string) => sampleOf(after, series) - sampleOf(before, series);
    expect(delta('store_query_duration_seconds_count{operation="take_token"}')).toBe(1);
    expect(delta('store_query_duration_seconds_count{operation="post"}')).toBe(1);
    // The post's reply lists the board; then the failing list.
    expect(delta('store_query_duration_seconds_count{operation="latest"}')).toBe(2);
    expect(delta('store_errors_total{operation="latest"}')).toBe(1);
    expect(delta('store_errors_total{operation="post"}')).toBe(0);
    expect(delta('slack_commands_total{command="/chat",outcome="store_unavailable"}')).toBe(1);
  });

  it('times requests by route name, never by path', async () => {
    const series = 'http_request_duration_seconds_count{route="/say",method="GET",status="200"}';
    const before = sampleOf(await scrape(app), series);
    const id = newId();
    await (await fetch(`${app.baseUrl}/say/metrics-sentinel`, { headers: { 'X-Request-ID': id } })).text();
    await app.accessLineOf(id);
    const text = await scrape(app);
    expect(sampleOf(text, series) - before).toBe(1);
    expect(text).not.toContain('metrics-sentinel');
  });
});
