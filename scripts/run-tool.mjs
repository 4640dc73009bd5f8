#!/usr/bin/env node
/**
 * Runs a dev tool from tools/ (`npm run slash`, `npm run manifest`, `npm run dev`) from its own build in
 * dist/tools/, which is not part of the production build. It builds first when that is missing or older than
 * the sources, so a fresh clone needs no separate step and a second run starts at once.
 *
 *   node scripts/run-tool.mjs slash|manifest|dev [arguments…]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = ['slash', 'manifest', 'dev'];
const TSCONFIG = join(root, 'tools', 'tsconfig.json');

const [tool, ...args] = process.argv.slice(2);
if (tool === undefined || !TOOLS.includes(tool)) {
  console.error(`Usage: node scripts/run-tool.mjs ${TOOLS.join('|')} [arguments…]`);
  process.exit(2);
}

// tools/tsconfig.json compiles from the repository root, so the tools land in dist/tools/tools/.
const target = join(root, 'dist', 'tools', 'tools', `${tool}.js`);
if (isStale(target)) {
  // The compiler's own output goes to standard error, so `npm run -s manifest > manifest.yml` stays clean.
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', TSCONFIG], { stdio: ['ignore', 2, 2] });
  if (build.status !== 0 || !existsSync(target)) {
    console.error('The build failed (see above). Fix it, or run `npm install` if dependencies are missing.');
    process.exit(1);
  }
}

process.argv = [process.argv[0] ?? 'node', target, ...args];
await import(pathToFileURL(target).href);

/** True when the build is missing or any source or build setting changed after it. */
function isStale(built) {
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const inputs = [join(root, 'tsconfig.json'), TSCONFIG, join(root, 'package-lock.json')];
  return [...inputs, ...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'tools'))].some(
    (file) => existsSync(file) && statSync(file).mtimeMs > builtAt,
  );
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
