/**
 * The board's rules with stores that misbehave in ways a real backend rarely does on cue (hanging forever,
 * failing between the post and the listing), and the post limit on a real SQLite file with a clock the
 * test moves by hand. Outcomes are data here; their wording is tested with the command module.
 */
import { type Author, type BoardDependencies, type ChatOutcome, runChatCommand } from '../../src/chat/board.js';
import { parseChatCommand } from '../../src/chat/parse.js';
import { POST_RATE_POLICY } from '../../src/chat/rate-limit.js';
import type { MessageStore } from '../../src/store/message-store.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import { createFakeStore } from '../helpers.js';
import { createTempDir, type TempDir } from '../store/test-databases.js';

const home = { enterpriseId: '', teamId: 'T1', channelId: 'C1' };
const alice: Author = { board: home, userId: 'U1' };
const never = () => new Promise<never>(() => {});
const run = (text: string, dependencies: BoardDependencies, author = alice): Promise<ChatOutcome> =>
  runChatCommand(parseChatCommand(text), author, dependencies);

describe('runChatCommand', () => {
  it('answers "unavailable" within its budget when the store hangs, and reports the failure', async () => {
    const hanging: MessageStore = { ...createFakeStore(), post: never, latest: never, delete: never };
    const failures: unknown[] = [];
    const onStoreError = (error: unknown) => failures.push(error);
    expect(await run('hello', { store: hanging, budgetMs: 200, onStoreError })).toEqual({ kind: 'post-unconfirmed' });
    expect(await run('list', { store: hanging, budgetMs: 200, onStoreError })).toEqual({ kind: 'unavailable' });
    expect(await run('delete 1', { store: hanging, budgetMs: 200, onStoreError })).toEqual({ kind: 'unavailable' });
    expect(failures).toHaveLength(3);
  });

  it('confirms a stored post even when the board cannot be loaded afterwards', async () => {
    const store = createFakeStore();
    const flaky: MessageStore = { ...store, post: store.post, latest: () => Promise.reject(new Error('down')) };
    const outcome = await run('kept', { store: flaky });
    expect(outcome).toMatchObject({
      kind: 'posted',
      message: { id: 1, text: 'kept', userId: 'U1' },
      latest: undefined,
    });
    expect((await store.latest(home, 1))[0]?.text).toBe('kept');
  });

  it('lists what was asked for, and says when the count was capped', async () => {
    const store = createFakeStore();
    for (let n = 1; n <= 3; n += 1) await run(`m${n}`, { store });
    const listed = await run('list 2', { store });
    expect(listed).toMatchObject({ kind: 'listed', requested: 2, capped: false });
    expect(listed.kind === 'listed' && listed.messages.map((message) => message.text)).toEqual(['m2', 'm3']);
    expect(await run('list 500', { store })).toMatchObject({ kind: 'listed', requested: 50, capped: true });
  });

  it('passes a problem through without touching the store', async () => {
    const untouchable: MessageStore = { ...createFakeStore(), post: never, latest: never, delete: never };
    expect(await run('delete abc', { store: untouchable, budgetMs: 50 })).toEqual({
      kind: 'invalid',
      problem: { kind: 'not-an-id', input: 'abc' },
    });
  });

  it('deletes only the author’s own message', async () => {
    const store = createFakeStore();
    await run('mine', { store });
    expect(await run('delete 1', { store }, { board: home, userId: 'U2' })).toEqual({
      kind: 'deleted',
      id: 1,
      outcome: 'not-owner',
    });
    expect(await run('delete 1', { store })).toEqual({ kind: 'deleted', id: 1, outcome: 'deleted' });
  });
});

describe('runChatCommand: the post limit', () => {
  let dir: TempDir;
  let store: MessageStore;
  let clock: number;
  const now = () => clock;
  const post = (text: string, userId = 'U1') => run(text, { store, now }, { board: home, userId });
  const stored = async () => (await store.latest(home, 50)).map((message) => message.text);
  const kindOf = async (text: string) => (await post(text)).kind;

  beforeEach(async () => {
    dir = createTempDir();
    store = await createSqliteStore({ path: dir.file('limit.db') });
    clock = 1_800_000_000_000;
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('refuses the 11th post in a burst, stores nothing for it, and takes posts again when the wait is over', async () => {
    for (let n = 1; n <= 10; n += 1) expect(await kindOf(`post ${n}`)).toBe('posted');
    expect(await post('one too many')).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 15_000,
      policy: POST_RATE_POLICY,
    });
    clock += 10_000;
    expect(await post('still too early')).toMatchObject({ kind: 'rate-limited', retryAfterMs: 5_000 });
    clock += 5_000;
    expect(await kindOf('on time')).toBe('posted');
    expect(await post('and again too early')).toMatchObject({ kind: 'rate-limited', retryAfterMs: 15_000 });
    expect(await stored()).toEqual([...Array.from({ length: 10 }, (_, n) => `post ${n + 1}`), 'on time']);
  });

  it('limits only valid posts: problems spend nothing, and reading, help and delete are never limited', async () => {
    for (let n = 0; n < 20; n += 1) expect(await kindOf('x'.repeat(1001))).toBe('invalid');
    for (let n = 1; n <= 10; n += 1) expect(await kindOf(`post ${n}`)).toBe('posted');
    expect(await kindOf('over')).toBe('rate-limited');
    for (let n = 0; n < 20; n += 1) {
      expect(await kindOf('list 50')).toBe('listed');
      expect(await kindOf('')).toBe('listed');
      expect(await kindOf('help')).toBe('help');
    }
    const [first] = await store.latest(home, 10);
    expect(await post(`delete ${first?.id}`)).toMatchObject({ kind: 'deleted', outcome: 'deleted' });
    // Deleting a message gives no token back: the limit counts posts made, not messages kept.
    expect(await kindOf('over again')).toBe('rate-limited');
  });

  it('uses the policy it is given', async () => {
    const postPolicy = { burst: 2, refillIntervalMs: 60_000 };
    const strict = (text: string) => run(text, { store, now, postPolicy });
    expect((await strict('one')).kind).toBe('posted');
    expect((await strict('two')).kind).toBe('posted');
    expect(await strict('three')).toEqual({ kind: 'rate-limited', retryAfterMs: 60_000, policy: postPolicy });
    expect(await strict('help')).toEqual({ kind: 'help', policy: postPolicy });
  });

  it('answers "unavailable" and stores nothing when the limit cannot be checked', async () => {
    const failures: unknown[] = [];
    const broken: MessageStore = {
      ...store,
      post: store.post,
      latest: store.latest,
      takeToken: () => Promise.reject(new Error('bucket table is gone')),
    };
    const outcome = await run('hello', { store: broken, now, onStoreError: (error) => failures.push(error) });
    expect(outcome).toEqual({ kind: 'unavailable' });
    expect(failures).toHaveLength(1);
    expect(await stored()).toEqual([]);
  });

  it('answers "unavailable" within its budget when the limit check hangs', async () => {
    const hanging: MessageStore = { ...store, post: store.post, latest: store.latest, takeToken: never };
    expect(await run('hello', { store: hanging, now, budgetMs: 200 })).toEqual({ kind: 'unavailable' });
    expect(await stored()).toEqual([]);
  });
});
