/**
 * The local slash client against a real running app (real HTTP, real receiver with its signature check,
 * real Bolt), and against small stand-in servers where the behaviour under test is the client's own.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { runSlashCli } from '../../tools/slash-cli.js';
import { parseCommandLine } from '../../tools/slash-client.js';
import { COWS } from '../fixtures/cows.js';
import { type RunningApp, slackSignature, startTestApp, TEST_SIGNING_SECRET } from '../helpers.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run slash -- …argv` would, with `input` piped to standard input. */
async function slash(
  argv: string[],
  settings: { signingSecret?: string; port?: number; url?: string } = {},
  input?: string,
  timeoutMs?: number,
): Promise<Run> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  stdin.end(input ?? '');
  const args = settings.url === undefined ? argv : ['--url', settings.url, ...argv];
  const code = await runSlashCli(
    args,
    { stdin, stdout, stderr, interactive: false },
    {
      signingSecret: 'signingSecret' in settings ? settings.signingSecret : TEST_SIGNING_SECRET,
      port: settings.port ?? 3000,
    },
    { timeoutMs },
  );
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('npm run slash against the running app', () => {
  let running: RunningApp;
  let port: number;
  const seen: Array<{ command: unknown; text: unknown; user: unknown; channel: unknown }> = [];

  beforeAll(async () => {
    running = await startTestApp();
    port = Number(new URL(running.baseUrl).port);
    // Global middleware sees every command the app receives, whichever listener answers it.
    running.app.bolt.use(async ({ body, next }) => {
      const fields: Record<string, unknown> = { ...body };
      seen.push({ command: fields.command, text: fields.text, user: fields.user_id, channel: fields.channel_id });
      await next();
    });
  });
  afterAll(() => running.stop());
  beforeEach(() => {
    seen.length = 0;
  });

  it('prints the cow as text, signed with the secret, sent to localhost:$PORT by default', async () => {
    const run = await slash(['/cowsay', '-f', 'dragon', 'hello'], { port });
    expect(run).toEqual({ code: 0, stdout: `${COWS.dragonHello}\n`, stderr: '' });
    expect(seen).toEqual([{ command: '/cowsay', text: '-f dragon hello', user: 'ULOCALUSER', channel: 'CLOCALCHAN' }]);
  });

  it('sends & < > as Slack does, and prints them back decoded, never live', async () => {
    const run = await slash(['/cowsay', '<!channel> & <@U123> say `hi`'], { port });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${COWS.mentionsAndBackticks}\n`);
    expect(seen[0]?.text).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt; say `hi`');
  });

  it('marks ephemeral replies and decodes their mrkdwn', async () => {
    const help = await slash(['/cowsay', 'help'], { port });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\(only visible to you\)\n\*Usage:\* `\/cowsay /);
    expect(help.stdout).not.toContain('&lt;');

    const error = await slash(['/cowsay', '-f', '<nope>', 'x'], { port });
    expect(error.stdout).toMatch(/^\(only visible to you\)\nThere is no cow called "<nope>"/);
  });

  it('accepts the whole command as one argument, keeping its line breaks', async () => {
    const run = await slash(['/cowsay -n one\ntwo'], { port });
    expect(run.stdout).toBe(`${COWS.oneTwoUnwrapped}\n`);
  });

  it('reads one command per line from a pipe; a line without "/" goes to /chat', async () => {
    const run = await slash([], { port }, '/cowsay moo\n\n  hello board  \n/cowsay -W 10 two words\r\n');
    expect(seen.map(({ command, text }) => [command, text])).toEqual([
      ['/cowsay', 'moo'],
      ['/chat', 'hello board'],
      ['/cowsay', '-W 10 two words'],
    ]);
    expect(run.stdout.startsWith(`${COWS.moo}\n`)).toBe(true);
    expect(run.stdout.endsWith(`${COWS.twoWordsAt10}\n`)).toBe(true);
    // Whatever /chat answers, it is a reply (ephemeral, as /chat's are), not an error.
    expect(run.stdout).toContain('(only visible to you)');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('sends as another user and channel when asked', async () => {
    await slash(['--user', 'U0BOB', '--channel=C0RANDOM', '/cowsay', 'hi'], { port });
    expect(seen).toEqual([{ command: '/cowsay', text: 'hi', user: 'U0BOB', channel: 'C0RANDOM' }]);
  });

  it('explains a wrong secret (401) without printing either secret', async () => {
    const wrong = 'not-the-apps-secret-3f9a1c7e5b';
    const run = await slash(['/cowsay', 'hi'], { port, signingSecret: wrong });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/refused the request's signature \(401\).*SLACK_SIGNING_SECRET/s);
    expect(run.stderr).not.toContain(wrong);
    expect(run.stderr).not.toContain(TEST_SIGNING_SECRET);
    expect(seen).toEqual([]);
  });

  it('keeps going in the REPL after a failed line, and exits 1', async () => {
    const run = await slash([], { port, signingSecret: 'wrong-wrong-wrong-wrong' }, '/cowsay a\n/cowsay b\n');
    expect(run.code).toBe(1);
    expect(run.stderr.match(/401/g)).toHaveLength(2);
  });

  it('explains a Socket Mode app (404 at /slack/events)', async () => {
    const run = await slash(['/cowsay', 'hi'], { url: `${running.baseUrl}/not-slack` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Nothing handles Slack requests at .* \(404\).*Socket Mode/s);
  });
});

describe('npm run slash when things are missing', () => {
  it('says so clearly when nothing listens', async () => {
    // A port that was just free: bind, note it, release it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const run = await slash(['/cowsay', 'hi'], { url: `http://127.0.0.1:${port}/slack/events` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Could not reach the app at http://127.0.0.1:${port}/slack/events (ECONNREFUSED)`);
    expect(run.stderr).toContain('npm run dev');
  });

  it('refuses to run without a signing secret, and says where one comes from', async () => {
    const run = await slash(['/cowsay', 'hi'], { signingSecret: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/SLACK_SIGNING_SECRET is not set.*npm run dev/s);
  });

  it('refuses bad tool options with usage', async () => {
    for (const argv of [['--url', 'ftp://x/'], ['--url'], ['--user', 'alice'], ['--bogus', 'x'], ['/']]) {
      const run = await slash(argv);
      expect([argv, run.code]).toEqual([argv, 2]);
      expect(run.stderr).toContain('Usage: npm run slash');
    }
    const help = await slash(['--help']);
    expect(help).toEqual({ code: 0, stdout: expect.stringContaining('Usage: npm run slash'), stderr: '' });
  });
});

describe('the request the client sends', () => {
  let server: Server;
  let url: string;
  let answer: (request: IncomingMessage, body: string) => { status: number; type?: string; body: string } | undefined;
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        const reply = answer(request, body);
        if (reply === undefined) return; // never answer: the client must time out
        response.writeHead(reply.status, { 'Content-Type': reply.type ?? 'application/json' });
        response.end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
    answer = () => ({ status: 200, body: '' });
  });

  it('is a slash-command form signed exactly as Slack signs it', async () => {
    const before = Math.floor(Date.now() / 1000);
    await slash(['/cowsay', 'a+b & c=d'], { url });
    const [request] = received;
    if (request === undefined) throw new Error('no request');
    const timestamp = String(request.headers['x-slack-request-timestamp']);
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // Checked with the test helper's own HMAC, not the app's code.
    expect(request.headers['x-slack-signature']).toBe(slackSignature(TEST_SIGNING_SECRET, timestamp, request.body));
    const form = new URLSearchParams(request.body);
    expect(form.get('command')).toBe('/cowsay');
    expect(form.get('text')).toBe('a+b &amp; c=d');
    for (const field of ['team_id', 'channel_id', 'user_id', 'user_name', 'response_url', 'trigger_id', 'api_app_id']) {
      expect([field, (form.get(field) ?? '') !== '']).toEqual([field, true]);
    }
    // The secret is only ever an HMAC key: it is in neither the body nor any header.
    expect(JSON.stringify(request)).not.toContain(TEST_SIGNING_SECRET);
  });

  it('reads replies as Slack shows them: empty, plain text, blocks, mentions, dates and links', async () => {
    answer = () => ({ status: 200, body: '' });
    expect((await slash(['/x'], { url })).stdout).toBe('(the app acknowledged the command without a reply)\n');

    answer = () => ({ status: 200, type: 'text/plain', body: 'just text' });
    expect((await slash(['/x'], { url })).stdout).toBe('(only visible to you)\njust text\n');

    answer = () => ({
      status: 200,
      body: JSON.stringify({
        response_type: 'in_channel',
        text: 'fallback, not shown',
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: '#42 <@ULOCALUSER> <@U0BOB> <!date^1700000000^{date_num} {time}|Nov 14> <!here> <#C1|general> <https://example.com|docs> &amp;lt;b&amp;gt;',
            },
          },
          { type: 'divider' },
          { type: 'context', elements: [{ type: 'plain_text', text: '<kept as is>' }] },
        ],
      }),
    });
    const rich = await slash(['/x'], { url });
    const time = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' }).format(1_700_000_000_000);
    const day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      1_700_000_000_000,
    );
    expect(rich.stdout).toBe(
      `#42 @you @U0BOB ${day} ${time} @here #general docs (https://example.com) &lt;b&gt;\n――――――――\n<kept as is>\n`,
    );
  });

  it('times out like Slack does (3 s by default) and says so', async () => {
    answer = () => undefined;
    const run = await slash(['/cowsay', 'slow'], { url }, undefined, 200);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/did not answer within 0.2 s; Slack would show the user "operation_timeout"/);
  });

  it('reports other statuses with a bounded body', async () => {
    answer = () => ({ status: 500, type: 'text/plain', body: `boom ${'x'.repeat(1000)}` });
    const run = await slash(['/cowsay', 'x'], { url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^The app answered 500: boom x+…\n$/);
    expect(run.stderr.length).toBeLessThan(300);
  });
});

describe('parseCommandLine', () => {
  it.each([
    ['/cowsay -f dragon hi', { command: '/cowsay', text: '-f dragon hi' }],
    ['  /COWSAY   hi  ', { command: '/cowsay', text: 'hi' }],
    ['/chat', { command: '/chat', text: '' }],
    ['hello board', { command: '/chat', text: 'hello board' }],
    ['日本語 🐄', { command: '/chat', text: '日本語 🐄' }],
    ['', undefined],
    ['   ', undefined],
    ['/', undefined],
    ['/co$say x', undefined],
    [`/${'a'.repeat(40)} x`, undefined],
  ])('%j', (line, expected) => {
    expect(parseCommandLine(line)).toEqual(expected);
  });
});
