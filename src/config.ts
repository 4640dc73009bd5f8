/**
 * The one reader of `process.env`. Everything the app can be configured with is read, validated and
 * returned here at once, so a misconfigured deploy fails at start-up with every problem listed, each
 * with the fix, instead of failing on the first request.
 */
import { config as loadDotenv } from 'dotenv';
import { DEFAULT_HTTP_LIMITS } from './http/server.js';
import type { StoreConfig } from './store/index.js';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

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
}

export const DEFAULT_SQLITE_PATH = './data/cowsay.db';
export const DEFAULT_PORT = 3000;
const LOG_LEVELS: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error'];

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

  if (problems.length > 0 || signingSecret === undefined) throw new ConfigError(problems);
  return Object.freeze({ signingSecret, botToken, appToken, port, store: Object.freeze(store), logLevel, http });
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
  return { signingSecret, port };
}
