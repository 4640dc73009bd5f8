/**
 * "Cowsay this", a message shortcut: the default cow says the message it was used on. Slash commands cannot
 * be run inside a thread, so with a bot token the cow answers in the message's thread (`chat.postMessage` with
 * `thread_ts`); without one it posts to the conversation through the shortcut's `response_url`. Whatever goes
 * wrong, the user who used it is told why, only them, and nothing is retried.
 * https://docs.slack.dev/interactivity/implementing-shortcuts
 */
import type { MessageShortcut } from '@slack/bolt';
import type { CowCatalog } from '../cowsay/cows.js';
import { DEFAULT_OPTIONS } from '../cowsay/options.js';
import { renderCow } from '../cowsay/render.js';
import { type CowMessage, cowMessage } from '../slack/cow-message.js';
import { SLACK_ID } from '../slack/ids.js';
import { readableMessageText } from '../slack/message-text.js';
import { postFailure } from './post-failure.js';
import type { CommandDependencies, Router } from './router.js';
import { explainForSlack } from './slack-markup.js';

export const COWSAY_SHORTCUT_ID = 'cowsay_message';
export const SHORTCUT_NAME = 'Cowsay this';

type ShortcutDependencies = Pick<CommandDependencies, 'catalog' | 'outbound' | 'botToken'>;

/** A message's `ts`: seconds and microseconds. */
const MESSAGE_TS = /^\d{1,12}\.\d{1,9}$/;

export function registerCowsayShortcut(router: Router, dependencies: CommandDependencies): void {
  router.shortcut(COWSAY_SHORTCUT_ID, async ({ shortcut, ack }) => {
    // Acknowledged first: the reply is a separate call that may take most of Slack's 3 seconds.
    await ack();
    if (shortcut.type === 'message_action') await answerShortcut(shortcut, dependencies);
  });
}

async function answerShortcut(shortcut: MessageShortcut, dependencies: ShortcutDependencies): Promise<void> {
  const { outbound, botToken } = dependencies;
  const responseUrl = String(shortcut.response_url);
  const message = shortcutMessage(shortcut, dependencies.catalog);
  if (!message.ok) {
    await outbound.postEphemeral(responseUrl, { text: message.error });
    return;
  }
  const channel = String(shortcut.channel?.id);
  const thread = String(shortcut.message?.thread_ts ?? shortcut.message?.ts);
  const posted =
    botToken === undefined
      ? await outbound.postInChannel(responseUrl, message.value)
      : SLACK_ID.channel.test(channel) && MESSAGE_TS.test(thread)
        ? await outbound.postMessage(botToken, { channel, thread_ts: thread, ...message.value })
        : { ok: false as const, error: 'invalid_payload' };
  if (!posted.ok) await outbound.postEphemeral(responseUrl, { text: postFailure(posted.error) });
}

type Composed = { ok: true; value: CowMessage } | { ok: false; error: string };

function shortcutMessage(shortcut: MessageShortcut, catalog: CowCatalog): Composed {
  const raw = shortcut.message?.text;
  const text = typeof raw === 'string' ? readableMessageText(raw) : '';
  if (text.trim() === '') {
    return {
      ok: false,
      error:
        'That message has no text for the cow to say. Files and images cannot be cowsaid; try a message with words in it.',
    };
  }
  const rendered = renderCow(catalog, text, DEFAULT_OPTIONS);
  if (!rendered.ok) return { ok: false, error: explainForSlack(rendered.error) };
  const { cow, cowName } = rendered.value;
  const message = cowMessage(cow, `${cowName} says: ${rendered.value.text}`, {
    userId: String(shortcut.user?.id),
    via: SHORTCUT_NAME,
  });
  if (message === undefined) {
    return { ok: false, error: 'That message makes a cow too big for one Slack message.' };
  }
  return { ok: true, value: message };
}
