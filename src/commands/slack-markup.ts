/**
 * Why a cow cannot be drawn, worded for Slack: what the user can type in backticks, pointing at `/cowsay list`
 * and `/cowsay help`, and escaped, since the reason may quote what they typed.
 */
import { type CowsayProblem, explainCowsayProblem, type Markup } from '../cowsay/problems.js';
import { inertText } from '../slack/format.js';

const SLACK_MARKUP: Markup = {
  code: (text) => `\`${text}\``,
  cowList: 'See the cows with `/cowsay list`.',
  usage: 'See `/cowsay help`.',
};

export function explainForSlack(problem: CowsayProblem): string {
  return inertText(explainCowsayProblem(problem, SLACK_MARKUP));
}
