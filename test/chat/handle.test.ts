/**
 * The board logic with stores that misbehave in ways a real backend rarely does on cue: hanging forever,
 * or failing between the post and the listing.
 */
import { handleChatCommand, NOT_A_BOARD_TEXT } from '../../src/chat/handle.js';
import { POST_UNCONFIRMED_TEXT, UNAVAILABLE_TEXT } from '../../src/chat/reply.js';
import type { MessageStore } from '../../src/store/message-store.js';
import { createFakeStore } from '../helpers.js';

const request = { text: '', userId: 'U1', teamId: 'T1', enterpriseId: undefined, channelId: 'C1' };
const never = () => new Promise<never>(() => {});

describe('handleChatCommand', () => {
  it.each([
    ['user id', { userId: 'U1> <!channel' }],
    ['user id', { userId: 'bob' }],
    ['team id', { teamId: '' }],
    ['team id', { teamId: 't1' }],
    ['channel id', { channelId: 'X1' }],
    ['enterprise id', { enterpriseId: "E1' OR 1=1" }],
  ])('does nothing when the payload’s %s is malformed (%j)', async (_field, override) => {
    const store = createFakeStore();
    const text = await handleChatCommand({ ...request, ...override, text: 'hello' }, { store });
    expect(text).toBe(NOT_A_BOARD_TEXT);
    expect(await store.latest({ enterpriseId: '', teamId: 'T1', channelId: 'C1' }, 50)).toEqual([]);
  });

  it('answers "unavailable" within its budget when the store hangs, and reports the failure', async () => {
    const hanging: MessageStore = { ...createFakeStore(), post: never, latest: never, delete: never };
    const failures: unknown[] = [];
    for (const text of ['hello', 'list', 'delete 1']) {
      const reply = await handleChatCommand(
        { ...request, text },
        { store: hanging, budgetMs: 200, onStoreError: (error) => failures.push(error) },
      );
      expect(reply).toBe(text === 'hello' ? POST_UNCONFIRMED_TEXT : UNAVAILABLE_TEXT);
    }
    expect(failures).toHaveLength(3);
  });

  it('confirms a stored post even when the board cannot be loaded afterwards', async () => {
    const store = createFakeStore();
    const flaky: MessageStore = { ...store, post: store.post, latest: () => Promise.reject(new Error('down')) };
    const reply = await handleChatCommand({ ...request, text: 'kept' }, { store: flaky });
    expect(reply).toMatch(/^Posted as \*#1\*\. \(The board itself could not be loaded just now\.\)$/);
    expect((await store.latest({ enterpriseId: '', teamId: 'T1', channelId: 'C1' }, 1))[0]?.text).toBe('kept');
  });

  it('treats an absent and an empty enterprise id as the same board', async () => {
    const store = createFakeStore();
    await handleChatCommand({ ...request, enterpriseId: undefined, text: 'one' }, { store });
    const listed = await handleChatCommand({ ...request, enterpriseId: '', text: 'list' }, { store });
    expect(listed).toContain('one');
  });
});
