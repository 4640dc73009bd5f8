/**
 * Reads fortune-mod collections named by `FORTUNE_PATH`: files, or folders of them (Debian's `fortunes-min`
 * puts its files in /usr/share/games/fortunes). Everything is bounded, since the path is configuration but
 * the files may be anything: at most MAX_FILES files of MAX_FILE_BYTES each, MAX_FORTUNES fortunes in all.
 * A bad file is skipped and named in one summary line; only a path with no usable fortune at all fails.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { createFortunes, type Fortunes, MAX_FORTUNE_CHARS, parseFortuneText } from './fortunes.js';

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_FILES = 200;
export const MAX_FORTUNES = 100_000;

export interface LoadedFortunes {
  readonly fortunes: Fortunes;
  /** What was read, for the start-up log: "431 fortunes from 3 files". */
  readonly summary: string;
  /** One line naming each skipped file and why, or `undefined` when every file was usable. */
  readonly problems: string | undefined;
}

export type LoadFortunesResult = { ok: true; value: LoadedFortunes } | { ok: false; error: string };

interface Skipped {
  readonly file: string;
  readonly problem: string;
}

/**
 * Loads every fortune file `fortunePath` names: one or more paths separated by the platform's path delimiter
 * (`:` on Unix, as in PATH). A folder contributes the regular files directly inside it, except hidden files
 * and fortune-mod's `.dat` indexes; sub-folders (such as fortune-mod's `off/`) are not entered.
 */
export async function loadFortuneFiles(fortunePath: string): Promise<LoadFortunesResult> {
  const skipped: Skipped[] = [];
  const files = await listFiles(
    fortunePath.split(delimiter).filter((part) => part !== ''),
    skipped,
  );
  const entries: string[] = [];
  let tooLong = 0;
  let used = 0;
  for (const file of files) {
    const read = await readFortuneFile(file);
    if (!read.ok) {
      skipped.push({ file, problem: read.error });
      continue;
    }
    used++;
    tooLong += read.value.tooLong;
    for (const entry of read.value.entries) if (entries.length < MAX_FORTUNES) entries.push(entry);
  }
  const problems = skipped.length === 0 ? undefined : describeSkipped(skipped);
  if (entries.length === 0) {
    return {
      ok: false,
      error: `FORTUNE_PATH holds no usable fortune file${problems === undefined ? '' : ` (${problems})`}. Point it at fortune-mod files or folders (entries separated by lines holding only %), or unset it to use the built-in fortunes.`,
    };
  }
  const notes = [
    tooLong > 0 ? `${tooLong} longer than ${MAX_FORTUNE_CHARS} characters left out` : '',
    entries.length >= MAX_FORTUNES ? `only the first ${MAX_FORTUNES} used` : '',
  ].filter((note) => note !== '');
  const summary = `${plural(entries.length, 'fortune')} from ${plural(used, 'file')}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  return { ok: true, value: { fortunes: createFortunes(entries, 'files'), summary, problems } };
}

/** The files to read, each once (Debian's `.u8` names are links to the same files), in a stable order. */
async function listFiles(paths: readonly string[], skipped: Skipped[]): Promise<string[]> {
  const seen = new Set<string>();
  const files: string[] = [];
  const add = async (file: string, explicit: boolean) => {
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile() !== true) {
      if (explicit) skipped.push({ file, problem: info === undefined ? 'not found' : 'not a file or folder' });
      return;
    }
    const real = await realpath(file).catch(() => file);
    if (seen.has(real)) return;
    seen.add(real);
    if (files.length >= MAX_FILES) skipped.push({ file, problem: `more than ${MAX_FILES} files` });
    else files.push(file);
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory() !== true) {
      await add(path, true);
      continue;
    }
    const names = await readdir(path).catch(() => undefined);
    if (names === undefined) {
      skipped.push({ file: path, problem: 'the folder cannot be read' });
      continue;
    }
    for (const name of names.sort()) {
      if (!name.startsWith('.') && !name.endsWith('.dat')) await add(join(path, name), false);
    }
  }
  return files;
}

type FileRead = { ok: true; value: ReturnType<typeof parseFortuneText> } | { ok: false; error: string };

async function readFortuneFile(file: string): Promise<FileRead> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined) return { ok: false, error: 'not found' };
  if (info.size > MAX_FILE_BYTES) return { ok: false, error: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return { ok: false, error: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  // A file that grew since stat() is judged by what was read.
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, error: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  if (bytes.includes(0)) return { ok: false, error: 'binary, not a fortune file' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: 'not UTF-8 text' };
  }
  const parsed = parseFortuneText(text);
  if (parsed.entries.length === 0) {
    return { ok: false, error: parsed.tooLong > 0 ? `every fortune is over ${MAX_FORTUNE_CHARS} characters` : 'empty' };
  }
  return { ok: true, value: parsed };
}

const SHOWN_PROBLEMS = 5;

/** All skipped files in one line, naming the first few: `skipped 2 files: /a (empty), /b (not UTF-8 text)`. */
function describeSkipped(skipped: readonly Skipped[]): string {
  const shown = skipped.slice(0, SHOWN_PROBLEMS).map(({ file, problem }) => `${JSON.stringify(file)} (${problem})`);
  const more = skipped.length > SHOWN_PROBLEMS ? ` and ${skipped.length - SHOWN_PROBLEMS} more` : '';
  return `skipped ${plural(skipped.length, 'file')}: ${shown.join(', ')}${more}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
