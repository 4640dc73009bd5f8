/**
 * Compiles a TypeScript project when its output is missing or older than any of its inputs, so whatever runs
 * built code (the dev tools, the process tests) never runs a stale build, and a fresh build is not redone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds `tsconfig` (a path from the repository root) unless `output` is newer than every file in `folders`
 * and the build settings. The compiler's output goes to standard error, so a tool's standard output stays
 * clean. Returns whether the output exists afterwards.
 */
export function buildIfStale(tsconfig, output, folders) {
  const target = join(root, output);
  const inputs = ['tsconfig.json', tsconfig, 'package-lock.json'].map((file) => join(root, file));
  const sources = folders.flatMap((folder) => filesIn(join(root, folder)));
  if (existsSync(target) && !isNewer([...inputs, ...sources], statSync(target).mtimeMs)) return true;
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, tsconfig)], { stdio: ['ignore', 2, 2] });
  return build.status === 0 && existsSync(target);
}

function isNewer(files, than) {
  return files.some((file) => existsSync(file) && statSync(file).mtimeMs > than);
}

function filesIn(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesIn(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
