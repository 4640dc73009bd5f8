/**
 * `npm run manifest`: prints `manifest.yml` ready to paste into "Create New App → From an app manifest",
 * with every request URL pointed at the app's host, or set up for Socket Mode (no URLs at all). The YAML
 * is edited as a document, not as text, so comments and layout survive and no value given on the command
 * line can break out of its string.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { fail, ok, type Result } from '../src/result.js';
import { SLACK_EVENTS_PATH } from '../src/slack/receiver.js';

export type ManifestTarget = { kind: 'url'; url: string } | { kind: 'socket-mode' };

/** Keys whose values are URLs Slack sends requests to. */
const REQUEST_URL_KEYS = new Set(['url', 'request_url']);

/**
 * Checks the app's public URL and returns the base that request paths are appended to (origin plus any path
 * prefix, without a trailing slash), or a reason it cannot be used.
 */
export function checkPublicUrl(value: string): Result<string, string> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`${JSON.stringify(value)} is not a URL; expected e.g. https://your-app.herokuapp.com.`);
  }
  if (url.protocol !== 'https:') {
    return fail(`Slack only sends requests to https:// URLs (got ${url.protocol}//…).`);
  }
  if (url.username !== '' || url.password !== '') return fail('The URL must not contain credentials.');
  if (url.search !== '' || url.hash !== '') {
    return fail('The URL must not have a query (?…) or a fragment (#…).');
  }
  if (/^(localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[::1?\])$/i.test(url.hostname) || url.hostname.endsWith('.localhost')) {
    return fail(
      'Slack cannot reach a local address. Deploy the app (or use a tunnel) and pass its public URL, or use ' +
        '--socket-mode for development without a public URL.',
    );
  }
  // Accept the host alone, a path prefix, or the full endpoint: "https://host/slack/events" is not doubled.
  let path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith(SLACK_EVENTS_PATH)) path = path.slice(0, -SLACK_EVENTS_PATH.length);
  return ok(`${url.origin}${path}`);
}

/** The manifest for `target`, from the manifest template's text. */
export function generateManifest(template: string, target: ManifestTarget): string {
  const document = parseDocument(template);
  if (document.errors.length > 0) throw new Error(`manifest.yml is not valid YAML: ${document.errors[0]?.message}`);

  let base = '';
  if (target.kind === 'url') {
    const checked = checkPublicUrl(target.url);
    if (!checked.ok) throw new Error(checked.error);
    base = checked.value;
  }

  visit(document, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || !REQUEST_URL_KEYS.has(String(pair.key.value))) return undefined;
      if (!isScalar(pair.value) || typeof pair.value.value !== 'string') return undefined;
      // In Socket Mode, Slack sends everything over the socket: a request URL would only confuse.
      if (target.kind === 'socket-mode') return visit.REMOVE;
      pair.value.value = `${base}${pathOf(pair.value.value)}`;
      return undefined;
    },
  });
  document.setIn(['settings', 'socket_mode_enabled'], target.kind === 'socket-mode');
  removeEmptyRequestUrlSections(document.get('settings'));

  // The template's header (how to fill in the URL) no longer applies; it is replaced by what was generated.
  const contents = document.contents;
  const firstKey = isMap(contents) ? contents.items[0]?.key : undefined;
  if (isScalar(firstKey)) firstKey.commentBefore = undefined;
  document.commentBefore =
    target.kind === 'url'
      ? ` Slack app manifest for ${base}, printed by \`npm run manifest -- --url ${base}\`.\n` +
        ' Paste it at https://api.slack.com/apps → Create New App → From an app manifest.\n' +
        ' Reference: https://docs.slack.dev/reference/app-manifest'
      : ' Slack app manifest for Socket Mode, printed by `npm run manifest -- --socket-mode`.\n' +
        ' Paste it at https://api.slack.com/apps → Create New App → From an app manifest, then create an app-level\n' +
        ' token (Basic Information → App-Level Tokens, scope connections:write) and set SLACK_APP_TOKEN to it.\n' +
        ' Reference: https://docs.slack.dev/reference/app-manifest';
  return document.toString({ lineWidth: 0 });
}

/** The path (and query) of a template URL, so `https://your-app.example.com/slack/events` keeps `/slack/events`. */
function pathOf(value: string): string {
  try {
    const url = new URL(value);
    return `${url.pathname}${url.search}`;
  } catch {
    return SLACK_EVENTS_PATH;
  }
}

/** Socket Mode: an `event_subscriptions` or `interactivity` section left with no request URL is dropped. */
function removeEmptyRequestUrlSections(settings: unknown): void {
  if (!isMap(settings)) return;
  for (const name of ['event_subscriptions', 'interactivity']) {
    const section = settings.get(name);
    if (isMap(section) && section.items.length === 0) settings.delete(name);
    if (isSeq(section) && section.items.length === 0) settings.delete(name);
  }
}

/**
 * manifest.yml beside the nearest package.json above this file: the file runs from tools/ (tests) and from
 * its build in dist/tools/tools/ (`npm run manifest`), at different depths.
 */
export function manifestUrl(): URL {
  for (let folder = new URL('.', import.meta.url); ; folder = new URL('..', folder)) {
    if (existsSync(new URL('package.json', folder))) return new URL('manifest.yml', folder);
    if (folder.pathname === '/') throw new Error('manifest.yml not found: run this from the repository.');
  }
}

export function readManifestTemplate(): Promise<string> {
  return readFile(manifestUrl(), 'utf8');
}

export const MANIFEST_USAGE = `Usage: npm run manifest -- --url https://your-app.example.com
       npm run manifest -- --socket-mode

Prints manifest.yml for "Create New App → From an app manifest" at https://api.slack.com/apps.

  --url URL        the app's public https URL; every request URL in the manifest points at it
  --socket-mode    no request URLs, Socket Mode on: for development without a public URL (set SLACK_APP_TOKEN)
`;

export interface ManifestCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Exit codes: 0 printed, 2 refused (with the reason on standard error). */
export function runManifestCli(argv: readonly string[], io: ManifestCliIo, template: string): number {
  let target: ManifestTarget | undefined;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '-h' || argument === '--help') {
      io.stdout.write(MANIFEST_USAGE);
      return 0;
    }
    let url: string | undefined;
    if (argument === '--url') url = argv[++index];
    else if (argument.startsWith('--url=')) url = argument.slice('--url='.length);
    if (argument === '--url' || argument.startsWith('--url=')) {
      if (url === undefined) return refuse(io, '--url needs a value.');
      if (target !== undefined) return refuse(io, 'Give one --url, or --socket-mode.');
      target = { kind: 'url', url };
    } else if (argument === '--socket-mode') {
      if (target !== undefined) return refuse(io, 'Give one --url, or --socket-mode.');
      target = { kind: 'socket-mode' };
    } else {
      return refuse(io, `Unknown argument ${JSON.stringify(argument)}.`);
    }
  }
  if (target === undefined) return refuse(io, 'Say where Slack should send requests.');
  try {
    io.stdout.write(generateManifest(template, target));
    return 0;
  } catch (error) {
    return refuse(io, error instanceof Error ? error.message : String(error));
  }
}

function refuse(io: ManifestCliIo, reason: string): number {
  io.stderr.write(`${reason}\n\n${MANIFEST_USAGE}`);
  return 2;
}
