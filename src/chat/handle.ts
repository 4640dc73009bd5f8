/**
 * `/chat` from request to reply text: check who and where, parse, call the store, word the answer.
 * Takes plain values and a `MessageStore`; knows nothing of Bolt or HTTP.
 */
import { withDeadline } from '../deadline.js';
import type { Board, MessageStore, StoredMessage, TokenBucketPolicy } from '../store/message-store.js';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, MAX_MESSAGE_CHARS, parseChatCommand } from './parse.js';
import { POST_RATE_POLICY } from './rate-limit.js';
import {
  deletedText,
  helpText,
  listText,
  POST_UNCONFIRMED_TEXT,
  postedText,
  rateLimitedText,
  UNAVAILABLE_TEXT,
} from './reply.js';

/** The fields of Slack's verified slash-command payload that `/chat` uses. */
export interface ChatRequest {
  /** The command text as Slack sent it (`&`, `<`, `>` still encoded). */
  text: string;
  userId: string;
  teamId: string;
  /** Absent or '' outside Enterprise Grid. */
  enterpriseId: string | undefined;
  channelId: string;
  /** Slack's id of this invocation: copies of one request share it, so they store one post. */
  triggerId?: string;
}

export interface ChatDependencies {
  store: MessageStore;
  /** Told of every store failure (the adapter logs it); the user only sees "unavailable". */
  onStoreError?: (error: unknown) => void;
  /**
   * How long the store may take for one command, in total. Slack drops an answer after 3 seconds and the
   * request has already spent some of them on the way in.
   */
  budgetMs?: number;
  /** How fast one user may post to one board; {@link POST_RATE_POLICY} unless a test says otherwise. */
  postPolicy?: TokenBucketPolicy;
  /** The post limit's clock, in milliseconds since the epoch; tests pass their own so they need not wait. */
  now?: () => number;
}

export const DEFAULT_CHAT_BUDGET_MS = 2500;

/**
 * Slack's id shapes (upper-case letter + upper-case alphanumerics). Checked before the store sees them, so
 * a forged or malformed payload never becomes a board key or an `<@…>` mention.
 */
const ID_SHAPES = {
  enterprise: /^E[A-Z0-9]{1,31}$/,
  team: /^T[A-Z0-9]{1,31}$/,
  channel: /^[CGD][A-Z0-9]{1,31}$/,
  user: /^[UW][A-Z0-9]{1,31}$/,
} as const;

export const NOT_A_BOARD_TEXT =
  '`/chat` cannot tell which workspace, channel or user this request came from, so it did nothing.';

export async function handleChatCommand(request: ChatRequest, dependencies: ChatDependencies): Promise<string> {
  const board = boardOf(request);
  if (board === undefined || !ID_SHAPES.user.test(request.userId)) return NOT_A_BOARD_TEXT;

  const command = parseChatCommand(request.text);
  const { store, onStoreError } = dependencies;
  const deadline = Date.now() + (dependencies.budgetMs ?? DEFAULT_CHAT_BUDGET_MS);
  const attempt = async <T>(operation: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await withDeadline(operation(), deadline - Date.now(), 'the message store');
    } catch (error) {
      onStoreError?.(error);
      return undefined;
    }
  };

  switch (command.kind) {
    case 'help':
      return helpText(
        MAX_MESSAGE_CHARS,
        DEFAULT_LIST_LIMIT,
        MAX_LIST_LIMIT,
        dependencies.postPolicy ?? POST_RATE_POLICY,
      );
    case 'error':
      return command.message;
    case 'list': {
      const messages = await attempt(() => store.latest(board, command.limit));
      return messages === undefined ? UNAVAILABLE_TEXT : listText(messages, command.limit);
    }
    case 'delete': {
      const outcome = await attempt(() => store.delete(board, command.id, request.userId));
      return outcome === undefined ? UNAVAILABLE_TEXT : deletedText(outcome, command.id);
    }
    case 'post': {
      // Only a valid post spends a token (an error above never reached the store), and it is spent before the
      // insert, so a refused post stores nothing. A post that fails after its token was taken still spent it.
      const policy = dependencies.postPolicy ?? POST_RATE_POLICY;
      const now = dependencies.now ?? Date.now;
      // Any other shape is not Slack's; such a post is stored without a key.
      const key = /^[\w.-]{1,255}$/.test(request.triggerId ?? '') ? { triggerId: request.triggerId } : {};
      const take = await attempt(() => store.takeToken(board, request.userId, policy, now(), key));
      if (take === undefined) return UNAVAILABLE_TEXT;
      if (!take.allowed) return rateLimitedText(take.retryAfterMs, policy);
      const posted = await attempt(() => store.post(board, request.userId, command.text, key));
      // Past the deadline the insert may still commit; the reply says so rather than "nothing was changed".
      if (posted === undefined) return POST_UNCONFIRMED_TEXT;
      // The post is committed; a board that fails to load now must not turn that into an error.
      const latest: StoredMessage[] | undefined = await attempt(() => store.latest(board, DEFAULT_LIST_LIMIT));
      return postedText(posted, latest);
    }
  }
}

function boardOf(request: ChatRequest): Board | undefined {
  const enterpriseId = request.enterpriseId ?? '';
  if (enterpriseId !== '' && !ID_SHAPES.enterprise.test(enterpriseId)) return undefined;
  if (!ID_SHAPES.team.test(request.teamId) || !ID_SHAPES.channel.test(request.channelId)) return undefined;
  return { enterpriseId, teamId: request.teamId, channelId: request.channelId };
}
