/**
 * Slack's wire format for text: entity decoding on the way in, mrkdwn escaping and limits on the way out.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */

/** A section block's text field holds at most 3,000 characters. https://docs.slack.dev/reference/block-kit/blocks/section-block */
export const SECTION_TEXT_LIMIT = 3000;
/** Slack truncates a message's top-level `text` past 40,000 characters. https://docs.slack.dev/reference/methods/chat.postMessage */
export const MESSAGE_TEXT_LIMIT = 40_000;
/** A message holds at most 50 blocks. */
export const MESSAGE_BLOCK_LIMIT = 50;

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Slack sends `&`, `<` and `>` in user text as `&amp;`, `&lt;` and `&gt;`. Decoding is a single pass, so
 * `&amp;lt;` (a user who typed `&lt;`) becomes `&lt;`, not `<`.
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_match, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

/** Escapes the three control characters, so `<!channel>`, `<@U123>` and `<https://x|y>` stay inert text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

/**
 * Wraps preformatted text in a mrkdwn code block. Text is escaped, and any run of backticks gets a
 * zero-width space between each backtick, so nothing inside can close the block early; zero-width
 * spaces take no column, so ASCII art keeps its alignment.
 */
export function codeBlock(text: string): string {
  return `\`\`\`\n${inertText(text)}\n\`\`\``;
}

/** Escaped text in which no run of backticks survives, so user text can neither mention nor open or close code. */
export function inertText(text: string): string {
  return escapeMrkdwn(text).replace(/`(?=`)/g, `\`${ZERO_WIDTH_SPACE}`);
}

export interface SlashCommandReply {
  response_type: 'in_channel' | 'ephemeral';
  text: string;
  blocks?: Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } }>;
}

export function ephemeral(text: string): SlashCommandReply {
  return { response_type: 'ephemeral', text };
}

/** A message of preformatted text, or `undefined` if Slack would reject or truncate it. */
export function inChannelCodeBlock(preformatted: string, fallback: string): SlashCommandReply | undefined {
  const block = codeBlock(preformatted);
  const text = inertText(fallback);
  if (block.length > SECTION_TEXT_LIMIT || text.length > MESSAGE_TEXT_LIMIT) return undefined;
  return { response_type: 'in_channel', text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: block } }] };
}
