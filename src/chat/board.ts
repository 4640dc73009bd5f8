/**
 * `/chat` from a parsed command to its outcome: check the post limit, call the store within the time Slack
 * allows, and say what happened. Plain values and a `MessageStore` in, an outcome out; no Slack, no wording.
 */
import { STORE_BUDGET_MS, withDeadline } from '../deadline.js';
import type {
  Board,
  DeleteOutcome,
  MessageStore,
  PostKey,
  StoredMessage,
  TokenBucketPolicy,
} from '../store/message-store.js';
import { type ChatCommand, type ChatProblem, DEFAULT_LIST_LIMIT } from './parse.js';
import { POST_RATE_POLICY } from './rate-limit.js';

/** The caller has checked both against its transport's id rules. */
export interface Author {
  board: Board;
  userId: string;
  /** This invocation's key: copies of one request store one post and spend one token. */
  postKey?: PostKey;
}

export interface BoardDependencies {
  store: MessageStore;
  /** Told of every store failure (the caller logs it); the user only hears "unavailable". */
  onStoreError?: (error: unknown) => void;
  // Tests pass their own budget, policy and clock, so they need not wait.
  budgetMs?: number;
  postPolicy?: TokenBucketPolicy;
  now?: () => number;
}

export type ChatOutcome =
  | { kind: 'help'; policy: TokenBucketPolicy }
  | { kind: 'invalid'; problem: ChatProblem }
  | { kind: 'listed'; messages: readonly StoredMessage[]; requested: number; capped: boolean }
  | { kind: 'deleted'; id: number; outcome: DeleteOutcome }
  | { kind: 'posted'; message: StoredMessage; latest: readonly StoredMessage[] | undefined }
  | { kind: 'rate-limited'; retryAfterMs: number; policy: TokenBucketPolicy }
  | { kind: 'unavailable' }
  /** The store did not answer in time after the post was sent: it may still have been stored. */
  | { kind: 'post-unconfirmed' };

export async function runChatCommand(
  command: ChatCommand,
  author: Author,
  dependencies: BoardDependencies,
): Promise<ChatOutcome> {
  const { store } = dependencies;
  const policy = dependencies.postPolicy ?? POST_RATE_POLICY;
  const attempt = createAttempt(dependencies);
  switch (command.kind) {
    case 'help':
      return { kind: 'help', policy };
    case 'invalid':
      return command;
    case 'list': {
      const messages = await attempt(() => store.latest(author.board, command.limit));
      if (messages === undefined) return { kind: 'unavailable' };
      return { kind: 'listed', messages, requested: command.limit, capped: command.capped === true };
    }
    case 'delete': {
      const outcome = await attempt(() => store.delete(author.board, command.id, author.userId));
      return outcome === undefined ? { kind: 'unavailable' } : { kind: 'deleted', id: command.id, outcome };
    }
    case 'post':
      return post(command.text, author, policy, attempt, dependencies);
  }
}

type Attempt = <T>(operation: () => Promise<T>) => Promise<T | undefined>;

/** Store calls share one deadline; a failure or a timeout is reported and becomes `undefined`. */
function createAttempt({ onStoreError, budgetMs = STORE_BUDGET_MS }: BoardDependencies): Attempt {
  const deadline = Date.now() + budgetMs;
  return async (operation) => {
    try {
      return await withDeadline(operation(), deadline - Date.now(), 'the message store');
    } catch (error) {
      onStoreError?.(error);
      return undefined;
    }
  };
}

async function post(
  text: string,
  { board, userId, postKey = {} }: Author,
  policy: TokenBucketPolicy,
  attempt: Attempt,
  { store, now = Date.now }: BoardDependencies,
): Promise<ChatOutcome> {
  // Only a valid post spends a token (an invalid one never reached here), and it is spent before the insert,
  // so a refused post stores nothing. A post that fails after its token was taken still spent it.
  const take = await attempt(() => store.takeToken(board, userId, policy, now(), postKey));
  if (take === undefined) return { kind: 'unavailable' };
  if (!take.allowed) return { kind: 'rate-limited', retryAfterMs: take.retryAfterMs, policy };
  const message = await attempt(() => store.post(board, userId, text, postKey));
  // Past the deadline the insert may still commit; the reply says so rather than "nothing was changed".
  if (message === undefined) return { kind: 'post-unconfirmed' };
  // The post is committed; a board that fails to load now must not turn that into an error.
  const latest = await attempt(() => store.latest(board, DEFAULT_LIST_LIMIT));
  return { kind: 'posted', message, latest };
}
