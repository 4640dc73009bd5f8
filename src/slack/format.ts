/** Slack's text on the wire: entities, mrkdwn escaping, reply shapes and limits. https://docs.slack.dev/messaging/formatting-message-text#escaping */

/** A section block's text field holds at most 3,000 characters. https://docs.slack.dev/reference/block-kit/blocks/section-block */
export const SECTION_TEXT_LIMIT = 3000;
/** Slack truncates a message's top-level `text` past 40,000 characters. https://docs.slack.dev/reference/methods/chat.postMessage */
export const MESSAGE_TEXT_LIMIT = 40_000;

const ZERO_WIDTH_SPACE = '\u200b';
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const CHARACTERS: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

export function encodeEntities(text: string): string {
  return text.replace(/[&<>]/g, (char) => ENTITIES[char] ?? char);
}

/** One pass, so `&amp;lt;` (a user who typed `&lt;`) becomes `&lt;`, not `<`. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => CHARACTERS[entity] ?? entity);
}

/**
 * User text that can neither mention (`<!channel>`, `<@U123>`), link, nor open or close code: entities encoded,
 * and a zero-width space between backticks in a run. A zero-width space takes no column, so art keeps its shape.
 */
export function inertText(text: string): string {
  return encodeEntities(text).replace(/`(?=`)/g, `\`${ZERO_WIDTH_SPACE}`);
}

export function codeBlock(text: string): string {
  return `\`\`\`\n${inertText(text)}\n\`\`\``;
}

export interface SlashCommandReply {
  response_type: 'in_channel' | 'ephemeral';
  text: string;
  blocks?: Array<{ type: 'section'; text: { type: 'mrkdwn'; text: string } }>;
}

/** A Block Kit block, as JSON. https://docs.slack.dev/reference/block-kit/blocks */
export type Block = Readonly<Record<string, unknown>>;

/** Any reply to a slash command, buttons included. */
export interface CommandReply {
  response_type: 'in_channel' | 'ephemeral';
  text: string;
  blocks?: readonly Block[];
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

/** What a user sees when their command failed on our side; the id lets an operator find the log line. */
export function somethingWentWrong(requestId: string): SlashCommandReply {
  return ephemeral(
    `Something went wrong on our side, sorry. Try again in a moment. (request id: ${inertText(requestId)})`,
  );
}
