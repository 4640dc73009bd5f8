#!/usr/bin/env node
/**
 * Runs a tool from src/tools (`npm run slash`, `npm run manifest`, `npm run dev`) from its build in dist/,
 * building first when dist/ is missing or older than the sources. A fresh clone needs no separate build
 * step, and a second run starts at once instead of waiting for the compiler.
 *
 *   node scripts/run-tool.mjs slash|manifest|dev [arguments…]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = ['slash', 'manifest', 'dev'];

const [tool, ...args] = process.argv.slice(2);
if (tool === undefined || !TOOLS.includes(tool)) {
  console.error(`Usage: node scripts/run-tool.mjs ${TOOLS.join('|')} [arguments…]`);
  process.exit(2);
}

const target = join(root, 'dist', 'tools', `${tool}.js`);
if (isStale(target)) {
  // The compiler's own output goes to standard error, so `npm run -s manifest > manifest.yml` stays clean.
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    stdio: ['ignore', 2, 2],
  });
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
  const inputs = [join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), join(root, 'package-lock.json')];
  return [...inputs, ...sourceFiles(join(root, 'src'))].some(
    (file) => existsSync(file) && statSync(file).mtimeMs > builtAt,
  );
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
