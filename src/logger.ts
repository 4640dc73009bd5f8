/**
 * The app's logger: pino writing one JSON object per line to stdout (or readable lines for `npm run dev`),
 * behind Bolt's `Logger` interface. Lines written while a request is handled carry its `requestId`.
 */
import { type DestinationStream, pino } from 'pino';
import type { LogFormat, LogLevelName } from './config.js';
import { isoTime } from './observability/access-log.js';
import { type AppLogger, createJsonLogger } from './observability/json-logger.js';
import { createPrettyStream } from './observability/pretty-lines.js';
import { currentRequest } from './observability/request-context.js';
import { createStdoutLines } from './observability/stdout-lines.js';

export type { AppLogger } from './observability/json-logger.js';

export interface LoggerOptions {
  format?: LogFormat;
  /** Where the lines go instead of stdout (tests capture them). */
  destination?: DestinationStream;
}

export function createLogger(level: LogLevelName, options: LoggerOptions = {}): AppLogger {
  const destination = options.destination ?? (options.format === 'pretty' ? createPrettyStream() : createStdoutLines());
  const root = pino(
    {
      level,
      // No pid or hostname on every line: the platform's log router adds where a line came from.
      base: undefined,
      // The same clock as the access lines (src/observability/access-log.ts).
      timestamp: () => `,"time":"${isoTime()}"`,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const request = currentRequest();
        return request === undefined ? {} : { requestId: request.requestId };
      },
    },
    destination,
  );
  return createJsonLogger(root, destination);
}
