/**
 * Line layout for the balloon, following the classic cowsay (Perl, Debian's `cowsay`), which fills each
 * paragraph with Text::Wrap at `-W` columns: white space runs collapse to one space, lines hold at most
 * W − 1 columns and break at spaces, and a word longer than a line is cut at the line's end.
 *
 * Where we part from it, on purpose (the README's /cowsay section lists them):
 * - the user's line breaks are kept (the original reflows all lines into one paragraph);
 * - lines are measured in display columns, not characters, so wide characters never overflow;
 * - a grapheme cluster (an emoji with modifiers, a flag, a letter with accents) is never split.
 */
import { displayWidth, type Grapheme, graphemes } from './text.js';

const TAB_STOP = 8;
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;
const WHITE_SPACE_RUN = /\p{White_Space}+/gu;

/** Splits text into the user's lines, normalising line endings and dropping trailing blank lines. */
export function splitLines(text: string): string[] {
  const lines = text.replace(LINE_BREAK, '\n').split('\n');
  while (lines.length > 1 && lines[lines.length - 1]?.trim() === '') lines.pop();
  return lines;
}

/** Lays out text for a balloon `columns` wide (cowsay's `-W`), or unwrapped when `columns` is `undefined` (`-n`). */
export function layoutText(text: string, columns: number | undefined): string[] {
  const lines = splitLines(text);
  if (columns === undefined) return lines.map(expandTabs);
  return lines.flatMap((line) => (line.trim() === '' ? [''] : fillParagraph(line, columns)));
}

/**
 * One paragraph the way Text::Wrap's `fill` lays it out with `$columns = columns`: greedily take the longest
 * run of at most `columns − 1` columns that is followed by a space (the space is consumed) or by the end; if
 * there is none, cut the run at the line's end. A space consumed after the last line stays on it, as in the
 * original.
 */
export function fillParagraph(paragraph: string, columns: number): string[] {
  const units = graphemes(paragraph.replace(WHITE_SPACE_RUN, ' '));
  const lineWidth = Math.max(1, columns - 1);
  const lines: string[] = [];
  let position = 0;
  let trailingSpace = '';

  while (!onlySpacesFrom(units, position)) {
    let fit = units[position]?.isSpace ? 0 : -1;
    let width = 0;
    let end = position;
    for (let count = 1; position + count <= units.length; count++) {
      width += units[position + count - 1]?.width ?? 0;
      if (width > lineWidth) break;
      end = position + count;
      if (position + count === units.length || units[position + count]?.isSpace) fit = count;
    }
    if (fit >= 0) {
      lines.push(join(units, position, position + fit));
      const breakAt = units[position + fit];
      trailingSpace = breakAt === undefined ? '' : breakAt.text;
      position = breakAt === undefined ? units.length : position + fit + 1;
    } else {
      // No break fits: cut the word. Always take at least one grapheme, even one wider than the line.
      const cut = Math.max(end, position + 1);
      lines.push(join(units, position, cut));
      trailingSpace = '';
      position = cut;
    }
  }

  if (lines.length === 0) return [join(units, 0, units.length)];
  lines[lines.length - 1] += trailingSpace;
  return lines;
}

function onlySpacesFrom(units: readonly Grapheme[], position: number): boolean {
  for (let index = position; index < units.length; index++) if (!units[index]?.isSpace) return false;
  return true;
}

function join(units: readonly Grapheme[], start: number, end: number): string {
  let text = '';
  for (let index = start; index < end; index++) text += units[index]?.text ?? '';
  return text;
}

/** Expands tabs to the next multiple of 8 display columns, as Text::Tabs does for `cowsay -n`. */
export function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let result = '';
  let column = 0;
  for (const part of line.split(/(\t)/)) {
    if (part === '\t') {
      const pad = TAB_STOP - (column % TAB_STOP);
      result += ' '.repeat(pad);
      column += pad;
    } else {
      result += part;
      column += displayWidth(part);
    }
  }
  return result;
}
