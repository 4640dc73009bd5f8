/**
 * `/chat`: hand Slack's verified payload to the board logic in `src/chat/`, answer ephemerally. This file
 * only knows how Slack delivers the command and how the answer has to look.
 */
import type { Logger } from '@slack/bolt';
import { handleChatCommand } from '../chat/handle.js';
import { ephemeral } from '../slack/format.js';
import type { MessageStore } from '../store/message-store.js';
import type { CommandHandler } from './registry.js';

export interface ChatCommandOptions {
  logger: Logger;
  /** Total time the store may take per command; see DEFAULT_CHAT_BUDGET_MS. */
  budgetMs?: number;
}

export function createChatCommand(store: MessageStore, options: ChatCommandOptions): CommandHandler {
  const { logger } = options;
  return async (command) => {
    const text = await handleChatCommand(
      {
        text: command.text ?? '',
        // From Slack's signed payload: the author of a post is who Slack says ran the command.
        userId: command.user_id,
        teamId: command.team_id,
        enterpriseId: command.enterprise_id,
        channelId: command.channel_id,
        triggerId: command.trigger_id,
      },
      {
        store,
        budgetMs: options.budgetMs,
        // Store errors are already free of credentials (see store/postgres.ts); only the name and message go out.
        onStoreError: (error) =>
          logger.warn(`/chat: the message store failed: ${error instanceof Error ? error.message : String(error)}`),
      },
    );
    return ephemeral(text);
  };
}
