#!/usr/bin/env node
/**
 * Checks the production dependency tree for known problems with what the configured registry offers.
 *
 * 1. `npm audit --omit=dev`: the real advisory check. Where the registry serves advisories, its verdict is
 *    final (exit 1 on high or critical).
 * 2. Where it does not (some mirrors answer the bulk-advisory endpoint with 405), say so plainly, then check
 *    what still can be checked: every locked production package is asked for its `deprecated` notice,
 *    which is how npm flags versions withdrawn for security or correctness.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

async function audit() {
  try {
    const { stdout } = await run(npm, ['audit', '--omit=dev', '--json'], { maxBuffer: 32 * 1024 * 1024 });
    return JSON.parse(stdout);
  } catch (error) {
    // npm audit exits 1 when it finds something; its JSON is still on stdout.
    const stdout = typeof error?.stdout === 'string' ? error.stdout : '';
    try {
      const report = JSON.parse(stdout);
      return report.error === undefined ? report : undefined;
    } catch {
      return undefined;
    }
  }
}

const report = await audit();
if (report?.metadata?.vulnerabilities !== undefined) {
  const counts = report.metadata.vulnerabilities;
  console.log(`npm audit (production dependencies): ${JSON.stringify(counts)}`);
  process.exit(counts.high + counts.critical > 0 ? 1 : 0);
}

console.log('npm audit: the registry did not serve advisories; checking deprecation notices instead.');
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const packages = Object.entries(lock.packages)
  .filter(([path, entry]) => path !== '' && entry.dev !== true && entry.version !== undefined)
  .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version}`);
const unique = [...new Set(packages)].sort();

const deprecated = [];
const unreachable = [];
const queue = [...unique];
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
      try {
        const { stdout } = await run(npm, ['view', spec, 'deprecated', '--json'], { timeout: 30_000 });
        if (stdout.trim() !== '') deprecated.push(`${spec}: ${JSON.parse(stdout)}`);
      } catch {
        unreachable.push(spec);
      }
    }
  }),
);

console.log(`Checked ${unique.length - unreachable.length} of ${unique.length} production packages.`);
for (const line of deprecated) console.log(`  deprecated: ${line}`);
for (const spec of unreachable) console.log(`  could not check: ${spec}`);
process.exit(deprecated.length > 0 ? 1 : 0);
