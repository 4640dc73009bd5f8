/**
 * The speech (or thought) balloon, drawn like the classic cowsay: borders padded by display width, so
 * lines with CJK or emoji line up. (npm `cowsay` counts an emoji as one column, so we draw the balloon.)
 */
import { displayWidth } from './text.js';

export function drawBalloon(lines: readonly string[], think: boolean): string {
  const widths = lines.map(displayWidth);
  const inner = widths.reduce((max, width) => Math.max(max, width), 0);
  const row = (left: string, index: number, right: string) =>
    `${left} ${lines[index] ?? ''}${' '.repeat(inner - (widths[index] ?? 0))} ${right}`;

  const rows = [` ${'_'.repeat(inner + 2)}`];
  const last = lines.length - 1;
  if (think) {
    for (let index = 0; index <= last; index++) rows.push(row('(', index, ')'));
  } else if (lines.length < 2) {
    rows.push(row('<', 0, '>'));
  } else {
    rows.push(row('/', 0, '\\'));
    for (let index = 1; index < last; index++) rows.push(row('|', index, '|'));
    rows.push(row('\\', last, '/'));
  }
  rows.push(` ${'-'.repeat(inner + 2)}`);
  return rows.join('\n');
}
