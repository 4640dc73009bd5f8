/**
 * Why a cow cannot be drawn, as data, and the one wording of each reason. The wording takes its markup from
 * the caller, so `/cowsay` (Slack mrkdwn) and `GET /say` (plain text) say the same sentence each in its own form.
 */
import { shorten } from '../text/shorten.js';
import { MAX_COLUMNS, MAX_FACE_COLUMNS, MAX_OUTPUT_CHARS, MAX_TEXT_CHARS, MIN_COLUMNS } from './limits.js';

export type CowsayProblem =
  | { kind: 'unknown-cow'; name: string; suggestion: string | undefined }
  | { kind: 'bad-face'; part: 'eyes' | 'tongue'; value: string }
  | { kind: 'bad-columns'; value: string }
  | { kind: 'unknown-option'; option: string; suggestion: string | undefined }
  | { kind: 'missing-value'; option: string }
  | { kind: 'cow-and-random' }
  | { kind: 'fortune-and-text' }
  | { kind: 'text-too-long' }
  | { kind: 'nothing-to-say' }
  | { kind: 'cow-too-big' };

export interface Markup {
  /** Something the user can type: in backticks for Slack, in quotes on the web. */
  code(text: string): string;
  /** A sentence saying where the cow names are listed. */
  cowList: string;
  /** A sentence saying where the usage is. */
  usage: string;
}

/** User input quoted in a sentence: bounded, on one line, nothing invisible. */
export function quote(value: string): string {
  return `"${shorten(value, 40)}"`;
}

export function explainCowsayProblem(problem: CowsayProblem, markup: Markup): string {
  switch (problem.kind) {
    case 'unknown-cow':
      return problem.suggestion === undefined
        ? `There is no cow called ${quote(problem.name)}. ${markup.cowList}`
        : `There is no cow called ${quote(problem.name)}. Did you mean ${markup.code(problem.suggestion)}?`;
    case 'bad-face':
      return (
        `The ${problem.part} must be 1 or 2 visible characters taking at most ${MAX_FACE_COLUMNS} columns, ` +
        `such as "^^" or one emoji (got ${quote(problem.value)}).`
      );
    case 'bad-columns':
      return `The wrap width must be a whole number from ${MIN_COLUMNS} to ${MAX_COLUMNS} (got ${quote(problem.value)}).`;
    case 'unknown-option': {
      const hint = problem.suggestion === undefined ? '' : ` Did you mean ${markup.code(problem.suggestion)}?`;
      return (
        `Unknown option ${quote(problem.option)}.${hint} To say text that starts with "-", put ` +
        `${markup.code('--')} before it. ${markup.usage}`
      );
    }
    case 'missing-value':
      return `Option ${problem.option} needs a value. ${markup.usage}`;
    case 'cow-and-random':
      return 'Choose a cow with -f or a random one with -r, not both.';
    case 'fortune-and-text':
      return 'Give your own text or ask for a fortune with -F, not both.';
    case 'text-too-long':
      return `That text is too long for a cow: the limit is ${MAX_TEXT_CHARS} characters.`;
    case 'nothing-to-say':
      return 'That text has no visible characters, so the cow would say nothing.';
    case 'cow-too-big':
      return `That cow would be too big (more than ${MAX_OUTPUT_CHARS} characters).`;
  }
}
