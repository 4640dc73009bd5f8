/**
 * The real app with the real JSON logger, its lines captured in memory and parsed: what an operator's log
 * collector would receive, without a process in between.
 */
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type CowsayApp, createCowsayApp } from '../../src/app.js';
import type { Config, LogLevelName } from '../../src/config.js';
import type { CowCatalog } from '../../src/cowsay/cows.js';
import { createLogger } from '../../src/logger.js';
import type { MessageStore } from '../../src/store/message-store.js';
import { createFakeStore, testCatalog, testConfig } from '../helpers.js';

export const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';

export type LogLine = Record<string, unknown>;

export interface ObservedApp {
  app: CowsayApp;
  baseUrl: string;
  /** Every line written so far, parsed. */
  lines: LogLine[];
  /** The raw text written so far, to search for what must never be logged. */
  raw: () => string;
  /** The access lines so far. */
  accessLines: () => LogLine[];
  /**
   * Resolves with the access line of `requestId` once it is written: that happens when the response closes,
   * which can be a moment after the client has read the whole answer.
   */
  accessLineOf: (requestId: string) => Promise<LogLine>;
  /** Resolves with the first line, written so far or later, that passes `test`. */
  lineWhere: (test: (line: LogLine) => boolean) => Promise<LogLine>;
  stop(): Promise<void>;
}

export async function startObservedApp(
  options: { config?: Config; store?: MessageStore; catalog?: CowCatalog; level?: LogLevelName } = {},
): Promise<ObservedApp> {
  const lines: LogLine[] = [];
  let raw = '';
  const written = new EventEmitter();
  const logger = createLogger(options.level ?? 'info', {
    destination: {
      write(text: string) {
        raw += text;
        // Throws on a line that is not JSON, which fails the test that caused it.
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        written.emit('line', line);
      },
    },
  });
  const accessLines = () => lines.filter((line) => line.msg === 'request');
  const lineWhere = (test: (line: LogLine) => boolean) =>
    new Promise<LogLine>((resolve) => {
      const seen = lines.find(test);
      if (seen !== undefined) {
        resolve(seen);
        return;
      }
      const listener = (line: LogLine) => {
        if (!test(line)) return;
        written.off('line', listener);
        resolve(line);
      };
      written.on('line', listener);
    });
  const app = createCowsayApp({
    config: options.config ?? testConfig(),
    store: options.store ?? createFakeStore(),
    catalog: options.catalog ?? (await testCatalog()),
    logger,
    accessLog: logger.access,
  });
  const address: AddressInfo = await app.start(0);
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    lines,
    raw: () => raw,
    accessLines,
    accessLineOf: (requestId) => lineWhere((line) => line.msg === 'request' && line.requestId === requestId),
    lineWhere,
    stop: () => app.stop(),
  };
}
