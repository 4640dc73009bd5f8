/**
 * The frozen-disk phase of scripts/stress.mjs: the app's SQLite file lives on a loop-mounted ext4 image,
 * which `fsfreeze` freezes while requests arrive, to see which answers wait for the disk. Needs root,
 * fsfreeze and loop devices; without them the phase says why it was skipped. The disk is always thawed,
 * on an error and on Ctrl-C too, since a process writing to a frozen filesystem cannot even be killed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slashCommand, startApp, timed } from './stress-kit.mjs';

const frozen = new Set();
/** How long the disk stays frozen at most, whatever happens to the requests. */
const FREEZE_MS = 12_000;
const PROBE_TIMEOUT_MS = 5000;

export function thawAll() {
  for (const mountPoint of frozen) spawnSync('fsfreeze', ['-u', mountPoint]);
  frozen.clear();
}

function whyUnavailable() {
  if (process.getuid?.() !== 0) return 'not running as root';
  for (const tool of ['fsfreeze', 'mkfs.ext4', 'mount', 'umount']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

function mountImage() {
  const scratch = mkdtempSync(join(tmpdir(), 'cowsay-freeze-'));
  const image = join(scratch, 'disk.img');
  const mountPoint = join(scratch, 'mnt');
  mkdirSync(mountPoint);
  writeFileSync(image, '');
  truncateSync(image, 64 * 1024 * 1024);
  execFileSync('mkfs.ext4', ['-q', '-F', image], { stdio: 'ignore' });
  try {
    execFileSync('mount', ['-o', 'loop', image, mountPoint], { stdio: 'pipe' });
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  const remove = () => {
    spawnSync('umount', [mountPoint]);
    rmSync(scratch, { recursive: true, force: true });
  };
  return { mountPoint, remove };
}

function freeze(mountPoint) {
  frozen.add(mountPoint);
  execFileSync('fsfreeze', ['-f', mountPoint]);
  const thaw = setTimeout(thawAll, FREEZE_MS);
  return () => {
    clearTimeout(thaw);
    thawAll();
  };
}

/**
 * The reads the app is asked, each with the time it took or that it had no answer in 5 s. With `withPost`, a
 * `/chat` post goes first, and the reads 300 ms after it: they show whether the post holds up the app.
 */
async function probes(port, withPost) {
  const probe = (label, request) =>
    timed(port, { ...request, timeoutMs: PROBE_TIMEOUT_MS }).then((outcome) => ({ label, ...outcome }));
  const post = withPost ? probe('/chat <post>', slashCommand('/chat', 'during the freeze')) : undefined;
  if (post !== undefined) await new Promise((resolve) => setTimeout(resolve, 300));
  const reads = [
    probe('GET /healthz', { path: '/healthz' }),
    probe('/cowsay hello', slashCommand('/cowsay', 'hello')),
    probe('GET /say/hello', { path: '/say/hello' }),
  ];
  return Promise.all(post === undefined ? reads : [post, ...reads]);
}

function describe(outcome) {
  const answer = outcome.status === 0 ? `no answer (${outcome.error})` : String(outcome.status);
  return `${outcome.label}: ${answer} after ${(outcome.ms / 1000).toFixed(2)} s`;
}

export async function freezePhase(print) {
  print('## A frozen SQLite disk (fsfreeze on a loop-mounted ext4 image)');
  const unavailable = whyUnavailable();
  if (unavailable !== undefined) {
    print(`- skipped: ${unavailable} (the phase needs root, fsfreeze and loop devices)`);
    return;
  }
  let disk;
  try {
    disk = mountImage();
  } catch (error) {
    print(`- skipped: no loop-mounted filesystem here (${String(error.message).split('\n')[0]})`);
    return;
  }
  const app = await startApp({ DATABASE_URL: `sqlite:${join(disk.mountPoint, 'cowsay.db')}` });
  try {
    await timed(app.port, slashCommand('/chat', 'before the freeze'));
    const thaw = freeze(disk.mountPoint);
    const reading = await probes(app.port, false);
    print(`- frozen, reads only: ${reading.map(describe).join('; ')}`);
    const writing = await probes(app.port, true);
    print(`- frozen, a /chat post, then reads: ${writing.map(describe).join('; ')}`);
    thaw();
    const after = await probes(app.port, true);
    print(`- thawed: ${after.map(describe).join('; ')}`);
  } finally {
    thawAll();
    await app.stop();
    disk.remove();
  }
}
