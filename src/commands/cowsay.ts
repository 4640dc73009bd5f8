/**
 * `/cowsay`: the text as Slack sent it → `cowsay/` parses and renders → a Slack reply. The cow goes to the
 * channel; help, the cow list and every problem answer only the caller.
 */
import type { CowCatalog } from '../cowsay/cows.js';
import { MAX_COLUMNS, MAX_TEXT_CHARS, MIN_COLUMNS } from '../cowsay/limits.js';
import { MODE_LETTERS, MODES, parseCowsayCommand } from '../cowsay/options.js';
import { explainCowsayProblem, type Markup } from '../cowsay/problems.js';
import { renderCow } from '../cowsay/render.js';
import { decodeEntities, ephemeral, inChannelCodeBlock, inertText, type SlashCommandReply } from '../slack/format.js';
import type { CommandDependencies, Router } from './router.js';

export const COWSAY_USAGE = [
  '*Usage:* `/cowsay [options] &lt;text&gt;` — the cow says your text in the channel.',
  '',
  '`-f NAME` pick a cow (`/cowsay list` shows them) · `-r` a random cow',
  '`-e EYES` `-T TONGUE` at most 2 columns each (one emoji, or two letters)',
  MODE_LETTERS.map((letter) => `\`-${letter}\` ${MODES[letter].name}`).join(' · '),
  '`--think` a thought bubble instead of speech',
  `\`-W N\` wrap at N columns (${MIN_COLUMNS}–${MAX_COLUMNS}, default 40) · \`-n\` keep your own line breaks only`,
  '`--` end of options, for text that starts with "-"',
  '',
  `Up to ${MAX_TEXT_CHARS} characters. Example: \`/cowsay -f dragon -W 30 Here be dragons\``,
].join('\n');

const SLACK_MARKUP: Markup = {
  code: (text) => `\`${text}\``,
  cowList: 'See the cows with `/cowsay list`.',
  usage: 'See `/cowsay help`.',
};

const TOO_BIG_FOR_SLACK =
  'That cow is too big for one Slack message. Try shorter text, a smaller cow, or a wider `-W` for fewer lines.';

/** The reply to `/cowsay <text>`, where `text` is exactly what Slack sent (entities still encoded). */
export function cowsayReply(slackText: string, catalog: CowCatalog, random?: () => number): SlashCommandReply {
  const command = parseCowsayCommand(decodeEntities(slackText), catalog);
  switch (command.kind) {
    case 'help':
      return ephemeral(
        command.reason === 'no-text'
          ? `Say something after the options, e.g. \`/cowsay -f dragon hello\`.\n\n${COWSAY_USAGE}`
          : COWSAY_USAGE,
      );
    case 'list':
      return ephemeral(`*Cows:* ${catalog.names.map((name) => `\`${name}\``).join(' ')}`);
    case 'invalid':
      return ephemeral(inertText(explainCowsayProblem(command.problem, SLACK_MARKUP)));
    case 'say': {
      const rendered = renderCow(catalog, command.text, command.options, random);
      if (!rendered.ok) return ephemeral(inertText(explainCowsayProblem(rendered.error, SLACK_MARKUP)));
      const { cow, cowName, text } = rendered.value;
      return inChannelCodeBlock(cow, `${cowName} says: ${text}`) ?? ephemeral(TOO_BIG_FOR_SLACK);
    }
  }
}

export function registerCowsay(router: Router, { catalog }: CommandDependencies): void {
  router.command('/cowsay', async ({ command, ack }) => {
    await ack(cowsayReply(command.text ?? '', catalog));
  });
}
