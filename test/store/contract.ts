/**
 * The MessageStore contract: what every backend must do, run against each real backend (SQLite on a temp
 * file always, PostgreSQL when TEST_DATABASE_URL is set). A backend passes only if it behaves exactly as
 * the /chat logic assumes.
 */
import type { Board, MessageStore } from '../../src/store/message-store.js';
import { MAX_LATEST_LIMIT, MAX_STORED_TEXT_UNITS, StoreUnavailableError } from '../../src/store/message-store.js';

export interface StoreHarness {
  /** Opens a store on the backend's one database; calling it again opens the same data (a restart). */
  open(): Promise<MessageStore>;
}

const board = (channelId: string, teamId = 'T1', enterpriseId = ''): Board => ({ enterpriseId, teamId, channelId });

export function storeContract(harness: () => StoreHarness): void {
  let store: MessageStore;
  let opened: MessageStore[];

  beforeEach(async () => {
    opened = [];
    store = await open();
  });
  afterEach(async () => {
    for (const each of opened) await each.close();
  });
  const open = async () => {
    const next = await harness().open();
    opened.push(next);
    return next;
  };
  // Each test uses boards of its own, so the shared database needs no clean-up between tests.
  let counter = 0;
  const fresh = (teamId = 'T1', enterpriseId = '') => {
    counter += 1;
    return board(`C${Date.now()}${counter}`, teamId, enterpriseId);
  };

  it('stores a post and returns it with a new positive id and the current time', async () => {
    const here = fresh();
    const before = Date.now();
    const posted = await store.post(here, 'U1', 'hello');
    const after = Date.now();
    expect(posted.id).toBeGreaterThan(0);
    expect(Number.isSafeInteger(posted.id)).toBe(true);
    expect(posted).toMatchObject({ userId: 'U1', text: 'hello' });
    expect(posted.createdAt).toBeInstanceOf(Date);
    // Clocks of the app and the database may differ slightly; a wrong time zone would be hours off.
    expect(posted.createdAt.getTime()).toBeGreaterThan(before - 5000);
    expect(posted.createdAt.getTime()).toBeLessThan(after + 5000);
    const [listed] = await store.latest(here, 1);
    expect(listed).toEqual(posted);
  });

  it('lists the latest N, oldest first, with increasing ids', async () => {
    const here = fresh();
    const ids: number[] = [];
    for (let n = 1; n <= 12; n += 1) ids.push((await store.post(here, 'U1', `message ${n}`)).id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const latest = await store.latest(here, 5);
    expect(latest.map((message) => message.text)).toEqual([
      'message 8',
      'message 9',
      'message 10',
      'message 11',
      'message 12',
    ]);
    expect(latest.map((message) => message.id)).toEqual(ids.slice(7));
    expect(await store.latest(here, 50)).toHaveLength(12);
    expect(await store.latest(fresh(), 10)).toEqual([]);
  });

  it('keeps boards apart: channel, workspace and enterprise each make a different board', async () => {
    const channelId = `C${Date.now()}ISO`;
    const boards = [
      board(channelId, 'T1', ''),
      board(channelId, 'T2', ''),
      board(channelId, 'T1', 'E1'),
      board(channelId, 'T1', 'E2'),
      board(`${channelId}X`, 'T1', ''),
    ];
    for (const [index, each] of boards.entries()) await store.post(each, 'U1', `only on board ${index}`);
    for (const [index, each] of boards.entries()) {
      expect((await store.latest(each, 50)).map((message) => message.text)).toEqual([`only on board ${index}`]);
    }
  });

  it('deletes the author’s own message, and only once', async () => {
    const here = fresh();
    const keep = await store.post(here, 'U1', 'keep');
    const gone = await store.post(here, 'U1', 'gone');
    expect(await store.delete(here, gone.id, 'U1')).toBe('deleted');
    expect((await store.latest(here, 10)).map((message) => message.id)).toEqual([keep.id]);
    expect(await store.delete(here, gone.id, 'U1')).toBe('not-found');
  });

  it('refuses to delete someone else’s message and keeps it', async () => {
    const here = fresh();
    const theirs = await store.post(here, 'U1', 'mine, not yours');
    expect(await store.delete(here, theirs.id, 'U2')).toBe('not-owner');
    expect(await store.latest(here, 10)).toEqual([theirs]);
  });

  it('treats a message of another board as not found, whoever asks', async () => {
    const channelId = `C${Date.now()}DEL`;
    const home = board(channelId, 'T1', '');
    const posted = await store.post(home, 'U1', 'stay home');
    for (const elsewhere of [board(`${channelId}X`), board(channelId, 'T2'), board(channelId, 'T1', 'E1')]) {
      expect(await store.delete(elsewhere, posted.id, 'U1')).toBe('not-found');
      expect(await store.delete(elsewhere, posted.id, 'U2')).toBe('not-found');
    }
    expect(await store.delete(home, posted.id + 1_000_000, 'U1')).toBe('not-found');
    expect(await store.latest(home, 10)).toEqual([posted]);
  });

  it('never hands out an id twice, even after the newest message is deleted', async () => {
    const here = fresh();
    const first = await store.post(here, 'U1', 'first');
    expect(await store.delete(here, first.id, 'U1')).toBe('deleted');
    const second = await store.post(here, 'U1', 'second');
    expect(second.id).toBeGreaterThan(first.id);
  });

  it('stores any Unicode and SQL-looking text exactly, as data', async () => {
    const here = fresh();
    const texts = [
      '👩‍👩‍👧‍👦 family, 🇺🇳 flag, 👍🏽 tone',
      'مرحبا بالعالم — RTL \u202eoverride\u202c',
      'e\u0301 combining, Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
      '漢字かなカナ한국어',
      "'); DROP TABLE chat_messages; --",
      "Robert'); DELETE FROM chat_messages WHERE ('1'='1",
      '\\x00 \\\\ %s %d $1 ? :name',
      '𝟘'.repeat(1000),
      '<!channel> <@U999> <https://evil.example|click> &amp;',
    ];
    for (const text of texts) await store.post(here, 'U1', text);
    expect((await store.latest(here, 50)).map((message) => message.text)).toEqual(texts);
  });

  it('treats board keys and user ids as opaque data, never as SQL', async () => {
    const odd = board("C' OR '1'='1", "T'; DROP TABLE chat_messages; --", 'E%_*');
    const posted = await store.post(odd, "U' OR 1=1 --", 'odd keys');
    expect(await store.latest(odd, 10)).toEqual([posted]);
    expect(await store.latest(board('C%'), 10)).toEqual([]);
    expect(await store.delete(odd, posted.id, 'U%')).toBe('not-owner');
  });

  it('rejects malformed input before storing anything', async () => {
    const here = fresh();
    const rejects = async (promise: Promise<unknown>) => {
      await expect(promise).rejects.toBeInstanceOf(RangeError);
    };
    await rejects(store.post(here, 'U1', ''));
    await rejects(store.post(here, 'U1', 'NUL \u0000 inside'));
    await rejects(store.post(here, 'U1', 'x'.repeat(MAX_STORED_TEXT_UNITS + 1)));
    await rejects(store.post(here, '', 'no author'));
    await rejects(store.post({ ...here, teamId: '' }, 'U1', 'no team'));
    await rejects(store.post({ ...here, channelId: 'C'.repeat(65) }, 'U1', 'channel id too long'));
    for (const limit of [0, -1, 1.5, Number.NaN, MAX_LATEST_LIMIT + 1]) await rejects(store.latest(here, limit));
    for (const id of [0, -1, 1.5, Number.NaN, 2 ** 53]) await rejects(store.delete(here, id, 'U1'));
    expect(await store.latest(here, 10)).toEqual([]);
  });

  it('keeps every one of many concurrent posts, each with its own id', async () => {
    const here = fresh();
    const posted = await Promise.all(Array.from({ length: 40 }, (_, n) => store.post(here, 'U1', `burst ${n}`)));
    expect(new Set(posted.map((message) => message.id)).size).toBe(40);
    const listed = await store.latest(here, 50);
    expect(listed.map((message) => message.id)).toEqual(posted.map((message) => message.id).sort((a, b) => a - b));
  });

  it('answers ping while open, and reports itself unavailable once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    const closing = await open();
    await closing.close();
    await expect(closing.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(closing.post(fresh(), 'U1', 'after close')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('still holds every post after the store is closed and opened again', async () => {
    const here = fresh();
    const writer = await open();
    const posted = await writer.post(here, 'U1', 'survives a restart');
    await writer.close();
    await writer.close(); // closing twice is harmless (shutdown paths may race)
    const reopened = await open();
    expect(await reopened.latest(here, 10)).toEqual([posted]);
  });
}
