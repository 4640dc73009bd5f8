/**
 * The `/chat` listener called the way Bolt calls it, without HTTP, on the in-memory store: the Slack-id checks,
 * entity decoding, wording, and where store failures go. Over signed HTTP and real SQLite: chat.test.ts.
 */
import { registerChat } from '../../src/commands/chat.js';
import { NOT_A_BOARD_TEXT } from '../../src/commands/chat-reply.js';
import type { CommandArgs, Listener } from '../../src/commands/router.js';
import type { MessageStore } from '../../src/store/message-store.js';
import { createFakeStore, type SlashCommandFields, testCatalog } from '../helpers.js';
import { commandCall, listenerFor, testDependencies } from './bolt-fakes.js';

const home = { enterpriseId: '', teamId: 'T0001', channelId: 'C0001' };

async function run(store: MessageStore, fields: Omit<SlashCommandFields, 'command'>) {
  const dependencies = testDependencies({ catalog: await testCatalog(), store });
  const listener: Listener<CommandArgs> = listenerFor(registerChat, '/chat', dependencies);
  const call = commandCall({ command: '/chat', ...fields });
  await listener(call.args);
  expect(call.acks).toHaveLength(1);
  return { reply: call.acks[0] as { response_type: string; text: string }, lines: call.logger.lines };
}

describe('the /chat listener', () => {
  it('posts as the payload’s user, to the payload’s board, and answers only the caller', async () => {
    const store = createFakeStore();
    const { reply } = await run(store, { text: 'hello &lt;board&gt; &amp; all' });
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/^Posted as \*#1\*\./);
    expect(reply.text).toContain('hello &lt;board&gt; &amp; all');
    expect(await store.latest(home, 1)).toEqual([
      expect.objectContaining({ userId: 'U0001', text: 'hello <board> & all' }),
    ]);
  });

  it.each<[string, Partial<SlashCommandFields>]>([
    ['user id', { user_id: 'U1> <!channel' }],
    ['user id', { user_id: 'bob' }],
    ['team id', { team_id: '' }],
    ['team id', { team_id: 't1' }],
    ['channel id', { channel_id: 'X1' }],
    ['enterprise id', { enterprise_id: "E1' OR 1=1" }],
  ])('does nothing when the payload’s %s is malformed (%j)', async (_field, override) => {
    const store = createFakeStore();
    const { reply } = await run(store, { text: 'hello', ...override });
    expect(reply).toEqual({ response_type: 'ephemeral', text: NOT_A_BOARD_TEXT });
    expect(await store.latest(home, 50)).toEqual([]);
  });

  it('treats an absent and an empty enterprise id as the same board', async () => {
    const store = createFakeStore();
    await run(store, { text: 'one' });
    const { reply } = await run(store, { text: 'list', enterprise_id: '' });
    expect(reply.text).toContain('one');
  });

  it('tells the user the board is unavailable, and logs why without the user’s words', async () => {
    const store = createFakeStore();
    store.failing = true;
    const { reply, lines } = await run(store, { text: 'my private words' });
    expect(reply.text).toBe('The board is unavailable right now, try again in a moment.');
    expect(lines).toEqual([
      expect.stringMatching(/^\[warn\] \/chat: the message store failed: Error: fake store is down/),
    ]);
    expect(lines.join('\n')).not.toContain('my private words');
  });

  it('says a capped list is capped', async () => {
    const { reply } = await run(createFakeStore(), { text: 'list 500' });
    expect(reply.text).toBe(
      '*This board is empty.* (a list shows at most 50)\n_No messages yet._ Post the first with `/chat &lt;text&gt;`.',
    );
  });
});
