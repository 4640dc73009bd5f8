import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadedFortunes, loadFortuneFiles, MAX_FILE_BYTES } from '../../src/cowsay/fortune-files.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/fortunes', import.meta.url));
const FARM = [
  'The fixture cow says one thing.',
  'The fixture cow says two things,\n\ton two lines.\n\t\t-- a fixture',
  'Fixture fortune, the third.',
];
const SHED = ['A riddle from the fixture shed?', 'Der Kuh ist es egal. 牛は気にしない. 🐄'];

/** Every fortune a collection can give, found by walking the random source across [0, 1). */
function allOf(loaded: LoadedFortunes): string[] {
  const { fortunes } = loaded;
  return Array.from({ length: fortunes.size }, (_, index) => fortunes.pick(() => (index + 0.5) / fortunes.size));
}

async function loaded(path: string): Promise<LoadedFortunes> {
  const result = await loadFortuneFiles(path);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('FORTUNE_PATH files', () => {
  let scratch: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'fortunes-'));
  });
  afterEach(() => rm(scratch, { recursive: true, force: true }));

  it('reads one file', async () => {
    const result = await loaded(join(FIXTURES, 'farm'));
    expect(allOf(result)).toEqual(FARM);
    expect(result.fortunes.origin).toBe('files');
    expect(result.summary).toBe('3 fortunes from 1 file');
    expect(result.problems).toBeUndefined();
  });

  it('reads a folder: its files in name order, without .dat indexes, hidden files or sub-folders', async () => {
    const result = await loaded(FIXTURES);
    expect(allOf(result)).toEqual([...FARM, ...SHED]);
    expect(result.summary).toBe('5 fortunes from 2 files');
    expect(result.problems).toBeUndefined();
  });

  it('reads each file once when links name it twice (as Debian’s .u8 names do)', async () => {
    await writeFile(join(scratch, 'moo'), 'one\n%\ntwo\n');
    await symlink(join(scratch, 'moo'), join(scratch, 'moo.u8'));
    const result = await loaded(`${scratch}${delimiter}${join(scratch, 'moo')}`);
    expect(allOf(result)).toEqual(['one', 'two']);
  });

  it('takes several paths separated by the path delimiter', async () => {
    const result = await loaded([join(FIXTURES, 'shed'), join(FIXTURES, 'farm')].join(delimiter));
    expect(allOf(result)).toEqual([...SHED, ...FARM]);
  });

  it('skips bad files, naming each with its problem in one line, and keeps the good ones', async () => {
    await writeFile(join(scratch, 'a-good'), 'kept\n%\n');
    await writeFile(join(scratch, 'b-empty'), '%\n%\n\n');
    await writeFile(join(scratch, 'c-binary'), Buffer.from([0x6d, 0x6f, 0x00, 0x6f]));
    await writeFile(join(scratch, 'd-latin1'), Buffer.from('caf\xe9\n', 'latin1'));
    await writeFile(join(scratch, 'e-huge'), Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
    await writeFile(join(scratch, 'f-long'), `${'x'.repeat(5000)}\n%\n`);
    const result = await loaded(scratch);
    expect(allOf(result)).toEqual(['kept']);
    expect(result.problems).toBe(
      `skipped 5 files: "${join(scratch, 'b-empty')}" (empty), "${join(scratch, 'c-binary')}" (binary, not a ` +
        `fortune file), "${join(scratch, 'd-latin1')}" (not UTF-8 text), "${join(scratch, 'e-huge')}" (larger ` +
        `than 4 MiB), "${join(scratch, 'f-long')}" (every fortune is over 1000 characters)`,
    );
  });

  it('keeps the report to one line however many files are bad, and file names cannot break it', async () => {
    await writeFile(join(scratch, 'good'), 'kept\n');
    for (let index = 0; index < 8; index++) await writeFile(join(scratch, `bad\n${index}`), '');
    const result = await loaded(`${scratch}${delimiter}${join(scratch, 'missing')}`);
    expect(result.problems).toMatch(/^skipped 9 files: .* \(empty\) and 4 more$/);
    expect(result.problems).toContain(JSON.stringify(join(scratch, 'bad\n0')));
    expect(result.problems).not.toContain('\n');
  });

  it('fails with one line saying what to do when nothing usable is found', async () => {
    const missing = await loadFortuneFiles(join(scratch, 'nowhere'));
    expect(missing).toEqual({
      ok: false,
      error: expect.stringMatching(
        /^FORTUNE_PATH holds no usable fortune file \(skipped 1 file: ".*nowhere" \(not found\)\)\. Point it at fortune-mod files/,
      ),
    });
    const empty = await loadFortuneFiles(scratch);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.error).not.toContain('\n');
  });

  it('does not enter sub-folders, so an off/ collection next to the files stays unread', async () => {
    await mkdir(join(scratch, 'off'));
    await writeFile(join(scratch, 'off', 'rude'), 'never\n');
    expect((await loadFortuneFiles(scratch)).ok).toBe(false);
  });

  it('refuses what is neither a file nor a folder', async () => {
    const result = await loadFortuneFiles('/dev/null');
    expect(result).toEqual({ ok: false, error: expect.stringContaining('"/dev/null" (not a file or folder)') });
  });

  it('mentions the entries it left out for length', async () => {
    await writeFile(join(scratch, 'mixed'), `short\n%\n${'y'.repeat(1001)}\n%\n`);
    expect((await loaded(scratch)).summary).toBe('1 fortune from 1 file (1 longer than 1000 characters left out)');
  });
});
