/**
 * Bolt's `Logger` interface over pino, so every line the app and Bolt write is one JSON object, plus the
 * structured access line. Bolt passes loose arguments (strings, errors, objects at debug level); they are
 * joined into `msg`, and an error also goes in `err` with its stack.
 */
import { inspect } from 'node:util';
import { type Logger, LogLevel } from '@slack/logger';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { type AccessLog, formatAccessLine } from './access-log.js';

export interface AppLogger extends Logger {
  /** Writes one access line at info level, as pino would: its fields, with `msg` "request". */
  readonly access: AccessLog;
}

type Method = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<string, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

export const DEFAULT_LOGGER_NAME = 'cowsay-slack';

/** `destination` is where `root` writes; access lines are written there directly, in the same format. */
export function createJsonLogger(root: PinoLogger, destination: DestinationStream): AppLogger {
  // Bolt's clients rename the logger they are given (setName); a child carries the name, the root stays as is.
  let named = root.child({ name: DEFAULT_LOGGER_NAME });
  // Asked once per request; kept here rather than asking pino each time.
  let accessEnabled = root.isLevelEnabled('info');
  const write =
    (method: Method) =>
    (...parts: unknown[]): void => {
      if (!named.isLevelEnabled(method)) return;
      const message = parts.map(describe).join(' ');
      const error = parts.find((part) => part instanceof Error);
      if (error === undefined) named[method](message);
      else named[method]({ err: error }, message);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel(level) {
      root.level = level;
      named.level = level;
      accessEnabled = root.isLevelEnabled('info');
    },
    getLevel: () => LEVELS[root.level] ?? LogLevel.INFO,
    setName(name) {
      const level = named.level;
      named = root.child({ name });
      named.level = level;
    },
    access: (line) => {
      if (accessEnabled) destination.write(formatAccessLine(line));
    },
  };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return part.message;
  return inspect(part, { depth: 4, breakLength: Number.POSITIVE_INFINITY });
}
