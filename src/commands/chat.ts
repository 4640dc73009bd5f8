/**
 * `/chat`: Slack's verified payload → the ids checked and the text decoded → `chat/` parses and runs it
 * against the store → the outcome worded as an ephemeral reply. Every reply answers only the caller.
 */
import type { SlashCommand } from '@slack/bolt';
import { type Author, type BoardDependencies, type ChatOutcome, runChatCommand } from '../chat/board.js';
import { parseChatCommand } from '../chat/parse.js';
import { describeError } from '../observability/errors.js';
import { noteOutcome } from '../observability/request-context.js';
import { decodeEntities, ephemeral, type SlashCommandReply } from '../slack/format.js';
import { SLACK_ID } from '../slack/ids.js';
import { chatReplyText, NOT_A_BOARD_TEXT } from './chat-reply.js';
import type { CommandDependencies, Router } from './router.js';

/**
 * The board and author from Slack's payload, or `undefined` when an id is malformed: a forged value must
 * become neither a board key nor an `<@…>` mention. Outside Enterprise Grid the enterprise id is absent or ''.
 * A trigger id of any other shape than Slack's is not a key: such a post is stored without one.
 */
export function authorOf(
  command: Pick<SlashCommand, 'user_id' | 'team_id' | 'channel_id' | 'enterprise_id' | 'trigger_id'>,
): Author | undefined {
  const enterpriseId = command.enterprise_id ?? '';
  if (enterpriseId !== '' && !SLACK_ID.enterprise.test(enterpriseId)) return undefined;
  if (!SLACK_ID.team.test(command.team_id) || !SLACK_ID.channel.test(command.channel_id)) return undefined;
  if (!SLACK_ID.user.test(command.user_id)) return undefined;
  const triggerId = command.trigger_id ?? '';
  return {
    board: { enterpriseId, teamId: command.team_id, channelId: command.channel_id },
    userId: command.user_id,
    postKey: SLACK_ID.trigger.test(triggerId) ? { triggerId } : {},
  };
}

/** The reply to one `/chat` command; `dependencies` carries the store and, in tests, the clock and budget. */
export async function chatReply(command: SlashCommand, dependencies: BoardDependencies): Promise<SlashCommandReply> {
  const author = authorOf(command);
  if (author === undefined) {
    noteOutcome('user_error');
    return ephemeral(NOT_A_BOARD_TEXT);
  }
  const parsed = parseChatCommand(decodeEntities(command.text ?? ''));
  const outcome = await runChatCommand(parsed, author, dependencies);
  noteChatOutcome(outcome);
  return ephemeral(chatReplyText(outcome));
}

export function registerChat(router: Router, { store }: CommandDependencies): void {
  router.command('/chat', async ({ command, ack, logger }) => {
    const onStoreError = (error: unknown) => {
      noteOutcome('store_unavailable');
      logger.warn(`/chat: the message store failed: ${describeError(error)}`);
    };
    await ack(await chatReply(command, { store, onStoreError }));
  });
}

/** What the access log and metrics count this command as; a store failure is noted where it happens. */
function noteChatOutcome(outcome: ChatOutcome): void {
  if (outcome.kind === 'invalid') noteOutcome('user_error');
  else if (outcome.kind === 'rate-limited') noteOutcome('rate_limited');
  else if (outcome.kind === 'unavailable' || outcome.kind === 'post-unconfirmed') noteOutcome('store_unavailable');
}
