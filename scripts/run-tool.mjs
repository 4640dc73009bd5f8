#!/usr/bin/env node
/**
 * Runs a dev tool from tools/ (`npm run slash`, `npm run manifest`, `npm run dev`) from its own build in
 * dist/tools/, which is not part of the production build. It builds first when that is missing or older than
 * the sources, so a fresh clone needs no separate step and a second run starts at once.
 *
 *   node scripts/run-tool.mjs slash|manifest|dev [arguments…]
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfStale, root } from './build-if-stale.mjs';

const TOOLS = ['slash', 'manifest', 'dev'];

const [tool, ...args] = process.argv.slice(2);
if (tool === undefined || !TOOLS.includes(tool)) {
  console.error(`Usage: node scripts/run-tool.mjs ${TOOLS.join('|')} [arguments…]`);
  process.exit(2);
}

// tools/tsconfig.json compiles from the repository root, so the tools land in dist/tools/tools/.
const output = join('dist', 'tools', 'tools', `${tool}.js`);
if (!buildIfStale(join('tools', 'tsconfig.json'), output, ['src', 'tools'])) {
  console.error('The build failed (see above). Fix it, or run `npm install` if dependencies are missing.');
  process.exit(1);
}

process.argv = [process.argv[0] ?? 'node', join(root, output), ...args];
await import(pathToFileURL(join(root, output)).href);
