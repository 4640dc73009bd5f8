/**
 * "Cowsay this" over HTTP: signed message_action payloads in, and what the app then sent to local stand-ins
 * for Slack's response URLs and Web API.
 */
import { fakeSlackToken, nowSeconds, type RunningApp, startTestApp, testConfig } from '../helpers.js';
import {
  createWatchingLogger,
  messageShortcutPayload,
  type Payload,
  sendInteraction,
  type WatchingLogger,
} from '../interactions.js';
import { type SlackStandIn, startSlackStandIn } from '../slack-stand-in.js';

const TOKEN = fakeSlackToken('xoxb', '0000', '2222', 'shortcuttesttoken');
const HOOK = '/actions/T0001/77/shortcut-hook';
const MESSAGE = {
  text: 'Hello <@U0003|bo> &amp; <!channel>, see <https://example.com|the docs>',
  ts: '1700000000.000100',
};

/** The cow inside a posted message's first block, with Slack's escaping undone. */
function cowIn(json: unknown): string {
  const block = (json as { blocks?: Array<{ text?: { text?: string } }> }).blocks?.[0]?.text?.text ?? '';
  return block
    .replace(/^```\n|\n```$/g, '')
    .replace(/\u200b/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('"Cowsay this" message shortcut', () => {
  let slack: SlackStandIn;
  let elsewhere: SlackStandIn;
  let logger: WatchingLogger;
  let running: RunningApp;
  const hook = () => `${slack.origin}${HOOK}`;

  async function start(env: Record<string, string> = {}): Promise<void> {
    running = await startTestApp({
      logger,
      config: testConfig({
        SLACK_RESPONSE_URL_ORIGINS: slack.origin,
        SLACK_API_URL: `${slack.origin}/api/`,
        ...env,
      }),
    });
  }
  async function shortcut(message: Payload, responseUrl = hook()): Promise<void> {
    const response = await sendInteraction(running.baseUrl, messageShortcutPayload(responseUrl, message));
    // Acknowledged at once with an empty 200; the cow follows through a separate call.
    expect([response.status, response.text]).toEqual([200, '']);
  }

  beforeEach(async () => {
    slack = await startSlackStandIn();
    elsewhere = await startSlackStandIn();
    logger = createWatchingLogger();
  });
  afterEach(async () => {
    await running.stop();
    expect(elsewhere.requests).toEqual([]);
    for (const line of logger.lines) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain('shortcut-hook');
      expect(line).not.toContain('Hello');
    }
    await Promise.all([slack.close(), elsewhere.close()]);
  });

  describe('with a bot token', () => {
    beforeEach(() => start({ SLACK_BOT_TOKEN: TOKEN }));

    it("replies in the message's thread with chat.postMessage, the text made readable and inert", async () => {
      await shortcut(MESSAGE);
      const [request] = await slack.received(1);
      expect(request?.path).toBe('/api/chat.postMessage');
      expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      const body = request?.json as Record<string, unknown>;
      expect(body).toMatchObject({ channel: 'C0001', thread_ts: '1700000000.000100' });
      const cow = cowIn(body);
      expect(cow).toContain('Hello @bo & @channel, see the docs');
      expect(cow).toContain('(oo)');
      // Nothing in the posted message can mention anyone: every bracket Slack would read is escaped.
      expect(JSON.stringify(body)).not.toMatch(/<!channel>|<@U0003/);
      expect(body.blocks).toContainEqual({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: '<@U0001> via Cowsay this' }],
      });
    });

    it("replies to a reply in the same thread, under the thread's parent", async () => {
      await shortcut({ text: 'in a thread', ts: '1700000050.000900', thread_ts: '1700000000.000100' });
      const [request] = await slack.received(1);
      expect(request?.json).toMatchObject({ channel: 'C0001', thread_ts: '1700000000.000100' });
    });

    it.each([
      ['not_in_channel', /not a member of this conversation.*\/invite/],
      ['channel_not_found', /cannot see this conversation/],
      ['is_archived', /archived/],
      ['fatal_error', /Slack refused the cow’s message \(fatal_error\)/],
    ])('explains %s to the user alone, logs it, and does not retry', async (error, explanation) => {
      slack.answer('/api/chat.postMessage', () => ({ status: 200, body: JSON.stringify({ ok: false, error }) }));
      await shortcut(MESSAGE);
      const [post, answer] = await slack.received(2);
      expect(post?.path).toBe('/api/chat.postMessage');
      expect(answer?.path).toBe(HOOK);
      expect(answer?.json).toEqual({
        text: expect.stringMatching(explanation),
        response_type: 'ephemeral',
        replace_original: false,
      });
      expect(await logger.until(/chat\.postMessage failed/)).toBe(`[warn] Slack chat.postMessage failed: ${error}`);
      expect(slack.requests).toHaveLength(2);
    });

    it('explains a Web API that does not answer in time', async () => {
      slack.answer('/api/chat.postMessage', () => 'hang');
      await shortcut(MESSAGE);
      const [, answer] = await slack.received(2);
      expect(answer?.json).toMatchObject({ text: expect.stringMatching(/did not answer in time/) });
    });
  });

  describe('without a bot token', () => {
    beforeEach(() => start());

    it("posts to the channel through the shortcut's response_url", async () => {
      await shortcut(MESSAGE);
      const [request] = await slack.received(1);
      expect(request?.path).toBe(HOOK);
      expect(request?.headers.authorization).toBeUndefined();
      expect(request?.json).toMatchObject({ response_type: 'in_channel', replace_original: false });
      expect(cowIn(request?.json)).toContain('Hello @bo & @channel, see the docs');
    });

    it('never calls a response_url outside the allowed origins', async () => {
      await shortcut(MESSAGE, `${elsewhere.origin}${HOOK}`);
      await logger.until(/response_url_not_allowed/);
      expect(slack.requests).toEqual([]);
    });
  });

  describe('messages the cow cannot say', () => {
    beforeEach(() => start({ SLACK_BOT_TOKEN: TOKEN }));

    it.each([
      ['no text (a file or an image)', { ts: '1700000000.000100', files: [{ id: 'F1' }] }, /no text for the cow/],
      ['empty text', { text: '', ts: '1700000000.000100' }, /no text for the cow/],
      ['only spaces', { text: ' \n\t ', ts: '1700000000.000100' }, /no text for the cow/],
      ['text of the wrong type', { text: { evil: true }, ts: '1700000000.000100' }, /no text for the cow/],
      ['text over 2,000 characters', { text: 'moo '.repeat(600), ts: '1700000000.000100' }, /limit is 2000/],
      ['too big a cow', { text: 'm\n'.repeat(1000), ts: '1700000000.000100' }, /too big/],
    ])('answers a message with %s clearly, to the user alone', async (_name, message, reason) => {
      await shortcut(message);
      const [request] = await slack.received(1);
      expect(request?.path).toBe(HOOK);
      expect(request?.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(reason) });
    });

    it('renders unicode and control characters like any cow, never posting the controls', async () => {
      await shortcut({ text: '牛 🐄 e\u0301 \u202eevil\u0007', ts: '1700000000.000100' });
      const [request] = await slack.received(1);
      expect(cowIn(request?.json)).toContain('牛 🐄 e\u0301 evil');
      // Neither in the art nor in the notification text: JSON shows U+0007 escaped and U+202E as itself.
      expect(JSON.stringify(request?.json)).not.toMatch(/\u202e|\\u0007/);
    });

    it('refuses a payload whose channel or ts is malformed, without calling the Web API', async () => {
      const payload = messageShortcutPayload(hook(), MESSAGE);
      payload.channel = { id: 'C1<script>', name: 'x' };
      await sendInteraction(running.baseUrl, payload);
      const [request] = await slack.received(1);
      expect(request?.path).toBe(HOOK);
      expect(request?.json).toMatchObject({ text: expect.stringMatching(/did not say where the message is/) });
    });
  });

  describe('forged and stale shortcuts', () => {
    beforeEach(() => start({ SLACK_BOT_TOKEN: TOKEN }));

    it.each([
      ['signed with another secret', () => ({ secret: 'another-secret-entirely-000000' })],
      // Six minutes, clear of the five-minute edge, so a second ticking over cannot flip the outcome.
      ['stale', () => ({ timestamp: nowSeconds() - 360 })],
      ['from the future', () => ({ timestamp: nowSeconds() + 360 })],
    ])('refuses one %s with 401 and calls nobody', async (_name, options) => {
      const response = await sendInteraction(running.baseUrl, messageShortcutPayload(hook(), MESSAGE), options());
      expect(response.status).toBe(401);
      // A valid shortcut after it is the only thing that reaches Slack.
      await shortcut({ text: 'after', ts: '1700000000.000100' });
      const requests = await slack.received(1);
      expect(requests).toHaveLength(1);
      expect(cowIn(requests[0]?.json)).toContain('after');
    });
  });
});
