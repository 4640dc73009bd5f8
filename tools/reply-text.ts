/**
 * A slash command's reply as a Slack user would read it, in a terminal: code blocks become their bare
 * text, mentions and channels their names, dates the reader's local time, links their label and address,
 * and `&amp; &lt; &gt;` the characters they stand for.
 * https://docs.slack.dev/messaging/formatting-message-text
 */
import { decodeEntities } from '../src/slack/format.js';

export interface ReplyButton {
  actionId: string;
  label: string;
  value: string | undefined;
  blockId: string | undefined;
}

export interface ReplyText {
  /** Slack shows an ephemeral reply only to the user who ran the command. */
  ephemeral: boolean;
  text: string;
  /** The message's buttons, in order (none for most replies). */
  buttons: ReplyButton[];
}

export interface ReadOptions {
  /** The reader's time zone for date tokens (default: this machine's). */
  timeZone?: string;
  /** Now, for `{ago}` (default: the clock). */
  now?: Date;
  /** Names to show for user IDs, as Slack shows a mention by the person's name (default: the ID). */
  userNames?: Readonly<Record<string, string>>;
}

const ZERO_WIDTH_SPACE = /\u200b/g;
const CODE_BLOCK = /```\n?([\s\S]*?)\n?```/g;
const ENTITY_TOKEN = /<([^<>]*)>/g;

/**
 * Reads a reply body as Slack would show it: a JSON message (blocks preferred over the `text` fallback,
 * as Slack shows the blocks when there are any), or a plain-text body, which Slack shows as an ephemeral
 * message. `undefined` for an empty body: Slack shows nothing.
 */
export function readReply(body: string, options: ReadOptions = {}): ReplyText | undefined {
  if (body.trim() === '') return undefined;
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return { ephemeral: true, text: body, buttons: [] };
  }
  if (!isRecord(message)) return { ephemeral: true, text: body, buttons: [] };
  // Slack's default for a slash command reply is ephemeral; only `in_channel` is posted for everyone.
  const ephemeral = message.response_type !== 'in_channel';
  const fromBlocks = Array.isArray(message.blocks) ? blocksText(message.blocks, options) : '';
  const text =
    fromBlocks !== '' ? fromBlocks : typeof message.text === 'string' ? mrkdwnToText(message.text, options) : '';
  return { ephemeral, text, buttons: Array.isArray(message.blocks) ? buttonsOf(message.blocks) : [] };
}

function buttonsOf(blocks: readonly unknown[]): ReplyButton[] {
  return blocks.flatMap((block) =>
    isRecord(block) && block.type === 'actions' && Array.isArray(block.elements)
      ? block.elements.filter(isRecord).flatMap((element) =>
          element.type === 'button' && typeof element.action_id === 'string'
            ? [
                {
                  actionId: element.action_id,
                  label: isRecord(element.text) ? String(element.text.text) : element.action_id,
                  value: typeof element.value === 'string' ? element.value : undefined,
                  blockId: typeof block.block_id === 'string' ? block.block_id : undefined,
                },
              ]
            : [],
        )
      : [],
  );
}

function blocksText(blocks: readonly unknown[], options: ReadOptions): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    if (block.type === 'divider') {
      parts.push('――――――――');
      continue;
    }
    const texts: unknown[] = [block.text, ...(Array.isArray(block.fields) ? block.fields : [])];
    if (Array.isArray(block.elements)) texts.push(...block.elements);
    for (const candidate of texts) {
      if (isRecord(candidate) && typeof candidate.text === 'string') {
        parts.push(candidate.type === 'plain_text' ? candidate.text : mrkdwnToText(candidate.text, options));
      }
    }
  }
  return parts.join('\n');
}

/** Turns mrkdwn into the text a reader sees. Code keeps its content verbatim; only entities are decoded in it. */
export function mrkdwnToText(text: string, options: ReadOptions = {}): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(CODE_BLOCK)) {
    out += readInline(text.slice(last, match.index), options);
    out += decodeEntities((match[1] ?? '').replace(ZERO_WIDTH_SPACE, ''));
    last = match.index + match[0].length;
  }
  return out + readInline(text.slice(last), options);
}

function readInline(text: string, options: ReadOptions): string {
  return decodeEntities(
    text.replace(ZERO_WIDTH_SPACE, '').replace(ENTITY_TOKEN, (_token, inner: string) => readToken(inner, options)),
  );
}

/** One `<…>` token: a mention, a channel, a special mention, a date or a link. */
function readToken(inner: string, options: ReadOptions): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) return `@${label ?? options.userNames?.[target.slice(1)] ?? target.slice(1)}`;
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  if (target.startsWith('!date^')) return readDate(target, label, options);
  if (target.startsWith('!subteam^')) return label ?? '@group';
  if (target.startsWith('!')) return `@${target.slice(1)}`;
  return label === undefined || label === target ? target : `${label} (${target})`;
}

/** `<!date^1700000000^{date_short} at {time}|fallback>` in the reader's time zone. */
function readDate(target: string, fallback: string | undefined, options: ReadOptions): string {
  const [, seconds = '', format = ''] = target.split('^');
  const date = /^\d{1,12}$/.test(seconds) ? new Date(Number(seconds) * 1000) : undefined;
  if (date === undefined) return fallback ?? target;
  const timeZone = options.timeZone;
  const part = (formatOptions: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-US', { timeZone, ...formatOptions }).format(date);
  let unknown = false;
  const text = format.replace(/\{(\w+)\}/g, (_match, token: string) => {
    switch (token) {
      case 'date_num':
        return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
          date,
        );
      case 'date':
      case 'date_pretty':
        return part({ year: 'numeric', month: 'long', day: 'numeric' });
      case 'date_short':
      case 'date_short_pretty':
        return part({ year: 'numeric', month: 'short', day: 'numeric' });
      case 'date_long':
      case 'date_long_pretty':
        return part({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
      case 'time':
        return part({ hour: 'numeric', minute: '2-digit' });
      case 'time_secs':
        return part({ hour: 'numeric', minute: '2-digit', second: '2-digit' });
      case 'ago':
        return ago(date, options.now ?? new Date());
      default:
        unknown = true;
        return '';
    }
  });
  return unknown || format === '' ? (fallback ?? date.toISOString()) : text;
}

function ago(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return format.format(-Math.round(seconds / size), unit);
  return 'just now';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
