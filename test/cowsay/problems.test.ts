/**
 * Each reason a cow cannot be drawn has one wording; Slack and the web differ only in the markup they pass.
 */
import { type CowsayProblem, explainCowsayProblem, type Markup } from '../../src/cowsay/problems.js';

const slack: Markup = { code: (text) => `\`${text}\``, cowList: 'See `/cowsay list`.', usage: 'See `/cowsay help`.' };
const web: Markup = { code: (text) => `"${text}"`, cowList: 'See GET /.', usage: 'See GET /.' };

describe('explainCowsayProblem', () => {
  it.each<[CowsayProblem, string, string]>([
    [
      { kind: 'unknown-cow', name: 'dragn', suggestion: 'dragon' },
      'There is no cow called "dragn". Did you mean `dragon`?',
      'There is no cow called "dragn". Did you mean "dragon"?',
    ],
    [
      { kind: 'unknown-cow', name: 'zzz', suggestion: undefined },
      'There is no cow called "zzz". See `/cowsay list`.',
      'There is no cow called "zzz". See GET /.',
    ],
    [
      { kind: 'unknown-option', option: '--thnik', suggestion: '--think' },
      'Unknown option "--thnik". Did you mean `--think`? To say text that starts with "-", put `--` before it. See `/cowsay help`.',
      'Unknown option "--thnik". Did you mean "--think"? To say text that starts with "-", put "--" before it. See GET /.',
    ],
    [
      { kind: 'text-too-long' },
      'That text is too long for a cow: the limit is 2000 characters.',
      'That text is too long for a cow: the limit is 2000 characters.',
    ],
    [
      { kind: 'bad-columns', value: '5' },
      'The wrap width must be a whole number from 10 to 80 (got "5").',
      'The wrap width must be a whole number from 10 to 80 (got "5").',
    ],
  ])('words %j for Slack and for the web', (problem, forSlack, forWeb) => {
    expect(explainCowsayProblem(problem, slack)).toBe(forSlack);
    expect(explainCowsayProblem(problem, web)).toBe(forWeb);
  });

  it('quotes what the user typed on one line, bounded, without controls', () => {
    const sentence = explainCowsayProblem(
      { kind: 'bad-face', part: 'eyes', value: `\u202e${'x\n'.repeat(5000)}` },
      web,
    );
    expect(sentence.length).toBeLessThan(200);
    expect(sentence).not.toMatch(/[\n\u202e]/);
  });
});
