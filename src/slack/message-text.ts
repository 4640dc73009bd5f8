/**
 * A Slack message's `text` as its readers see it, as plain text: `<@U123|ann>` → `@ann`, `<#C1|general>` →
 * `#general`, `<!here>` → `@here`, `<https://x|label>` → `label`, dates as their fallback, and `&amp; &lt; &gt;`
 * decoded. What comes out is inert: `@here` without its brackets mentions nobody, and every reply escapes it
 * again anyway. https://docs.slack.dev/messaging/formatting-message-text
 */
import { decodeEntities } from './format.js';

const TOKEN = /<([^<>\n]*)>/g;
const SPECIAL_MENTIONS = new Set(['here', 'channel', 'everyone']);

export function readableMessageText(text: string): string {
  return decodeEntities(text.replace(TOKEN, (_token, inner: string) => readToken(inner)));
}

function readToken(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 || bar === inner.length - 1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  // Special mentions (`!here`), user groups (`!subteam^S1|@team`) and dates (`!date^…|fallback`).
  if (target.startsWith('!')) {
    const name = target.slice(1).split('^', 1)[0] ?? '';
    return label ?? (SPECIAL_MENTIONS.has(name) ? `@${name}` : name);
  }
  return label ?? target.replace(/^mailto:/, '');
}
