#!/usr/bin/env node
/**
 * Drops optional dependencies that package-lock.json has no entry for.
 *
 * Why: the registry this project is built against lacks some platform-specific optional packages (e.g.
 * Biome's and Jest's binaries for other operating systems). `npm install` skips them and writes a lockfile
 * without them, and `npm ci` then refuses that lockfile as "out of sync". Removing the dangling optional
 * edges makes the lockfile self-consistent; nothing that installs on this platform changes.
 * Run it after changing dependencies: `npm run lockfile:prune`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const locked = new Set(Object.keys(lock.packages).map((key) => key.replace(/^.*node_modules\//, '')));

let removed = 0;
for (const entry of Object.values(lock.packages)) {
  if (entry.optionalDependencies === undefined) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    if (!locked.has(name)) {
      delete entry.optionalDependencies[name];
      removed++;
    }
  }
  if (Object.keys(entry.optionalDependencies).length === 0) delete entry.optionalDependencies;
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: removed ${removed} optional dependencies the registry does not have.`);
