#!/usr/bin/env node
/**
 * Regenerates test/cowsay/fixtures/classic-cowsay.json: what the classic cowsay (Debian's Perl `cowsay` and
 * `cowthink`, `apt-get install cowsay`) prints for a few hundred inputs, so test/cowsay/classic-parity.test.ts
 * can hold our renderer to it on machines without the classic program.
 *
 *   node scripts/generate-cowsay-fixtures.mjs [--cowsay PATH] [--cowthink PATH] [--out PATH]
 *
 * The programs default to $COWSAY / $COWTHINK, then /usr/games/cowsay and the `cowthink` beside it (cowthink
 * is cowsay under another name: it draws a thought balloon because its $0 contains "think").
 *
 * Filled text is single-paragraph only: the original reflows line breaks into one paragraph, we keep them
 * (README, /cowsay). Wide characters only appear in text that fits on one line, where wrapping by
 * characters (the original) and by display columns (us) agree. With -n the original keeps the lines as we do,
 * so a few -n cases have several; none ends in blank lines (we drop those) or puts a tab after a wide
 * character (the original finds the tab stop by characters, we by columns). The inputs come from a seeded
 * generator, so running this again against the same cowsay writes the same file.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cowsay from 'cowsay';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (index >= 0 && value === undefined) throw new Error(`--${name} needs a value`);
  return value ?? fallback;
}

const COWSAY = option('cowsay', process.env.COWSAY ?? '/usr/games/cowsay');
const COWTHINK = option('cowthink', process.env.COWTHINK ?? join(dirname(COWSAY), 'cowthink'));
const OUT = option('out', join(root, 'test/cowsay/fixtures/classic-cowsay.json'));

// The locale the product rule names; the rest of the caller's environment (COWPATH above all) stays out.
const CHILD_ENV = { LC_ALL: 'C.UTF-8', PATH: process.env.PATH ?? '/usr/bin:/bin' };

function run(program, argv, input) {
  const result = spawnSync(program, argv, { input, env: CHILD_ENV, encoding: 'utf8' });
  if (result.error) throw new Error(`${program}: ${result.error.message}`);
  return result;
}

function classic(text, args) {
  const argv = [];
  if (args.W !== undefined) argv.push('-W', String(args.W));
  if (args.f !== undefined) argv.push('-f', args.f);
  if (args.modes !== undefined) argv.push(`-${args.modes}`);
  if (args.e !== undefined) argv.push('-e', args.e);
  if (args.T !== undefined) argv.push('-T', args.T);
  if (args.n) argv.push('-n');
  const result = run(args.think ? COWTHINK : COWSAY, argv, text);
  if (result.status !== 0 || result.stderr !== '') {
    throw new Error(`cowsay ${argv.join(' ')} <<< ${JSON.stringify(text)} failed: ${result.stderr}`);
  }
  return result.stdout;
}

function classicVersion() {
  // `-h` prints the usage, version included, to stderr and exits 2.
  const match = /version ([\w.+-]+)/.exec(run(COWSAY, ['-h'], '').stderr);
  if (match === null) throw new Error(`${COWSAY} does not look like the classic cowsay`);
  return `cowsay ${match[1]}`;
}

// ---- Which cows both programs draw alike ----------------------------------------------------------------

const trimLines = (text) =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');
/** The art below a one-line balloon (three rows in both programs). */
const artOf = (output) => trimLines(output.split('\n').slice(3).join('\n'));

const PROBE_TEXT = 'probe';
/** Faces that show whether a cow file draws the eyes, tongue and thoughts where the other one does. */
const PROBE_FACES = [
  { e: 'oo', T: '  ' },
  { e: 'Aa', T: 'Bb' },
];

function classicCowNames() {
  const listed = run(COWSAY, ['-l'], '');
  if (listed.status !== 0) throw new Error(`cowsay -l failed: ${listed.stderr}`);
  return listed.stdout
    .split('\n')
    .filter((line) => !line.startsWith('Cow files in '))
    .flatMap((line) => line.split(/\s+/))
    .filter((name) => name !== '')
    .sort();
}

function npmArt(name, face, think) {
  const options = { text: PROBE_TEXT, f: name, e: face.e, T: face.T, n: true };
  return artOf(think ? cowsay.think(options) : cowsay.say(options));
}

/** npm cowsay's names, listed the way src/cowsay/cows.ts lists them. */
function npmCowNames() {
  return new Promise((resolve, reject) => {
    cowsay.list((error, names) => (error ? reject(error) : resolve(names))).catch(() => {});
  });
}

async function identicalCows() {
  const npmNames = new Set(await npmCowNames());
  const shared = classicCowNames().filter((name) => npmNames.has(name));
  const identical = [];
  for (const name of shared) {
    const same = [false, true].every((think) =>
      PROBE_FACES.every(
        (face) => artOf(classic(PROBE_TEXT, { f: name, e: face.e, T: face.T, think })) === npmArt(name, face, think),
      ),
    );
    if (same) identical.push(name);
  }
  return { shared, identical };
}

// ---- Seeded inputs ---------------------------------------------------------------------------------------

/** mulberry32: small, seedable, and the same on every Node version. */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(0xc0ffee);
const int = (min, max) => min + Math.floor(random() * (max - min + 1));
const pick = (items) => items[Math.floor(random() * items.length)];

const WORDS = (
  'the quick brown fox jumps over lazy dog moo cow says hello world slack channel message text wrap ' +
  'balloon udder pasture grass milk barn farmer tractor field a I an of to in is it on at by'
).split(' ');
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const PUNCTUATION = [
  '&',
  '<b>',
  '*bold*',
  '_italic_',
  '~strike~',
  '`code`',
  '```',
  '<!channel>',
  '<@U0123>',
  '<https://example.com|link>',
  'a&amp;b',
  '"quoted"',
  "it's",
  '(paren)',
  '[x]',
  '{y}',
  '$HOME',
  '100%',
  '#tag',
  '@here',
  'back\\slash',
  '^caret^',
  '|pipe|',
  '>quote',
  '--',
  '-n',
  '...',
  '?!',
];
/** Narrow non-ASCII: one column per character in both programs' measure (combining marks take none). */
const NARROW = [
  'café',
  'naïve',
  'Ångström',
  'façade',
  'résumé',
  'cafe\u0301',
  're\u0301sume\u0301',
  'n\u0303o',
  'Zo\u0308e',
  'Ελληνικά',
  'Русский',
  'Żółć',
  'œuvre',
  'straße',
  'señor',
  '½°±§',
  'ﬁne',
  'a\u0323\u0302',
];

const letters = (length) => Array.from({ length }, () => pick(LETTERS)).join('');
function randomWord(columns) {
  const roll = random();
  if (roll < 0.55) return pick(WORDS);
  if (roll < 0.85) return letters(int(1, 9));
  if (roll < 0.95) return letters(int(10, Math.max(10, columns - 2)));
  return letters(int(columns - 1, columns * 2 + 3));
}
const randomWords = (count, columns, word = randomWord) => Array.from({ length: count }, () => word(columns)).join(' ');

// ---- Cases ----------------------------------------------------------------------------------------------

const cases = [];
const names = new Set();
function add(name, text, args = {}) {
  if (names.has(name)) throw new Error(`duplicate case name: ${name}`);
  names.add(name);
  cases.push({ name, text, args, expected: classic(text, args) });
}

const MIN_W = 10;
const MAX_W = 80;
const MODES = ['b', 'd', 'g', 'p', 's', 't', 'w', 'y'];

function addAll(identical) {
  for (let W = MIN_W; W <= MAX_W; W++) {
    add(`random words, W=${W}, short`, randomWords(int(2, 8), W), { W });
    add(`random words, W=${W}, long`, randomWords(int(10, 40), W), { W });
    add(`random words, W=${W}, many`, randomWords(int(40, 80), W), { W });
  }
  for (const count of [1, 5, 20, 60]) add(`random words, default W, ${count} words`, randomWords(count, 40));

  for (let W = MIN_W; W <= MAX_W; W++) {
    for (const [delta, label] of [
      [-1, 'W-1'],
      [0, 'W'],
      [1, 'W+1'],
    ]) {
      add(`one word of ${label} letters, W=${W}`, letters(W + delta), { W });
    }
  }
  for (const W of [10, 11, 12, 13, 20, 33, 39, 40, 41, 64, 78, 79, 80]) {
    add(`W-1 word between short ones, W=${W}`, `ab ${letters(W - 1)} cd`, { W });
    add(`W word between short ones, W=${W}`, `ab ${letters(W)} cd`, { W });
    add(`line filled to W-1 exactly, W=${W}`, `${letters(W - 5)} abc ${letters(3)}`, { W });
    add(`line one past W-1, W=${W}`, `${letters(W - 4)} abc ${letters(3)}`, { W });
    add(`two words of W/2, W=${W}`, `${letters(Math.floor(W / 2))} ${letters(Math.floor(W / 2))} x`, { W });
    add(`word cut three times, W=${W}`, `go ${letters(3 * (W - 1) + 2)} stop`, { W });
    add(`cut word then spaces, W=${W}`, `${letters(W + 3)} ${letters(W - 3)} ${letters(2)}`, { W });
  }

  const spacing = [
    ['leading space', ' hello world'],
    ['leading spaces', '    hello world'],
    ['trailing space', 'hello world '],
    ['trailing spaces', 'hello world     '],
    ['leading and trailing spaces', '   hello world   '],
    ['runs of spaces', 'a  b   c    d     e'],
    ['tab between words', 'hello\tworld'],
    ['tabs and spaces', 'hello \t \t world\t\tagain'],
    ['leading tab', '\thello world'],
    ['trailing tab', 'hello world\t'],
    ['no-break spaces', 'a\u00a0\u00a0b c'],
    ['ideographic space', 'a\u3000b'],
    ['vertical tab and form feed', 'a\u000bb\u000cc'],
    ['next line (NEL)', 'a\u0085b'],
  ];
  for (const [name, text] of spacing) add(`${name}, default W`, text);
  for (const W of [10, 15, 23, 40, 61]) {
    add(`leading spaces then long word, W=${W}`, `   ${letters(W + 5)} end`, { W });
    add(`leading space then words, W=${W}`, ` ${randomWords(20, W)}`, { W });
    add(`trailing spaces after words, W=${W}`, `${randomWords(15, W)}   `, { W });
    add(`line ending exactly before trailing space, W=${W}`, `${letters(W - 1)} `, { W });
    add(
      `spaces and tabs everywhere, W=${W}`,
      randomWords(25, W).replace(/ /g, () => pick([' ', '  ', '\t', ' \t '])),
      {
        W,
      },
    );
  }

  for (let index = 0; index < 12; index++) {
    const W = int(MIN_W, MAX_W);
    add(
      `punctuation and mrkdwn #${index + 1}, W=${W}`,
      randomWords(int(5, 30), W, () => pick(PUNCTUATION)),
      { W },
    );
  }
  add('all the mrkdwn characters, default W', PUNCTUATION.join(' '));

  for (let index = 0; index < 15; index++) {
    const W = int(MIN_W, MAX_W);
    const word = () => (random() < 0.5 ? pick(NARROW) : pick(WORDS));
    add(`narrow non-ASCII #${index + 1}, W=${W}`, randomWords(int(3, 30), W, word), { W });
  }
  add('combining marks on a cut word, W=10', 'e\u0301'.repeat(25), { W: 10 });
  add('precomposed accents on a cut word, W=12', 'é'.repeat(30), { W: 12 });

  const wide = ['日本語', 'こんにちは', '한국어', 'ＡＢＣ', '世界', '😀', '🐄', '🎉🚀', '🇯🇵', '中文字符'];
  for (let index = 0; index < 16; index++) {
    const parts = Array.from({ length: int(1, 4) }, () => (random() < 0.6 ? pick(wide) : pick(WORDS)));
    const text = parts.join(' ');
    // No character takes more than two columns, so at this W the text fits on one line by either measure.
    const W = Math.max(MIN_W, 2 * Array.from(text).length + 1 + int(0, 10));
    if (W > MAX_W) throw new Error(`wide text too long for one line: ${text}`);
    add(`wide text on one line #${index + 1}, W=${W}`, text, { W });
  }
  add('wide text on one line, default W', '日本語のテキスト 😀');

  for (const f of identical) {
    add(`cow ${f}`, 'Hello from the pasture!', { f });
    add(`cow ${f}, think`, 'I wonder what the cow thinks about all day', { f, think: true, W: 20 });
    add(`cow ${f}, -d`, 'dead', { f, modes: 'd' });
    add(`cow ${f}, -e -T`, randomWords(12, 30), { f, e: '^^', T: 'U', W: 30 });
  }

  for (let index = 0; index < 20; index++) {
    const W = int(MIN_W, MAX_W);
    add(`think #${index + 1}, W=${W}`, randomWords(int(1, 30), W), { think: true, W });
  }
  add('think, one short line', 'hmm', { think: true });
  add('think, leading space and long word', ` ${letters(30)}`, { think: true, W: 12 });

  for (const mode of MODES) {
    add(`mode -${mode}`, `mode ${mode}`, { modes: mode });
    add(`mode -${mode}, think`, `thinking in mode ${mode}`, { modes: mode, think: true });
  }
  const combos = ['bd', 'db', 'gp', 'sd', 'ds', 'ty', 'yt', 'bdgpstwy', 'ywtspgdb', 'wb', 'sb', 'dy'];
  for (const modes of combos) add(`modes -${modes}`, `modes ${modes}`, { modes });
  const faces = [
    { e: '^^' },
    { T: 'U' },
    { e: '$$', T: 'U' },
    { e: 'x' },
    { e: '@o', T: 'V' },
    { e: '°°' },
    { e: 'éè', T: 'ü' },
    { e: '><', T: '~~' },
    { e: '$e', T: '$t' },
    { e: '\\/', T: '\\' },
  ];
  for (const face of faces) {
    const label = [face.e === undefined ? '' : `-e ${face.e}`, face.T === undefined ? '' : `-T ${face.T}`].join(' ');
    add(`face ${label.trim()}`, 'a face of its own', face);
    add(`face ${label.trim()}, think`, 'a face of its own', { ...face, think: true });
  }
  for (const modes of ['b', 'd', 's', 'y', 'ds', 'tw']) {
    add(`modes -${modes} over -e -T`, 'modes win over -e and -T', { modes, e: '^^', T: 'VV' });
  }
  for (let index = 0; index < 15; index++) {
    const args = {
      W: int(MIN_W, MAX_W),
      f: pick(identical),
      think: random() < 0.4,
      modes: random() < 0.6 ? Array.from({ length: int(1, 3) }, () => pick(MODES)).join('') : undefined,
      e: random() < 0.5 ? pick(['^^', '--', 'Oo', '~']) : undefined,
      T: random() < 0.5 ? pick(['U', 'V', 'w']) : undefined,
    };
    for (const key of Object.keys(args)) if (args[key] === undefined || args[key] === false) delete args[key];
    add(`everything at once #${index + 1}`, randomWords(int(1, 25), args.W), args);
  }

  const unwrapped = [
    ['tabs to 8-column stops', 'a\tb\n\tc\nabcdefgh\ti\nabcdefg\tj\n1234567\t\tk'],
    ['lines and space runs kept', 'line one\n  indented   spaces\nthird'],
    ['blank lines inside', 'x\n\nmiddle blank\n   \ny'],
    ['a leading blank line', '\nleading blank'],
    ['one long line, past any -W', randomWords(30, 80)],
    ['accents and combining marks with tabs', 'café\tcafe\u0301\tx\nÅngström\tend'],
    ['wide text without tabs', '日本語\n😀 🐄\nabc'],
  ];
  for (const [name, text] of unwrapped) {
    add(`-n, ${name}`, text, { n: true });
    add(`-n, ${name}, think`, text, { n: true, think: true });
  }
  add('-n with -W, which it overrides', 'a b c d e f g h i j k l m n o p', { n: true, W: 10 });
  add('-n with a cow and modes', 'col1\tcol2\nvalue\tvalue', { n: true, f: pick(identical), modes: 'g' });
}

// ---- Write ----------------------------------------------------------------------------------------------

const version = classicVersion();
const { shared, identical } = await identicalCows();
if (!identical.includes('default')) throw new Error('the default cow differs: is this the classic cowsay?');
addAll(identical);

const fixture = {
  about:
    'Written by scripts/generate-cowsay-fixtures.mjs; do not edit. Output of the classic cowsay for ' +
    'text on stdin with LC_ALL=C.UTF-8; args map to its flags (think: cowthink, modes: -bdgpstwy, n: -n).',
  classic: version,
  identicalCows: identical,
  sharedButDifferentCows: shared.filter((name) => !identical.includes(name)),
  cases,
};
writeFileSync(OUT, `${JSON.stringify(fixture, null, 1)}\n`);
console.log(`${cases.length} cases, ${identical.length} identical cows (${identical.join(', ')}) -> ${OUT}`);
