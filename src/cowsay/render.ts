/**
 * Renders a cow: text laid out by our wrapper, balloon drawn by us, cow art by npm `cowsay` from a name
 * the catalogue vouched for and a face we computed. Plain values in and out; no Slack, no HTTP.
 */

import { fail, ok, type Result } from '../result.js';
import { cleanText, showsNothing } from '../text/clean.js';
import { drawBalloon } from './balloon.js';
import type { CowCatalog, Face } from './cows.js';
import { MAX_OUTPUT_CHARS, MAX_TEXT_CHARS } from './limits.js';
import { type CowsayOptions, MODE_LETTERS, MODES } from './options.js';
import type { CowsayProblem } from './problems.js';
import { layoutText } from './wrap.js';

/** `text` is the text as the cow says it, cleaned: what a caller may show next to the cow. */
export type RenderResult = Result<{ cow: string; cowName: string; text: string }, CowsayProblem>;

export function faceFor(options: Pick<CowsayOptions, 'eyes' | 'tongue' | 'modes'>): Face {
  const face: Face = { eyes: options.eyes ?? 'oo', tongue: options.tongue ?? '  ' };
  for (const mode of MODE_LETTERS) if (options.modes.includes(mode)) Object.assign(face, MODES[mode].face);
  return face;
}

export function renderCow(
  catalog: CowCatalog,
  text: string,
  options: CowsayOptions,
  random: () => number = Math.random,
): RenderResult {
  const characters = countCodePoints(text, MAX_TEXT_CHARS + 1);
  if (characters > MAX_TEXT_CHARS) {
    return fail({ kind: 'text-too-long' });
  }
  const cowName = options.random
    ? (catalog.randomNames[Math.floor(random() * catalog.randomNames.length)] ?? 'default')
    : options.cow;
  const clean = cleanText(text);
  if (showsNothing(clean)) return fail({ kind: 'nothing-to-say' });
  const lines = layoutText(clean, options.columns);
  const cow = `${drawBalloon(lines, options.think)}\n${catalog.art(cowName, faceFor(options), options.think)}`;
  if (cow.length > MAX_OUTPUT_CHARS) {
    return fail({ kind: 'cow-too-big' });
  }
  return ok({ cow, cowName, text: clean });
}

function countCodePoints(text: string, stopAt: number): number {
  if (text.length < stopAt) return text.length - (text.match(/[\ud800-\udbff][\udc00-\udfff]/g)?.length ?? 0);
  let count = 0;
  for (const _ of text) if (++count >= stopAt) break;
  return count;
}
