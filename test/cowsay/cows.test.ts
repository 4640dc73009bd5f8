import { list, say } from 'cowsay';
import type { CowCatalog, Face } from '../../src/cowsay/cows.js';
import { testCatalog } from '../helpers.js';

let catalog: CowCatalog;
let npmNames: string[];
beforeAll(async () => {
  catalog = await testCatalog();
  npmNames = await new Promise<string[]>((resolve, reject) => {
    list((error, names) => (error ? reject(error) : resolve(names))).catch(() => {});
  });
});

const FACE: Face = { eyes: 'Ee', tongue: 'Tt' };
const PLACEHOLDER = /\$(?:thoughts|eyes?|tongue|\{eyes\}|\{tongue\}|the_cow)|^EOC$/m;
const columnsOf = (art: string) => art.split('\n').reduce((max, line) => Math.max(max, line.length), 0);

describe('the catalogue', () => {
  test('holds npm cowsay’s cows, sorted case-insensitively, without duplicates', () => {
    expect(catalog.names.length).toBeGreaterThan(150);
    expect(new Set(catalog.names.map((name) => name.toLowerCase())).size).toBe(catalog.names.length);
    const sorted = [...catalog.names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    expect(catalog.names).toEqual(sorted);
    for (const name of catalog.names) expect(npmNames).toContain(name);
  });

  test.each(['ibm', 'yasuna_08'])('leaves out %s, a cow file npm cowsay cannot parse', (name) => {
    expect(npmNames).toContain(name);
    expect(catalog.names).not.toContain(name);
    expect(catalog.resolve(name)).toBeUndefined();
    expect(() => catalog.art(name, FACE, false)).toThrow(RangeError);
  });

  test('has no name that could be read as a path', () => {
    for (const name of catalog.names) {
      expect(name).toMatch(/^[\w.-]+$/);
      expect(name).not.toMatch(/^\.+$/);
    }
  });

  test('is frozen, so no caller can add a name to it', () => {
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.isFrozen(catalog.names)).toBe(true);
    expect(Object.isFrozen(catalog.randomNames)).toBe(true);
  });
});

describe('resolve', () => {
  test('matches case-insensitively and answers with the canonical name', () => {
    expect(catalog.resolve('dragon')).toBe('dragon');
    expect(catalog.resolve('DRAGON')).toBe('dragon');
    expect(catalog.resolve('DeFaUlT')).toBe('default');
    expect(catalog.resolve('c3po')).toBe('C3PO');
    expect(catalog.resolve('usa')).toBe('USA');
    expect(catalog.resolve('r2-d2')).toBe('R2-D2');
  });

  test.each([
    '',
    'dragon ',
    ' dragon',
    'dragon.cow',
    '../cows/dragon',
    'cows/dragon',
    '/proc/self/environ',
    'no-such-cow',
  ])('knows no cow called %j', (name) => {
    expect(catalog.resolve(name)).toBeUndefined();
    expect(() => catalog.art(name, FACE, false)).toThrow(RangeError);
  });
});

describe('the random set', () => {
  test('is a large part of the catalogue', () => {
    expect(catalog.randomNames.length).toBeGreaterThan(100);
    for (const name of catalog.randomNames) expect(catalog.names).toContain(name);
  });

  test.each([
    'template',
    'aperture-blank',
    'bong',
    'satanic',
    'mutilated',
    'surgery',
    'psychiatrichelp',
    'psychiatrichelp2',
  ])('leaves out %s (blank or not for everyone), though it can be picked by name', (name) => {
    expect(catalog.resolve(name)).toBe(name);
    expect(catalog.randomNames).not.toContain(name);
  });

  test('leaves out cows too big for a message, such as mona-lisa and golden-eagle', () => {
    for (const name of ['mona-lisa', 'golden-eagle', 'hippie']) {
      expect(catalog.names).toContain(name);
      expect(catalog.randomNames).not.toContain(name);
    }
    for (const name of catalog.randomNames) {
      const art = catalog.art(name, { eyes: 'oo', tongue: '  ' }, false);
      expect(art.length).toBeLessThanOrEqual(1200);
      expect(columnsOf(art)).toBeLessThanOrEqual(60);
    }
  });

  test('has only cows with something to see besides the balloon’s tail', () => {
    const drawing = (name: string) => catalog.art(name, { eyes: 'oo', tongue: '  ' }, false).replace(/[\s\\]/g, '');
    expect(drawing('template')).toBe('');
    for (const name of catalog.randomNames) expect(drawing(name).length).toBeGreaterThanOrEqual(5);
  });
});

describe('art', () => {
  test('fills in the eyes, tongue and the balloon’s tail', () => {
    expect(catalog.art('default', FACE, false).split('\n')).toEqual([
      '        \\   ^__^',
      '         \\  (Ee)\\_______',
      '            (__)\\       )\\/\\',
      '             Tt ||----w |',
      '                ||     ||',
    ]);
    expect(catalog.art('default', FACE, true).split('\n').slice(0, 2)).toEqual([
      '        o   ^__^',
      '         o  (Ee)\\_______',
    ]);
  });

  test('fills cows that place each eye on its own', () => {
    expect(catalog.art('dragon', FACE, false)).toContain('/E  e  \\');
  });

  test('splits eyes between graphemes, never inside a surrogate pair or a cluster', () => {
    const tongue = '  ';
    expect(catalog.art('dragon', { eyes: '👀', tongue }, false)).toContain('/👀    \\');
    expect(catalog.art('dragon', { eyes: 'e\u0301o', tongue }, false)).toContain('/e\u0301  o  \\');
    expect(catalog.art('dragon', { eyes: '$$', tongue }, false)).toContain('/$  $  \\');
    expect(catalog.art('cat2', { eyes: '🇯🇵', tongue }, false)).toContain('=) 🇯🇵Y (=');
    expect(catalog.art('default', { eyes: '👀', tongue }, false)).toContain('(👀)');
  });

  test('leaves no lone surrogate in any cow, whatever emoji the eyes and tongue are', () => {
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    for (const eyes of ['👀', '👁️', '🐄', '👩‍🚀']) {
      for (const name of catalog.names) expect(catalog.art(name, { eyes, tongue: '👅' }, false)).not.toMatch(lone);
    }
  });

  test('no cow file holds the private-use characters that stand in for the eyes', () => {
    for (const name of catalog.names) expect(say({ text: 'x', f: name })).not.toMatch(/[\ue000-\uf8ff]/);
  });

  test('keeps dollar signs in a face literal', () => {
    expect(catalog.art('default', { eyes: '$$', tongue: '$&' }, false)).toContain('($$)');
    expect(catalog.art('default', { eyes: '$1', tongue: "$'" }, false)).toMatch(/\(\$1\)[\s\S]*\$' \|\|/);
  });

  test('leaves no placeholder unfilled in any cow, saying or thinking', () => {
    for (const name of catalog.names) {
      for (const think of [false, true]) expect(catalog.art(name, FACE, think)).not.toMatch(PLACEHOLDER);
    }
  });

  test('draws the tail of a thought differently from the tail of speech', () => {
    // yasuna_03 is the one npm cow without a tail.
    const tailless = catalog.names.filter((name) => catalog.art(name, FACE, false) === catalog.art(name, FACE, true));
    expect(tailless).toEqual(['yasuna_03']);
  });

  test('is the art alone: nothing of npm cowsay’s own balloon is left above it', () => {
    for (const name of catalog.names) {
      const art = catalog.art(name, FACE, false);
      expect(art.startsWith(' _')).toBe(false);
      expect(art).not.toMatch(/^< x >$/m);
    }
  });
});
