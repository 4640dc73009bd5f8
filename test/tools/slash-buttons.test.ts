/**
 * Pressing a preview's buttons from `npm run slash`: the real CLI against the real app, the client standing
 * in for Slack's response URL on a loopback origin the app is configured to allow.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { LocalToolSettings } from '../../src/config.js';
import { runSlashCli } from '../../tools/slash-cli.js';
import { type RunningApp, startTestApp, TEST_SIGNING_SECRET, testConfig } from '../helpers.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function slash(argv: string[], settings: LocalToolSettings, input: string) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  stdin.end(input);
  const code = await runSlashCli(argv, { stdin, stdout, stderr, interactive: false }, settings);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('npm run slash presses a preview’s buttons', () => {
  let running: RunningApp;
  let settings: LocalToolSettings;

  beforeAll(async () => {
    const origin = `http://127.0.0.1:${await freePort()}`;
    running = await startTestApp({ config: testConfig({ SLACK_RESPONSE_URL_ORIGINS: origin }) });
    settings = {
      signingSecret: TEST_SIGNING_SECRET,
      port: Number(new URL(running.baseUrl).port),
      responseUrlOrigin: origin,
    };
  });
  afterAll(() => running.stop());

  it('lists them with their keys; h shuffles, s sends and removes the preview', async () => {
    const run = await slash([], settings, '/cowsay -P -f tux hello there\nh\ns\n');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out.startsWith('(only visible to you)\n')).toBe(true);
    expect(out).toContain('|o_o |');
    expect(out.match(/^\[s\]end s\[h\]uffle \[c\]ancel$/gm)).toHaveLength(2);
    expect(out).toContain('(the message with the buttons now reads)\n');
    expect(out).toContain('\n@you via /cowsay\n(the message with the buttons was removed)\n');
    // The cow sent is the one the shuffle showed, not the first one.
    const shown = out.split('(the message with the buttons now reads)\n')[1]?.split('Only you can see')[0] ?? '';
    expect(out.split('[s]end s[h]uffle [c]ancel\n')[2]?.startsWith(shown)).toBe(true);
  });

  it('c cancels, and a line that is not a key is the next command', async () => {
    const run = await slash([], settings, '/cowsay -P bye\nc\n/cowsay -P again\n/cowsay -f tux plain\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('< bye >');
    expect(run.stdout).toContain('(the message with the buttons was removed)\n');
    expect(run.stdout).toContain('< again >');
    expect(run.stdout).toContain('< plain >');
    expect(run.stdout.match(/buttons was removed/g)).toHaveLength(1);
  });

  it('takes the key from standard input after a one-off command', async () => {
    const run = await slash(['/cowsay', '-P', '-F'], settings, 'send\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /\[s\]end s\[h\]uffle \[c\]ancel\n[\s\S]*@you via \/cowsay\n\(the message with the buttons was removed\)\n$/,
    );
  });

  it('says how to make them pressable when no loopback origin is configured', async () => {
    const run = await slash(['/cowsay', '-P', 'hi'], { ...settings, responseUrlOrigin: undefined }, 's\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(buttons: Send · Shuffle · Cancel. To press them here, add a loopback origin');
    expect(run.stdout).not.toContain('[s]end');
  });
});
