/**
 * The board logic with stores that misbehave in ways a real backend rarely does on cue (hanging forever,
 * failing between the post and the listing), and the post limit on a real SQLite file with a clock the
 * test moves by hand.
 */
import { handleChatCommand, NOT_A_BOARD_TEXT } from '../../src/chat/handle.js';
import { POST_RATE_POLICY } from '../../src/chat/rate-limit.js';
import { POST_UNCONFIRMED_TEXT, UNAVAILABLE_TEXT } from '../../src/chat/reply.js';
import type { MessageStore } from '../../src/store/message-store.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { createFakeStore } from '../helpers.js';
import { createTempDir, type TempDir } from '../store/test-databases.js';

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

describe('handleChatCommand: the post limit', () => {
  let dir: TempDir;
  let store: MessageStore;
  let clock: number;
  const now = () => clock;
  const home = { enterpriseId: '', teamId: 'T1', channelId: 'C1' };
  const post = (text: string, userId = 'U1') => handleChatCommand({ ...request, userId, text }, { store, now });
  const stored = async () => (await store.latest(home, 50)).map((message) => message.text);

  beforeEach(async () => {
    dir = createTempDir();
    store = await createSqliteStore({ path: dir.file('limit.db') });
    clock = 1_800_000_000_000;
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('is 10 in a row, then one every 15 seconds', () => {
    expect(POST_RATE_POLICY).toEqual({ burst: 10, refillIntervalMs: 15_000 });
  });

  it('refuses the 11th post in a burst, stores nothing for it, and takes posts again when the wait is over', async () => {
    for (let n = 1; n <= 10; n += 1) expect(await post(`post ${n}`)).toMatch(/^Posted as/);
    const refused = await post('one too many');
    expect(refused).toMatch(/you can post again in 15 seconds\./);
    expect(refused).toMatch(/not stored/);
    clock += 10_000;
    expect(await post('still too early')).toMatch(/you can post again in 5 seconds\./);
    clock += 5_000;
    expect(await post('on time')).toMatch(/^Posted as/);
    expect(await post('and again too early')).toMatch(/you can post again in 15 seconds\./);
    expect(await stored()).toEqual([...Array.from({ length: 10 }, (_, n) => `post ${n + 1}`), 'on time']);
  });

  it('limits only valid posts: errors spend nothing, and reading, help and delete are never limited', async () => {
    for (let n = 0; n < 20; n += 1) expect(await post('x'.repeat(1001))).toMatch(/Nothing was stored/);
    for (let n = 1; n <= 10; n += 1) expect(await post(`post ${n}`)).toMatch(/^Posted as/);
    expect(await post('over')).toMatch(/post again in/);
    for (let n = 0; n < 20; n += 1) {
      expect(await post('list 50')).toMatch(/All 10 messages/);
      expect(await post('')).toMatch(/latest 10 messages/);
      expect(await post('help')).toMatch(/Usage/);
    }
    const [first] = await store.latest(home, 10);
    expect(await post(`delete ${first?.id}`)).toBe(`Deleted *#${first?.id}*.`);
    // Deleting a message gives no token back: the limit counts posts made, not messages kept.
    expect(await post('over again')).toMatch(/post again in/);
  });

  it('uses the policy it is given', async () => {
    const postPolicy = { burst: 2, refillIntervalMs: 60_000 };
    const strict = (text: string) => handleChatCommand({ ...request, text }, { store, now, postPolicy });
    expect(await strict('one')).toMatch(/^Posted as/);
    expect(await strict('two')).toMatch(/^Posted as/);
    expect(await strict('three')).toMatch(
      /2 messages in a row to this board, then one every 60 seconds.*again in 60 seconds/,
    );
  });

  it('answers "unavailable" and stores nothing when the limit cannot be checked', async () => {
    const failures: unknown[] = [];
    const broken: MessageStore = {
      ...store,
      post: store.post,
      latest: store.latest,
      takeToken: () => Promise.reject(new Error('bucket table is gone')),
    };
    const reply = await handleChatCommand(
      { ...request, text: 'hello' },
      { store: broken, now, onStoreError: (error) => failures.push(error) },
    );
    expect(reply).toBe(UNAVAILABLE_TEXT);
    expect(failures).toHaveLength(1);
    expect(await stored()).toEqual([]);
  });

  it('answers "unavailable" within its budget when the limit check hangs', async () => {
    const hanging: MessageStore = { ...store, post: store.post, latest: store.latest, takeToken: never };
    const reply = await handleChatCommand({ ...request, text: 'hello' }, { store: hanging, now, budgetMs: 200 });
    expect(reply).toBe(UNAVAILABLE_TEXT);
    expect(await stored()).toEqual([]);
  });
});
