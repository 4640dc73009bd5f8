/**
 * `/cowsay`: parse the command text, render, format for Slack; registry.ts acks. The logic lives in `src/cowsay/`;
 * this file only knows how Slack delivers the text and how the answer has to look.
 */
import type { CowCatalog } from '../cowsay/cows.js';
import { MAX_COLUMNS, MAX_TEXT_CHARS, MIN_COLUMNS } from '../cowsay/limits.js';
import { parseCowsayCommand } from '../cowsay/options.js';
import { renderCow } from '../cowsay/render.js';
import { decodeEntities, ephemeral, inChannelCodeBlock, inertText, type SlashCommandReply } from '../slack/format.js';
import type { CommandHandler } from './registry.js';

export const COWSAY_USAGE = [
  '*Usage:* `/cowsay [options] &lt;text&gt;` — the cow says your text in the channel.',
  '',
  '`-f NAME` pick a cow (`/cowsay list` shows them) · `-r` a random cow',
  '`-e EYES` `-T TONGUE` at most 2 columns each (one emoji, or two letters)',
  '`-b` borg · `-d` dead · `-g` greedy · `-p` paranoid · `-s` stoned · `-t` tired · `-w` wired · `-y` youthful',
  '`--think` a thought bubble instead of speech',
  `\`-W N\` wrap at N columns (${MIN_COLUMNS}–${MAX_COLUMNS}, default 40) · \`-n\` keep your own line breaks only`,
  '`--` end of options, for text that starts with "-"',
  '',
  `Up to ${MAX_TEXT_CHARS} characters. Example: \`/cowsay -f dragon -W 30 Here be dragons\``,
].join('\n');

/** The reply to `/cowsay <text>`, where `text` is exactly what Slack sent (entities still encoded). */
export function cowsayReply(slackText: string, catalog: CowCatalog, random?: () => number): SlashCommandReply {
  const command = parseCowsayCommand(decodeEntities(slackText), catalog);
  switch (command.kind) {
    case 'help':
      return ephemeral(command.note === undefined ? COWSAY_USAGE : `${command.note}\n\n${COWSAY_USAGE}`);
    case 'list':
      return ephemeral(`*Cows:* ${catalog.names.map((name) => `\`${name}\``).join(' ')}`);
    case 'error':
      return ephemeral(inertText(command.message));
    case 'say': {
      const rendered = renderCow(catalog, command.text, command.options, random);
      if (!rendered.ok) return ephemeral(rendered.message);
      const reply = inChannelCodeBlock(rendered.cow, `${rendered.cowName} says: ${rendered.text}`);
      return (
        reply ??
        ephemeral(
          'That cow is too big for one Slack message. Try shorter text, a smaller cow, or a wider `-W` for fewer lines.',
        )
      );
    }
  }
}

export function createCowsayCommand(catalog: CowCatalog): CommandHandler {
  return (command) => cowsayReply(command.text ?? '', catalog);
}
