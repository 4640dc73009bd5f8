/**
 * The MessageStore contract: what every backend must do, run against each real backend (SQLite on a temp
 * file always, PostgreSQL when TEST_DATABASE_URL is set). A backend passes only if it behaves exactly as
 * the /chat logic assumes.
 */
import type { Board, MessageStore, TokenBucketPolicy, TokenTake } from '../../src/store/message-store.js';
import {
  IDLE_BUCKET_MS,
  MAX_BUCKET_BURST,
  MAX_LATEST_LIMIT,
  MAX_POST_KEY_LENGTH,
  MAX_REFILL_INTERVAL_MS,
  MAX_STORED_TEXT_UNITS,
  POST_KEY_TTL_MS,
  StoreUnavailableError,
  SWEEP_EVERY_POSTS,
  SWEEP_EVERY_TAKES,
} from '../../src/store/message-store.js';

export interface StoreHarness {
  /** Opens a store on the backend's one database; calling it again opens the same data (a restart). */
  open(): Promise<MessageStore>;
  /** How many post-limit bucket rows the database holds for the board, read without the store's code. */
  bucketRows(board: Board): Promise<number>;
  /** How many post keys the database holds for the board. */
  keyRows(board: Board): Promise<number>;
  /** Makes the board's post keys `ms` older, as if they had been stored that long ago. */
  ageKeys(board: Board, ms: number): Promise<void>;
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

  describe('post keys (a request that arrives more than once)', () => {
    const policy: TokenBucketPolicy = { burst: 2, refillIntervalMs: 60_000 };
    const t0 = 1_800_000_000_000;

    it('stores a keyed post once: every repeat returns the original and stores nothing', async () => {
      const here = fresh();
      const first = await store.post(here, 'U1', 'only once', { triggerId: '1.2.once' });
      for (let n = 0; n < 3; n += 1) {
        expect(await store.post(here, 'U1', 'only once', { triggerId: '1.2.once' })).toEqual(first);
      }
      expect(await store.latest(here, 10)).toEqual([first]);
      expect(await harness().keyRows(here)).toBe(1);
    });

    it('stores one of many identical posts arriving at once, and answers all with it', async () => {
      const here = fresh();
      const copies = await Promise.all(
        Array.from({ length: 20 }, () => store.post(here, 'U1', 'racing copies', { triggerId: '1.2.race' })),
      );
      const [first] = copies;
      expect(copies).toEqual(Array.from({ length: 20 }, () => first));
      expect(await store.latest(here, 50)).toEqual([first]);
    });

    it('keeps keys per board, and posts without a key are never deduplicated', async () => {
      const here = fresh();
      const elsewhere = fresh();
      const a = await store.post(here, 'U1', 'same key', { triggerId: '1.2.shared' });
      const b = await store.post(elsewhere, 'U1', 'same key', { triggerId: '1.2.shared' });
      expect(b.id).not.toBe(a.id);
      await store.post(here, 'U1', 'no key');
      await store.post(here, 'U1', 'no key');
      expect((await store.latest(here, 10)).map((message) => message.text)).toEqual(['same key', 'no key', 'no key']);
      expect(await store.latest(elsewhere, 10)).toEqual([b]);
    });

    it('does not bring a deleted post back when its request arrives again', async () => {
      const here = fresh();
      const posted = await store.post(here, 'U1', 'regretted', { triggerId: '1.2.deleted' });
      expect(await store.delete(here, posted.id, 'U1')).toBe('deleted');
      expect(await store.post(here, 'U1', 'regretted', { triggerId: '1.2.deleted' })).toEqual(posted);
      expect(await store.latest(here, 10)).toEqual([]);
    });

    it('grants a repeat’s take without spending a token', async () => {
      const here = fresh();
      const key = { triggerId: '1.2.token' };
      expect(await store.takeToken(here, 'U1', policy, t0, key)).toEqual({ allowed: true });
      await store.post(here, 'U1', 'counted once', key);
      expect(await store.takeToken(here, 'U1', policy, t0, { triggerId: '1.2.other' })).toEqual({ allowed: true });
      // The bucket is empty now, yet a copy of the stored post is still let through, and spends nothing.
      for (let n = 0; n < 3; n += 1)
        expect(await store.takeToken(here, 'U1', policy, t0, key)).toEqual({ allowed: true });
      expect(await store.takeToken(here, 'U1', policy, t0)).toEqual({ allowed: false, retryAfterMs: 60_000 });
    });

    it('forgets keys once they are older than any copy of the request can be', async () => {
      const old = fresh();
      const posted = await store.post(old, 'U1', 'long ago', { triggerId: '1.2.old' });
      await store.post(old, 'U1', 'recent', { triggerId: '1.2.recent' });
      await harness().ageKeys(old, POST_KEY_TTL_MS + 60_000);
      await store.post(old, 'U1', 'recent', { triggerId: '1.2.fresh' });
      const sweeper = await open(); // a store of its own, so the test knows when its sweep is due
      const busy = fresh();
      for (let n = 0; n < SWEEP_EVERY_POSTS; n += 1)
        await sweeper.post(busy, 'U2', `busy ${n}`, { triggerId: `1.3.${n}` });
      // The sweep may run beside the request (PostgreSQL does not make the user wait for it).
      const giveUp = Date.now() + 5000;
      while ((await harness().keyRows(old)) !== 1 && Date.now() < giveUp) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await harness().keyRows(old)).toBe(1);
      // The message itself stays; only the key that guarded it against copies is gone.
      expect((await store.latest(old, 10)).map((message) => message.id)).toContain(posted.id);
    });

    it('rejects a malformed key before storing anything', async () => {
      const here = fresh();
      for (const triggerId of ['', 'x'.repeat(MAX_POST_KEY_LENGTH + 1), 'NUL\u0000key']) {
        await expect(store.post(here, 'U1', 'text', { triggerId })).rejects.toBeInstanceOf(RangeError);
        await expect(store.takeToken(here, 'U1', policy, t0, { triggerId })).rejects.toBeInstanceOf(RangeError);
      }
      // Odd but well-formed keys are data, never SQL.
      const odd = "1.2.'); DROP TABLE chat_post_keys; --";
      const posted = await store.post(here, 'U1', 'odd key', { triggerId: odd });
      expect(await store.post(here, 'U1', 'odd key', { triggerId: odd })).toEqual(posted);
      expect(await store.latest(here, 10)).toEqual([posted]);
      expect(await harness().bucketRows(here)).toBe(0);
    });
  });

  describe('post limit (token buckets)', () => {
    // The app's policy, so the numbers read as the product's: 10 in a row, then one every 15 s.
    const policy: TokenBucketPolicy = { burst: 10, refillIntervalMs: 15_000 };
    // An injected clock: a fixed instant, moved by hand. No test waits.
    const t0 = 1_800_000_000_000;
    const allowed = (takes: readonly TokenTake[]) => takes.filter((take) => take.allowed).length;
    const takeMany = async (target: MessageStore, here: Board, user: string, count: number, now: number) => {
      const takes: TokenTake[] = [];
      for (let n = 0; n < count; n += 1) takes.push(await target.takeToken(here, user, policy, now));
      return takes;
    };

    it('allows a burst, then refuses and says when the next token comes', async () => {
      const here = fresh();
      const takes = await takeMany(store, here, 'U1', 10, t0);
      expect(takes).toEqual(Array.from({ length: 10 }, () => ({ allowed: true })));
      expect(await store.takeToken(here, 'U1', policy, t0)).toEqual({ allowed: false, retryAfterMs: 15_000 });
      // A refusal spends nothing: asking again later shows the wait shrinking with the clock alone.
      expect(await store.takeToken(here, 'U1', policy, t0 + 5_000)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    });

    it('refills one token per interval, never beyond the burst', async () => {
      const here = fresh();
      await takeMany(store, here, 'U1', 10, t0);
      expect(await store.takeToken(here, 'U1', policy, t0 + 14_999)).toEqual({ allowed: false, retryAfterMs: 1 });
      expect(await store.takeToken(here, 'U1', policy, t0 + 15_000)).toEqual({ allowed: true });
      expect(await store.takeToken(here, 'U1', policy, t0 + 15_000)).toEqual({ allowed: false, retryAfterMs: 15_000 });
      // Half-intervals add up: 7.5 s + 7.5 s is one token.
      expect((await store.takeToken(here, 'U1', policy, t0 + 22_500)).allowed).toBe(false);
      expect(await store.takeToken(here, 'U1', policy, t0 + 30_000)).toEqual({ allowed: true });
      // An hour idle refills 240 intervals' worth, but the bucket holds 10.
      expect(allowed(await takeMany(store, here, 'U1', 15, t0 + 3_600_000))).toBe(10);
    });

    it('grants nothing extra when the clock goes backwards (another instance’s clock a little behind)', async () => {
      const here = fresh();
      await takeMany(store, here, 'U1', 10, t0);
      expect((await store.takeToken(here, 'U1', policy, t0 - 60_000)).allowed).toBe(false);
      // The bucket still counts from t0, not from the earlier time, so 15 s after t0 is one token, not five.
      expect(allowed(await takeMany(store, here, 'U1', 3, t0 + 15_000))).toBe(1);
    });

    it('keeps a bucket per user and board: channel, workspace and enterprise each count apart', async () => {
      const home = fresh();
      const { channelId } = home;
      await takeMany(store, home, 'U1', 10, t0);
      expect((await store.takeToken(home, 'U1', policy, t0)).allowed).toBe(false);
      for (const [where, user] of [
        [home, 'U2'],
        [board(`${channelId}X`, 'T1', ''), 'U1'],
        [board(channelId, 'T2', ''), 'U1'],
        [board(channelId, 'T1', 'E1'), 'U1'],
      ] as const) {
        expect(allowed(await takeMany(store, where, user, 11, t0))).toBe(10);
      }
      // None of that gave U1 on the home board anything back.
      expect((await store.takeToken(home, 'U1', policy, t0)).allowed).toBe(false);
    });

    it('never lets more than the burst through, however many takes arrive at once', async () => {
      const here = fresh();
      const takes = await Promise.all(Array.from({ length: 30 }, () => store.takeToken(here, 'U1', policy, t0)));
      expect(allowed(takes)).toBe(10);
      expect(takes.filter((take) => !take.allowed)).toEqual(
        Array.from({ length: 20 }, () => ({ allowed: false, retryAfterMs: 15_000 })),
      );
    });

    it('shares each bucket between stores on the same database (two app instances)', async () => {
      const here = fresh();
      const other = await open();
      const takes = await Promise.all(
        Array.from({ length: 30 }, (_, n) => (n % 2 === 0 ? store : other).takeToken(here, 'U1', policy, t0)),
      );
      expect(allowed(takes)).toBe(10);
      // And the state outlives the instance: a restarted store still refuses.
      await other.close();
      const restarted = await open();
      expect((await restarted.takeToken(here, 'U1', policy, t0 + 1)).allowed).toBe(false);
    });

    it('deletes buckets that have been full for a day, and keeps the others', async () => {
      const idle = fresh();
      const busy = fresh();
      const sweeper = await open(); // a store of its own, so the test knows when its sweep is due
      // Each of these is full again 15 s later, at t0 + 15 s.
      for (const user of ['U1', 'U2', 'U3', 'U4']) await sweeper.takeToken(idle, user, policy, t0);
      const later = t0 + 15_000 + IDLE_BUCKET_MS + 1;
      // Full only since a minute ago, by then: kept.
      await sweeper.takeToken(idle, 'U5', policy, later - 75_000);
      expect(await harness().bucketRows(idle)).toBe(5);
      // Used again: U4 empties their bucket, which must keep its (empty) state.
      await takeMany(sweeper, idle, 'U4', 10, later);
      for (let n = 5 + 10; n < SWEEP_EVERY_TAKES; n += 1) await sweeper.takeToken(busy, 'U9', policy, later);
      // The sweep may run beside the request (PostgreSQL does not make the user wait for it).
      const giveUp = Date.now() + 5000;
      while ((await harness().bucketRows(idle)) !== 2 && Date.now() < giveUp) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await harness().bucketRows(idle)).toBe(2);
      expect(await harness().bucketRows(busy)).toBe(1);
      expect((await sweeper.takeToken(idle, 'U4', policy, later)).allowed).toBe(false);
      // A swept bucket was full anyway: its user starts again with a whole burst.
      expect(allowed(await takeMany(sweeper, idle, 'U1', 11, later))).toBe(10);
    });

    it('rejects a malformed take before touching the database', async () => {
      const here = fresh();
      const rejects = async (promise: Promise<unknown>) => {
        await expect(promise).rejects.toBeInstanceOf(RangeError);
      };
      await rejects(store.takeToken(here, '', policy, t0));
      await rejects(store.takeToken({ ...here, teamId: '' }, 'U1', policy, t0));
      for (const burst of [0, -1, 1.5, Number.NaN, MAX_BUCKET_BURST + 1])
        await rejects(store.takeToken(here, 'U1', { ...policy, burst }, t0));
      for (const refillIntervalMs of [0, -1, 0.5, MAX_REFILL_INTERVAL_MS + 1, Number.POSITIVE_INFINITY]) {
        await rejects(store.takeToken(here, 'U1', { ...policy, refillIntervalMs }, t0));
      }
      for (const now of [-1, 1.5, Number.NaN]) await rejects(store.takeToken(here, 'U1', policy, now));
      expect(await harness().bucketRows(here)).toBe(0);
    });

    it('reports a closed store as unavailable', async () => {
      const closing = await open();
      await closing.close();
      await expect(closing.takeToken(fresh(), 'U1', policy, t0)).rejects.toBeInstanceOf(StoreUnavailableError);
    });
  });
}
