/**
 * `/cowsay -P` over HTTP: a signed command gets the preview, signed button presses follow, and a local
 * stand-in for the interaction's response_url records what the app then posted, replaced and deleted.
 */

import { BUTTON_VALUE_LIMIT, PREVIEW_ACTIONS } from '../../src/commands/preview.js';
import { BUILT_IN_FORTUNES } from '../../src/cowsay/built-in-fortunes.js';
import {
  asReply,
  nowSeconds,
  type RunningApp,
  sendSlashCommand,
  startTestApp,
  testCatalog,
  testConfig,
} from '../helpers.js';
import { buttonPayload, createWatchingLogger, sendInteraction, type WatchingLogger } from '../interactions.js';
import { type RecordedRequest, type SlackStandIn, startSlackStandIn } from '../slack-stand-in.js';

const HOOK = '/actions/T0001/88/preview-hook';

interface Button {
  action_id: string;
  value?: string;
  text: { text: string };
  style?: string;
}
interface Message {
  response_type?: string;
  replace_original?: boolean;
  delete_original?: boolean;
  text?: string;
  blocks?: Array<{ type: string; text?: { text: string }; elements?: Array<Button & { text: unknown }> }>;
}

/** The cow in a message's first block, with Slack's escaping undone. */
function cowOf(message: Message): string {
  return (message.blocks?.[0]?.text?.text ?? '')
    .replace(/^```\n|\n```$/g, '')
    .replace(/\u200b/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function buttonsOf(message: Message): Button[] {
  return (message.blocks?.find((block) => block.type === 'actions')?.elements ?? []) as Button[];
}

function buttonValue(message: Message, actionId: string): string {
  const value = buttonsOf(message).find((button) => button.action_id === actionId)?.value;
  if (value === undefined) throw new Error(`no ${actionId} button with a value`);
  return value;
}

/** The cow a button's arguments name: they start `-f NAME`. */
function cowNameOf(value: string): string {
  return /^-f (\S+)/.exec(value)?.[1] ?? '';
}

describe('/cowsay --preview', () => {
  let slack: SlackStandIn;
  let elsewhere: SlackStandIn;
  let logger: WatchingLogger;
  let running: RunningApp;
  const hook = () => `${slack.origin}${HOOK}`;

  async function preview(text: string): Promise<Message> {
    const response = await sendSlashCommand(running.baseUrl, { command: '/cowsay', text });
    expect(response.status).toBe(200);
    return asReply(response) as Message;
  }
  async function press(actionId: string, value?: string, responseUrl = hook()): Promise<void> {
    const response = await sendInteraction(running.baseUrl, buttonPayload(responseUrl, actionId, value));
    expect([response.status, response.text]).toEqual([200, '']);
  }
  const json = (request: RecordedRequest | undefined) => request?.json as Message;

  beforeEach(async () => {
    slack = await startSlackStandIn();
    elsewhere = await startSlackStandIn();
    logger = createWatchingLogger();
    running = await startTestApp({ logger, config: testConfig({ SLACK_RESPONSE_URL_ORIGINS: slack.origin }) });
  });
  afterEach(async () => {
    await running.stop();
    expect(elsewhere.requests).toEqual([]);
    for (const line of logger.lines) expect(line).not.toContain('preview-hook');
    await Promise.all([slack.close(), elsewhere.close()]);
  });

  it('answers only the caller, with the cow and Send, Shuffle and Cancel', async () => {
    const reply = await preview('-P -f tux hello');
    expect(reply.response_type).toBe('ephemeral');
    expect(cowOf(reply)).toContain('hello');
    expect(cowOf(reply)).toContain('|o_o |');
    expect(buttonsOf(reply).map(({ action_id, text, style }) => [action_id, text.text, style])).toEqual([
      [PREVIEW_ACTIONS.send, 'Send', 'primary'],
      [PREVIEW_ACTIONS.shuffle, 'Shuffle', undefined],
      [PREVIEW_ACTIONS.cancel, 'Cancel', undefined],
    ]);
    expect(buttonValue(reply, PREVIEW_ACTIONS.send)).toBe('-f tux -W40 --\nhello');
    expect(slack.requests).toEqual([]);
  });

  it('Send posts the same cow in the channel, attributed, then deletes the preview', async () => {
    const reply = await preview('-P -f tux -e ^^ --think <!channel> hello');
    await press(PREVIEW_ACTIONS.send, buttonValue(reply, PREVIEW_ACTIONS.send));
    const [posted, deleted] = await slack.received(2);
    expect(posted?.path).toBe(HOOK);
    expect(json(posted)).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(cowOf(json(posted))).toBe(cowOf(reply));
    expect(json(posted).blocks?.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '<@U0001> via /cowsay' }],
    });
    expect(posted?.body).not.toContain('<!channel>');
    expect(json(deleted)).toEqual({ delete_original: true });
    expect(slack.requests).toHaveLength(2);
  });

  it('Shuffle replaces the preview with another cow from the -r set, and its buttons follow', async () => {
    const catalog = await testCatalog();
    let reply = await preview('-P -f default moo');
    for (let round = 0; round < 5; round++) {
      const before = cowNameOf(buttonValue(reply, PREVIEW_ACTIONS.shuffle));
      await press(PREVIEW_ACTIONS.shuffle, buttonValue(reply, PREVIEW_ACTIONS.shuffle));
      const [replaced] = (await slack.received(round + 1)).slice(round);
      reply = json(replaced);
      expect(reply.replace_original).toBe(true);
      const after = cowNameOf(buttonValue(reply, PREVIEW_ACTIONS.send));
      expect(after).not.toBe(before);
      expect(catalog.randomNames).toContain(after);
      expect(cowOf(reply)).toContain('moo');
      expect(buttonValue(reply, PREVIEW_ACTIONS.send)).toBe(`-f ${after} -W40 --\nmoo`);
    }
    // Sending after shuffling posts the cow last shown.
    await press(PREVIEW_ACTIONS.send, buttonValue(reply, PREVIEW_ACTIONS.send));
    const [posted] = (await slack.received(7)).slice(5);
    expect(cowOf(json(posted))).toBe(cowOf(reply));
  });

  it('Cancel deletes the preview and posts nothing', async () => {
    await preview('-P hello');
    await press(PREVIEW_ACTIONS.cancel);
    const [deleted] = await slack.received(1);
    expect(json(deleted)).toEqual({ delete_original: true });
    expect(slack.requests).toHaveLength(1);
  });

  it('previews a random cow and Send posts that very cow', async () => {
    const reply = await preview('-P -r hi');
    const name = cowNameOf(buttonValue(reply, PREVIEW_ACTIONS.send));
    expect((await testCatalog()).randomNames).toContain(name);
    await press(PREVIEW_ACTIONS.send, buttonValue(reply, PREVIEW_ACTIONS.send));
    const [posted] = await slack.received(2);
    expect(cowOf(json(posted))).toBe(cowOf(reply));
  });

  it('previews a fortune (-P -F), and Send posts the same fortune', async () => {
    const reply = await preview('-PF -f tux');
    const fortune = buttonValue(reply, PREVIEW_ACTIONS.send).split('--\n')[1] ?? '';
    expect(BUILT_IN_FORTUNES).toContain(fortune);
    await press(PREVIEW_ACTIONS.send, buttonValue(reply, PREVIEW_ACTIONS.send));
    const [posted] = await slack.received(2);
    expect(json(posted).text).toBe(`tux says: ${fortune}`);
  });

  it('says clearly when the text is too long for the buttons, instead of a broken button', async () => {
    const reply = await preview(`-P ${'a '.repeat(995)}`);
    expect(reply).toEqual({
      response_type: 'ephemeral',
      text: expect.stringMatching(new RegExp(`too long to preview.*${BUTTON_VALUE_LIMIT} characters.*without \`-P\``)),
    });
    // Just under the limit still previews, and every value fits.
    const fits = await preview(`-P ${'a'.repeat(BUTTON_VALUE_LIMIT - '-f default -W40 --\n'.length)}`);
    expect(buttonValue(fits, PREVIEW_ACTIONS.send)).toHaveLength(BUTTON_VALUE_LIMIT);
  });

  it('answers a button whose value it never made with a clear message, posting nothing', async () => {
    const values = [
      'garbage',
      '',
      '-f default hi',
      '-f default -r --\nhi',
      '-f default -P --\nhi',
      '-f default -F --\n',
      '-f nosuchcow --\nhi',
      '-f default --\n',
      `-f default --\n${'x'.repeat(BUTTON_VALUE_LIMIT)}`,
    ];
    for (const value of values) await press(PREVIEW_ACTIONS.send, value);
    await press(PREVIEW_ACTIONS.shuffle);
    const requests = await slack.received(values.length + 1);
    for (const request of requests) {
      expect(json(request)).toEqual({
        text: expect.stringMatching(/can no longer be used/),
        response_type: 'ephemeral',
        replace_original: false,
      });
    }
  });

  it('explains a Send that Slack refused, and leaves the preview in place', async () => {
    slack.answer(HOOK, (request) =>
      (request.json as Message).response_type === 'in_channel' ? { status: 404, body: 'expired_url' } : {},
    );
    const reply = await preview('-P hello');
    await press(PREVIEW_ACTIONS.send, buttonValue(reply, PREVIEW_ACTIONS.send));
    const [, explained] = await slack.received(2);
    expect(json(explained)).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/too long ago/) });
    expect(await logger.until(/in_channel failed/)).toBe('[warn] Slack response_url in_channel failed: expired_url');
    expect(slack.requests.some((request) => json(request).delete_original === true)).toBe(false);
  });

  it('never calls a response_url outside the allowed origins', async () => {
    const reply = await preview('-P hello');
    await press(PREVIEW_ACTIONS.send, buttonValue(reply, PREVIEW_ACTIONS.send), `${elsewhere.origin}${HOOK}`);
    await press(PREVIEW_ACTIONS.cancel, undefined, `${elsewhere.origin}${HOOK}`);
    await logger.until(/delete_original failed: response_url_not_allowed/);
    expect(slack.requests).toEqual([]);
  });

  it.each([
    ['signed with another secret', () => ({ secret: 'another-secret-entirely-000000' })],
    ['stale', () => ({ timestamp: nowSeconds() - 301 })],
  ])('refuses a button press %s with 401, and nothing is posted', async (_name, options) => {
    const reply = await preview('-P hello');
    const payload = buttonPayload(hook(), PREVIEW_ACTIONS.send, buttonValue(reply, PREVIEW_ACTIONS.send));
    expect((await sendInteraction(running.baseUrl, payload, options())).status).toBe(401);
    await press(PREVIEW_ACTIONS.cancel);
    expect((await slack.received(1)).map((request) => json(request))).toEqual([{ delete_original: true }]);
  });
});

describe('hostile interaction payloads', () => {
  let slack: SlackStandIn;
  let running: RunningApp;
  beforeAll(async () => {
    slack = await startSlackStandIn();
    running = await startTestApp({ config: testConfig({ SLACK_RESPONSE_URL_ORIGINS: slack.origin }) });
  });
  afterAll(async () => {
    await running.stop();
    await slack.close();
  });

  it.each([
    ['no actions', { type: 'block_actions', user: { id: 'U1' } }],
    ['actions not a list', { type: 'block_actions', user: { id: 'U1' }, actions: 'cowsay_preview_send' }],
    ['an empty action', { type: 'block_actions', actions: [{}] }],
    ['a numeric action id', { type: 'block_actions', actions: [{ action_id: 7, value: 1 }] }],
    ['no user and no response_url', { type: 'block_actions', actions: [{ action_id: PREVIEW_ACTIONS.send }] }],
    [
      'a response_url that is not a string',
      { type: 'block_actions', response_url: { href: 'x' }, actions: [{ action_id: PREVIEW_ACTIONS.cancel }] },
    ],
    [
      'a forged user id',
      {
        type: 'block_actions',
        user: { id: '<!channel>' },
        response_url: 'javascript:alert(1)',
        actions: [{ action_id: PREVIEW_ACTIONS.send, value: '-f default -W40 --\nhi' }],
      },
    ],
    ['a shortcut with nothing in it', { type: 'message_action', callback_id: 'cowsay_message' }],
    [
      'a huge unicode value',
      { type: 'block_actions', actions: [{ action_id: PREVIEW_ACTIONS.send, value: '🐄'.repeat(9000) }] },
    ],
  ])('answers one with %s without a server error, calls nobody, and keeps serving', async (_name, payload) => {
    const response = await sendInteraction(running.baseUrl, payload);
    expect(response.status).toBeLessThan(500);
    const healthy = await sendSlashCommand(running.baseUrl, { command: '/cowsay', text: 'still here' });
    expect(healthy.status).toBe(200);
    expect(slack.requests).toEqual([]);
  });
});
