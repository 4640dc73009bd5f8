/**
 * The per-client token buckets (on a clock the tests move) and the client key, including what a client
 * can put in X-Forwarded-For to pick its own bucket.
 */
import type { IncomingMessage } from 'node:http';
import { clientKey, createClientLimiter } from '../../src/http/client-limits.js';

function limiterWithClock(rate = { perSecond: 2, burst: 3, maxClients: 100 }) {
  let time = 0;
  const take = createClientLimiter(rate, () => time);
  return {
    take,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

function requestFrom(remoteAddress: string | undefined, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('createClientLimiter', () => {
  it('allows a burst, then refuses with when to retry, then refills at the rate', () => {
    const { take, advance } = limiterWithClock();
    expect([take('a'), take('a'), take('a')]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    advance(499);
    expect(take('a').ok).toBe(false);
    advance(2);
    expect(take('a').ok).toBe(true);
    // A long pause refills the burst, never more.
    advance(3_600_000);
    expect([take('a'), take('a'), take('a'), take('a')].map((admission) => admission.ok)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('keeps each client to its own bucket', () => {
    const { take } = limiterWithClock();
    for (let index = 0; index < 3; index++) take('a');
    expect(take('a').ok).toBe(false);
    expect(take('b').ok).toBe(true);
  });

  it('says how long to wait at a slow rate', () => {
    const { take } = limiterWithClock({ perSecond: 0.1, burst: 1, maxClients: 10 });
    take('a');
    expect(take('a')).toEqual({ ok: false, retryAfterSeconds: 10 });
  });

  it('remembers at most maxClients, forgetting the least recently seen', () => {
    const { take } = limiterWithClock({ perSecond: 1, burst: 1, maxClients: 2 });
    take('a');
    take('b');
    expect(take('a').ok).toBe(false);
    take('c'); // forgets b, the least recently seen
    expect(take('a').ok).toBe(false);
    expect(take('b').ok).toBe(true);
  });

  it('stays bounded under a million distinct clients', () => {
    const { take } = limiterWithClock({ perSecond: 1, burst: 1, maxClients: 1000 });
    for (let index = 0; index < 1_000_000; index++) take(`client-${index}`);
    // The last thousand are remembered (and limited); the first were forgotten.
    expect(take('client-999999').ok).toBe(false);
    expect(take('client-0').ok).toBe(true);
  });
});

describe('clientKey', () => {
  it('is the peer address when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientKey(requestFrom('203.0.113.7'), 0)).toBe('203.0.113.7');
    expect(clientKey(requestFrom('203.0.113.7', '198.51.100.1'), 0)).toBe('203.0.113.7');
    expect(clientKey(requestFrom(undefined), 0)).toBe('unknown');
  });

  it('behind one trusted proxy, is the last X-Forwarded-For entry: the address the proxy saw', () => {
    // Heroku's router appends the address it saw to whatever the client sent.
    expect(clientKey(requestFrom('10.1.2.3', '198.51.100.1'), 1)).toBe('198.51.100.1');
    expect(clientKey(requestFrom('10.1.2.3', 'spoofed, 1.1.1.1, 198.51.100.1'), 1)).toBe('198.51.100.1');
    expect(clientKey(requestFrom('10.1.2.3', '203.0.113.9, 198.51.100.1'), 2)).toBe('203.0.113.9');
  });

  it('falls back to the peer address when the trusted entry is missing or not an address', () => {
    for (const header of [
      undefined,
      '',
      ' , ',
      'not-an-ip',
      '<script>',
      '1.2.3.4.5',
      '١٢٣.١.١.١',
      'x'.repeat(100_000),
      '\u0000',
    ]) {
      expect([header?.slice(0, 20), clientKey(requestFrom('10.1.2.3', header), 1)]).toEqual([
        header?.slice(0, 20),
        '10.1.2.3',
      ]);
    }
    expect(clientKey(requestFrom('10.1.2.3', '198.51.100.1'), 2)).toBe('10.1.2.3');
  });

  it('keys IPv6 clients by their /64, and IPv4-mapped addresses as IPv4', () => {
    expect(clientKey(requestFrom('2001:db8:aa:bb:1:2:3:4'), 0)).toBe('2001:db8:aa:bb::/64');
    expect(clientKey(requestFrom('2001:db8:aa:bb:ffff::9'), 0)).toBe('2001:db8:aa:bb::/64');
    expect(clientKey(requestFrom('2001:0DB8:00aa:00bb::1'), 0)).toBe('2001:db8:aa:bb::/64');
    expect(clientKey(requestFrom('2001:db8::1'), 0)).toBe('2001:db8:0:0::/64');
    expect(clientKey(requestFrom('::1'), 0)).toBe('0:0:0:0::/64');
    expect(clientKey(requestFrom('fe80::1%eth0'), 0)).toBe('fe80:0:0:0::/64');
    expect(clientKey(requestFrom('64:ff9b::192.0.2.1'), 0)).toBe('64:ff9b:0:0::/64');
    expect(clientKey(requestFrom('::ffff:192.0.2.1'), 0)).toBe('192.0.2.1');
    expect(clientKey(requestFrom('10.1.2.3', '2001:db8:1:2::5'), 1)).toBe('2001:db8:1:2::/64');
  });
});
