/**
 * `npm run dev` on a fresh clone: a git-ignored .env with a random secret appears once, is never
 * overwritten, never shown, and is all a newcomer needs for `npm run slash` to reach the app.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'dotenv';
import { loadLocalToolSettings, parseConfig } from '../../src/config.js';
import { ensureDevDotenv } from '../../tools/dev-bootstrap.js';
import { runSlashCli } from '../../tools/slash-cli.js';
import { startTestApp } from '../helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cowsay-dev-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function readDotenv(): Promise<Record<string, string>> {
  return parse(await readFile(join(dir, '.env'), 'utf8'));
}

describe('ensureDevDotenv', () => {
  it('creates .env with a random 256-bit secret the app accepts, readable by this user only', async () => {
    const outcome = await ensureDevDotenv(dir, false);
    expect(outcome.action).toBe('created');
    const secret = (await readDotenv()).SLACK_SIGNING_SECRET ?? '';
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(parseConfig({ SLACK_SIGNING_SECRET: secret }).signingSecret).toBe(secret);
    expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(0o600);
    // It says what it did, and not the secret.
    expect(outcome.message).toMatch(/Created \.env with a random local SLACK_SIGNING_SECRET/);
    expect(outcome.message).not.toContain(secret);
  });

  it('gives every clone its own secret', async () => {
    const other = await mkdtemp(join(tmpdir(), 'cowsay-dev-'));
    try {
      await ensureDevDotenv(dir, false);
      await ensureDevDotenv(other, false);
      const theirs = parse(await readFile(join(other, '.env'), 'utf8')).SLACK_SIGNING_SECRET;
      expect((await readDotenv()).SLACK_SIGNING_SECRET).not.toBe(theirs);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('never touches a .env that has a secret, and never replaces one', async () => {
    const mine = '# mine\nSLACK_SIGNING_SECRET=my-own-secret-from-slack-0123\nPORT=4000\n';
    await writeFile(join(dir, '.env'), mine);
    expect(await ensureDevDotenv(dir, false)).toEqual({ action: 'none', message: 'Using the settings in .env.' });
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe(mine);

    await rm(join(dir, '.env'));
    await ensureDevDotenv(dir, false);
    const first = await readFile(join(dir, '.env'), 'utf8');
    expect((await ensureDevDotenv(dir, false)).action).toBe('none');
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe(first);
  });

  it('fills in the empty secret of a .env copied from .env.example, keeping everything else', async () => {
    const example = await readFile(new URL('../../.env.example', import.meta.url), 'utf8');
    await writeFile(join(dir, '.env'), example);
    const outcome = await ensureDevDotenv(dir, false);
    expect(outcome.action).toBe('filled-in');
    const filled = await readFile(join(dir, '.env'), 'utf8');
    const secret = parse(filled).SLACK_SIGNING_SECRET ?? '';
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(filled.replace(secret, '')).toBe(example);
    expect(outcome.message).not.toContain(secret);
  });

  it('adds the secret to a .env that does not mention it', async () => {
    await writeFile(join(dir, '.env'), 'PORT=4000');
    expect((await ensureDevDotenv(dir, false)).action).toBe('filled-in');
    const values = await readDotenv();
    expect(values.PORT).toBe('4000');
    expect(values.SLACK_SIGNING_SECRET).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates nothing when the environment already has the secret', async () => {
    const outcome = await ensureDevDotenv(dir, true);
    expect(outcome.action).toBe('none');
    await expect(stat(join(dir, '.env'))).rejects.toThrow(/ENOENT/);
  });

  it('writes a file that git ignores in this repository', () => {
    const repo = new URL('../..', import.meta.url).pathname;
    // `git check-ignore` exits 0 when the path is ignored; execFileSync throws otherwise.
    expect(execFileSync('git', ['check-ignore', '.env'], { cwd: repo, encoding: 'utf8' }).trim()).toBe('.env');
  });
});

describe("a newcomer's first minutes", () => {
  it('dev creates the secret, the app starts with it, and `npm run slash` gets a cow back', async () => {
    await ensureDevDotenv(dir, false);
    const env = await readDotenv();
    // The same helpers the app and the tool use, reading the .env that dev wrote.
    const settings = loadLocalToolSettings(env);
    const app = await startTestApp({ config: parseConfig({ ...env, PORT: '0' }) });
    try {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const stdin = new PassThrough();
      stdin.end();
      const code = await runSlashCli(
        ['--url', `${app.baseUrl}/slack/events`, '/cowsay', 'moo'],
        {
          stdin,
          stdout,
          stderr,
          interactive: false,
        },
        settings,
      );
      stdout.end();
      stderr.end();
      const out = String(stdout.read() ?? '');
      expect(code).toBe(0);
      expect(out).toContain('< moo >');
      expect(out).toContain('(oo)\\_______');
      expect(out + String(stderr.read() ?? '')).not.toContain(settings.signingSecret ?? '(none)');
    } finally {
      await app.stop();
    }
  });
});
