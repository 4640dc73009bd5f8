/** What the user asked `/chat` for, from text with Slack's entities already decoded; no markup, no store. */
import { fail, ok, type Result } from '../result.js';
import { cleanText, showsNothing } from '../text/clean.js';

export const MAX_MESSAGE_CHARS = 1000;
export const DEFAULT_LIST_LIMIT = 10;
export const MAX_LIST_LIMIT = 50;

export type ChatProblem =
  | { kind: 'empty-message' }
  | { kind: 'message-too-long'; length: number }
  | { kind: 'not-a-count'; input: string }
  | { kind: 'no-id' }
  | { kind: 'not-an-id'; input: string }
  /** `id` is the number as typed, without leading zeros. */
  | { kind: 'no-such-message'; id: string };

export type ChatCommand =
  | { kind: 'help' }
  /** `capped`: the user asked for more than {@link MAX_LIST_LIMIT}. */
  | { kind: 'list'; limit: number; capped?: true }
  | { kind: 'delete'; id: number }
  | { kind: 'post'; text: string }
  | { kind: 'invalid'; problem: ChatProblem };

/**
 * `help`, `list [N]` and `delete <id>` are commands when they are the first word (any case); any other
 * text is a post. `-- <text>` posts text that starts with one of those words.
 */
export function parseChatCommand(decoded: string): ChatCommand {
  const text = decoded.trim();
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

/**
 * The board's rule for a message: cleaned as a cow's text is, then 1 to {@link MAX_MESSAGE_CHARS} characters
 * (code points) after trimming, where the text is already entity-decoded, so `&lt;` counts as the one
 * character the user typed; text that would show as nothing is refused.
 */
export function checkMessageText(decoded: string): Result<string, ChatProblem> {
  const text = cleanText(decoded).trim();
  if (showsNothing(text)) return fail({ kind: 'empty-message' });
  const length = [...text].length;
  if (length > MAX_MESSAGE_CHARS) {
    return fail({ kind: 'message-too-long', length });
  }
  return ok(text);
}

function postCommand(text: string): ChatCommand {
  const check = checkMessageText(text);
  return check.ok ? { kind: 'post', text: check.value } : { kind: 'invalid', problem: check.error };
}

/** `list N`: a count above the maximum shows the maximum (and says so); zero, signs and words are refused. */
function listCommand(args: string[]): ChatCommand {
  if (args.length === 0) return { kind: 'list', limit: DEFAULT_LIST_LIMIT };
  const [count = ''] = args;
  const limit = args.length === 1 && /^\d+$/.test(count) ? Number(count) : 0;
  if (limit > MAX_LIST_LIMIT) return { kind: 'list', limit: MAX_LIST_LIMIT, capped: true };
  if (limit >= 1) return { kind: 'list', limit };
  return { kind: 'invalid', problem: { kind: 'not-a-count', input: args.join(' ') } };
}

function deleteCommand(args: string[]): ChatCommand {
  if (args.length === 0) return { kind: 'invalid', problem: { kind: 'no-id' } };
  const [token = ''] = args;
  const digits = args.length === 1 ? /^#?(\d+)$/.exec(token)?.[1] : undefined;
  if (digits === undefined) return { kind: 'invalid', problem: { kind: 'not-an-id', input: args.join(' ') } };
  const significant = digits.replace(/^0+(?=\d)/, '');
  // Ids are positive and stay far below 2^53; a longer number cannot name a message, so no store lookup.
  if (significant.length > 15 || Number(significant) < 1) {
    return { kind: 'invalid', problem: { kind: 'no-such-message', id: significant } };
  }
  return { kind: 'delete', id: Number(significant) };
}
