import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { say } from 'cowsay';
import type { CowCatalog } from '../../src/cowsay/cows.js';
import { MAX_OUTPUT_CHARS, MAX_TEXT_CHARS } from '../../src/cowsay/limits.js';
import { type CowsayOptions, DEFAULT_OPTIONS, type Mode, parseCowsayCommand } from '../../src/cowsay/options.js';
import { faceFor, type RenderResult, renderCow } from '../../src/cowsay/render.js';
import { createRandom, testCatalog } from '../helpers.js';

let catalog: CowCatalog;
beforeAll(async () => {
  catalog = await testCatalog();
});

const options = (overrides: Partial<CowsayOptions> = {}): CowsayOptions => ({ ...DEFAULT_OPTIONS, ...overrides });

function cowOf(result: RenderResult): string {
  if (!result.ok) throw new Error(result.error.kind);
  return result.value.cow;
}

/** The balloon's text rows, borders and padding removed. */
function balloonText(cow: string): string[] {
  const rows = cow.split('\n');
  const bottom = rows.findIndex((row, index) => index > 0 && /^ -+$/.test(row));
  return rows.slice(1, bottom).map((row) => row.slice(2, -2).replace(/ +$/, ''));
}

describe('limits', () => {
  test(`accepts ${MAX_TEXT_CHARS} characters and refuses one more, with the limit in the message`, () => {
    expect(renderCow(catalog, 'a'.repeat(MAX_TEXT_CHARS), options()).ok).toBe(true);
    const refused = renderCow(catalog, 'a'.repeat(MAX_TEXT_CHARS + 1), options());
    expect(refused).toEqual({ ok: false, error: { kind: 'text-too-long' } });
  });

  test('counts characters as code points: an emoji is one, a combining mark is one', () => {
    expect(renderCow(catalog, '😀'.repeat(MAX_TEXT_CHARS), options()).ok).toBe(true);
    expect(renderCow(catalog, '😀'.repeat(MAX_TEXT_CHARS + 1), options()).ok).toBe(false);
    expect(renderCow(catalog, 'e\u0301'.repeat(MAX_TEXT_CHARS / 2), options()).ok).toBe(true);
    expect(renderCow(catalog, `${'e\u0301'.repeat(MAX_TEXT_CHARS / 2)}e`, options()).ok).toBe(false);
  });

  test('refuses a cow bigger than the output limit, with the limit in the message', () => {
    // Text within the limit can still make a huge balloon: every row is padded to the longest one.
    const text = `${'x'.repeat(1000)}${'\n.'.repeat(400)}`;
    expect(text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(renderCow(catalog, text, options({ columns: undefined }))).toEqual({
      ok: false,
      error: { kind: 'cow-too-big' },
    });
    expect(renderCow(catalog, '\tx'.repeat(MAX_TEXT_CHARS / 2), options({ columns: undefined }))).toEqual({
      ok: false,
      error: { kind: 'cow-too-big' },
    });
  });

  test('never returns a cow longer than the output limit', () => {
    for (const columns of [10, 40, 80, undefined]) {
      for (const cow of ['default', 'mona-lisa', 'golden-eagle']) {
        const result = renderCow(catalog, 'moo '.repeat(MAX_TEXT_CHARS / 4), options({ columns, cow }));
        if (result.ok) expect(result.value.cow.length).toBeLessThanOrEqual(MAX_OUTPUT_CHARS);
      }
    }
  });
});

describe('-r', () => {
  test('maps the random number onto the curated set, first to last', () => {
    const count = catalog.randomNames.length;
    const picked = Array.from({ length: count }, (_, index) => {
      const result = renderCow(catalog, 'hi', options({ random: true }), () => (index + 0.5) / count);
      return result.ok ? result.value.cowName : undefined;
    });
    expect(picked).toEqual(catalog.randomNames);
    const last = renderCow(catalog, 'hi', options({ random: true }), () => 0.9999999999);
    expect(last.ok && last.value.cowName).toBe(catalog.randomNames[count - 1]);
  });

  test('draws the cow it names', () => {
    const result = renderCow(catalog, 'hi', options({ random: true }), () => 0);
    if (!result.ok) throw new Error(result.error.kind);
    const { cow, cowName } = result.value;
    expect(cowName).toBe(catalog.randomNames[0]);
    expect(cow.endsWith(catalog.art(cowName, { eyes: 'oo', tongue: '  ' }, false))).toBe(true);
  });

  test('never picks outside the curated set, whatever -f says', () => {
    let state = 12345;
    const seeded = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    for (let draw = 0; draw < 500; draw++) {
      const result = renderCow(catalog, 'hi', options({ random: true, cow: 'mona-lisa' }), seeded);
      expect(catalog.randomNames).toContain(result.ok ? result.value.cowName : result.error.kind);
    }
  });

  test('uses Math.random when no source is given', () => {
    const random = jest.spyOn(Math, 'random');
    try {
      const names = [0, 0.9999999999].map((draw) => {
        random.mockReturnValueOnce(draw);
        const result = renderCow(catalog, 'hi', options({ random: true }));
        return result.ok ? result.value.cowName : result.error.kind;
      });
      expect(names).toEqual([catalog.randomNames[0], catalog.randomNames[catalog.randomNames.length - 1]]);
      expect(random).toHaveBeenCalledTimes(2);
    } finally {
      random.mockRestore();
    }
  });
});

describe('the face', () => {
  test('defaults to the classic eyes and tongue, and takes -e and -T', () => {
    expect(faceFor({ eyes: undefined, tongue: undefined, modes: [] })).toEqual({ eyes: 'oo', tongue: '  ' });
    expect(faceFor({ eyes: '^^', tongue: 'U', modes: [] })).toEqual({ eyes: '^^', tongue: 'U' });
  });

  test.each<[Mode, string, string]>([
    ['b', '==', 'VV'],
    ['d', 'xx', 'U '],
    ['g', '$$', 'VV'],
    ['p', '@@', 'VV'],
    ['s', '**', 'U '],
    ['t', '--', 'VV'],
    ['w', 'OO', 'VV'],
    ['y', '..', 'VV'],
  ])('-%s wins over -e; only -d and -s set the tongue', (mode, eyes, tongue) => {
    expect(faceFor({ eyes: '^^', tongue: 'VV', modes: [mode] })).toEqual({ eyes, tongue });
  });

  test('applies modes in the classic order (b d g p s t w y), not the order typed', () => {
    expect(faceFor({ eyes: undefined, tongue: undefined, modes: ['y', 'b'] })).toEqual({ eyes: '..', tongue: '  ' });
    expect(faceFor({ eyes: undefined, tongue: undefined, modes: ['b', 'y'] })).toEqual({ eyes: '..', tongue: '  ' });
    expect(faceFor({ eyes: undefined, tongue: undefined, modes: ['t', 'd'] })).toEqual({ eyes: '--', tongue: 'U ' });
    expect(faceFor({ eyes: 'ab', tongue: 'cd', modes: ['w', 's', 'g'] })).toEqual({ eyes: 'OO', tongue: 'U ' });
  });

  test('reaches the art', () => {
    expect(cowOf(renderCow(catalog, 'hi', options({ modes: ['d'] })))).toContain('(xx)\\_______\n            (__)\\');
    expect(cowOf(renderCow(catalog, 'hi', options({ modes: ['d'] })))).toContain(' U  ||----w |');
    expect(cowOf(renderCow(catalog, 'hi', options({ eyes: '^^' })))).toContain('(^^)');
  });
});

describe('text cleaning', () => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  const CONTROLS_AND_OVERRIDES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

  test('removes control characters and bidi overrides and isolates', () => {
    const text = 'a\u0000b\u0007c\u001b[31md\u007fe\u009bf\u202eg\u202dh\u2066i\u2069j\u0008k';
    expect(balloonText(cowOf(renderCow(catalog, text, options())))).toEqual(['abc[31mdefghijk']);
    expect(balloonText(cowOf(renderCow(catalog, text, options({ columns: undefined }))))).toEqual(['abc[31mdefghijk']);
  });

  test('turns white-space controls into spaces, as the classic cowsay does', () => {
    expect(balloonText(cowOf(renderCow(catalog, 'a\u000bb\u000cc\u0085d', options())))).toEqual(['a b c d']);
  });

  test('leaves no control character or override anywhere in the output', () => {
    let nasty = '';
    for (let code = 0; code < 0xa0; code++) nasty += `${String.fromCharCode(code)}w${code} `;
    nasty += '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 end';
    for (const columns of [10, 40, undefined]) {
      for (const think of [false, true]) {
        const cow = cowOf(renderCow(catalog, nasty, options({ columns, think, modes: ['d'] })));
        expect(cow.replace(/\n/g, '')).not.toMatch(CONTROLS_AND_OVERRIDES);
        expect(cow).not.toContain('\t');
      }
    }
  });

  test('keeps the user’s line breaks and right-to-left letters', () => {
    expect(balloonText(cowOf(renderCow(catalog, 'שלום\nمرحبا', options())))).toEqual(['שלום', 'مرحبا']);
  });
});

describe('text that shows nothing', () => {
  test.each([
    ['controls only', '\u0000\u0007\u001b'],
    ['bidi overrides only', '\u202e\u2066'],
    ['zero-width characters', '\u200b\u200c\u200d\ufeff'],
    ['combining marks only', '\u0301\u0302'],
    ['the Hangul filler', '\u3164'],
    ['the Hangul choseong and jungseong fillers', '\u115f\u1160'],
    ['the halfwidth Hangul filler', '\uffa0'],
    ['the braille blank', '\u2800\u2800'],
    ['variation selectors', '\ufe0f\u{e0100}'],
    ['blanks on several lines', '\u3164\n\u2800\n\u0301'],
    ['2,000 blanks', '\u3164'.repeat(MAX_TEXT_CHARS)],
  ])('is refused, not drawn as an empty balloon: %s', (_name, text) => {
    for (const columns of [10, undefined]) {
      expect(renderCow(catalog, text, options({ columns }))).toEqual({ ok: false, error: { kind: 'nothing-to-say' } });
    }
  });

  test('is told apart from visible text among blanks, which is drawn as typed', () => {
    expect(balloonText(cowOf(renderCow(catalog, '\u3164x\u2800', options())))).toEqual(['\u3164x\u2800']);
  });
});

describe('no lone surrogate', () => {
  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const pieces = ['a', ' ', '\n', '😀', '👩‍🚀', '🇯🇵', 'e\u0301', '日', '\ud83d', '\ude00', '\udc00\ud800', '\u3164'];

  test('reaches the output of any cow, from text with half pairs or from emoji eyes and tongues', () => {
    const random = createRandom(17);
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 1 + random.int(60) }, () => random.pick(pieces)).join('');
      const result = renderCow(
        catalog,
        text,
        options({
          cow: random.pick(['dragon', 'cat2', 'default', 'daemon', random.pick(catalog.names)]),
          eyes: random.pick(['👀', '🐄', 'é', '👁️', undefined]),
          tongue: random.pick(['👅', 'U', undefined]),
          columns: random.pick([10, 11, 40, undefined]),
          think: random.next() < 0.5,
        }),
      );
      expect(result.ok ? result.value.cow : result.error.kind).not.toMatch(LONE_SURROGATE);
    }
  });
});

describe('work per render', () => {
  test('2,000 random CJK characters at -W 10 are measured without the segmenter', () => {
    const random = createRandom(3);
    let text = '';
    for (let index = 0; index < MAX_TEXT_CHARS; index++) text += String.fromCodePoint(0x4e00 + random.int(0x5200));
    const segment = jest.spyOn(Intl.Segmenter.prototype, 'segment');
    try {
      const rows = balloonText(cowOf(renderCow(catalog, text, options({ columns: 10 }))));
      expect(rows).toHaveLength(MAX_TEXT_CHARS / 4);
      expect(segment).not.toHaveBeenCalled();
    } finally {
      segment.mockRestore();
    }
  });
});

describe('a cow name is never a path', () => {
  test('no catalogue name holds a path separator or is a dot name', () => {
    for (const name of catalog.names) {
      expect(name).not.toMatch(/[/\\]/);
      expect(name).not.toMatch(/^\.+$/);
    }
  });

  test.each(['/proc/self/environ', '../../etc/passwd', 'default/../../../proc/self/environ', '..\\..\\x'])(
    '-f %s is refused by the parser, before anything renders',
    (name) => {
      expect(parseCowsayCommand(`-f ${name} hi`, catalog).kind).toBe('invalid');
    },
  );

  test('the renderer refuses a name the catalogue did not vouch for, instead of reading it', () => {
    expect(() => renderCow(catalog, 'hi', options({ cow: '/proc/self/environ' }))).toThrow(RangeError);
    expect(() => renderCow(catalog, 'hi', options({ cow: '../cows/default' }))).toThrow(RangeError);
  });

  describe('with the file system watched', () => {
    const CANARY = `canary-${process.pid}-7f3a9c`;
    let spies: Array<{ mock: { calls: unknown[][] }; mockRestore(): void }>;
    beforeEach(() => {
      process.env.COWSAY_TEST_CANARY = CANARY;
      spies = [
        jest.spyOn(fs, 'readFileSync'),
        jest.spyOn(fs, 'readFile'),
        jest.spyOn(fs, 'openSync'),
        jest.spyOn(fs, 'open'),
        jest.spyOn(fs.promises, 'readFile'),
        jest.spyOn(fs.promises, 'open'),
      ];
    });
    afterEach(() => {
      for (const spy of spies) spy.mockRestore();
      delete process.env.COWSAY_TEST_CANARY;
    });

    test('hostile commands read no file and never show the environment', () => {
      const outputs: string[] = [];
      for (const input of [
        '-f /proc/self/environ hi',
        '-f/proc/self/environ hi',
        '-f ../../../../proc/self/environ hi',
        '-f default/../../../../proc/self/environ hi',
        '-f ./default hi',
        '-f default.cow hi',
        '-f %2e%2e%2fproc%2fself%2fenviron hi',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell-style expansion the renderer must not do.
        '-e $C -T $t $COWSAY_TEST_CANARY ${COWSAY_TEST_CANARY} $(env) `env` %COWSAY_TEST_CANARY%',
        '-r -- $COWSAY_TEST_CANARY',
        '-f dragon -bdgpstwy --think -W 10 /proc/self/environ',
        '-n \u0000/proc/self/environ\u202e',
      ]) {
        const command = parseCowsayCommand(input, catalog);
        if (command.kind === 'invalid') outputs.push(JSON.stringify(command.problem));
        if (command.kind === 'say') {
          const result = renderCow(catalog, command.text, command.options, () => 0.5);
          outputs.push(result.ok ? result.value.cow : result.error.kind);
        }
      }
      expect(outputs).toHaveLength(11);
      for (const spy of spies) expect(spy.mock.calls).toEqual([]);
      for (const output of outputs) expect(output).not.toContain(CANARY);
      expect(outputs.join('\n')).toContain('$COWSAY_TEST_CANARY');
    });

    test('the watch works: npm cowsay reading a cow file by path is seen', () => {
      // What the catalogue exists to prevent: npm cowsay reads any `f` with a slash in it as a file.
      const path = fileURLToPath(new URL('../../node_modules/cowsay/cows/default.cow', import.meta.url));
      expect(say({ text: 'x', f: path })).toContain('^__^');
      const read = spies.flatMap((spy) => spy.mock.calls.map((call) => String(call[0])));
      expect(read).toContain(path);
    });
  });
});
