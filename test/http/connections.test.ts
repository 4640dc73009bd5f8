/**
 * What one connection can make the server hold, against the real app over real sockets: pipelining
 * without reading, slow requests, too many connections, and how connections end when the app stops.
 */
import type { Socket } from 'node:net';
import { DEFAULT_HTTP_LIMITS } from '../../src/http/server.js';
import {
  createFakeStore,
  nowSeconds,
  type RunningApp,
  sendSlashCommand,
  slackSignature,
  slashCommandBody,
  startTestApp,
  TEST_SIGNING_SECRET,
} from '../helpers.js';
import { get, openRawConnection, parseResponses } from './raw-client.js';

const running: RunningApp[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) {
    app.app.closeConnections();
    await app.stop();
  }
});

async function start(options: Parameters<typeof startTestApp>[0] = {}): Promise<RunningApp & { port: number }> {
  const app = await startTestApp(options);
  running.push(app);
  return { ...app, port: Number(new URL(app.baseUrl).port) };
}

/** Resolves with the server's side of the next `count` connections, once all of them are accepted. */
function acceptedSockets(app: RunningApp, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  return new Promise((resolve) => {
    const onConnection = (socket: Socket) => {
      sockets.push(socket);
      if (sockets.length < count) return;
      app.app.server.off('connection', onConnection);
      resolve(sockets);
    };
    app.app.server.on('connection', onConnection);
  });
}

const closedOnServer = (socket: Socket) =>
  socket.destroyed ? Promise.resolve() : new Promise<void>((resolve) => socket.once('close', () => resolve()));

describe('a client that pipelines requests and never reads the answers', () => {
  it('is disconnected, the app keeps serving, and the memory it took is given back', async () => {
    const app = await start();
    const accepting = acceptedSockets(app, 20);
    const collect = (globalThis as { gc?: () => void }).gc;
    collect?.();
    const before = process.memoryUsage().heapUsed;

    // 20 connections, each pipelining 2,000 requests for the index page: unbounded, 700 MB of answers.
    const flood = get('/').repeat(2000);
    const attackers = await Promise.all(Array.from({ length: 20 }, () => openRawConnection(app.port)));
    for (const attacker of attackers) {
      attacker.socket.pause();
      attacker.socket.write(flood);
    }
    await Promise.all((await accepting).map(closedOnServer));

    const health = await fetch(`${app.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    for (const attacker of attackers) attacker.socket.destroy();
    if (collect !== undefined) {
      collect();
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 1024 * 1024);
    }
  });

  it('is disconnected once more output than the bound waits for it, however deep it may pipeline', async () => {
    const app = await start({ httpLimits: { maxPipelined: 1_000_000, maxQueuedOutputBytes: 1024 } });
    const accepting = acceptedSockets(app, 1);
    const attacker = await openRawConnection(app.port);
    attacker.socket.pause();
    // About 70 MB of answers: more than the kernel's buffers on both ends hold, so output queues in the process.
    attacker.socket.write(get('/').repeat(4000));
    const [accepted] = await accepting;
    if (accepted !== undefined) await closedOnServer(accepted);
    attacker.socket.destroy();
  });

  it('keeps answering a client that pipelines a few requests and reads them', async () => {
    const app = await start();
    const client = await openRawConnection(app.port);
    client.socket.write(get('/healthz').repeat(DEFAULT_HTTP_LIMITS.maxPipelined));
    const text = await client.waitFor(
      (received) => parseResponses(received).length === DEFAULT_HTTP_LIMITS.maxPipelined,
    );
    expect(parseResponses(text).map((response) => response.status)).toEqual(
      Array(DEFAULT_HTTP_LIMITS.maxPipelined).fill(200),
    );
    client.socket.destroy();
  });
});

describe('requests reach the app whole, however the bytes arrive', () => {
  function signedCommand(fields: Record<string, string>): string {
    const body = slashCommandBody({ command: '/cowsay', ...fields });
    const timestamp = nowSeconds();
    return (
      'POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Slack-Request-Timestamp: ${timestamp}\r\n` +
      `X-Slack-Signature: ${slackSignature(TEST_SIGNING_SECRET, timestamp, body)}\r\n\r\n${body}`
    );
  }

  it('a body several times larger than what the parser is fed at once, sent in one write', async () => {
    const app = await start();
    const client = await openRawConnection(app.port);
    client.socket.write(signedCommand({ text: 'big body', padding: 'p'.repeat(24_000) }));
    const [reply] = parseResponses(await client.waitFor((received) => parseResponses(received).length === 1));
    expect(reply?.status).toBe(200);
    expect(reply?.body).toContain('big body');
    client.socket.destroy();
  });

  it('a request sent one byte at a time', async () => {
    const app = await start();
    const client = await openRawConnection(app.port);
    const bytes = Buffer.from(signedCommand({ text: 'drip' }));
    for (const byte of bytes) {
      client.socket.write(Buffer.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [reply] = parseResponses(await client.waitFor((received) => parseResponses(received).length === 1));
    expect([reply?.status, reply?.body.includes('drip')]).toEqual([200, true]);
    client.socket.destroy();
  });

  it('a request whose client half-closes the connection right after sending it', async () => {
    const app = await start();
    const client = await openRawConnection(app.port);
    client.socket.end(get('/say/half%20closed', { Accept: 'text/plain' }));
    const [reply] = parseResponses(await client.waitFor((received) => parseResponses(received).length === 1));
    expect(reply?.body).toContain('half closed');
    expect((await client.closed).error).toBeUndefined();
  });
});

describe('slow clients', () => {
  const quick = { headersTimeoutMs: 300, requestTimeoutMs: 300, timeoutCheckIntervalMs: 50 };

  it('answers 408 and closes when the headers do not arrive within the headers timeout', async () => {
    const app = await start({ httpLimits: quick });
    const slow = await openRawConnection(app.port);
    slow.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    const { error } = await slow.closed;
    expect(error).toBeUndefined();
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('closes a connection that never sends a byte', async () => {
    const app = await start({ httpLimits: quick });
    const silent = await openRawConnection(app.port);
    await silent.closed;
    expect(silent.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 when a body does not arrive within the request timeout, and Slack is still served', async () => {
    const app = await start({ httpLimits: quick });
    const slow = await openRawConnection(app.port);
    slow.socket.write(
      'POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 1000\r\n\r\ncommand=%2Fcowsay',
    );
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    const reply = await sendSlashCommand(app.baseUrl, { command: '/cowsay', text: 'still here' });
    expect(reply.status).toBe(200);
  });

  it('answers 431 to headers that are too large without resetting the connection', async () => {
    const app = await start();
    for (let attempt = 0; attempt < 10; attempt++) {
      const client = await openRawConnection(app.port);
      client.socket.write(get(`/say/${'a'.repeat(100_000)}`));
      const { error } = await client.closed;
      expect([attempt, error?.code]).toEqual([attempt, undefined]);
      expect(client.received()).toMatch(/^HTTP\/1\.1 431 /);
    }
  });
});

describe('the cap on open connections', () => {
  it('closes the connection past the cap at once, while the open ones are still served', async () => {
    const app = await start({ httpLimits: { maxConnections: 2 } });
    const first = await openRawConnection(app.port);
    const second = await openRawConnection(app.port);
    // A request answered on each proves both were accepted before the next one knocks.
    for (const connection of [first, second]) {
      connection.socket.write(get('/healthz'));
      await connection.waitFor((received) => parseResponses(received).length === 1);
    }

    const refused = await openRawConnection(app.port);
    refused.socket.write(get('/healthz'));
    await refused.closed;
    expect(refused.received()).toBe('');

    first.socket.write(get('/say/still%20served', { Accept: 'text/plain' }));
    const [, again] = parseResponses(await first.waitFor((received) => parseResponses(received).length === 2));
    expect(again?.status).toBe(200);
    expect(again?.body).toContain('still served');
    expect(app.logger.lines.join('\n')).toContain('Refused 1 connection(s): the cap of 2 open connections');
  });
});

/** A store whose pings wait until released, so a `/healthz` request stays in flight as long as a test needs. */
function storeWithHeldPings() {
  const store = createFakeStore();
  const held: Array<() => void> = [];
  let onPing: () => void = () => {};
  const pinged = new Promise<void>((resolve) => {
    onPing = resolve;
  });
  store.ping = () =>
    new Promise<void>((resolve) => {
      held.push(resolve);
      onPing();
    });
  const release = () => {
    for (const resolve of held.splice(0)) resolve();
  };
  return { store, pinged, release };
}

describe('stopping with keep-alive connections', () => {
  it('answers pipelined requests in flight, only the last with Connection: close, then closes', async () => {
    const { store, pinged, release } = storeWithHeldPings();
    const app = await start({ store });
    const client = await openRawConnection(app.port);
    // Both wait on the store, so neither answer is written when the stop begins.
    client.socket.write(get('/healthz') + get('/healthz'));
    await pinged;

    const stopped = app.stop();
    release();
    const [first, last] = parseResponses(await client.waitFor((received) => parseResponses(received).length === 2));
    expect([first?.status, first?.headers.connection]).toEqual([200, 'keep-alive']);
    expect([last?.status, last?.headers.connection]).toEqual([200, 'close']);
    expect((await client.closed).error).toBeUndefined();
    await stopped;
    expect(app.app.server.listening).toBe(false);
  });

  it('closes idle keep-alive connections and resolves once they are closed', async () => {
    const app = await start();
    const idle = await openRawConnection(app.port);
    idle.socket.write(get('/healthz'));
    await idle.waitFor((received) => parseResponses(received).length === 1);
    await app.stop();
    expect((await idle.closed).error).toBeUndefined();
  });

  it('answers, with Connection: close, a request sent on an idle connection while it lingers', async () => {
    const app = await start();
    const client = await openRawConnection(app.port);
    client.socket.write(get('/healthz'));
    await client.waitFor((received) => parseResponses(received).length === 1);

    // A linger far longer than the test, so the request is sure to arrive within it.
    const stopped = app.app.stop({ idleLingerMs: 60_000 });
    client.socket.write(get('/say/late', { Accept: 'text/plain' }));
    const [, late] = parseResponses(await client.waitFor((received) => parseResponses(received).length === 2));
    expect([late?.status, late?.headers.connection]).toEqual([200, 'close']);
    expect(late?.body).toContain('late');
    expect((await client.closed).error).toBeUndefined();
    await stopped;
  });
});
