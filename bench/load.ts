/**
 * Closed-loop load with autocannon: `connections` keep-alive connections, each sending the next request
 * as soon as the previous answer arrives, for `durationSeconds`.
 *
 * Latency is recorded here, at 1 µs resolution below 100 ms, from autocannon's per-response timings: autocannon's own
 * histogram counts whole milliseconds, too coarse for targets like "p99 ≤ 2 ms".
 */
import autocannon from 'autocannon';
import { SLACK_EVENTS_PATH } from './processes.js';
import { signedHeaders } from './slack-request.js';

export interface LoadOptions {
  port: number;
  /**
   * The slash-command body. A string is signed once and sent as is (cheapest for the load generator); a
   * function is called for every request, whose body is then signed as it is sent (for requests that must
   * differ, such as posts by many users).
   */
  body: string | (() => string);
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  /** Responses received (any status). */
  requests: number;
  /** Responses whose status was not 2xx, plus connection errors and timeouts. */
  failures: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latency = new LatencyHistogram();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const body = options.body;
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${options.port}${SLACK_EVENTS_PATH}`,
        method: 'POST',
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 10,
        ...(typeof body === 'string'
          ? { body, headers: signedHeaders(body) }
          : {
              requests: [
                {
                  setupRequest: (request: autocannon.Request) => {
                    const next = body();
                    return { ...request, body: next, headers: signedHeaders(next) };
                  },
                },
              ],
            }),
      },
      (error: unknown, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => latency.record(responseTimeMs));
  });
  const requests = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    requests,
    failures: result.non2xx + result.errors + result.timeouts,
    seconds: result.duration,
    requestsPerSecond: requests / result.duration,
    p50Ms: latency.percentile(50),
    p99Ms: latency.percentile(99),
  };
}

/**
 * Fixed buckets: 1 µs wide below 100 ms (where the targets are), 1 ms wide from there to 10 s (a slow
 * tail is still told apart), and one last bucket for anything slower.
 */
class LatencyHistogram {
  private readonly fine = new Uint32Array(100_000);
  private readonly coarse = new Uint32Array(10_000);
  private count = 0;

  record(milliseconds: number): void {
    const micros = Math.max(0, Math.floor(milliseconds * 1000));
    if (micros < this.fine.length) this.fine[micros] = (this.fine[micros] ?? 0) + 1;
    else {
      const millis = Math.min(this.coarse.length - 1, Math.floor(milliseconds));
      this.coarse[millis] = (this.coarse[millis] ?? 0) + 1;
    }
    this.count += 1;
  }

  /** The smallest latency (ms) that `percent` % of the recorded ones do not exceed. */
  percentile(percent: number): number {
    const rank = Math.max(1, Math.ceil((percent / 100) * this.count));
    if (this.count === 0) return Number.NaN;
    let seen = 0;
    for (let micros = 0; micros < this.fine.length; micros += 1) {
      seen += this.fine[micros] ?? 0;
      if (seen >= rank) return (micros + 1) / 1000;
    }
    for (let millis = 0; millis < this.coarse.length; millis += 1) {
      seen += this.coarse[millis] ?? 0;
      if (seen >= rank) return millis + 1;
    }
    return Number.NaN;
  }
}
