import type { CowCatalog } from '../../src/cowsay/cows.js';
import { DEFAULT_COLUMNS, MAX_FACE_COLUMNS } from '../../src/cowsay/limits.js';
import {
  type CowsayCommand,
  type CowsayOptions,
  checkColumns,
  checkCowName,
  checkFacePart,
  DEFAULT_OPTIONS,
  formatCowsayArguments,
  MODE_LETTERS,
  MODES,
  type Mode,
  parseCowsayCommand,
} from '../../src/cowsay/options.js';
import { type CowsayProblem, explainCowsayProblem, type Markup } from '../../src/cowsay/problems.js';
import { createRandom, testCatalog } from '../helpers.js';

let catalog: CowCatalog;
beforeAll(async () => {
  catalog = await testCatalog();
});

const parse = (input: string): CowsayCommand => parseCowsayCommand(input, catalog);

type Said = Extract<CowsayCommand, { kind: 'say' }>;
const PLAIN = { preview: false, fortune: false } as const;

function said(input: string): Said {
  const command = parse(input);
  if (command.kind !== 'say')
    throw new Error(`expected a cow for ${JSON.stringify(input)}, got ${JSON.stringify(command)}`);
  return command;
}

/** A markup like Slack's, so the sentences read as users see them. */
const MARKUP: Markup = { code: (text) => `\`${text}\``, cowList: 'See `/cowsay list`.', usage: 'See `/cowsay help`.' };
const explain = (problem: CowsayProblem): string => explainCowsayProblem(problem, MARKUP);

function errorOf(input: string): string {
  const command = parse(input);
  if (command.kind !== 'invalid')
    throw new Error(`expected a problem for ${JSON.stringify(input)}, got ${command.kind}`);
  return explain(command.problem);
}

describe('getopt-style options', () => {
  test('plain text gets the defaults', () => {
    expect(said('hello world')).toEqual({ kind: 'say', text: 'hello world', options: DEFAULT_OPTIONS, ...PLAIN });
  });

  test('bundles flags: -bd is -b -d', () => {
    expect([...said('-bd hi').options.modes].sort()).toEqual(['b', 'd']);
    expect([...said('-b -d hi').options.modes].sort()).toEqual(['b', 'd']);
    expect([...said('-bdgpstwy hi').options.modes].sort()).toEqual(['b', 'd', 'g', 'p', 's', 't', 'w', 'y']);
  });

  test('takes a value right after its letter or as the next word', () => {
    expect(said('-fdragon hi').options.cow).toBe('dragon');
    expect(said('-f dragon hi').options.cow).toBe('dragon');
    expect(said('-W30 hi').options.columns).toBe(30);
    expect(said('-W 30 hi').options.columns).toBe(30);
    expect(said('-e^^ -T U hi').options).toMatchObject({ eyes: '^^', tongue: 'U' });
  });

  test('ends a bundle at the first letter that takes a value', () => {
    const { text, options } = said('-bW20 -yfdragon hi');
    expect(options).toMatchObject({ columns: 20, cow: 'dragon' });
    expect([...options.modes].sort()).toEqual(['b', 'y']);
    expect(text).toBe('hi');
  });

  test('-- ends the options, so text may start with a dash', () => {
    expect(said('-- -f dragon')).toEqual({ kind: 'say', text: '-f dragon', options: DEFAULT_OPTIONS, ...PLAIN });
    expect(said('-f tux -- -b is text').text).toBe('-b is text');
    expect(said('-f tux -- -b is text').options.modes).toEqual([]);
  });

  test('the first word that is not an option starts the text, kept exactly as typed', () => {
    expect(said('-W 20 hello -f dragon').text).toBe('hello -f dragon');
    expect(said('-W 20 hello -f dragon').options.cow).toBe('default');
    expect(said('- is a dash').text).toBe('- is a dash');
    expect(said('-b  line one\n  line two\t ').text).toBe('line one\n  line two\t ');
  });

  test('--think, -n and -r', () => {
    expect(said('--think hmm').options.think).toBe(true);
    expect(said('--THINK hmm').options.think).toBe(true);
    expect(said('hmm').options.think).toBe(false);
    expect(said('-n hi').options.columns).toBeUndefined();
    expect(said('-W 30 -n hi').options.columns).toBeUndefined();
    expect(said('hi').options.columns).toBe(DEFAULT_COLUMNS);
    expect(said('-r hi').options.random).toBe(true);
  });

  test('cow names are case-insensitive and come back canonical', () => {
    expect(said('-f DRAGON hi').options.cow).toBe('dragon');
    expect(said('-f Tux hi').options.cow).toBe('tux');
    expect(said('-f c3po hi').options.cow).toBe('C3PO');
  });
});

describe('modes', () => {
  test('every mode letter is a flag, alone or bundled', () => {
    for (const letter of MODE_LETTERS) expect(said(`-${letter} hi`).options.modes).toEqual([letter]);
    expect([...said(`-${MODE_LETTERS.join('')} hi`).options.modes].sort()).toEqual([...MODE_LETTERS].sort());
    expect(Object.keys(MODES)).toEqual(MODE_LETTERS);
  });
});

describe('help, list and empty input', () => {
  test.each(['', '   ', '\n\t', 'help', 'HELP', ' Help ', '-h', '--help', '-bh hi', '--HELP'])(
    '%j asks for help',
    (input) => {
      expect(parse(input).kind).toBe('help');
    },
  );

  test.each(['list', 'LIST', '-l', '--list', '-bl'])('%j lists the cows', (input) => {
    expect(parse(input).kind).toBe('list');
  });

  test('options without text get help saying why, not a blank cow', () => {
    expect(parse('-f dragon -W 30')).toEqual({ kind: 'help', reason: 'no-text' });
    expect(parse('-- ')).toEqual({ kind: 'help', reason: 'no-text' });
    expect(parse('help')).toEqual({ kind: 'help' });
  });

  test('help or list inside text is just text', () => {
    expect(said('help me').text).toBe('help me');
    expect(said('-- list').text).toBe('list');
  });
});

describe('unknown options and cows', () => {
  test('an unknown letter is named, with the way to say text that starts with a dash', () => {
    const message = errorOf('-x hi');
    expect(message).toContain('"-x"');
    expect(message).toContain('`--`');
  });

  test('a misspelt long option gets a suggestion', () => {
    expect(errorOf('--thnik hi')).toContain('Did you mean `--think`?');
    expect(errorOf('--lsit')).toContain('Did you mean `--list`?');
    expect(errorOf('--frobnicate hi')).not.toContain('Did you mean');
  });

  test('a misspelt cow gets the nearest name; a far one gets the list', () => {
    expect(errorOf('-f dragn hi')).toContain('Did you mean `dragon`?');
    expect(errorOf('-f STEGOSAURSU hi')).toContain('Did you mean `stegosaurus`?');
    const far = errorOf('-f qqqqqqqqqqqq hi');
    expect(far).not.toContain('Did you mean');
    expect(far).toContain('`/cowsay list`');
    expect(checkCowName('nope-nope-nope', catalog)).toEqual({
      ok: false,
      error: { kind: 'unknown-cow', name: 'nope-nope-nope', suggestion: undefined },
    });
  });

  test('an option that needs a value and has none says so', () => {
    expect(errorOf('-f')).toMatch(/-f needs a value/);
    expect(errorOf('-W')).toMatch(/-W needs a value/);
  });

  test('-f and -r together are refused', () => {
    expect(errorOf('-r -f dragon hi')).toMatch(/not both/);
    expect(errorOf('-f dragon -r hi')).toMatch(/not both/);
    expect(errorOf('-rfdragon hi')).toMatch(/not both/);
  });
});

describe('-W', () => {
  test.each(['10', '40', '80', '010'])('accepts %s', (value) => {
    expect(checkColumns(value)).toEqual({ ok: true, value: Number(value) });
  });

  test.each([
    '9',
    '81',
    '0',
    '-5',
    '-0',
    '+40',
    'abc',
    '',
    '40.5',
    '4e1',
    '0x20',
    ' 40',
    '40 ',
    '１０',
    '٤٠',
    'Infinity',
    'NaN',
    '1000',
    '9'.repeat(400),
  ])('rejects %j with the allowed range', (value) => {
    const checked = checkColumns(value);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : explain(checked.error)).toContain('from 10 to 80');
  });

  test('a negative width on the command line is a bad value, not an option', () => {
    expect(errorOf('-W -5 hi')).toContain('from 10 to 80');
    expect(errorOf('-W-5 hi')).toContain('from 10 to 80');
  });
});

describe('eyes and tongue', () => {
  test.each([
    'x',
    'oo',
    '^^',
    '$$',
    '°°',
    'éè',
    'e\u0301e\u0301',
    '👀',
    '👨‍👩‍👧',
    '🇯🇵',
    '日',
    'ｵ',
    'o\u200d',
    '👨🏻‍👩🏻‍👧🏻‍👦🏻',
  ])('accepts %j', (value) => {
    expect(checkFacePart(value, 'eyes')).toEqual({ ok: true, value });
  });

  test.each([
    ['too long', 'ooo'],
    ['two emoji, 4 columns', '👀👀'],
    ['two families, 4 columns', '👨‍👩‍👧👨‍👩‍👧'],
    ['two CJK characters, 4 columns', '日本'],
    ['an emoji and a letter, 3 columns', '👀o'],
    ['empty', ''],
    ['a space', 'o o'],
    ['a trailing space', 'U '],
    ['a tab', '\t'],
    ['a newline', 'o\n'],
    ['a NUL', 'o\u0000'],
    ['an escape', '\u001b['],
    ['a C1 control', 'o\u0085'],
    ['a right-to-left override', '\u202eo'],
    ['a bidi isolate', 'o\u2066'],
    ['a no-break space', 'o\u00a0'],
    ['a zero-width space', 'o\u200b'],
    ['only zero-width spaces', '\u200b\u200b'],
    ['a zero-width joiner alone', '\u200d'],
    ['a byte order mark', '\ufeffo'],
    ['a right-to-left mark', 'o\u200f'],
    ['a combining mark alone', '\u0301'],
    ['combining marks only', '\u0301\u0302'],
    ['400 combining marks on a letter', `o${'\u0301'.repeat(400)}`],
    ['17 code points', `o${'\u0301'.repeat(16)}`],
    ['a Hangul filler', '\u3164'],
    ['a halfwidth Hangul filler', 'o\uffa0'],
    ['Hangul choseong and jungseong fillers', '\u115f\u1160'],
    ['a braille blank', '\u2800o'],
    ['a variation selector alone', '\ufe0f'],
    ['a lone high surrogate', '\ud83d'],
    ['a lone low surrogate', 'o\udc40'],
    ['a huge value', 'o'.repeat(100_000)],
  ])('rejects %s', (_what, value) => {
    const checked = checkFacePart(value, 'tongue');
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : explain(checked.error)).toContain(
      `The tongue must be 1 or 2 visible characters taking at most ${MAX_FACE_COLUMNS} columns`,
    );
  });

  test('rejects them on the command line too', () => {
    expect(errorOf('-e ooo hi')).toContain('The eyes must be');
    expect(errorOf('-T \u202eU hi')).toContain('The tongue must be');
    expect(errorOf('-e o\u0000 hi')).toContain('The eyes must be');
    expect(errorOf('-e 👀👀 hi')).toContain('The eyes must be');
    expect(errorOf('-e \u3164\u3164 hi')).toContain('The eyes must be');
  });
});

describe('hostile input', () => {
  test.each([
    '../../etc/passwd',
    '/proc/self/environ',
    'default/../x',
    'default/../default',
    '..\\..\\windows\\win.ini',
    './default',
    'default\u0000',
    '.',
    '..',
    'default.cow',
  ])('-f %j is refused: no cow name is a path', (name) => {
    expect(parse(`-f ${name} hi`).kind).toBe('invalid');
    expect(checkCowName(name, catalog).ok).toBe(false);
  });

  test('error messages show hostile input on one line, bounded, without controls or bidi overrides', () => {
    for (const input of [
      `-f ${'a'.repeat(100_000)} hi`,
      `-e ${'x'.repeat(100_000)} hi`,
      `-W ${'9'.repeat(100_000)} hi`,
      '-f \u202eevil\u0000\u001b[31m hi',
      `-${'q'.repeat(100_000)}`,
    ]) {
      const message = errorOf(input);
      expect(message.length).toBeLessThan(300);
      expect(message).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
    }
  });

  test('100 KB of text is parsed, not rejected here (the renderer owns the length limit)', () => {
    const text = 'moo '.repeat(25_000);
    expect(said(`-f tux ${text}`).text).toBe(text);
  });

  test('unicode and right-to-left text pass through as typed', () => {
    expect(said('-f dragon 日本語 🐄 مرحبا').text).toBe('日本語 🐄 مرحبا');
    expect(said('\u202eoom').text).toBe('\u202eoom');
  });

  test('unicode dashes are not options', () => {
    expect(said('—f dragon').text).toBe('—f dragon');
    expect(said('−f dragon').options.cow).toBe('default');
  });

  test('a NUL in the options is an error, not a crash', () => {
    expect(parse('-\u0000 hi').kind).toBe('invalid');
  });
});

describe('-P (preview) and -F (fortune)', () => {
  test('are flags, short and long, that combine with every other option', () => {
    expect(said('-P hi')).toMatchObject({ text: 'hi', preview: true, fortune: false });
    expect(said('--preview hi')).toMatchObject({ text: 'hi', preview: true });
    expect(said('-F')).toMatchObject({ text: '', preview: false, fortune: true });
    expect(said('--FORTUNE')).toMatchObject({ fortune: true });
    const all = said('-PFrbd -e ^^ -T U --think -W 20');
    expect(all).toMatchObject({ text: '', preview: true, fortune: true });
    expect(all.options).toMatchObject({ random: true, eyes: '^^', tongue: 'U', think: true, columns: 20 });
    expect(said('-nF -f tux').options).toMatchObject({ columns: undefined, cow: 'tux' });
  });

  test('-F brings its own text, so text after it is refused with a clear reason', () => {
    expect(errorOf('-F hello')).toMatch(/own text or ask for a fortune with -F, not both/);
    expect(errorOf('-F -- hello')).toMatch(/not both/);
  });

  test('-P alone still needs text, and -F after -- is text', () => {
    expect(parse('-P')).toEqual({ kind: 'help', reason: 'no-text' });
    expect(said('-- -F')).toMatchObject({ text: '-F', fortune: false });
  });

  test('suggests the long forms for near misses', () => {
    expect(errorOf('--fortnue')).toContain('Did you mean `--fortune`?');
    expect(errorOf('--preveiw hi')).toContain('Did you mean `--preview`?');
  });
});

describe('the arguments a preview button carries', () => {
  const roundTrip = (options: CowsayOptions, cowName: string, text: string) => {
    const command = parse(`${formatCowsayArguments(options, cowName)}${text}`);
    if (command.kind !== 'say') throw new Error(`not a cow: ${JSON.stringify(command)}`);
    return command;
  };

  test('parse back to the same options, with the cow named, and the text exactly as given', () => {
    const options: CowsayOptions = {
      ...DEFAULT_OPTIONS,
      random: true,
      eyes: '--',
      tongue: 'U',
      modes: ['b', 'y'],
      think: true,
      columns: 12,
    };
    expect(formatCowsayArguments(options, 'tux')).toBe('-f tux -e -- -T U -by --think -W12 --\n');
    const command = roundTrip(options, 'tux', '  -F leading spaces,\n-- dashes and\nlines  ');
    expect(command).toEqual({
      kind: 'say',
      text: '  -F leading spaces,\n-- dashes and\nlines  ',
      options: { ...options, random: false, cow: 'tux' },
      ...PLAIN,
    });
    expect(roundTrip({ ...DEFAULT_OPTIONS, columns: undefined }, 'default', 'x').options.columns).toBeUndefined();
  });

  test('round-trip for random options, cows, faces and hostile text', () => {
    const random = createRandom(12);
    const faces = ['^^', '-', '--', '-W', '🐄', '$', 'é', '牛'];
    const texts = ['hi', '-- -F', '\n\nx', '<!channel> `x`', '牛 🐄', ' \t tab', 'help', 'list'];
    for (let round = 0; round < 300; round++) {
      const options: CowsayOptions = {
        cow: random.pick(catalog.names),
        random: false,
        eyes: random.next() < 0.5 ? undefined : random.pick(faces),
        tongue: random.next() < 0.5 ? undefined : random.pick(faces),
        modes: (Object.keys(MODES) as Mode[]).filter(() => random.next() < 0.3),
        think: random.next() < 0.5,
        columns: random.next() < 0.2 ? undefined : 10 + random.int(71),
      };
      const text = random.pick(texts);
      expect([options, text, roundTrip(options, options.cow, text)]).toEqual([
        options,
        text,
        { kind: 'say', text, options, ...PLAIN },
      ]);
    }
  });
});
