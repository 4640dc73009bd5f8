/**
 * Per-client request limits for the routes anyone may call: a token bucket per client address, in a table
 * of bounded size. Behind a reverse proxy every connection comes from the proxy, so the client is read from
 * `X-Forwarded-For`, but only as many hops from the right as there are trusted proxies: the entries to the
 * left of those are whatever the client sent, and keying on them would let it pick its own bucket.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface ClientRate {
  /** Requests a second each client may make, on average. */
  readonly perSecond: number;
  /** Requests a client may make at once after being quiet. */
  readonly burst: number;
  /** Clients remembered at most; the one unseen the longest is forgotten first. */
  readonly maxClients: number;
}

export type ClientAdmission = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** `now` in milliseconds; tests move the clock. */
export function createClientLimiter(
  rate: ClientRate,
  now: () => number = () => performance.now(),
): (client: string) => ClientAdmission {
  // A Map iterates in insertion order; re-inserting a client on each request keeps the least recent first.
  const buckets = new Map<string, Bucket>();
  return (client) => {
    const time = now();
    const bucket = buckets.get(client) ?? { tokens: rate.burst, at: time };
    buckets.delete(client);
    buckets.set(client, bucket);
    if (buckets.size > rate.maxClients) {
      const oldest = buckets.keys().next().value;
      if (oldest !== undefined) buckets.delete(oldest);
    }
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((time - bucket.at) / 1000) * rate.perSecond);
    bucket.at = time;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate.perSecond)) };
  };
}

/**
 * The address a request's limits are kept under. With `trustedProxyHops` 0 it is the connection's peer; with
 * N it is the Nth `X-Forwarded-For` entry from the right (the address the outermost trusted proxy saw),
 * or the peer if that entry is missing or not an address. IPv6 clients are keyed by their /64, which one
 * subscriber typically holds whole.
 */
export function clientKey(request: IncomingMessage, trustedProxyHops: number): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return normalizeAddress(peer);
  // Node joins repeated X-Forwarded-For headers with ", ", in the order received.
  const hops = String(request.headers['x-forwarded-for'] ?? '').split(',');
  const candidate = hops[hops.length - trustedProxyHops]?.trim() ?? '';
  return normalizeAddress(isIP(candidate) === 0 ? peer : candidate);
}

function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  return isIP(address) === 6 ? ipv6Prefix(address) : address;
}

/** The first four groups of an IPv6 address, `::` expanded: `2001:db8::1` → `2001:db8:0:0::/64`. */
function ipv6Prefix(address: string): string {
  const [head = '', tail] = address.split('%', 1)[0]?.toLowerCase().split('::') ?? [];
  const left = head === '' ? [] : head.split(':');
  // An embedded IPv4 tail (`::ffff:1.2.3.4` style) takes the room of two groups.
  const right =
    tail === undefined || tail === ''
      ? []
      : tail.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array.from({ length: 8 - left.length - right.length }, () => '0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
