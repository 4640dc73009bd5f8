/**
 * Layout parity with the classic cowsay (see the README, /cowsay): every case in fixtures/classic-cowsay.json is
 * what Debian's cowsay printed (scripts/generate-cowsay-fixtures.mjs), and our renderer must print the same,
 * trailing white space on each line aside. Runs from the fixtures alone, so it needs no cowsay installed.
 */
import { readFileSync } from 'node:fs';
import type { CowCatalog } from '../../src/cowsay/cows.js';
import { MAX_COLUMNS, MIN_COLUMNS } from '../../src/cowsay/limits.js';
import { type CowsayOptions, parseCowsayCommand } from '../../src/cowsay/options.js';
import { renderCow } from '../../src/cowsay/render.js';
import { testCatalog } from '../helpers.js';

interface FixtureArgs {
  W?: number;
  f?: string;
  think?: boolean;
  modes?: string;
  e?: string;
  T?: string;
  n?: boolean;
}
interface FixtureCase {
  name: string;
  text: string;
  args: FixtureArgs;
  expected: string;
}
interface Fixture {
  classic: string;
  identicalCows: string[];
  sharedButDifferentCows: string[];
  cases: FixtureCase[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/classic-cowsay.json', import.meta.url), 'utf8')) as Fixture;

/** The classic flags spelled as a /cowsay user would type them. */
function commandLine(args: FixtureArgs): string {
  const words: string[] = [];
  if (args.W !== undefined) words.push('-W', String(args.W));
  if (args.f !== undefined) words.push('-f', args.f);
  if (args.modes !== undefined) words.push(`-${args.modes}`);
  if (args.e !== undefined) words.push('-e', args.e);
  if (args.T !== undefined) words.push('-T', args.T);
  if (args.n === true) words.push('-n');
  if (args.think === true) words.push('--think');
  return words.join(' ');
}

/** Options exactly as /cowsay would build them from the same flags. */
function optionsFor(testCase: FixtureCase, catalog: CowCatalog): CowsayOptions {
  const command = parseCowsayCommand(`${commandLine(testCase.args)} -- ${testCase.text}`, catalog);
  if (command.kind !== 'say') throw new Error(`/cowsay would not say this: ${JSON.stringify(command)}`);
  // Slack users cannot send leading white space (`--` eats it), so the renderer gets the text itself: the
  // classic cowsay keeps a leading space or blank line, and so must we.
  if (!/^\s/.test(testCase.text)) expect(command.text).toBe(testCase.text);
  return command.options;
}

/** Lines with trailing spaces dropped: the classic pads the balloon's last row, we may not. */
const lines = (output: string) =>
  output
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => line.replace(/ +$/, ''));

let catalog: CowCatalog;
beforeAll(async () => {
  catalog = await testCatalog();
});

describe('the fixture file', () => {
  test('comes from the classic cowsay and covers every wrap width', () => {
    expect(fixture.classic).toMatch(/^cowsay 3\./);
    const widths = new Set(fixture.cases.map((testCase) => testCase.args.W));
    for (let W = MIN_COLUMNS; W <= MAX_COLUMNS; W++) expect(widths).toContain(W);
    expect(fixture.cases.length).toBeGreaterThan(500);
  });

  test('lists the default cow as identical, and every identical cow is in our catalogue with cases', () => {
    expect(fixture.identicalCows).toContain('default');
    for (const name of fixture.identicalCows) {
      expect(catalog.resolve(name)).toBe(name);
      expect(fixture.cases.some((testCase) => testCase.args.f === name)).toBe(true);
    }
  });
});

describe('renderCow matches the classic cowsay', () => {
  test.each(fixture.cases.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    const rendered = renderCow(catalog, testCase.text, optionsFor(testCase, catalog));
    if (!rendered.ok) throw new Error(rendered.error.kind);
    expect(lines(rendered.value.cow)).toEqual(lines(testCase.expected));
  });
});
