/**
 * The preview's button listener and the "Cowsay this" listener called the way Bolt calls them, without HTTP,
 * on a recording stand-in for the outbound client: what each asks Slack to do. The same behaviour over signed
 * HTTP and real outbound calls is in preview.test.ts and shortcut.test.ts; a failure here points at this layer.
 */
import { PREVIEW_ACTIONS, registerPreview } from '../../src/commands/preview.js';
import type { ActionArgs, CommandDependencies, ShortcutArgs } from '../../src/commands/router.js';
import { COWSAY_SHORTCUT_ID, registerCowsayShortcut } from '../../src/commands/shortcut.js';
import type { OutboundResult, SlackOutbound } from '../../src/slack/outbound.js';
import { createFakeStore, fakeSlackToken, testCatalog } from '../helpers.js';
import { buttonPayload, messageShortcutPayload } from '../interactions.js';
import { createRecordingRouter, testDependencies } from './bolt-fakes.js';

type Call = [operation: string, ...details: unknown[]];

/** An outbound client that records each call and answers with `result` (by default, success). */
function recordingOutbound(result: (operation: string) => OutboundResult<never> | undefined = () => undefined) {
  const calls: Call[] = [];
  const answer = (operation: string, ...details: unknown[]) => {
    calls.push([operation, ...details]);
    return Promise.resolve(result(operation) ?? { ok: true as const, value: { ts: '1.2' } as never });
  };
  const outbound: SlackOutbound = {
    isAllowedResponseUrl: () => true,
    postInChannel: (url, message) => answer('in_channel', url, message.text),
    postEphemeral: (url, message) => answer('ephemeral', url, message.text),
    replaceOriginal: (url, message) => answer('replace', url, message.text),
    deleteOriginal: (url) => answer('delete', url),
    postMessage: (token, message) => answer('postMessage', token, message.channel, message.thread_ts, message.text),
  };
  return { calls, outbound };
}

async function dependencies(outbound: SlackOutbound, botToken?: string): Promise<CommandDependencies> {
  return testDependencies({ catalog: await testCatalog(), store: createFakeStore(), outbound, botToken });
}

/** Runs the preview listener for one press; returns how often it acknowledged. */
async function press(deps: CommandDependencies, actionId: string, value?: string): Promise<number> {
  const router = createRecordingRouter();
  registerPreview(router, deps);
  const [listener] = [...router.actions.values()];
  const body = buttonPayload('https://hooks.example/h', actionId, value);
  let acks = 0;
  const args = {
    body,
    payload: (body.actions as unknown[])[0],
    action: (body.actions as unknown[])[0],
    ack: async () => void acks++,
  } as unknown as ActionArgs;
  await listener?.(args);
  return acks;
}

describe('the preview buttons’ listener', () => {
  it('registers one listener for the three buttons', async () => {
    const router = createRecordingRouter();
    registerPreview(router, await dependencies(recordingOutbound().outbound));
    expect([...router.actions.keys()]).toEqual([
      `/^(?:${PREVIEW_ACTIONS.send}|${PREVIEW_ACTIONS.shuffle}|${PREVIEW_ACTIONS.cancel})$/`,
    ]);
  });

  it('Send posts in the channel, then deletes the preview', async () => {
    const { calls, outbound } = recordingOutbound();
    expect(await press(await dependencies(outbound), PREVIEW_ACTIONS.send, '-f tux -W40 --\nhi')).toBe(1);
    expect(calls).toEqual([
      ['in_channel', 'https://hooks.example/h', 'tux says: hi'],
      ['delete', 'https://hooks.example/h'],
    ]);
  });

  it('Send that Slack refuses is explained, and the preview stays', async () => {
    const { calls, outbound } = recordingOutbound((operation) =>
      operation === 'in_channel' ? { ok: false, error: 'not_in_channel' } : undefined,
    );
    await press(await dependencies(outbound), PREVIEW_ACTIONS.send, '-f tux -W40 --\nhi');
    expect(calls.map(([operation]) => operation)).toEqual(['in_channel', 'ephemeral']);
    expect(calls[1]?.[2]).toMatch(/not a member of this conversation/);
  });

  it('Shuffle replaces the preview; Cancel deletes it; a stale value is explained', async () => {
    const { calls, outbound } = recordingOutbound();
    const deps = await dependencies(outbound);
    await press(deps, PREVIEW_ACTIONS.shuffle, '-f tux -W40 --\nhi');
    await press(deps, PREVIEW_ACTIONS.cancel);
    await press(deps, PREVIEW_ACTIONS.send, 'not a preview');
    expect(calls).toEqual([
      ['replace', 'https://hooks.example/h', expect.stringMatching(/^Preview: (?!tux )\S+ says: hi$/)],
      ['delete', 'https://hooks.example/h'],
      ['ephemeral', 'https://hooks.example/h', expect.stringMatching(/can no longer be used/)],
    ]);
  });
});

describe('the "Cowsay this" listener', () => {
  async function use(deps: CommandDependencies, message: Record<string, unknown>): Promise<void> {
    const router = createRecordingRouter();
    registerCowsayShortcut(router, deps);
    const shortcut = messageShortcutPayload('https://hooks.example/s', message);
    const args = { shortcut, body: shortcut, payload: shortcut, ack: async () => {} } as unknown as ShortcutArgs;
    await router.shortcuts.get(COWSAY_SHORTCUT_ID)?.(args);
  }

  it('replies in the thread with a token', async () => {
    const token = fakeSlackToken('xoxb', '1', '2', 'listenertoken');
    const { calls, outbound } = recordingOutbound();
    await use(await dependencies(outbound, token), { text: 'moo &amp; <@U9|bo>', ts: '10.5' });
    expect(calls).toEqual([['postMessage', token, 'C0001', '10.5', 'default says: moo &amp; @bo']]);
  });

  it('posts through response_url without one, and explains a message without text', async () => {
    const { calls, outbound } = recordingOutbound();
    const deps = await dependencies(outbound);
    await use(deps, { text: 'moo', ts: '10.5' });
    await use(deps, { ts: '10.6', files: [{}] });
    expect(calls).toEqual([
      ['in_channel', 'https://hooks.example/s', 'default says: moo'],
      ['ephemeral', 'https://hooks.example/s', expect.stringMatching(/no text for the cow/)],
    ]);
  });
});
