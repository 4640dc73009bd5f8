/**
 * `/cowsay`: the text as Slack sent it → `cowsay/` parses and renders → a Slack reply. The cow goes to the
 * channel; help, the cow list and every problem answer only the caller.
 */
import type { CowCatalog } from '../cowsay/cows.js';
import { builtInFortunes, type Fortunes } from '../cowsay/fortunes.js';
import { MAX_COLUMNS, MAX_TEXT_CHARS, MIN_COLUMNS } from '../cowsay/limits.js';
import { MODE_LETTERS, MODES, parseCowsayCommand } from '../cowsay/options.js';
import { renderCow } from '../cowsay/render.js';
import { noteOutcome } from '../observability/request-context.js';
import { type CommandReply, decodeEntities, ephemeral, inChannelCodeBlock } from '../slack/format.js';
import { previewReply } from './preview.js';
import type { CommandDependencies, Router } from './router.js';
import { explainForSlack } from './slack-markup.js';

export const COWSAY_USAGE = [
  '*Usage:* `/cowsay [options] &lt;text&gt;` — the cow says your text in the channel.',
  '',
  '`-f NAME` pick a cow (`/cowsay list` shows them) · `-r` a random cow',
  '`-e EYES` `-T TONGUE` at most 2 columns each (one emoji, or two letters)',
  MODE_LETTERS.map((letter) => `\`-${letter}\` ${MODES[letter].name}`).join(' · '),
  '`--think` a thought bubble instead of speech',
  '`-F` (`--fortune`) the cow says a fortune instead of your text',
  '`-P` (`--preview`) see the cow first, only you, with *Send*, *Shuffle* (another random cow) and *Cancel*',
  `\`-W N\` wrap at N columns (${MIN_COLUMNS}–${MAX_COLUMNS}, default 40) · \`-n\` keep your own line breaks only`,
  '`--` end of options, for text that starts with "-"',
  '',
  `Up to ${MAX_TEXT_CHARS} characters. Examples: \`/cowsay -f dragon -W 30 Here be dragons\` · \`/cowsay -P -r -F\``,
  'On any message, *More actions → Cowsay this* makes the cow say it (in its thread when the app has a bot token).',
].join('\n');

export interface CowsayReplyOptions {
  /** Where `-F` draws from (default: the built-in fortunes). */
  fortunes?: Fortunes;
  /** Picks `-r`'s cow and `-F`'s fortune; tests pass their own. */
  random?: () => number;
}

const TOO_BIG_FOR_SLACK =
  'That cow is too big for one Slack message. Try shorter text, a smaller cow, or a wider `-W` for fewer lines.';

/** The reply to `/cowsay <text>`, where `text` is exactly what Slack sent (entities still encoded). */
export function cowsayReply(slackText: string, catalog: CowCatalog, options: CowsayReplyOptions = {}): CommandReply {
  const { random, fortunes = builtInFortunes() } = options;
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
      noteOutcome('user_error');
      return ephemeral(explainForSlack(command.problem));
    case 'say': {
      const text = command.fortune ? fortunes.pick(random) : command.text;
      if (command.preview) return previewReply(catalog, { text, options: command.options }, random);
      const rendered = renderCow(catalog, text, command.options, random);
      if (!rendered.ok) {
        noteOutcome('user_error');
        return ephemeral(explainForSlack(rendered.error));
      }
      const { cow, cowName } = rendered.value;
      return inChannelCodeBlock(cow, `${cowName} says: ${rendered.value.text}`) ?? ephemeral(TOO_BIG_FOR_SLACK);
    }
  }
}

export function registerCowsay(router: Router, { catalog, fortunes }: CommandDependencies): void {
  router.command('/cowsay', async ({ command, ack }) => {
    await ack(cowsayReply(command.text ?? '', catalog, { fortunes }));
  });
}
