import { request as httpRequest } from 'node:http';
import {
  nowSeconds,
  postToSlack,
  type RunningApp,
  readResponse,
  sendSlashCommand,
  slackSignature,
  slashCommandBody,
  startTestApp,
  TEST_SIGNING_SECRET,
} from '../helpers.js';

describe('Slack receiver over HTTP', () => {
  let running: RunningApp;
  const probeCalls: string[] = [];

  beforeAll(async () => {
    running = await startTestApp();
    // A listener that records every call, so a test can prove nothing ran.
    running.app.bolt.command('/probe', async ({ command, ack }) => {
      probeCalls.push(command.text);
      await ack({ response_type: 'ephemeral', text: `probe: ${command.text}` });
    });
    // Registered on Bolt directly, past the commands' guard: what reaches the receiver when a listener throws.
    running.app.bolt.command('/unguarded', async () => {
      throw new Error('listener bug');
    });
    running.app.bolt.action('unguarded-button', async () => {
      throw new Error('action bug');
    });
  });
  afterAll(() => running.stop());
  beforeEach(() => {
    probeCalls.length = 0;
  });

  const probeBody = (text = 'hi') => slashCommandBody({ command: '/probe', text });

  it('runs a correctly signed command', async () => {
    const response = await postToSlack(running.baseUrl, probeBody('hello'));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ response_type: 'ephemeral', text: 'probe: hello' });
    expect(probeCalls).toEqual(['hello']);
  });

  describe('refuses forged requests with 401 and runs nothing', () => {
    const body = probeBody();
    const now = nowSeconds();
    const good = slackSignature(TEST_SIGNING_SECRET, now, body);
    const cases: Array<[string, () => Promise<{ status: number }>]> = [
      ['wrong secret', () => postToSlack(running.baseUrl, body, { secret: 'another-secret-entirely-000000' })],
      ['one flipped character', () => postToSlack(running.baseUrl, body, { timestamp: now, signature: flip(good) })],
      ['tampered body', () => postToSlack(running.baseUrl, probeBody('tampered'), { timestamp: now, signature: good })],
      // Well past the 5 minutes, so a slow second on a loaded machine cannot bring it back inside; the exact
      // boundary is tested with a fixed clock in signature.test.ts.
      ['timestamp 6 minutes old', () => postToSlack(running.baseUrl, body, { timestamp: nowSeconds() - 360 })],
      ['timestamp 6 minutes ahead', () => postToSlack(running.baseUrl, body, { timestamp: nowSeconds() + 360 })],
      ['non-numeric timestamp', () => postToSlack(running.baseUrl, body, { timestamp: 'soon' })],
      [
        'v1= prefix',
        () => postToSlack(running.baseUrl, body, { timestamp: now, signature: good.replace('v0=', 'v1=') }),
      ],
      [
        'missing headers',
        async () =>
          readResponse(
            await fetch(`${running.baseUrl}/slack/events`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              body,
            }),
          ),
      ],
    ];
    it.each(cases)('%s', async (_name, send) => {
      const response = await send();
      expect(response.status).toBe(401);
      expect(probeCalls).toEqual([]);
    });
  });

  it('accepts a timestamp up to 5 minutes old or ahead (clock skew)', async () => {
    expect((await postToSlack(running.baseUrl, probeBody(), { timestamp: nowSeconds() - 290 })).status).toBe(200);
    expect((await postToSlack(running.baseUrl, probeBody(), { timestamp: nowSeconds() + 290 })).status).toBe(200);
  });

  it("answers Slack's unsigned SSL check with 200 and runs nothing", async () => {
    const response = await readResponse(
      await fetch(`${running.baseUrl}/slack/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'ssl_check=1&token=abc&command=%2Fprobe&text=x',
      }),
    );
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
    expect(probeCalls).toEqual([]);
  });

  it('answers a signed URL verification with its challenge', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 't' });
    const response = await postToSlack(running.baseUrl, body, { contentType: 'application/json' });
    expect(response.json).toEqual({ challenge: 'c-123' });
  });

  it('treats a charset parameter on the form type like the bare type', async () => {
    const response = await postToSlack(running.baseUrl, probeBody('charset'), {
      contentType: 'Application/X-WWW-Form-URLEncoded; charset=utf-8',
    });
    expect(response.status).toBe(200);
    expect(probeCalls).toEqual(['charset']);
  });

  it('refuses an unsupported content type with 415 and malformed JSON with 400', async () => {
    expect((await postToSlack(running.baseUrl, probeBody(), { contentType: 'text/plain' })).status).toBe(415);
    expect((await postToSlack(running.baseUrl, '{"type":', { contentType: 'application/json' })).status).toBe(400);
    expect((await postToSlack(running.baseUrl, '[1,2]', { contentType: 'application/json' })).status).toBe(400);
    expect((await postToSlack(running.baseUrl, 'payload=%7Bnot-json', {})).status).toBe(400);
    // A slash command sent as JSON is not something Slack does: refused, not run.
    const asJson = JSON.stringify({ command: '/probe', text: 'json', team_id: 'T1', user_id: 'U1' });
    expect((await postToSlack(running.baseUrl, asJson, { contentType: 'application/json' })).status).toBe(400);
    expect(probeCalls).toEqual([]);
  });

  it('answers an unknown command at once with an ephemeral reply', async () => {
    const response = await sendSlashCommand(running.baseUrl, { command: '/unknown<b>', text: 'x' });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ response_type: 'ephemeral', text: 'This app does not handle /unknownb.' });
  });

  it('answers a command whose listener failed with 200 and an apology, never a 500', async () => {
    const response = await sendSlashCommand(
      running.baseUrl,
      { command: '/unguarded', text: 'x' },
      { headers: { 'X-Request-ID': 'receiver-test-request-id-0001' } },
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      response_type: 'ephemeral',
      text: 'Something went wrong on our side, sorry. Try again in a moment. (request id: receiver-test-request-id-0001)',
    });
    const logged = running.logger.lines.filter((line) => line.includes('receiver-test-request-id-0001'));
    expect(logged).toEqual([
      expect.stringMatching(/^\[error\] A Slack request failed \(request id [^)]+\): Error: listener bug/),
    ]);
  });

  it('answers an interaction whose listener failed with an empty 200', async () => {
    const payload = JSON.stringify({
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U1' },
      actions: [{ action_id: 'unguarded-button', block_id: 'b', type: 'button' }],
    });
    const response = await postToSlack(running.baseUrl, new URLSearchParams({ payload }).toString());
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
  });

  it('acknowledges an interaction nothing handles with an empty 200 at once, and ignores it', async () => {
    const started = Date.now();
    for (const payload of [
      { type: 'block_actions', team: { id: 'T1' }, user: { id: 'U1' }, actions: [{ action_id: 'nobody-listens' }] },
      { type: 'message_action', callback_id: 'nobody_listens', team: { id: 'T1' }, user: { id: 'U1' } },
      { type: 'shortcut', callback_id: 'nobody_listens', team: { id: 'T1' }, user: { id: 'U1' } },
    ]) {
      const response = await postToSlack(
        running.baseUrl,
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      );
      expect([payload.type, response.status, response.text]).toEqual([payload.type, 200, '']);
    }
    // Bolt's HTTPReceiver answers after its 3 s timer; this bound is far below that yet generous for a loaded CI.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(probeCalls).toEqual([]);
  });

  it('answers a form that is neither a command nor an interaction with 404', async () => {
    expect((await postToSlack(running.baseUrl, 'hello=world')).status).toBe(404);
  });

  describe('interaction payloads are checked like commands', () => {
    const payload = new URLSearchParams({
      payload: JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'probe' }] }),
    }).toString();
    it.each([
      ['forged', () => postToSlack(running.baseUrl, payload, { secret: 'another-secret-entirely-000000' })],
      ['stale', () => postToSlack(running.baseUrl, payload, { timestamp: nowSeconds() - 301 })],
    ])('a %s one gets 401', async (_name, send) => {
      expect((await send()).status).toBe(401);
    });
    it.each([
      ['not JSON', 'payload=%7B%22type%22%3A'],
      ['a JSON array', `payload=${encodeURIComponent('[{"type":"block_actions"}]')}`],
      ['a JSON string', `payload=${encodeURIComponent('"block_actions"')}`],
      ['empty', 'payload='],
      ['without a type', `payload=${encodeURIComponent('{"user":{"id":"U1"}}')}`],
      [
        'a button press without a user',
        `payload=${encodeURIComponent('{"type":"block_actions","actions":[{"action_id":"a"}]}')}`,
      ],
      [
        'a button press without actions',
        `payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U1"},"actions":[]}')}`,
      ],
      [
        'a shortcut without a callback id',
        `payload=${encodeURIComponent('{"type":"message_action","user":{"id":"U1"}}')}`,
      ],
    ])('a payload that is %s gets 400', async (_name, body) => {
      expect((await postToSlack(running.baseUrl, body)).status).toBe(400);
    });
    it('one over the size cap gets 413', async () => {
      const huge = new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', x: 'é'.repeat(50_000) }) });
      expect((await postToSlack(running.baseUrl, huge.toString())).status).toBe(413);
    });
  });

  it('acknowledges Events API deliveries at once, as Slack requires, even with no listener', async () => {
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', event: { type: 'app_mention' } });
    const response = await postToSlack(running.baseUrl, body, { contentType: 'application/json' });
    expect(response.status).toBe(200);
  });

  it('accepts POST only', async () => {
    const response = await fetch(`${running.baseUrl}/slack/events`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('refuses a body over the cap with 413 without reading it all', async () => {
    const declared = await rawPost(running.baseUrl, { 'Content-Length': String(10 * 1024 * 1024) }, 'x'.repeat(1024));
    expect(declared).toBe(413);
    const streamed = await rawPost(running.baseUrl, { 'Transfer-Encoding': 'chunked' }, 'x'.repeat(200 * 1024));
    expect(streamed).toBe(413);
    expect(probeCalls).toEqual([]);
  });

  it('passes retry headers to Bolt as context', async () => {
    const seen: Array<number | undefined> = [];
    running.app.bolt.command('/retry-probe', async ({ context, ack }) => {
      seen.push(context.retryNum);
      await ack();
    });
    const response = await postToSlack(running.baseUrl, slashCommandBody({ command: '/retry-probe' }), {
      headers: { 'X-Slack-Retry-Num': '2', 'X-Slack-Retry-Reason': 'http_timeout' },
    });
    expect(response.status).toBe(200);
    expect(seen).toEqual([2]);
  });
});

function flip(signature: string): string {
  const last = signature.at(-1) === '0' ? '1' : '0';
  return `${signature.slice(0, -1)}${last}`;
}

/** Sends a body without waiting to finish writing it, and resolves with the status as soon as one arrives. */
function rawPost(baseUrl: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timestamp = String(nowSeconds());
    const request = httpRequest(`${baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': timestamp,
        'X-Slack-Signature': slackSignature(TEST_SIGNING_SECRET, timestamp, body),
        ...headers,
      },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close the connection while we are still writing; the status has already arrived then.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    request.write(body);
  });
}
