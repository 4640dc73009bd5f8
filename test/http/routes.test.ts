/**
 * The GET routes over real HTTP against the real app: index page, Cowsay as a Service with content
 * negotiation, health, and the answers to hostile input (which must be 4xx with a reason, never 500).
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { MODE_LETTERS } from '../../src/cowsay/options.js';
import { COWS } from '../fixtures/cows.js';
import {
  createFakeStore,
  type RunningApp,
  readResponse,
  startTestApp,
  type TestResponse,
  testCatalog,
} from '../helpers.js';

let running: RunningApp;
const store = createFakeStore();

beforeAll(async () => {
  running = await startTestApp({ store });
});
afterAll(() => running.stop());

function get(path: string, accept?: string, method = 'GET'): Promise<TestResponse> {
  return fetch(`${running.baseUrl}${path}`, {
    method,
    headers: accept === undefined ? {} : { Accept: accept },
  }).then(readResponse);
}

/**
 * Sends the request target byte for byte, as `curl --path-as-is` would: fetch normalises `..` and escapes,
 * which would hide exactly the inputs these tests are about.
 */
function rawGet(target: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const url = new URL(running.baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path: target, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

function expectSafeHeaders(response: TestResponse, contentType: string): void {
  expect(response.headers.get('content-type')).toBe(contentType);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
}

describe('GET /', () => {
  it('serves a self-contained page with a cow, what the app is, the routes and the commands', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expectSafeHeaders(response, 'text/html; charset=utf-8');
    const body = response.text;
    expect(body).toMatch(/^<!doctype html>/);
    expect(body).toContain('<pre class="cow">');
    expect(body).toContain('(oo)\\_______');
    for (const route of ['GET /', 'GET /say/', 'GET /healthz', 'POST /slack/events', '/cowsay', '/chat']) {
      expect(body).toContain(route);
    }
    // No external assets: nothing to fetch from anywhere (the only URLs are links within this app).
    expect(body).not.toMatch(/<script|<link[^>]+href="https?:|src="https?:|@import|url\(/);
  });

  it("allows the page's own stylesheet and nothing else, by hash", async () => {
    const response = await get('/');
    const style = /<style>([\s\S]*?)<\/style>/.exec(response.text)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(response.headers.get('content-security-policy')).toContain(`style-src 'sha256-${hash}'`);
  });

  it('lists every /cowsay mode letter', async () => {
    const response = await get('/');
    expect(response.text).toContain(`<code>${MODE_LETTERS.map((letter) => `-${letter}`).join(' ')}</code>`);
  });

  it('lists every cow as a /say link', async () => {
    const catalog = await testCatalog();
    const response = await get('/');
    for (const name of catalog.names) expect(response.text).toContain(`href="/say/${name}?f=${name}"`);
  });
});

describe('GET /say', () => {
  it('negotiates text/plain: the raw cow, exactly as the renderer draws it', async () => {
    const response = await get('/say/hello', 'text/plain');
    expect(response.status).toBe(200);
    expectSafeHeaders(response, 'text/plain; charset=utf-8');
    expect(response.headers.get('vary')).toBe('Accept');
    expect(response.text).toBe(`${COWS.hello}\n`);
  });

  it("negotiates application/json: the original service's {message: [lines]}", async () => {
    const response = await get('/say/hello', 'application/json');
    expect(response.status).toBe(200);
    expectSafeHeaders(response, 'application/json; charset=utf-8');
    expect(response.json).toEqual({ message: COWS.hello.split('\n') });
  });

  it('answers anything else with HTML, the cow escaped in a <pre>', async () => {
    for (const accept of [undefined, '*/*', 'text/html,application/xhtml+xml,*/*;q=0.8', 'image/png']) {
      const response = await get('/say/hello', accept);
      expect(response.status).toBe(200);
      expectSafeHeaders(response, 'text/html; charset=utf-8');
      expect(response.text).toContain('(oo)\\_______');
    }
  });

  it('follows q-values and order among explicitly named types', async () => {
    const kind = async (accept: string) => (await get('/say/x', accept)).headers.get('content-type');
    expect(await kind('application/json, text/plain')).toMatch(/^application\/json/);
    expect(await kind('text/plain;q=0.5, application/json;q=0.9')).toMatch(/^application\/json/);
    expect(await kind('application/json;q=0.2, text/html')).toMatch(/^text\/html/);
    expect(await kind('text/plain;q=0, application/json;q=0')).toMatch(/^text\/html/);
    expect(await kind('TEXT/PLAIN; charset=utf-8')).toMatch(/^text\/plain/);
  });

  it('says "moo" without a message', async () => {
    const moo = `${COWS.moo}\n`;
    expect((await get('/say', 'text/plain')).text).toBe(moo);
    expect((await get('/say/', 'text/plain')).text).toBe(moo);
    expect((await get('/say/%20%20', 'text/plain')).text).toBe(moo);
  });

  it('joins several path segments with "/" and decodes escapes and unicode', async () => {
    expect((await get('/say/and/or/not', 'text/plain')).text).toBe(`${COWS.andOrNot}\n`);
    expect((await get('/say/hello%20w%C3%B6rld%20%E6%97%A5%E6%9C%AC%20%F0%9F%90%84', 'text/plain')).text).toBe(
      `${COWS.unicode}\n`,
    );
    // In a path, + is a plus sign, not a space.
    expect((await get('/say/1+1', 'text/plain')).text).toBe(`${COWS.onePlusOne}\n`);
  });

  it('applies f, e, T, think and W exactly like /cowsay does', async () => {
    const response = await get('/say/Here%20be%20dragons?f=DRAGON&e=^^&T=U&think&W=12', 'text/plain');
    expect(response.status).toBe(200);
    expect(response.text).toBe(`${COWS.dragonThinksHereBeDragons}\n`);
    expect((await get('/say/x?think=false', 'text/plain')).text).toBe(`${COWS.x}\n`);
  });

  it('escapes the message in HTML: a <script> in the message is text, not markup', async () => {
    const response = await get('/say/%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27%26', 'text/html');
    expect(response.status).toBe(200);
    expect(response.text).not.toContain('<script');
    expect(response.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
  });

  it('refuses bad options with 400 and the same reason /cowsay gives, in the negotiated type', async () => {
    const json = await get('/say/hi?f=dragn', 'application/json');
    expect(json.status).toBe(400);
    expect(json.json).toEqual({ error: 'There is no cow called "dragn". Did you mean "dragon"?' });

    const cases: Array<[string, RegExp]> = [
      ['W=9', /wrap width must be a whole number from 10 to 80/],
      ['W=81', /wrap width/],
      ['W=1e1', /wrap width/],
      ['W=', /wrap width/],
      ['e=ooo', /eyes must be 1 or 2/],
      ['T=%0A', /tongue must be 1 or 2/],
      ['think=maybe', /think must be true or false/],
      ['x=1', /Unknown query parameter "x". The options are f, e, T, think, W/],
      ['f=tux&f=dragon', /"f" is given more than once/],
      ['w=30', /Unknown query parameter "w"/],
    ];
    for (const [query, reason] of cases) {
      const response = await get(`/say/hi?${query}`, 'text/plain');
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.text).toMatch(reason);
    }

    const page = await get('/say/hi?f=%3Cimg%20src%3Dx%3E');
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('There is no cow called &quot;&lt;img src=x&gt;&quot;');
    expect(page.text).not.toContain('<img');
  });

  it('never treats a cow name as a path', async () => {
    for (const name of [
      '/proc/self/environ',
      '../../../../etc/passwd',
      './default',
      'default.cow',
      '%2Fetc%2Fpasswd',
    ]) {
      const response = await get(`/say/hi?f=${encodeURIComponent(name)}`, 'text/plain');
      expect([name, response.status]).toEqual([name, 400]);
      expect(response.text).toMatch(/^There is no cow called/);
      // The environment (the signing secret is in it) is never what comes back.
      expect(response.text).not.toMatch(/SLACK_|PATH=|root:/);
    }
  });

  it('refuses malformed percent-escapes with 400, in the path and in the query', async () => {
    for (const target of [
      '/say/%E0%A4%A',
      '/say/%',
      '/say/%zz',
      '/say/%C3%28',
      '/say/%ED%A0%80',
      '/say/x?f=%E0%A4%A',
    ]) {
      const response = await rawGet(target, { Accept: 'text/plain' });
      expect([target, response.status]).toEqual([target, 400]);
      expect(response.body).toMatch(/not valid percent-encoded UTF-8/);
    }
  });

  it('refuses an over-long message with 4xx, however long the URL', async () => {
    const tooLong = await get(`/say/${'a'.repeat(2001)}`, 'text/plain');
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toMatch(/too long for a cow: the limit is 2000 characters/);
    // Past what Node accepts in a request line (16 KB), the server itself answers 431 (never a 500, never a
    // cow). Kept well under one socket read: a server that closes with request bytes unread sends a reset,
    // which can discard its own answer before the client reads it.
    const huge = await rawGet(`/say/${'a'.repeat(20_000)}`);
    expect(huge.status).toBe(431);
    // The longest text that fits still renders.
    expect((await get(`/say/${'a '.repeat(1000)}`, 'text/plain')).status).toBe(200);
  });

  it('answers ../ paths without ever reading a file', async () => {
    for (const target of ['/say/../../etc/passwd', '/say/..%2F..%2Fetc%2Fpasswd', '/say/%2e%2e/%2e%2e/etc/passwd']) {
      const response = await rawGet(target, { Accept: 'text/plain' });
      expect([target, response.status < 500]).toEqual([target, true]);
      expect(response.body).not.toMatch(/root:x?:0:0/);
    }
    // An escaped slash is part of the message: the cow says it.
    expect((await rawGet('/say/..%2F..%2Fetc%2Fpasswd', { Accept: 'text/plain' })).body).toContain('../../etc/passwd');
  });

  it('keeps control characters and bidi overrides out of the art', async () => {
    const response = await get('/say/a%00b%1B%5B31mc%E2%80%AEd', 'text/plain');
    expect(response.status).toBe(200);
    // Line breaks are the art's own; no other control character, and no bidi override, survives.
    expect(response.text.replace(/\n/g, '')).not.toMatch(/\p{Cc}|\u202e/u);
  });
});

describe('examples on the pages', () => {
  it("show this app's own origin, https behind a proxy that says so", async () => {
    const index = await rawGet('/', { Host: 'cows.example.com', 'X-Forwarded-Proto': 'https' });
    expect(index.body).toContain("curl -H 'Accept: text/plain' 'https://cows.example.com/say/hello?f=tux'");
    const say = await rawGet("/say/it's?f=tux", { Host: 'localhost:3000' });
    // The quote is escaped for the URL, so the single-quoted shell word stays whole.
    const shown = say.body.replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    expect(shown).toContain("curl -H 'Accept: text/plain' 'http://localhost:3000/say/it%27s?f=tux'");
  });

  it('never put a hostile Host header on the page', async () => {
    for (const host of ['evil.example"><script>alert(1)</script>', 'a b', 'x.example/path', 'user@x.example']) {
      const response = await rawGet('/', { Host: host });
      expect([host, response.status]).toEqual([host, 200]);
      expect(response.body).not.toContain('evil.example');
      expect(response.body).not.toContain('<script');
      expect(response.body).toContain("'http://localhost:3000/say/hello?f=tux'");
    }
  });
});

describe('methods, HEAD and unknown routes', () => {
  it('answers HEAD like GET, without a body', async () => {
    for (const path of ['/', '/say/hello', '/healthz']) {
      const [head, got] = await Promise.all([get(path, 'text/plain', 'HEAD'), get(path, 'text/plain')]);
      expect([path, head.status]).toEqual([path, 200]);
      expect(head.text).toBe('');
      expect(head.headers.get('content-type')).toBe(got.headers.get('content-type'));
      expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(got.text)));
    }
  });

  it('answers other methods on known routes with 405 and Allow', async () => {
    for (const [method, path] of [
      ['POST', '/'],
      ['PUT', '/say/x'],
      ['DELETE', '/healthz'],
      ['OPTIONS', '/say'],
    ] as const) {
      const response = await get(path, undefined, method);
      expect([method, path, response.status]).toEqual([method, path, 405]);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('answers unknown routes with 404', async () => {
    for (const path of ['/nope', '/sayhello', '/say-hi', '/healthz/', '/index.html', '//say/x', '/favicon.ico']) {
      const response = await rawGet(path);
      expect([path, response.status]).toEqual([path, 404]);
    }
  });
});

describe('GET /healthz', () => {
  afterEach(() => {
    store.failing = false;
  });

  it('answers 200 {"status":"ok"} while the store answers', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'ok' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 503 with the reason when the store fails, and recovers with it', async () => {
    store.failing = true;
    const down = await get('/healthz');
    expect(down.status).toBe(503);
    expect(down.json).toEqual({ status: 'unavailable', reason: 'fake store is down' });
    store.failing = false;
    expect((await get('/healthz')).status).toBe(200);
  });
});

describe('GET /healthz with a store that misbehaves', () => {
  it('answers 503 quickly when the store hangs', async () => {
    const hanging = { ...createFakeStore(), ping: () => new Promise<void>(() => {}) };
    const app = await startTestApp({ store: hanging });
    try {
      const started = Date.now();
      const response = await fetch(`${app.baseUrl}/healthz`).then(readResponse);
      expect(response.status).toBe(503);
      expect(response.json).toEqual({
        status: 'unavailable',
        reason: 'the message store did not answer within 2000 ms',
      });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await app.stop();
    }
  });

  it('never shows the credentials of a connection string in the reason', async () => {
    const leaky = {
      ...createFakeStore(),
      ping: () => Promise.reject(new Error('connect failed for postgres://admin:hunter2@db.internal:5432/app')),
    };
    const app = await startTestApp({ store: leaky });
    try {
      const response = await fetch(`${app.baseUrl}/healthz`).then(readResponse);
      expect(response.status).toBe(503);
      expect(response.text).not.toContain('hunter2');
      expect(response.text).toContain('postgres://***@db.internal:5432/app');
      expect(app.logger.lines.join('\n')).not.toContain('hunter2');
    } finally {
      await app.stop();
    }
  });
});
