/**
 * `npm run manifest`: the real manifest.yml in, a manifest out that Slack's schema accepts, with every
 * request URL on the given host and nothing else changed; anything but a public https URL refused.
 */
import { PassThrough } from 'node:stream';
import { parse } from 'yaml';
import { readManifestTemplate, runManifestCli } from '../../tools/manifest-generator.js';
import { manifestSchemaErrors } from '../helpers.js';

interface Manifest {
  features: { slash_commands: Array<{ command: string; url?: string }> };
  settings: { socket_mode_enabled: boolean; interactivity?: { is_enabled: boolean; request_url?: string } };
}

let template: string;
beforeAll(async () => {
  template = await readManifestTemplate();
});

function manifestCli(argv: string[]): { code: number; stdout: string; stderr: string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const code = runManifestCli(argv, { stdout, stderr }, template);
  stdout.end();
  stderr.end();
  return { code, stdout: String(stdout.read() ?? ''), stderr: String(stderr.read() ?? '') };
}

/** Every string value anywhere in the manifest that is a URL Slack sends requests to. */
function requestUrls(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return key === 'url' || key === 'request_url' ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => requestUrls(item));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([childKey, child]) => requestUrls(child, childKey));
  }
  return [];
}

/** The manifest with its request URLs blanked, to compare everything else. */
function withoutUrls(manifest: unknown): unknown {
  return JSON.parse(JSON.stringify(manifest, (key, value) => (key === 'url' || key === 'request_url' ? '*' : value)));
}

describe('npm run manifest -- --url', () => {
  it("points every request URL at the host, stays valid against Slack's schema, changes nothing else", () => {
    const run = manifestCli(['--url', 'https://my-app.example.com']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const manifest = parse(run.stdout) as Manifest;
    expect(manifestSchemaErrors(manifest)).toEqual([]);
    const urls = requestUrls(manifest);
    // Each slash command, and interactivity (buttons and the message shortcut).
    expect(urls).toHaveLength(manifest.features.slash_commands.length + 1);
    expect(manifest.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: 'https://my-app.example.com/slack/events',
    });
    for (const url of urls) expect(url).toBe('https://my-app.example.com/slack/events');
    expect(run.stdout).not.toContain('your-app.example.com');
    expect(withoutUrls(manifest)).toEqual(withoutUrls(parse(template)));
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(run.stdout).toMatch(/^# Slack app manifest for https:\/\/my-app\.example\.com,/);
  });

  it.each([
    ['https://my-app.example.com/', 'https://my-app.example.com/slack/events'],
    ['https://my-app.example.com/slack/events', 'https://my-app.example.com/slack/events'],
    ['https://Example.COM:8443/cowsay/', 'https://example.com:8443/cowsay/slack/events'],
    ['--url=https://x.herokuapp.com', 'https://x.herokuapp.com/slack/events'],
    ['https://bücher.example/a b', 'https://xn--bcher-kva.example/a%20b/slack/events'],
  ])('%s → %s', (url, expected) => {
    const run = manifestCli(url.startsWith('--') ? [url] : ['--url', url]);
    expect(run.code).toBe(0);
    const manifest = parse(run.stdout) as Manifest;
    expect(requestUrls(manifest)).toEqual([expected, expected, expected]);
    expect(manifestSchemaErrors(manifest)).toEqual([]);
  });

  it('keeps a hostile path inside its YAML string', () => {
    const run = manifestCli(['--url', 'https://x.example.com/a\'b"c: d\n  oauth_config: {}']);
    expect(run.code).toBe(0);
    const manifest = parse(run.stdout) as Manifest & { oauth_config: { scopes: { bot: string[] } } };
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write']);
    expect(manifestSchemaErrors(manifest)).toEqual([]);
    for (const url of requestUrls(manifest)) expect(new URL(url).host).toBe('x.example.com');
  });

  it.each([
    ['http://my-app.example.com', /only sends requests to https:\/\/ URLs/],
    ['ftp://my-app.example.com', /https:\/\//],
    ['javascript:alert(1)', /https:\/\//],
    ['my-app.example.com', /is not a URL/],
    ['', /is not a URL/],
    ['https://localhost:3000', /cannot reach a local address.*--socket-mode/s],
    ['https://127.0.0.1', /local address/],
    ['https://[::1]/', /local address/],
    ['https://user:pw@my-app.example.com', /credentials/],
    ['https://my-app.example.com/?x=1', /query/],
    ['https://my-app.example.com/#top', /fragment/],
  ])('refuses %j', (url, reason) => {
    const run = manifestCli(['--url', url]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toContain('Usage: npm run manifest');
  });

  it('refuses missing, unknown and conflicting arguments', () => {
    for (const argv of [[], ['--url'], ['--host', 'x'], ['--url', 'https://a.example', '--socket-mode']]) {
      const run = manifestCli(argv);
      expect([argv, run.code, run.stdout]).toEqual([argv, 2, '']);
    }
    expect(manifestCli(['--help'])).toEqual({ code: 0, stdout: expect.stringContaining('--socket-mode'), stderr: '' });
  });
});

describe('npm run manifest -- --socket-mode', () => {
  it('turns Socket Mode on, drops every request URL and stays valid', () => {
    const run = manifestCli(['--socket-mode']);
    expect(run.code).toBe(0);
    const manifest = parse(run.stdout) as Manifest;
    expect(manifestSchemaErrors(manifest)).toEqual([]);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(requestUrls(manifest)).toEqual([]);
    // Buttons and shortcuts arrive over the socket, but only if interactivity is on.
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true });
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual(['/cowsay', '/chat']);
    expect(run.stdout).toContain('SLACK_APP_TOKEN');
  });
});
