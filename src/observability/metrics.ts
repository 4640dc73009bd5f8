/**
 * The app's Prometheus metrics: Slack commands by outcome, HTTP request durations, message store calls, and
 * prom-client's default process and event-loop metrics, in a registry of their own (so several apps in one
 * process, as in the tests, never share numbers).
 *
 * The four app metrics are counted here, in plain arrays, and written out in Prometheus text format when
 * scraped. prom-client's labelled `observe` and `inc` measured about 2.5 µs per request together (label
 * validation, label hashing, number-keyed bucket objects); these take a tenth of that, which keeps the
 * request path inside its budget for logs and metrics.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { CommandOutcome } from './request-context.js';

const STORE_OPERATIONS = ['post', 'latest', 'delete', 'take_token', 'ping'] as const;
export type StoreOperation = (typeof STORE_OPERATIONS)[number];

export interface Metrics {
  /** The media type of {@link render}'s text (Prometheus text exposition format). */
  readonly contentType: string;
  render(): Promise<string>;
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** Counts a Slack request; `amount` 0 creates the series at zero. */
  countCommand(command: string, outcome: CommandOutcome, amount?: number): void;
  observeStoreCall(operation: StoreOperation, seconds: number, failed: boolean): void;
}

export const COMMAND_OUTCOMES: readonly CommandOutcome[] = [
  'ok',
  'user_error',
  'rate_limited',
  'store_unavailable',
  'refused_signature',
  'error',
];
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Requests take well under a millisecond to a few; Slack gives up after 3 s, hence that bucket. */
const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3, 5];
/** The store's own budget is 1.5 s per query. */
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.5];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const commands = createCounter('slack_commands_total', 'Slack requests by command and outcome.', [
    'command',
    'outcome',
  ]);
  const requests = createHistogram(
    'http_request_duration_seconds',
    'HTTP request durations by route name, method and status.',
    ['route', 'method', 'status'],
    REQUEST_BUCKETS,
  );
  const storeCalls = createHistogram(
    'store_query_duration_seconds',
    'Message store call durations by operation, failed calls included.',
    ['operation'],
    STORE_BUCKETS,
  );
  const storeErrors = createCounter('store_errors_total', 'Message store calls that failed, by operation.', [
    'operation',
  ]);
  // Series that exist from the start give a rate of zero, rather than no data, until something fails.
  for (const operation of STORE_OPERATIONS) storeErrors.inc(operation, [operation], 0);

  return {
    contentType: registry.contentType,
    render: async () =>
      [commands, requests, storeCalls, storeErrors].map((metric) => metric.render()).join('') +
      (await registry.metrics()),
    observeRequest(route, method, status, seconds) {
      const methodLabel = KNOWN_METHODS.has(method) ? method : 'other';
      requests.observe(`${route} ${methodLabel} ${status}`, () => [route, methodLabel, String(status)], seconds);
    },
    countCommand(command, outcome, amount = 1) {
      commands.inc(`${command} ${outcome}`, [command, outcome], amount);
    },
    observeStoreCall(operation, seconds, failed) {
      storeCalls.observe(operation, () => [operation], seconds);
      if (failed) storeErrors.inc(operation, [operation], 1);
    },
  };
}

interface Counter {
  /** `key` identifies the series; `labels` are its label values, used the first time the key is seen. */
  inc(key: string, labels: readonly string[], amount: number): void;
  render(): string;
}

function createCounter(name: string, help: string, labelNames: readonly string[]): Counter {
  const series = new Map<string, { labels: string; value: number }>();
  return {
    inc(key, labels, amount) {
      const found = series.get(key);
      if (found !== undefined) found.value += amount;
      else series.set(key, { labels: labelText(labelNames, labels), value: amount });
    },
    render: () =>
      header(name, help, 'counter') +
      [...series.values()].map(({ labels, value }) => `${name}{${labels}} ${value}\n`).join(''),
  };
}

interface Histogram {
  observe(key: string, labels: () => readonly string[], value: number): void;
  render(): string;
}

interface HistogramSeries {
  labels: string;
  /** Observations per bucket (not cumulative); the last slot is for values above every bound. */
  counts: Float64Array;
  sum: number;
}

function createHistogram(name: string, help: string, labelNames: readonly string[], bounds: number[]): Histogram {
  const series = new Map<string, HistogramSeries>();
  return {
    observe(key, labels, value) {
      let found = series.get(key);
      if (found === undefined) {
        found = { labels: labelText(labelNames, labels()), counts: new Float64Array(bounds.length + 1), sum: 0 };
        series.set(key, found);
      }
      let bucket = 0;
      while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket += 1;
      found.counts[bucket] = (found.counts[bucket] as number) + 1;
      found.sum += value;
    },
    render: () =>
      header(name, help, 'histogram') + [...series.values()].map((one) => histogramLines(name, bounds, one)).join(''),
  };
}

function histogramLines(name: string, bounds: readonly number[], { labels, counts, sum }: HistogramSeries): string {
  let text = '';
  let cumulative = 0;
  for (const [index, bound] of [...bounds, Number.POSITIVE_INFINITY].entries()) {
    cumulative += counts[index] as number;
    text += `${name}_bucket{${labels},le="${bound === Number.POSITIVE_INFINITY ? '+Inf' : bound}"} ${cumulative}\n`;
  }
  return `${text}${name}_sum{${labels}} ${sum}\n${name}_count{${labels}} ${cumulative}\n`;
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
}

/** `a="x",b="y"`, with label values escaped as the text format requires. */
function labelText(names: readonly string[], values: readonly string[]): string {
  return names
    .map((labelName, index) => {
      const value = (values[index] ?? '').replace(/[\\"\n]/g, (char) => (char === '\n' ? '\\n' : `\\${char}`));
      return `${labelName}="${value}"`;
    })
    .join(',');
}
