/**
 * The one reader of `process.env`. Everything the app can be configured with is read, validated and
 * returned here at once, so a misconfigured deploy fails at start-up with every problem listed, each
 * with the fix, instead of failing on the first request.
 */
import { config as loadDotenv } from 'dotenv';
import { DEFAULT_HTTP_LIMITS } from './http/server.js';
import type { StoreConfig } from './store/index.js';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';
/** `json`: one JSON object per line, for log collectors; `pretty`: readable lines, for `npm run dev`. */
export type LogFormat = 'json' | 'pretty';

export type { StoreConfig };

/** Limits of the HTTP server that an operator may need to change (the rest are fixed in src/http/server.ts). */
export interface HttpSettings {
  /** MAX_CONNECTIONS: open connections at most; more are refused at once. */
  readonly maxConnections: number;
  /** TRUST_PROXY_HOPS: reverse proxies in front of the app whose `X-Forwarded-For` entry is trusted (1 on Heroku). */
  readonly trustedProxyHops: number;
  /** WEB_RATE_LIMIT: requests a second per client on the web routes, in bursts of twice that; 0 turns it off. */
  readonly webRateLimit: number;
}

export interface Config {
  readonly signingSecret: string;
  readonly botToken: string | undefined;
  readonly appToken: string | undefined;
  readonly port: number;
  readonly store: StoreConfig;
  readonly logLevel: LogLevelName;
  readonly http: HttpSettings;
  /** Origins an interaction's `response_url` may have; the app calls no other. */
  readonly responseUrlOrigins: readonly string[];
  /** Slack's Web API base, ending in `/`. */
  readonly slackApiUrl: string;
  /** fortune-mod files or folders (`:`-separated) to use instead of the built-in fortunes. */
  readonly fortunePath: string | undefined;
  readonly logFormat: LogFormat;
  /** The bearer token `GET /metrics` requires; `undefined` turns the endpoint off (404). */
  readonly metricsToken: string | undefined;
}

export const DEFAULT_SQLITE_PATH = './data/cowsay.db';
export const DEFAULT_PORT = 3000;

/** Where Slack's response URLs point. https://docs.slack.dev/interactivity/handling-user-interaction */
export const DEFAULT_RESPONSE_URL_ORIGINS: readonly string[] = Object.freeze([
  'https://hooks.slack.com',
  'https://hooks.slack-gov.com',
]);
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
const LOG_LEVELS: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error'];
const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];
/** Long enough that guessing is hopeless; visible ASCII only, since it travels in an HTTP header. */
export const MIN_METRICS_TOKEN_LENGTH = 32;
const MAX_METRICS_TOKEN_LENGTH = 1024;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Values that people paste from templates and tutorials instead of the real secret. */
const PLACEHOLDER_SECRET = /^(x+|changeme|change-me|your[-_ ].*|<.*>|secret|signing[-_]secret|todo|\.\.\.)$/i;

/** Loads `.env` (real environment variables win) and validates; tests pass `env` instead. */
export function loadConfig(env?: Env): Config {
  let source: Env;
  if (env === undefined) {
    loadDotenv({ quiet: true });
    source = process.env;
  } else {
    source = env;
  }
  return parseConfig(source);
}

export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };

  const signingSecret = read('SLACK_SIGNING_SECRET');
  if (signingSecret === undefined) {
    problems.push(
      'SLACK_SIGNING_SECRET is not set. Find it in your app at https://api.slack.com/apps → Basic Information → ' +
        'App Credentials → Signing Secret, and put it in the environment or in .env.',
    );
  } else if (PLACEHOLDER_SECRET.test(signingSecret)) {
    problems.push(
      'SLACK_SIGNING_SECRET holds a placeholder, not a real secret. Copy the Signing Secret from Basic Information → ' +
        'App Credentials.',
    );
  }

  const botToken = read('SLACK_BOT_TOKEN');
  if (botToken !== undefined && !botToken.startsWith('xoxb-')) {
    problems.push(
      'SLACK_BOT_TOKEN must be a bot token starting with "xoxb-" (OAuth & Permissions → Bot User OAuth Token), or unset.',
    );
  }

  const appToken = read('SLACK_APP_TOKEN');
  if (appToken !== undefined && !appToken.startsWith('xapp-')) {
    problems.push(
      'SLACK_APP_TOKEN must be an app-level token starting with "xapp-" (Basic Information → App-Level Tokens, scope ' +
        'connections:write), or unset to serve HTTP.',
    );
  }

  const port = readPort(read('PORT'), problems);
  const store = readStore(read('DATABASE_URL'), problems);
  const logLevel = readLogLevel(read('LOG_LEVEL'), problems);
  const http = parseHttpSettings(read, problems);
  const responseUrlOrigins = readResponseUrlOrigins(read('SLACK_RESPONSE_URL_ORIGINS'), problems);
  const slackApiUrl = readSlackApiUrl(read('SLACK_API_URL'), problems);
  const fortunePath = read('FORTUNE_PATH');

  const logFormat = readLogFormat(read('LOG_FORMAT'), problems);
  const metricsToken = readMetricsToken(read('METRICS_TOKEN'), problems);

  if (problems.length > 0 || signingSecret === undefined) throw new ConfigError(problems);
  return Object.freeze({
    signingSecret,
    botToken,
    appToken,
    port,
    store: Object.freeze(store),
    logLevel,
    http,
    responseUrlOrigins,
    slackApiUrl,
    fortunePath,
    logFormat,
    metricsToken,
  });
}

export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  maxConnections: DEFAULT_HTTP_LIMITS.maxConnections,
  trustedProxyHops: DEFAULT_HTTP_LIMITS.trustedProxyHops,
  webRateLimit: DEFAULT_HTTP_LIMITS.clientRate?.perSecond ?? 0,
};

function parseHttpSettings(read: (name: string) => string | undefined, problems: string[]): HttpSettings {
  const wholeNumber = (name: string, min: number, max: number, fallback: number, hint: string): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
    if (value >= min && value <= max) return value;
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}"). ${hint}`);
    return fallback;
  };
  return Object.freeze({
    maxConnections: wholeNumber(
      'MAX_CONNECTIONS',
      1,
      100_000,
      DEFAULT_HTTP_SETTINGS.maxConnections,
      'Keep it well under the open-file limit (ulimit -n).',
    ),
    trustedProxyHops: wholeNumber(
      'TRUST_PROXY_HOPS',
      0,
      10,
      DEFAULT_HTTP_SETTINGS.trustedProxyHops,
      "Use 1 behind one reverse proxy such as Heroku's router, 0 when clients connect directly.",
    ),
    webRateLimit: wholeNumber(
      'WEB_RATE_LIMIT',
      0,
      100_000,
      DEFAULT_HTTP_SETTINGS.webRateLimit,
      'It is requests a second per client on the web pages; 0 turns the limit off.',
    ),
  });
}

function readPort(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isInteger(port) && port <= 65535) return port;
  problems.push(`PORT must be a whole number from 0 to 65535 (got "${raw}").`);
  return DEFAULT_PORT;
}

function readStore(databaseUrl: string | undefined, problems: string[]): StoreConfig {
  if (databaseUrl === undefined) return { kind: 'sqlite', path: DEFAULT_SQLITE_PATH };
  const parsed = parseDatabaseUrl(databaseUrl);
  if (typeof parsed !== 'string') return parsed;
  problems.push(parsed);
  return { kind: 'sqlite', path: DEFAULT_SQLITE_PATH };
}

function readLogLevel(raw: string | undefined, problems: string[]): LogLevelName {
  if (raw === undefined) return 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === raw.toLowerCase());
  if (level !== undefined) return level;
  problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw.toLowerCase()}").`);
  return 'info';
}

/**
 * The origins a `response_url` may have. Plain http is accepted for loopback addresses only, so local stand-ins
 * work and nothing goes unencrypted over a network. Values are not echoed: a URL can hold a password.
 */
function readResponseUrlOrigins(raw: string | undefined, problems: string[]): readonly string[] {
  const checked = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => checkSlackUrl(entry, 'origin'));
  if (checked.length === 0) return DEFAULT_RESPONSE_URL_ORIGINS;
  const bad = checked.findIndex((origin) => typeof origin !== 'string');
  if (bad < 0) return Object.freeze([...new Set(checked as string[])]);
  problems.push(
    `SLACK_RESPONSE_URL_ORIGINS entry ${bad + 1} is not an origin (${(checked[bad] as UrlProblem).problem}). Give ` +
      'comma-separated origins such as https://hooks.slack.com (https, or http for a local stand-in on ' +
      '127.0.0.1), or unset it for Slack’s own.',
  );
  return DEFAULT_RESPONSE_URL_ORIGINS;
}

function readSlackApiUrl(raw: string | undefined, problems: string[]): string {
  if (raw === undefined) return DEFAULT_SLACK_API_URL;
  const checked = checkSlackUrl(raw, 'base');
  if (typeof checked === 'string') return checked;
  problems.push(
    `SLACK_API_URL is not usable (${checked.problem}). Give a base URL such as ${DEFAULT_SLACK_API_URL} (https, ` +
      'or http for a local stand-in on 127.0.0.1), or unset it.',
  );
  return DEFAULT_SLACK_API_URL;
}

type UrlProblem = { problem: string };

/** An origin (`https://host:port`) or a base URL ending in `/`, or what is wrong with it. */
function checkSlackUrl(value: string, kind: 'origin' | 'base'): string | UrlProblem {
  const url = URL.parse(value);
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) return { problem: 'not an http(s) URL' };
  if (url.protocol === 'http:' && !/^(localhost|127(?:\.\d+){3}|\[::1\])$/i.test(url.hostname)) {
    return { problem: 'plain http is accepted for loopback addresses only' };
  }
  if (url.username !== '' || url.password !== '') return { problem: 'it holds credentials' };
  if (url.search !== '' || url.hash !== '') return { problem: 'it has a query or a fragment' };
  if (kind === 'origin') return url.pathname === '/' ? url.origin : { problem: 'it has a path' };
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function readLogFormat(raw: string | undefined, problems: string[]): LogFormat {
  if (raw === undefined) return 'json';
  const format = LOG_FORMATS.find((candidate) => candidate === raw.toLowerCase());
  if (format !== undefined) return format;
  problems.push(`LOG_FORMAT must be json or pretty (got "${raw.toLowerCase()}").`);
  return 'json';
}

function readMetricsToken(token: string | undefined, problems: string[]): string | undefined {
  const problem = token === undefined ? undefined : checkMetricsToken(token);
  if (problem !== undefined) problems.push(problem);
  return token;
}

/** A problem with METRICS_TOKEN, or `undefined`. Says only its length, never the token. */
function checkMetricsToken(token: string): string | undefined {
  if (
    /^[\x21-\x7e]+$/.test(token) &&
    token.length >= MIN_METRICS_TOKEN_LENGTH &&
    token.length <= MAX_METRICS_TOKEN_LENGTH
  ) {
    return undefined;
  }
  return (
    `METRICS_TOKEN must be ${MIN_METRICS_TOKEN_LENGTH} to ${MAX_METRICS_TOKEN_LENGTH} visible ASCII characters without ` +
    `spaces (got ${token.length} characters). Generate one with \`openssl rand -hex 32\`, or unset METRICS_TOKEN to ` +
    'turn /metrics off.'
  );
}

/** Returns the store to use, or a problem description. Never echoes the URL: it may hold a password. */
function parseDatabaseUrl(value: string): StoreConfig | string {
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') return 'DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/cowsay.db.';
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      new URL(value);
    } catch {
      return 'DATABASE_URL looks like a PostgreSQL URL but cannot be parsed; expected postgres://user:password@host:5432/database.';
    }
    return { kind: 'postgres', url: value };
  }
  return 'DATABASE_URL must be unset, sqlite:<path> or postgres://… (the scheme was not recognised).';
}

/** Whether the real environment (not `.env`) provides the signing secret; `npm run dev` asks before touching `.env`. */
export function environmentHasSigningSecret(): boolean {
  return (process.env.SLACK_SIGNING_SECRET?.trim() ?? '') !== '';
}

/** What `npm run slash` needs to talk to the app beside it; an invalid PORT, or 0, gives the default. */
export interface LocalToolSettings {
  readonly signingSecret: string | undefined;
  readonly port: number;
  /**
   * The first plain-http loopback origin in SLACK_RESPONSE_URL_ORIGINS: where the slash client can stand in for
   * Slack's response URLs (so a preview's buttons can be pressed), as the app will call only allowed origins.
   */
  readonly responseUrlOrigin?: string;
}

/**
 * Reads the signing secret and port from the environment and `.env`, as the app itself would, without
 * validating the rest: a tool should work whatever else is misconfigured. Pass `env` to skip `.env` (tests do).
 */
export function loadLocalToolSettings(env?: Env): LocalToolSettings {
  if (env === undefined) loadDotenv({ quiet: true });
  const source = env ?? process.env;
  const signingSecret = source.SLACK_SIGNING_SECRET?.trim() || undefined;
  const rawPort = source.PORT?.trim() ?? '';
  const port =
    /^\d{1,5}$/.test(rawPort) && Number(rawPort) >= 1 && Number(rawPort) <= 65535 ? Number(rawPort) : DEFAULT_PORT;
  const origins = source.SLACK_RESPONSE_URL_ORIGINS?.trim() ?? '';
  const responseUrlOrigin =
    origins === ''
      ? localResponseUrlOrigin(port)
      : origins
          .split(',')
          .map((entry) => checkSlackUrl(entry.trim(), 'origin'))
          .find((origin): origin is string => typeof origin === 'string' && origin.startsWith('http:'));
  return { signingSecret, port, responseUrlOrigin };
}

/**
 * Where `npm run slash` stands in for Slack's response URLs when SLACK_RESPONSE_URL_ORIGINS names none: the port
 * after the app's. `npm run dev` allows it, so a preview's buttons work locally with no settings.
 */
export function localResponseUrlOrigin(port: number): string {
  return `http://127.0.0.1:${port < 65535 ? port + 1 : port - 1}`;
}
