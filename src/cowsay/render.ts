/**
 * Renders a cow: text laid out by our wrapper, balloon drawn by us, cow art by npm `cowsay` from a name
 * the catalogue vouched for and a face we computed. Plain values in and out; no Slack, no HTTP.
 */
import { cleanText, showsNothing } from '../text/clean.js';
import { drawBalloon } from './balloon.js';
import type { CowCatalog, Face } from './cows.js';
import { MAX_OUTPUT_CHARS, MAX_TEXT_CHARS } from './limits.js';
import type { CowsayOptions, Mode } from './options.js';
import { layoutText } from './wrap.js';

/** `text` is the text as the cow says it, cleaned: what a caller may show next to the cow. */
export type RenderResult = { ok: true; cow: string; cowName: string; text: string } | { ok: false; message: string };

/** What each mode does to the face, applied in the classic cowsay's order (later modes win). */
const MODE_FACES: Readonly<Record<Mode, Partial<Face>>> = {
  b: { eyes: '==' },
  d: { eyes: 'xx', tongue: 'U ' },
  g: { eyes: '$$' },
  p: { eyes: '@@' },
  s: { eyes: '**', tongue: 'U ' },
  t: { eyes: '--' },
  w: { eyes: 'OO' },
  y: { eyes: '..' },
};
const MODE_ORDER: readonly Mode[] = ['b', 'd', 'g', 'p', 's', 't', 'w', 'y'];

export function faceFor(options: Pick<CowsayOptions, 'eyes' | 'tongue' | 'modes'>): Face {
  const face: Face = { eyes: options.eyes ?? 'oo', tongue: options.tongue ?? '  ' };
  for (const mode of MODE_ORDER) if (options.modes.includes(mode)) Object.assign(face, MODE_FACES[mode]);
  return face;
}

const NOTHING_TO_SAY = 'That text has no visible characters, so the cow would say nothing.';

export function renderCow(
  catalog: CowCatalog,
  text: string,
  options: CowsayOptions,
  random: () => number = Math.random,
): RenderResult {
  const characters = countCodePoints(text, MAX_TEXT_CHARS + 1);
  if (characters > MAX_TEXT_CHARS) {
    return { ok: false, message: `That text is too long for a cow: the limit is ${MAX_TEXT_CHARS} characters.` };
  }
  const cowName = options.random
    ? (catalog.randomNames[Math.floor(random() * catalog.randomNames.length)] ?? 'default')
    : options.cow;
  const clean = cleanText(text);
  if (showsNothing(clean)) return { ok: false, message: NOTHING_TO_SAY };
  const lines = layoutText(clean, options.columns);
  const cow = `${drawBalloon(lines, options.think)}\n${catalog.art(cowName, faceFor(options), options.think)}`;
  if (cow.length > MAX_OUTPUT_CHARS) {
    return { ok: false, message: `That cow would be too big (more than ${MAX_OUTPUT_CHARS} characters).` };
  }
  return { ok: true, cow, cowName, text: clean };
}

function countCodePoints(text: string, stopAt: number): number {
  if (text.length < stopAt) return text.length - (text.match(/[\ud800-\udbff][\udc00-\udfff]/g)?.length ?? 0);
  let count = 0;
  for (const _ of text) if (++count >= stopAt) break;
  return count;
}
