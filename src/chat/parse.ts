/**
 * What the user asked `/chat` for, from the command text exactly as Slack sent it. Plain values in, plain
 * values out: no Slack types, no store.
 */
import { decodeEntities } from '../slack/format.js';
import { cleanText, showsNothing } from '../text/clean.js';
import { quoteForReply } from './reply.js';

export const MAX_MESSAGE_CHARS = 1000;
export const DEFAULT_LIST_LIMIT = 10;
export const MAX_LIST_LIMIT = 50;

export type ChatCommand =
  | { kind: 'help' }
  | { kind: 'list'; limit: number }
  | { kind: 'delete'; id: number }
  | { kind: 'post'; text: string }
  /** `message` is reply-ready mrkdwn: anything the user typed in it is already escaped. */
  | { kind: 'error'; message: string };

/**
 * `help`, `list [N]` and `delete <id>` are commands when they are the first word (any case); any other
 * text is a post. `-- <text>` posts text that starts with one of those words.
 */
export function parseChatCommand(slackText: string): ChatCommand {
  const text = decodeEntities(slackText).trim();
  if (text === '') return { kind: 'list', limit: DEFAULT_LIST_LIMIT };

  const escaped = /^--(?:\s|$)/.exec(text);
  if (escaped !== null) return postCommand(text.slice(2));

  const [first = '', ...rest] = text.split(/\s+/);
  switch (first.toLowerCase()) {
    case 'help':
      return { kind: 'help' };
    case 'list':
      return listCommand(rest);
    case 'delete':
      return deleteCommand(rest);
    default:
      return postCommand(text);
  }
}

export type MessageTextCheck = { ok: true; text: string } | { ok: false; message: string };

/**
 * The board's rule for a message: cleaned as a cow's text is, then 1 to {@link MAX_MESSAGE_CHARS} characters
 * (code points) after trimming, where the text is already entity-decoded, so `&lt;` counts as the one
 * character the user typed; text that would show as nothing is refused.
 */
export function checkMessageText(decoded: string): MessageTextCheck {
  const text = cleanText(decoded).trim();
  if (showsNothing(text)) {
    return {
      ok: false,
      message:
        'Your message is empty: it has no visible characters, so nothing was stored. Try `/chat Hello, channel!`.',
    };
  }
  const length = [...text].length;
  if (length > MAX_MESSAGE_CHARS) {
    return {
      ok: false,
      message:
        `Your message is ${length.toLocaleString('en-US')} characters long; the limit is ` +
        `${MAX_MESSAGE_CHARS.toLocaleString('en-US')}. Nothing was stored.`,
    };
  }
  return { ok: true, text };
}

function postCommand(text: string): ChatCommand {
  const check = checkMessageText(text);
  return check.ok ? { kind: 'post', text: check.text } : { kind: 'error', message: check.message };
}

function listCommand(args: string[]): ChatCommand {
  if (args.length === 0) return { kind: 'list', limit: DEFAULT_LIST_LIMIT };
  const [count = ''] = args;
  const limit = args.length === 1 && /^\d{1,3}$/.test(count) ? Number(count) : Number.NaN;
  if (limit >= 1 && limit <= MAX_LIST_LIMIT) return { kind: 'list', limit };
  return {
    kind: 'error',
    message:
      `${quoteForReply(args.join(' '))} is not a number of messages: use 1 to ${MAX_LIST_LIMIT}, e.g. ` +
      '`/chat list 20`. To post text that starts with "list", write `/chat -- list …`.',
  };
}

function deleteCommand(args: string[]): ChatCommand {
  const usage = 'e.g. `/chat delete 42` for the message shown as #42';
  if (args.length === 0) return { kind: 'error', message: `Which message? Give its number, ${usage}.` };
  const [token = ''] = args;
  const digits = args.length === 1 ? /^#?(\d+)$/.exec(token)?.[1] : undefined;
  if (digits === undefined) {
    return {
      kind: 'error',
      message:
        `${quoteForReply(args.join(' '))} is not a message id: ${usage}. ` +
        'To post text that starts with "delete", write `/chat -- delete …`.',
    };
  }
  const significant = digits.replace(/^0+(?=\d)/, '');
  // Ids are positive and stay far below 2^53; a longer number cannot name a message, so no store lookup.
  if (significant.length > 15 || Number(significant) < 1) {
    const shown = significant.length > 20 ? `${significant.slice(0, 20)}…` : significant;
    return { kind: 'error', message: `There is no message #${shown} on this board.` };
  }
  return { kind: 'delete', id: Number(significant) };
}
