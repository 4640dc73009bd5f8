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

export interface MessageStore {
  /** Stores a message; resolves only once it is durably committed. */
  post(board: Board, userId: string, text: string): Promise<StoredMessage>;
  /** The board's latest `limit` messages (1 to {@link MAX_LATEST_LIMIT}), oldest first. */
  latest(board: Board, limit: number): Promise<StoredMessage[]>;
  /** Deletes a message of the board if `userId` wrote it. A message of another board is 'not-found'. */
  delete(board: Board, id: number, userId: string): Promise<DeleteOutcome>;
  /** Resolves when the store answers; rejects with the reason when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The most messages one `latest` call returns; the board shows at most 50, this is the store's own guard. */
export const MAX_LATEST_LIMIT = 1000;
/** The store's own bound on a message, in UTF-16 code units; the board's rule (1,000 characters) is stricter. */
export const MAX_STORED_TEXT_UNITS = 8000;
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

export function assertPost(board: Board, userId: string, text: string): void {
  assertBoard(board);
  assertKey('userId', userId, false);
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

function assertKey(name: string, value: string, mayBeEmpty: boolean): void {
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH || (!mayBeEmpty && value.length === 0)) {
    throw new RangeError(
      `${name} must be ${mayBeEmpty ? 'a' : 'a non-empty'} string of at most ${MAX_ID_LENGTH} characters`,
    );
  }
}
