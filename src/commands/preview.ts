/**
 * `/cowsay --preview`: the cow is shown to its author alone, with three buttons. Send posts it to the
 * conversation, saying who sent it, and removes the preview; Shuffle draws it again with another cow from the
 * `-r` set; Cancel removes it. After the preview everything goes through the interaction's `response_url`, so
 * no bot token is needed. The buttons carry the `/cowsay` arguments that make the cow shown, and a press parses
 * them again with the same checks as a typed command.
 * https://docs.slack.dev/interactivity/handling-user-interaction
 */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { CowCatalog } from '../cowsay/cows.js';
import { type CowsayOptions, formatCowsayArguments, OPTION, parseCowsayCommand } from '../cowsay/options.js';
import { renderCow } from '../cowsay/render.js';
import { cowMessage } from '../slack/cow-message.js';
import { type Block, type CommandReply, codeBlock, inertText, SECTION_TEXT_LIMIT } from '../slack/format.js';
import { postFailure } from './post-failure.js';
import type { CommandDependencies, Router } from './router.js';
import { explainForSlack } from './slack-markup.js';

export const PREVIEW_ACTIONS = {
  send: 'cowsay_preview_send',
  shuffle: 'cowsay_preview_shuffle',
  cancel: 'cowsay_preview_cancel',
} as const;
/** A button's `value` holds at most 2,000 characters. https://docs.slack.dev/reference/block-kit/block-elements/button-element */
export const BUTTON_VALUE_LIMIT = 2000;

type Made<T> = { ok: true; value: T } | { ok: false; error: string };

/** A cow to preview: `cowName` is the cow to draw (a random one already chosen), `text` as the user gave it. */
interface Said {
  text: string;
  options: CowsayOptions;
  cowName?: string;
}

/** The preview of `/cowsay -P …`, or why there is none, in the form a slash command answers. */
export function previewReply(catalog: CowCatalog, said: Said, random?: () => number): CommandReply {
  const preview = makePreview(catalog, said, random);
  return preview.ok
    ? { response_type: 'ephemeral', ...preview.value }
    : { response_type: 'ephemeral', text: preview.error };
}

function makePreview(catalog: CowCatalog, said: Said, random?: () => number): Made<{ text: string; blocks: Block[] }> {
  const options = said.cowName === undefined ? said.options : { ...said.options, cow: said.cowName, random: false };
  const rendered = renderCow(catalog, said.text, options, random);
  if (!rendered.ok) return { ok: false, error: explainForSlack(rendered.error) };
  const { cow, cowName } = rendered.value;
  const section = codeBlock(cow);
  if (section.length > SECTION_TEXT_LIMIT) {
    return { ok: false, error: 'That cow is too big for one Slack message. Try shorter text or a smaller cow.' };
  }
  const value = `${formatCowsayArguments(said.options, cowName)}${said.text}`;
  if (value.length > BUTTON_VALUE_LIMIT) {
    return {
      ok: false,
      error:
        `That text is too long to preview: a preview's buttons hold at most ${BUTTON_VALUE_LIMIT} characters of ` +
        'text and options. Send it without `-P`, or shorten it.',
    };
  }
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: section } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Only you can see this preview.' }] },
    {
      type: 'actions',
      block_id: 'cowsay_preview',
      elements: [
        button('Send', PREVIEW_ACTIONS.send, value, 'primary'),
        button('Shuffle', PREVIEW_ACTIONS.shuffle, value),
        button('Cancel', PREVIEW_ACTIONS.cancel),
      ],
    },
  ];
  return { ok: true, value: { text: inertText(`Preview: ${cowName} says: ${rendered.value.text}`), blocks } };
}

function button(label: string, actionId: string, value?: string, style?: 'primary'): Block {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label },
    ...(value === undefined ? {} : { value }),
    ...(style === undefined ? {} : { style }),
  };
}

/** What a Send or Shuffle button carries, checked again; `undefined` for anything a preview never made. */
export function readPreviewValue(value: unknown, catalog: CowCatalog): Required<Said> | undefined {
  if (typeof value !== 'string' || value.length > BUTTON_VALUE_LIMIT) return undefined;
  // Only the shape formatCowsayArguments writes: the cow named first, the options ended by `--` and a line break.
  if (!value.startsWith(`-${OPTION.cow} `) || !value.includes(' --\n')) return undefined;
  const command = parseCowsayCommand(value, catalog);
  if (command.kind !== 'say' || command.preview || command.fortune || command.options.random) return undefined;
  return { text: command.text, options: command.options, cowName: command.options.cow };
}

type PreviewDependencies = Pick<CommandDependencies, 'catalog' | 'outbound'>;

type ButtonPress = BlockAction<ButtonAction>;

const STALE = 'This preview can no longer be used. Run `/cowsay -P …` again.';

/**
 * One listener for the three buttons, matched by a pattern of their action ids: Bolt tries every listener on
 * every request, slash commands included, so each extra one costs all of them.
 */
export function registerPreview(router: Router, dependencies: CommandDependencies): void {
  const handlers: Readonly<Record<string, (press: ButtonPress, value: unknown) => Promise<unknown>>> = {
    [PREVIEW_ACTIONS.send]: (press, value) => sendPreview(press, value, dependencies),
    [PREVIEW_ACTIONS.shuffle]: (press, value) => shufflePreview(press, value, dependencies),
    [PREVIEW_ACTIONS.cancel]: (press) => dependencies.outbound.deleteOriginal(String(press.response_url)),
  };
  const ids = Object.values(PREVIEW_ACTIONS).join('|');
  router.action(new RegExp(`^(?:${ids})$`), async ({ ack, body, action }) => {
    // Acknowledged first: what follows is one or two calls to Slack, which may take most of its 3 seconds.
    await ack();
    if (body.type !== 'block_actions' || action.type !== 'button') return;
    const button = action as ButtonAction;
    await handlers[button.action_id]?.(body as ButtonPress, button.value);
  });
}

async function sendPreview(press: ButtonPress, value: unknown, { catalog, outbound }: PreviewDependencies) {
  const responseUrl = String(press.response_url);
  const said = readPreviewValue(value, catalog);
  const rendered = said === undefined ? undefined : renderCow(catalog, said.text, said.options);
  const message =
    rendered?.ok === true
      ? cowMessage(rendered.value.cow, `${rendered.value.cowName} says: ${rendered.value.text}`, {
          userId: String(press.user?.id),
          via: '/cowsay',
        })
      : undefined;
  if (message === undefined) return outbound.postEphemeral(responseUrl, { text: STALE });
  const posted = await outbound.postInChannel(responseUrl, message);
  if (!posted.ok) return outbound.postEphemeral(responseUrl, { text: postFailure(posted.error) });
  return outbound.deleteOriginal(responseUrl);
}

async function shufflePreview(press: ButtonPress, value: unknown, dependencies: PreviewDependencies) {
  const { catalog, outbound } = dependencies;
  const responseUrl = String(press.response_url);
  const said = readPreviewValue(value, catalog);
  if (said === undefined) return outbound.postEphemeral(responseUrl, { text: STALE });
  const others = catalog.randomNames.filter((name) => name !== said.cowName);
  const cowName = others[Math.floor(Math.random() * others.length)] ?? said.cowName;
  const preview = makePreview(catalog, { ...said, cowName });
  return preview.ok
    ? outbound.replaceOriginal(responseUrl, preview.value)
    : outbound.postEphemeral(responseUrl, { text: preview.error });
}
