/**
 * The message board's storage. One small async interface; one file per backend; `openStore` in
 * `./index.ts` is the one place that picks a backend from the configuration.
 */

/** A board is one conversation in one workspace. `enterpriseId` is '' outside Enterprise Grid. */
export interface Board {
  readonly enterpriseId: string;
  readonly teamId: string;
  readonly channelId: string;
}

export interface StoredMessage {
  readonly id: number;
  readonly userId: string;
  readonly text: string;
  readonly createdAt: Date;
}

export type DeleteOutcome = 'deleted' | 'not-found' | 'not-owner';

/**
 * A token bucket: it holds at most `burst` tokens, starts full, and gains one token every
 * `refillIntervalMs`. The numbers are the caller's policy (see src/chat/rate-limit.ts); the store only keeps
 * each bucket's state where every app instance sees it.
 *
 * The state is one whole number per bucket, `full_at`: the instant the bucket will be full again if nobody
 * takes from it. At `now` it holds `burst - max(0, full_at - now) / refillIntervalMs` tokens, so a take is
 * allowed when `max(full_at, now) - now <= (burst - 1) * refillIntervalMs`, and then moves `full_at` to
 * `max(full_at, now) + refillIntervalMs`. Whole milliseconds throughout: no rounding, no drift.
 */
export interface TokenBucketPolicy {
  /** Whole tokens, 1 to {@link MAX_BUCKET_BURST}. */
  readonly burst: number;
  /** Whole milliseconds per token, 1 to {@link MAX_REFILL_INTERVAL_MS}. */
  readonly refillIntervalMs: number;
}

/** What one take got: a token, or how long until the bucket holds one again. */
export type TokenTake = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * What makes a post safe to repeat. Slack gives every invocation of a command its own `trigger_id`, and a
 * signed request stays valid for minutes, so the same request may arrive more than once; the key makes the
 * copies one post.
 */
export interface PostKey {
  /** At most {@link MAX_POST_KEY_LENGTH} characters; unique per board. */
  readonly triggerId?: string;
}

export interface MessageStore {
  /**
   * Stores a message; resolves only once it is durably committed. With a `triggerId` already stored on this
   * board (within {@link POST_KEY_TTL_MS}), stores nothing and resolves with the message that key stored.
   */
  post(board: Board, userId: string, text: string, key?: PostKey): Promise<StoredMessage>;
  /** The board's latest `limit` messages (1 to {@link MAX_LATEST_LIMIT}), oldest first. */
  latest(board: Board, limit: number): Promise<StoredMessage[]>;
  /** Deletes a message of the board if `userId` wrote it. A message of another board is 'not-found'. */
  delete(board: Board, id: number, userId: string): Promise<DeleteOutcome>;
  /**
   * Takes one token from the bucket of (`board`, `userId`), first refilling it for the time passed since it
   * was last touched. Atomic: concurrent takes, from this instance or any other on the same database, never
   * hand out more tokens than the policy allows. `nowMs` is the caller's clock (milliseconds since the
   * epoch), so tests need not wait; a clock that goes backwards refills nothing.
   *
   * A bucket that has been full for {@link IDLE_BUCKET_MS} is the same as no bucket, so the store deletes such
   * rows from time to time (see {@link SWEEP_EVERY_TAKES}): they cannot pile up.
   *
   * A take for a post whose `triggerId` is already stored on the board is allowed and spends nothing: the
   * `post` that follows only returns the stored message, so a repeated request costs its author no token.
   */
  takeToken(board: Board, userId: string, policy: TokenBucketPolicy, nowMs: number, key?: PostKey): Promise<TokenTake>;
  /**
   * Resolves when the store can both read and write; rejects with the reason when it cannot. A write is
   * tried at most once per {@link WRITE_PROBE_INTERVAL_MS}, so frequent health checks cost almost nothing.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The most messages one `latest` call returns; the board shows at most 50, this is the store's own guard. */
export const MAX_LATEST_LIMIT = 1000;
/** The store's own bound on a message, in UTF-16 code units; the board's rule (1,000 characters) is stricter. */
export const MAX_STORED_TEXT_UNITS = 8000;
/** Far above any sensible policy; with {@link MAX_REFILL_INTERVAL_MS} it keeps all bucket arithmetic exact. */
export const MAX_BUCKET_BURST = 1_000_000;
export const MAX_REFILL_INTERVAL_MS = 24 * 60 * 60 * 1000;
/**
 * A bucket full for this long is deleted. Deleting a full bucket changes nothing; the day of margin is for
 * an instance whose clock runs behind, which would still see the bucket as not quite full.
 */
export const IDLE_BUCKET_MS = 24 * 60 * 60 * 1000;
/**
 * How often (in takes, per store instance) the idle buckets are swept. Every bucket row was created by a take,
 * so deleting up to {@link SWEEP_BATCH} rows every this many takes keeps up with any rate of new buckets.
 */
export const SWEEP_EVERY_TAKES = 100;
export const SWEEP_BATCH = 1000;
/**
 * How long a post's key is kept. Slack accepts a request signed up to 5 minutes before or after now, so a copy
 * can arrive until 10 minutes after the original; the rest is margin for instances whose clocks differ.
 */
export const POST_KEY_TTL_MS = 15 * 60 * 1000;
/** Slack's trigger ids are about 60 characters. */
export const MAX_POST_KEY_LENGTH = 255;
/** How often (in keyed posts, per store instance) expired keys are swept, at most SWEEP_BATCH at a time. */
export const SWEEP_EVERY_POSTS = 100;
/** A successful write probe stands for this long; health checks in between only read. */
export const WRITE_PROBE_INTERVAL_MS = 1000;
/** Slack ids are around 11 characters; anything this long is not one. */
const MAX_ID_LENGTH = 64;

/**
 * The store cannot be reached or did not answer in time. Its message is safe to show an operator (the
 * /healthz body carries it): it never holds a connection string, password or host name.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Checks what every backend relies on, before any SQL runs: the callers (the /chat logic) validate the
 * same things with user-facing messages, so a failure here is a programming error, not user input.
 */
export function assertBoard(board: Board): void {
  assertKey('enterpriseId', board.enterpriseId, true);
  assertKey('teamId', board.teamId, false);
  assertKey('channelId', board.channelId, false);
}

export function assertPost(board: Board, userId: string, text: string, key: PostKey = {}): void {
  assertBoard(board);
  assertKey('userId', userId, false);
  assertPostKey(key);
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_STORED_TEXT_UNITS) {
    throw new RangeError(`text must be 1 to ${MAX_STORED_TEXT_UNITS} UTF-16 units`);
  }
  // PostgreSQL's text type cannot hold NUL; refusing it in both backends keeps them interchangeable.
  if (text.includes('\u0000')) throw new RangeError('text must not contain NUL characters');
}

export function assertLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LATEST_LIMIT) {
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_LATEST_LIMIT}`);
  }
}

export function assertMessageId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 1) throw new RangeError('id must be a positive safe integer');
}

export function assertTake(
  board: Board,
  userId: string,
  policy: TokenBucketPolicy,
  nowMs: number,
  key: PostKey = {},
): void {
  assertBoard(board);
  assertKey('userId', userId, false);
  assertPostKey(key);
  const { burst, refillIntervalMs } = policy;
  if (!Number.isInteger(burst) || burst < 1 || burst > MAX_BUCKET_BURST) {
    throw new RangeError(`burst must be a whole number from 1 to ${MAX_BUCKET_BURST}`);
  }
  if (!Number.isInteger(refillIntervalMs) || refillIntervalMs < 1 || refillIntervalMs > MAX_REFILL_INTERVAL_MS) {
    throw new RangeError(`refillIntervalMs must be a whole number from 1 to ${MAX_REFILL_INTERVAL_MS}`);
  }
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) throw new RangeError('nowMs must be a whole number of milliseconds');
}

/** The most a take may find `full_at` ahead of now and still get a token (see {@link TokenBucketPolicy}). */
export function takeHeadroomMs(policy: TokenBucketPolicy): number {
  return (policy.burst - 1) * policy.refillIntervalMs;
}

/**
 * A take's outcome from the bucket's `full_at` as the take left it (a refused take leaves it as it was):
 * the wait is until `full_at` is back within the headroom.
 */
export function takeOutcome(allowed: boolean, fullAtMs: number, policy: TokenBucketPolicy, nowMs: number): TokenTake {
  if (allowed) return { allowed: true };
  // At least 1 ms: a refusal never says "now".
  return { allowed: false, retryAfterMs: Math.max(1, fullAtMs - nowMs - takeHeadroomMs(policy)) };
}

function assertPostKey({ triggerId }: PostKey): void {
  if (triggerId === undefined) return;
  if (typeof triggerId !== 'string' || triggerId.length === 0 || triggerId.length > MAX_POST_KEY_LENGTH) {
    throw new RangeError(`triggerId must be a non-empty string of at most ${MAX_POST_KEY_LENGTH} characters`);
  }
  if (triggerId.includes('\u0000')) throw new RangeError('triggerId must not contain NUL characters');
}

function assertKey(name: string, value: string, mayBeEmpty: boolean): void {
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH || (!mayBeEmpty && value.length === 0)) {
    throw new RangeError(
      `${name} must be ${mayBeEmpty ? 'a' : 'a non-empty'} string of at most ${MAX_ID_LENGTH} characters`,
    );
  }
}
