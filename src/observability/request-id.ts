/**
 * The id that ties a request's answer to its log lines. Heroku's router (and most proxies) send one in
 * `X-Request-ID`; it is kept when it looks like one, so the platform's logs and ours agree.
 */
import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[\x21-\x7e]{20,200}$/;

export function requestIdFrom(header: string | undefined): string {
  return header !== undefined && REQUEST_ID.test(header) ? header : randomUUID();
}
