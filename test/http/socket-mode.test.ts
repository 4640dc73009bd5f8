/**
 * Socket Mode: chosen by SLACK_APP_TOKEN alone; commands arrive over the WebSocket (here a local stand-in
 * for Slack's) while the HTTP routes keep serving on PORT and /slack/events is not served at all.
 */
import { type CowsayApp, createCowsayApp, planSlackConnection } from '../../src/app.js';
import { COWS } from '../fixtures/cows.js';
import {
  cowFromReply,
  createCapturingLogger,
  createFakeStore,
  fakeSlackToken,
  readResponse,
  type SlackReply,
  sendSlashCommand,
  slashCommandBody,
  testCatalog,
  testConfig,
} from '../helpers.js';
import { type FakeSocketMode, startFakeSocketMode } from './fake-socket-mode.js';

const APP_TOKEN = fakeSlackToken('xapp', '1', 'A0001', '123', '0123456789abcdef');

describe('choosing how Slack reaches the app', () => {
  it('is HTTP without an app-level token, Socket Mode with one', () => {
    expect(planSlackConnection(testConfig())).toEqual({ mode: 'http', signingSecret: testConfig().signingSecret });
    expect(planSlackConnection(testConfig({ SLACK_APP_TOKEN: APP_TOKEN }))).toEqual({
      mode: 'socket',
      appToken: APP_TOKEN,
    });
    // An empty value (as .env.example has it) means unset, not Socket Mode with an empty token.
    expect(planSlackConnection(testConfig({ SLACK_APP_TOKEN: '  ' })).mode).toBe('http');
  });
});

describe('the app in Socket Mode', () => {
  let slack: FakeSocketMode;
  let app: CowsayApp;
  let baseUrl: string;
  /** The text of every request Bolt processed during the current test. */
  const commands: unknown[] = [];
  beforeEach(() => {
    commands.length = 0;
  });

  beforeAll(async () => {
    slack = await startFakeSocketMode({ acceptToken: (token) => token === APP_TOKEN });
    app = createCowsayApp({
      config: testConfig({ SLACK_APP_TOKEN: APP_TOKEN }),
      store: createFakeStore(),
      catalog: await testCatalog(),
      logger: createCapturingLogger(),
      slackApiUrl: slack.apiUrl,
    });
    // Global middleware sees every request Bolt processes, whichever way it arrived.
    app.bolt.use(async ({ body, next }) => {
      const fields: Record<string, unknown> = { ...body };
      commands.push(fields.text);
      await next();
    });
    const address = await app.start(0);
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await app.stop();
    await slack.stop();
  });

  it('connects with the app-level token before start() resolves', async () => {
    expect(app.connection).toBe('socket');
    expect(slack.tokens).toEqual([APP_TOKEN]);
    await slack.connected();
  });

  it('answers /cowsay over the socket', async () => {
    const ack = await slack.send({
      envelope_id: 'envelope-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: Object.fromEntries(new URLSearchParams(slashCommandBody({ command: '/cowsay', text: '-f tux hi' }))),
    });
    expect(ack.envelope_id).toBe('envelope-1');
    expect(commands).toEqual(['-f tux hi']);
    const reply = ack.payload as SlackReply;
    expect(reply.response_type).toBe('in_channel');
    expect(cowFromReply(reply)).toBe(COWS.tuxHi);
  });

  it('still serves the GET routes on its HTTP port', async () => {
    const index = await fetch(`${baseUrl}/`).then(readResponse);
    expect(index.status).toBe(200);
    expect(index.text).toContain('Socket Mode');
    const say = await fetch(`${baseUrl}/say/hi`, { headers: { Accept: 'text/plain' } }).then(readResponse);
    expect(say.status).toBe(200);
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
  });

  it('does not serve /slack/events: even a correctly signed request gets 404 and runs nothing', async () => {
    const response = await sendSlashCommand(baseUrl, { command: '/cowsay', text: 'over http' });
    expect(response.status).toBe(404);
    expect(commands).toEqual([]);
  });

  it('closes the socket on stop', async () => {
    const other = await startFakeSocketMode({ acceptToken: () => true });
    const stoppable = createCowsayApp({
      config: testConfig({ SLACK_APP_TOKEN: APP_TOKEN }),
      store: createFakeStore(),
      catalog: await testCatalog(),
      logger: createCapturingLogger(),
      slackApiUrl: other.apiUrl,
    });
    try {
      await stoppable.start(0);
      await other.connected();
      await stoppable.stop();
      await other.closed();
      expect(stoppable.server.listening).toBe(false);
    } finally {
      await other.stop();
    }
  });
});

describe('Socket Mode with a token Slack refuses', () => {
  it('fails to start with a message that names SLACK_APP_TOKEN, never the token, and frees the port', async () => {
    const slack = await startFakeSocketMode({ acceptToken: () => false });
    const logger = createCapturingLogger();
    const app = createCowsayApp({
      config: testConfig({ SLACK_APP_TOKEN: APP_TOKEN }),
      store: createFakeStore(),
      catalog: await testCatalog(),
      logger,
      slackApiUrl: slack.apiUrl,
    });
    try {
      const failure = await app.start(0).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      expect(failure).toMatch(/could not connect to Slack in Socket Mode \(.*invalid_auth.*\)\. Check SLACK_APP_TOKEN/);
      expect(failure).not.toContain(APP_TOKEN);
      expect(logger.lines.join('\n')).not.toContain(APP_TOKEN);
      expect(app.server.listening).toBe(false);
    } finally {
      await app.stop();
      await slack.stop();
    }
  });
});
