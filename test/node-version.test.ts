/**
 * The supported-Node check: the rule itself, and the built app refusing an old Node with one line. The
 * process half needs real old Node binaries: CI names them in UNSUPPORTED_NODE_BINARIES (colon-separated);
 * without them that half is skipped with a notice, since no old Node can be conjured from inside Jest.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSupportedNode, SUPPORTED_NODE_TEXT } from '../src/node-version.js';

const ENTRY = new URL('../dist/index.js', import.meta.url).pathname;
const OLD_NODES = (process.env.UNSUPPORTED_NODE_BINARIES ?? '').split(':').filter((path) => path !== '');

describe('isSupportedNode', () => {
  it.each(['22.14.0', '22.23.5', '24.0.0', '24.22.3', '26.0.0', '26.12.1'])('accepts %s', (version) => {
    expect(isSupportedNode(version)).toBe(true);
  });

  it.each(['20.20.2', '21.7.3', '22.13.1', '22.0.0', '23.11.0', '25.2.1', '27.0.0', '18.20.8', '', 'x.y.z', '24'])(
    'refuses %p',
    (version) => {
      expect(isSupportedNode(version)).toBe(false);
    },
  );

  it('names every supported line in its message', () => {
    expect(SUPPORTED_NODE_TEXT).toBe('22.14+, 24, 26');
  });
});

const describeOld = OLD_NODES.length > 0 ? describe : describe.skip;
if (OLD_NODES.length === 0) {
  console.warn('UNSUPPORTED_NODE_BINARIES is not set: skipping the old-Node process test (.ci/run sets it).');
}

describeOld('the built app on an unsupported Node', () => {
  let workDir: string;
  beforeAll(() => {
    if (!existsSync(ENTRY)) throw new Error('dist/index.js is missing: run `npm run build` (npm test does) first.');
    workDir = mkdtempSync(join(tmpdir(), 'cowsay-old-node-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it.each(OLD_NODES)('%s: one clear line, exit 1, nothing else loaded', (binary) => {
    const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const run = spawnSync(binary, [ENTRY], {
      cwd: workDir,
      // A valid configuration, so the only thing that can stop the app is the Node version.
      env: { PATH: process.env.PATH ?? '', SLACK_SIGNING_SECRET: 'a-local-test-secret', PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`this is Node.js ${version.replace(/^v/, '')}`);
    expect(lines[0]).toContain(SUPPORTED_NODE_TEXT);
  });
});
