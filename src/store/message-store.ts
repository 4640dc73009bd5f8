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
  /** The board's latest `limit` messages, oldest first. */
  latest(board: Board, limit: number): Promise<StoredMessage[]>;
  /** Deletes a message of the board if `userId` wrote it. */
  delete(board: Board, id: number, userId: string): Promise<DeleteOutcome>;
  /** Resolves when the store answers; rejects with the reason when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
