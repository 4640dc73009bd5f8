/**
 * Every `/chat` reply, in Slack mrkdwn. User text goes through `inertText` on every path; author mentions are
 * built from the verified `user_id`, never from anything typed.
 */
import type { ChatOutcome } from '../chat/board.js';
import { type ChatProblem, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, MAX_MESSAGE_CHARS } from '../chat/parse.js';
import { inertText } from '../slack/format.js';
import type { DeleteOutcome, StoredMessage, TokenBucketPolicy } from '../store/message-store.js';
import { forEachGrapheme } from '../text/graphemes.js';
import { shorten as shortenInput } from '../text/shorten.js';

export function chatReplyText(outcome: ChatOutcome): string {
  switch (outcome.kind) {
    case 'help':
      return helpText(MAX_MESSAGE_CHARS, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, outcome.policy);
    case 'invalid':
      return problemText(outcome.problem);
    case 'listed':
      return listText(outcome.messages, outcome.requested, outcome.capped);
    case 'deleted':
      return deletedText(outcome.outcome, outcome.id);
    case 'posted':
      return postedText(outcome.message, outcome.latest);
    case 'rate-limited':
      return rateLimitedText(outcome.retryAfterMs, outcome.policy);
    case 'unavailable':
      return UNAVAILABLE_TEXT;
    case 'post-unconfirmed':
      return POST_UNCONFIRMED_TEXT;
  }
}

export const NOT_A_BOARD_TEXT =
  '`/chat` cannot tell which workspace, channel or user this request came from, so it did nothing.';

export function problemText(problem: ChatProblem): string {
  const usage = 'e.g. `/chat delete 42` for the message shown as #42';
  switch (problem.kind) {
    case 'empty-message':
      return 'Your message is empty: it has no visible characters, so nothing was stored. Try `/chat Hello, channel!`.';
    case 'message-too-long':
      return (
        `Your message is ${problem.length.toLocaleString('en-US')} characters long; the limit is ` +
        `${MAX_MESSAGE_CHARS.toLocaleString('en-US')}. Nothing was stored.`
      );
    case 'not-a-count':
      return (
        `${quoteForReply(problem.input)} is not a number of messages: give a whole number from 1 (a list shows at ` +
        `most ${MAX_LIST_LIMIT}), e.g. \`/chat list 20\`. To post text that starts with "list", write \`/chat -- list …\`.`
      );
    case 'no-id':
      return `Which message? Give its number, ${usage}.`;
    case 'not-an-id':
      return (
        `${quoteForReply(problem.input)} is not a message id: ${usage}. ` +
        'To post text that starts with "delete", write `/chat -- delete …`.'
      );
    case 'no-such-message':
      return `There is no message #${shortenInput(problem.id, 20)} on this board.`;
  }
}

/** Message bodies one reply shows: far below Slack's 40,000, since 50 long messages are unreadable anyway. */
export const REPLY_BODY_BUDGET = 12_000;

const SHORTENED = '… _(shortened)_';

export const UNAVAILABLE_TEXT = 'The board is unavailable right now, try again in a moment.';

export const POST_UNCONFIRMED_TEXT =
  'The board is unavailable right now, try again in a moment. If your message shows up in `/chat list` ' +
  'later, it was stored after all.';

/** Our own `<` and `>` are escaped too: in Slack, `<text>` would be markup, not the word in brackets. */
export function helpText(maxChars: number, defaultLimit: number, maxLimit: number, policy: TokenBucketPolicy): string {
  return [
    '*Usage:* a message board for this channel. Everyone in the channel can read it with `/chat`; nobody outside it can.',
    '',
    `\`/chat &lt;text&gt;\` post a message (1 to ${maxChars.toLocaleString('en-US')} characters)`,
    `\`/chat\` or \`/chat list [N]\` the latest N messages, oldest first (default ${defaultLimit}, at most ${maxLimit})`,
    '`/chat delete &lt;id&gt;` delete one of your own messages, e.g. `/chat delete 42` for #42',
    '`/chat -- &lt;text&gt;` post text that starts with help, list or delete',
    '`/chat help` this help',
    '',
    `You can post ${policy.burst} messages in a row to a board, then one every ${duration(policy.refillIntervalMs)}.`,
    'Replies to `/chat` are visible only to you.',
  ].join('\n');
}

/** Each reader sees their own time zone. https://docs.slack.dev/messaging/formatting-message-text#date-formatting */
export function slackDate(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

/** The board's messages, oldest first, each with its id, author and time. */
export function boardText(messages: readonly StoredMessage[], heading: string): string {
  if (messages.length === 0) return `${heading}\n_No messages yet._ Post the first with \`/chat &lt;text&gt;\`.`;
  const bodies = fitBodies(
    messages.map((message) => message.text),
    REPLY_BODY_BUDGET,
  );
  const lines = messages.map(
    (message, index) => `*#${message.id}* <@${message.userId}> ${slackDate(message.createdAt)}\n${bodies[index]}`,
  );
  return `${heading}\n${lines.join('\n')}`;
}

/** `capped`: more were asked for than a list shows, which the heading says. */
export function listText(messages: readonly StoredMessage[], requested: number, capped = false): string {
  const count = `${messages.length} message${messages.length === 1 ? '' : 's'}`;
  const heading =
    messages.length < requested ? `*All ${count} on this board:*` : `*The latest ${count} on this board:*`;
  const note = capped ? ` (a list shows at most ${MAX_LIST_LIMIT})` : '';
  return messages.length === 0 ? boardText([], `*This board is empty.*${note}`) : boardText(messages, heading + note);
}

export function postedText(posted: StoredMessage, latest: readonly StoredMessage[] | undefined): string {
  const confirmation = `Posted as *#${posted.id}*.`;
  if (latest === undefined) return `${confirmation} (The board itself could not be loaded just now.)`;
  return `${confirmation}\n\n${boardText(latest, '*Latest on this board:*')}`;
}

export function deletedText(outcome: DeleteOutcome, id: number): string {
  switch (outcome) {
    case 'deleted':
      return `Deleted *#${id}*.`;
    case 'not-found':
      return `There is no message #${id} on this board.`;
    case 'not-owner':
      return `#${id} was posted by someone else: you can delete only your own messages.`;
  }
}

/**
 * The answer to a post over the limit: friendly, says when posting works again, and that nothing was
 * stored (so the user knows to send it again rather than look for it).
 */
export function rateLimitedText(retryAfterMs: number, policy: TokenBucketPolicy): string {
  return (
    `Easy there: you can post ${policy.burst} messages in a row to this board, then one every ` +
    `${duration(policy.refillIntervalMs)}. Your message was not stored; you can post again in ` +
    `${duration(retryAfterMs)}. Reading the board with \`/chat list\` works any time.`
  );
}

/** Rounded up, so "in 15 seconds" is never too early. */
function duration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}

/** A piece of user input quoted in a reply: escaped, on one line, and short. */
export function quoteForReply(input: string): string {
  return `“${inertText(shortenInput(input, 40))}”`;
}

/**
 * Escapes each text and, if together they pass `budget` characters, shortens the longest ones to a common
 * cap (the largest that fits), so short messages always show in full. Cuts fall between grapheme
 * clusters, so no emoji or accented letter is split, and never inside an escape like `&lt;`.
 */
export function fitBodies(texts: readonly string[], budget: number): string[] {
  const escaped = texts.map((text) => inertText(text));
  const total = escaped.reduce((sum, text) => sum + text.length, 0);
  if (total <= budget) return escaped;

  // The largest cap c with sum(min(length, c)) <= budget, by binary search on c.
  let low = 0;
  let high = Math.max(...escaped.map((text) => text.length));
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const used = escaped.reduce((sum, text) => sum + Math.min(text.length, mid), 0);
    if (used <= budget) low = mid;
    else high = mid - 1;
  }
  const cap = low;
  return texts.map((text, index) => {
    const full = escaped[index] ?? '';
    return full.length <= cap ? full : shorten(text, Math.max(0, cap - SHORTENED.length));
  });
}

/**
 * The longest prefix (in grapheme clusters) whose escaped form fits `room`, followed by the marker. One pass
 * that stops at the cut: the escaped length grows by each cluster's own, plus the zero-width space that
 * `inertText` puts between two backticks where one cluster ends with a backtick and the next starts with one.
 */
function shorten(text: string, room: number): string {
  let end = 0;
  let used = 0;
  let endsWithBacktick = false;
  forEachGrapheme(text, (cluster) => {
    used += escapedLength(cluster) + (endsWithBacktick && cluster.startsWith('`') ? 1 : 0);
    if (used > room) return false;
    end += cluster.length;
    endsWithBacktick = cluster.endsWith('`');
    return true;
  });
  return `${inertText(text.slice(0, end).trimEnd())}${SHORTENED}`;
}

/** `inertText(cluster).length`: `&` becomes `&amp;`, `<` and `>` become `&lt;` and `&gt;`. */
function escapedLength(cluster: string): number {
  let length = cluster.length;
  for (let index = 0; index < cluster.length; index++) {
    const unit = cluster.charCodeAt(index);
    if (unit === 0x26) length += 4;
    else if (unit === 0x3c || unit === 0x3e) length += 3;
    else if (unit === 0x60 && cluster.charCodeAt(index + 1) === 0x60) length += 1;
  }
  return length;
}
