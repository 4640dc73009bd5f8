/**
 * `GET /metrics` for a Prometheus scraper, behind a bearer token. The numbers say how busy the app is and
 * how its store behaves, which is nobody else's business; without a configured token the route does not
 * exist at all (routes.ts answers 404).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send, sendBody } from './respond.js';

export interface MetricsSource {
  /** The bearer token a scraper must send. */
  readonly token: string;
  readonly contentType: string;
  render(): Promise<string>;
}

export function createMetricsRoute(
  source: MetricsSource,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  // Hashing both sides gives equal lengths, so the comparison's time says nothing about the token, its length included.
  const expected = digest(source.token);
  return async (request, response) => {
    const presented = bearerToken(request.headers.authorization);
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      send(response, 401, 'Send the metrics token as "Authorization: Bearer <token>".', {
        'WWW-Authenticate': 'Bearer realm="metrics"',
        'Cache-Control': 'no-store',
      });
      return;
    }
    sendBody(response, 200, source.contentType, await source.render(), { 'Cache-Control': 'no-store' });
  };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
