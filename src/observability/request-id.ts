/**
 * The id that ties a request's log lines together. Heroku's router (and many proxies) send one in
 * `X-Request-ID`; reusing it lets a line in our log be matched with the router's. It is client input, so
 * it is only reused when it looks like an id: 20 to 200 visible ASCII characters.
 */
import { randomUUID } from 'node:crypto';

const ACCEPTABLE_ID = /^[\x21-\x7e]{20,200}$/;

/** The incoming `X-Request-ID` if acceptable, else a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTABLE_ID.test(header) ? header : randomUUID();
}
