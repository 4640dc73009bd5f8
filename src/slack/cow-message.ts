/**
 * A cow as a Slack message posted on someone's behalf (a preview sent, a message cowsaid): the art in a code
 * block, and a line saying who asked for it, since the app, not the person, is the message's author.
 */
import { type Block, codeBlock, inertText, MESSAGE_TEXT_LIMIT, SECTION_TEXT_LIMIT } from './format.js';
import { SLACK_ID } from './ids.js';

export interface CowMessage {
  text: string;
  blocks: Block[];
}

/**
 * The message, or `undefined` when the cow does not fit one section block. `fallback` (the notification text,
 * made from the renderer's cleaned text) and `via` are plain text; `by` is left out unless `userId` is a user id.
 */
export function cowMessage(
  cow: string,
  fallback: string,
  by?: { userId: string; via: string },
): CowMessage | undefined {
  const block = codeBlock(cow);
  const text = inertText(fallback);
  if (block.length > SECTION_TEXT_LIMIT || text.length > MESSAGE_TEXT_LIMIT) return undefined;
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: block } }];
  // Only a verified user id ever goes inside a `<@…>` mention.
  if (by !== undefined && SLACK_ID.user.test(by.userId)) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<@${by.userId}> via ${inertText(by.via)}` }] });
  }
  return { text, blocks };
}
