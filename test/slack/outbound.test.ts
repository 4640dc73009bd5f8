import { DEFAULT_RESPONSE_URL_ORIGINS } from '../../src/config.js';
import { createSlackOutbound, MAX_RESPONSE_BYTES, type SlackOutbound } from '../../src/slack/outbound.js';
import { type CapturingLogger, createCapturingLogger, fakeSlackToken } from '../helpers.js';
import { type SlackStandIn, startSlackStandIn } from '../slack-stand-in.js';

const TOKEN = fakeSlackToken('xoxb', '0000', '1111', 'outboundtesttoken');
const HOOK_PATH = '/commands/T0001/42/secret-hook-part';

describe('outbound calls to Slack', () => {
  let slack: SlackStandIn;
  /** A second server that is not on the allow-list: nothing may ever reach it. */
  let elsewhere: SlackStandIn;
  let logger: CapturingLogger;
  let outbound: SlackOutbound;
  const hook = () => `${slack.origin}${HOOK_PATH}`;

  beforeEach(async () => {
    slack = await startSlackStandIn();
    elsewhere = await startSlackStandIn();
    logger = createCapturingLogger();
    outbound = createSlackOutbound({
      responseUrlOrigins: [slack.origin],
      apiUrl: `${slack.origin}/api/`,
      logger,
      timeoutMs: 300,
    });
  });
  afterEach(async () => {
    expect(elsewhere.requests).toEqual([]);
    // Response URLs and tokens are credentials: no log line may carry them.
    for (const line of logger.lines) {
      expect(line).not.toContain('secret-hook-part');
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain(slack.origin);
    }
    await Promise.all([slack.close(), elsewhere.close()]);
  });

  describe('through a response URL', () => {
    it('posts in the channel, replaces and deletes the original, as JSON', async () => {
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '```moo```' } }];
      expect(await outbound.postInChannel(hook(), { text: 'moo', blocks })).toEqual({ ok: true, value: undefined });
      expect(await outbound.postEphemeral(hook(), { text: 'only you' })).toEqual({ ok: true, value: undefined });
      expect(await outbound.replaceOriginal(hook(), { text: 'new' })).toEqual({ ok: true, value: undefined });
      expect(await outbound.deleteOriginal(hook())).toEqual({ ok: true, value: undefined });
      const sent = await slack.received(4);
      expect(sent.map(({ method, path }) => [method, path])).toEqual(Array(4).fill(['POST', HOOK_PATH]));
      expect(sent[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(sent.map((request) => request.json)).toEqual([
        { text: 'moo', blocks, response_type: 'in_channel', replace_original: false },
        { text: 'only you', response_type: 'ephemeral', replace_original: false },
        { text: 'new', replace_original: true },
        { delete_original: true },
      ]);
      expect(sent[0]?.headers.authorization).toBeUndefined();
    });

    it.each([
      ['another origin', () => `${elsewhere.origin}${HOOK_PATH}`],
      ['a look-alike host', () => `http://127.0.0.1.nip.io:${new URL(slack.origin).port}${HOOK_PATH}`],
      ['credentials in the URL', () => `http://user:pw@${new URL(slack.origin).host}${HOOK_PATH}`],
      ['https instead of http', () => `${slack.origin.replace('http:', 'https:')}${HOOK_PATH}`],
      ['not a URL', () => 'hooks.slack.com/commands/x'],
      ['an empty string', () => ''],
      ['a javascript: URL', () => 'javascript:alert(1)'],
    ])('never calls a response URL with %s', async (_name, url) => {
      expect(outbound.isAllowedResponseUrl(url())).toBe(false);
      expect(await outbound.postInChannel(url(), { text: 'moo' })).toEqual({
        ok: false,
        error: 'response_url_not_allowed',
      });
      expect(await outbound.deleteOriginal(url())).toEqual({ ok: false, error: 'response_url_not_allowed' });
      expect(slack.requests).toEqual([]);
      expect(logger.lines).toContainEqual('[warn] Slack response_url in_channel failed: response_url_not_allowed');
    });

    it("allows Slack's own hosts by default and nothing else", () => {
      const defaults = createSlackOutbound({ responseUrlOrigins: DEFAULT_RESPONSE_URL_ORIGINS, apiUrl: '', logger });
      expect(defaults.isAllowedResponseUrl('https://hooks.slack.com/actions/T1/2/abc')).toBe(true);
      expect(defaults.isAllowedResponseUrl('https://hooks.slack-gov.com/commands/T1/2/abc')).toBe(true);
      for (const url of [
        'http://hooks.slack.com/actions/T1/2/abc',
        'https://hooks.slack.com.evil.example/actions',
        'https://evil.example/?https://hooks.slack.com/',
        'https://hooks.slack.com:8443/actions',
        'https://slack.com/api/chat.postMessage',
      ]) {
        expect([url, defaults.isAllowedResponseUrl(url)]).toEqual([url, false]);
      }
    });

    it('reports Slack refusing the message by its error name', async () => {
      slack.answer(HOOK_PATH, () => ({ status: 404, body: 'expired_url' }));
      expect(await outbound.replaceOriginal(hook(), { text: 'x' })).toEqual({ ok: false, error: 'expired_url' });
      slack.answer(HOOK_PATH, () => ({ status: 200, body: '{"ok":false,"error":"invalid_blocks"}' }));
      expect(await outbound.postInChannel(hook(), { text: 'x' })).toEqual({ ok: false, error: 'invalid_blocks' });
      slack.answer(HOOK_PATH, () => ({ status: 500, body: '<html>oops, https://hooks.example/leak</html>' }));
      expect(await outbound.postInChannel(hook(), { text: 'x' })).toEqual({ ok: false, error: 'http_500' });
      expect(logger.lines).toEqual([
        '[warn] Slack response_url replace_original failed: expired_url',
        '[warn] Slack response_url in_channel failed: invalid_blocks',
        '[warn] Slack response_url in_channel failed: http_500',
      ]);
    });

    it('accepts a plain "ok" answer', async () => {
      slack.answer(HOOK_PATH, () => ({ status: 200, body: 'ok' }));
      expect(await outbound.deleteOriginal(hook())).toEqual({ ok: true, value: undefined });
    });
  });

  describe('bounds on every call', () => {
    it('never follows a redirect', async () => {
      slack.answer(HOOK_PATH, () => ({ status: 307, headers: { Location: `${elsewhere.origin}/stolen` } }));
      expect(await outbound.postInChannel(hook(), { text: 'x' })).toEqual({ ok: false, error: 'redirect_refused' });
      slack.answer('/api/chat.postMessage', () => ({ status: 302, headers: { Location: `${elsewhere.origin}/` } }));
      const posted = await outbound.postMessage(TOKEN, { channel: 'C1', text: 'x' });
      expect(posted).toEqual({ ok: false, error: 'redirect_refused' });
    });

    it('gives up on an answer that does not come', async () => {
      slack.answer(HOOK_PATH, () => 'hang');
      expect(await outbound.postInChannel(hook(), { text: 'x' })).toEqual({ ok: false, error: 'timeout' });
      expect(logger.lines).toEqual(['[warn] Slack response_url in_channel failed: timeout']);
    });

    it('refuses an answer bigger than it should be without reading it all', async () => {
      slack.answer('/api/chat.postMessage', () => ({
        status: 200,
        body: `{"ok":true,"x":"${'a'.repeat(MAX_RESPONSE_BYTES)}"}`,
      }));
      const posted = await outbound.postMessage(TOKEN, { channel: 'C1', text: 'x' });
      expect(posted).toEqual({ ok: false, error: 'response_too_large' });
    });

    it('reports a refused connection by its code', async () => {
      const closed = await startSlackStandIn();
      await closed.close();
      const unreachable = createSlackOutbound({ responseUrlOrigins: [closed.origin], apiUrl: '', logger });
      expect(await unreachable.postInChannel(`${closed.origin}/x`, { text: 'x' })).toEqual({
        ok: false,
        error: 'network_error (ECONNREFUSED)',
      });
    });
  });

  describe('chat.postMessage', () => {
    it('sends the message with the token in the Authorization header, and returns its ts', async () => {
      slack.answer('/api/chat.postMessage', () => ({
        status: 200,
        body: '{"ok":true,"channel":"C1","ts":"17.000200"}',
      }));
      const result = await outbound.postMessage(TOKEN, { channel: 'C1', text: 'moo', thread_ts: '16.000100' });
      expect(result).toEqual({ ok: true, value: { ts: '17.000200' } });
      const [request] = await slack.received(1);
      expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request?.json).toEqual({ channel: 'C1', text: 'moo', thread_ts: '16.000100' });
      expect(request?.body).not.toContain(TOKEN);
    });

    it.each([
      ['not_in_channel', { status: 200, body: '{"ok":false,"error":"not_in_channel"}' }],
      ['channel_not_found', { status: 200, body: '{"ok":false,"error":"channel_not_found"}' }],
      ['ratelimited', { status: 429, headers: { 'Retry-After': '30' }, body: '' }],
      ['http_502', { status: 502, body: 'Bad gateway' }],
      ['unknown_error', { status: 200, body: '{"ok":false,"error":"Not A Code <b>"}' }],
      ['http_200', { status: 200, body: 'not json' }],
    ])('reports %s, once, without retrying', async (error, answer) => {
      slack.answer('/api/chat.postMessage', () => answer);
      expect(await outbound.postMessage(TOKEN, { channel: 'C1', text: 'x' })).toEqual({ ok: false, error });
      expect(slack.requests).toHaveLength(1);
      expect(logger.lines).toEqual([`[warn] Slack chat.postMessage failed: ${error}`]);
    });
  });
});
