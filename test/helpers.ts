/**
 * Shared test helpers: a request signer that signs exactly as Slack does, an app starter on port 0,
 * and an in-memory fake store (used where the store is not what a test is about).
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { type CowsayApp, createCowsayApp } from '../src/app.js';
import { type Config, parseConfig } from '../src/config.js';
import { type CowCatalog, loadCowCatalog } from '../src/cowsay/cows.js';
import type { Fortunes } from '../src/cowsay/fortunes.js';
import type { HttpLimits } from '../src/http/server.js';
import type { Board, DeleteOutcome, MessageStore, StoredMessage, TokenTake } from '../src/store/message-store.js';

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

/**
 * A made-up token of Slack's shape (`xoxb-…`, `xapp-…`), assembled at run time so the repository never
 * holds a string that token scanners (or people) would mistake for a real credential.
 */
export function fakeSlackToken(prefix: 'xoxb' | 'xoxp' | 'xapp', ...parts: string[]): string {
  return [prefix, ...parts].join('-');
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The `v0=` signature Slack would send for this body, computed independently of the app's code. */
export function slackSignature(secret: string, timestamp: string | number, body: string | Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

export interface SlashCommandFields {
  command: string;
  text?: string;
  team_id?: string;
  enterprise_id?: string;
  channel_id?: string;
  user_id?: string;
  [field: string]: string | undefined;
}

let invocations = 0;

/** A slash-command form body with the fields Slack sends. https://docs.slack.dev/interactivity/implementing-slash-commands */
export function slashCommandBody(fields: SlashCommandFields): string {
  // Slack gives every invocation its own trigger_id; the same one twice means a copy of one request.
  invocations += 1;
  const form = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0001',
    team_domain: 'example',
    channel_id: 'C0001',
    channel_name: 'general',
    user_id: 'U0001',
    user_name: 'alice',
    text: '',
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0001/1/abc',
    trigger_id: `1.${process.pid}.${invocations}`,
  });
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, value);
  return form.toString();
}

export interface SendOptions {
  secret?: string;
  timestamp?: string | number;
  signature?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or `undefined` if it is not JSON. */
  json: unknown;
}

/** POSTs a body to /slack/events, signed like Slack signs it unless the options say otherwise. */
export async function postToSlack(
  baseUrl: string,
  body: string | Buffer,
  options: SendOptions = {},
): Promise<TestResponse> {
  const timestamp = String(options.timestamp ?? nowSeconds());
  const signature = options.signature ?? slackSignature(options.secret ?? TEST_SIGNING_SECRET, timestamp, body);
  const response = await fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': options.contentType ?? 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': timestamp,
      'X-Slack-Signature': signature,
      ...options.headers,
    },
    body,
  });
  return readResponse(response);
}

export async function readResponse(response: Response): Promise<TestResponse> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A slash command as Slack would send it; resolves with the reply. */
export function sendSlashCommand(
  baseUrl: string,
  fields: SlashCommandFields,
  options?: SendOptions,
): Promise<TestResponse> {
  return postToSlack(baseUrl, slashCommandBody(fields), options);
}

export interface SlackReply {
  response_type?: string;
  text?: string;
  blocks?: Array<{ type: string; text?: { type: string; text: string } }>;
}

export function asReply(response: TestResponse): SlackReply {
  if (typeof response.json !== 'object' || response.json === null) {
    throw new Error(`Expected a JSON reply, got ${response.status}: ${response.text}`);
  }
  return response.json as SlackReply;
}

/** The cow inside a reply's code block, with the mrkdwn escaping and fence undone. */
export function cowFromReply(reply: SlackReply): string {
  const block = reply.blocks?.[0]?.text?.text ?? '';
  const match = /^```\n([\s\S]*)\n```$/.exec(block);
  if (match === null) throw new Error(`Not a code block: ${block}`);
  return (match[1] ?? '')
    .replace(/\u200b/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Where a command is run from: the Slack ids of its board and author. */
export type CommandOrigin = Partial<Pick<SlashCommandFields, 'team_id' | 'enterprise_id' | 'channel_id' | 'user_id'>>;

/** Runs `/chat <text>` and returns the reply's text, checking it is ephemeral as every /chat reply is. */
export async function sendChat(baseUrl: string, text: string, origin: CommandOrigin = {}): Promise<string> {
  const response = await sendSlashCommand(baseUrl, { command: '/chat', text, ...origin });
  if (response.status !== 200) throw new Error(`/chat answered ${response.status}: ${response.text}`);
  const reply = asReply(response);
  if (reply.response_type !== 'ephemeral') throw new Error(`/chat replied in the channel: ${response.text}`);
  return reply.text ?? '';
}

/** The id in a post confirmation ("Posted as *#42*."). */
export function postedId(reply: string): number {
  const match = /^Posted as \*#(\d+)\*\./.exec(reply);
  if (match === null) throw new Error(`not a post confirmation: ${reply}`);
  return Number(match[1]);
}

/** The message ids a /chat reply lists, in the order shown. */
export function listedIds(reply: string): number[] {
  return [...reply.matchAll(/^\*#(\d+)\* /gm)].map((match) => Number(match[1]));
}

let catalogPromise: Promise<CowCatalog> | undefined;
export function testCatalog(): Promise<CowCatalog> {
  catalogPromise ??= loadCowCatalog();
  return catalogPromise;
}

/**
 * The per-client limit on the web routes is off: suites send web requests faster than a person would, all
 * from one address. The limit's own tests (test/http/limits.test.ts) set it.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({ SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, PORT: '0', WEB_RATE_LIMIT: '0', ...overrides });
}

/**
 * mulberry32: a tiny deterministic generator, so a failing randomised test can be replayed from its seed.
 * Shared by the fuzz and isolation tests.
 */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const bytes = (length: number) => Buffer.from(Array.from({ length }, () => int(256)));
  return { next, int, pick, bytes };
}

export type Random = ReturnType<typeof createRandom>;

/** A logger that keeps every line, so tests can assert on (or search) what was logged. */
export interface CapturingLogger extends Logger {
  readonly lines: string[];
}

export function createCapturingLogger(): CapturingLogger {
  const lines: string[] = [];
  let level = 'info';
  const record =
    (kind: string) =>
    (...message: unknown[]) => {
      lines.push(`[${kind}] ${message.map((part) => (part instanceof Error ? part.stack : String(part))).join(' ')}`);
    };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level as ReturnType<Logger['getLevel']>,
    // Lines are kept bare, so a name would only be noise.
    setName: () => {},
  };
}

/** An in-memory store for tests whose subject is not the store. */
export function createFakeStore(): MessageStore & { failing: boolean } {
  const messages: Array<StoredMessage & { key: string }> = [];
  let nextId = 1;
  const keyOf = (board: Board) => `${board.enterpriseId}/${board.teamId}/${board.channelId}`;
  const store = {
    failing: false,
    async post(board: Board, userId: string, text: string) {
      if (store.failing) throw new Error('fake store is down');
      const message = { id: nextId++, userId, text, createdAt: new Date(), key: keyOf(board) };
      messages.push(message);
      return message;
    },
    async latest(board: Board, limit: number) {
      if (store.failing) throw new Error('fake store is down');
      return messages.filter((message) => message.key === keyOf(board)).slice(-limit);
    },
    async delete(board: Board, id: number, userId: string): Promise<DeleteOutcome> {
      if (store.failing) throw new Error('fake store is down');
      const index = messages.findIndex((message) => message.id === id && message.key === keyOf(board));
      if (index < 0) return 'not-found';
      if (messages[index]?.userId !== userId) return 'not-owner';
      messages.splice(index, 1);
      return 'deleted';
    },
    // Never limits: the post limit is tested on the real stores (test/store/contract.ts and over HTTP).
    async takeToken(): Promise<TokenTake> {
      if (store.failing) throw new Error('fake store is down');
      return { allowed: true };
    },
    async ping() {
      if (store.failing) throw new Error('fake store is down');
    },
    async close() {},
  };
  return store;
}

export interface RunningApp {
  app: CowsayApp;
  baseUrl: string;
  logger: CapturingLogger;
  store: MessageStore;
  stop(): Promise<void>;
}

const UNSHED_LOAD = { maxInFlight: 10_000, cpuShare: 1, cpuBurstMs: 60_000 } as const;

/** Builds the real app (real receiver, real Bolt, real HTTP server) on a free port. */
export async function startTestApp(
  options: {
    store?: MessageStore;
    config?: Config;
    logger?: CapturingLogger;
    catalog?: CowCatalog;
    httpLimits?: Partial<HttpLimits>;
    fortunes?: Fortunes;
  } = {},
): Promise<RunningApp> {
  const logger = options.logger ?? createCapturingLogger();
  const store = options.store ?? createFakeStore();
  const app = createCowsayApp({
    config: options.config ?? testConfig(),
    store,
    catalog: options.catalog ?? (await testCatalog()),
    fortunes: options.fortunes,
    logger,
    // Load shedding is out of reach unless a test sets it: suites fire web requests far faster than people do,
    // and a slow machine would turn that into 503s (as the per-client limit is off in testConfig).
    httpLimits: { load: UNSHED_LOAD, ...options.httpLimits },
  });
  const address: AddressInfo = await app.start(0);
  return { app, baseUrl: `http://127.0.0.1:${address.port}`, logger, store, stop: () => app.stop() };
}

let manifestValidator: ValidateFunction | undefined;

/**
 * Validates a parsed manifest against Slack's app-manifest schema (a copy is kept in
 * test/fixtures/slack/) and returns the errors, empty when valid. `strict: false` because the schema uses keywords
 * ("regex", "_note") that are not JSON Schema.
 */
export function manifestSchemaErrors(manifest: unknown): unknown[] {
  if (manifestValidator === undefined) {
    const schema = JSON.parse(
      readFileSync(new URL('./fixtures/slack/manifest.schema.1.0.0.json', import.meta.url), 'utf8'),
    ) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    manifestValidator = ajv.compile(schema);
  }
  return manifestValidator(manifest) ? [] : [...(manifestValidator.errors ?? [])];
}
