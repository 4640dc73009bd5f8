import { computeSignature, verifySignature } from '../../src/slack/signature.js';

// Slack's own worked example from "Verifying requests from Slack".
// https://docs.slack.dev/authentication/verifying-requests-from-slack#validating-a-request
const SLACK_EXAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&' +
    'channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&' +
    'response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&' +
    'trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const exampleNow = Number(SLACK_EXAMPLE.timestamp);

function verifyExample(overrides: { timestamp?: string; signature?: string; body?: string; now?: number } = {}) {
  return verifySignature(
    SLACK_EXAMPLE.secret,
    {
      timestamp: overrides.timestamp ?? SLACK_EXAMPLE.timestamp,
      signature: overrides.signature ?? SLACK_EXAMPLE.signature,
      rawBody: Buffer.from(overrides.body ?? SLACK_EXAMPLE.body),
    },
    overrides.now ?? exampleNow,
  );
}

describe('Slack request signatures', () => {
  it("computes Slack's published example signature", () => {
    expect(computeSignature(SLACK_EXAMPLE.secret, SLACK_EXAMPLE.timestamp, SLACK_EXAMPLE.body)).toBe(
      SLACK_EXAMPLE.signature,
    );
  });

  it("accepts Slack's published example at its own time", () => {
    expect(verifyExample()).toEqual({ ok: true });
  });

  it('accepts timestamps up to five minutes either side of now', () => {
    expect(verifyExample({ now: exampleNow + 300 })).toEqual({ ok: true });
    expect(verifyExample({ now: exampleNow - 300 })).toEqual({ ok: true });
  });

  it('rejects a timestamp 301 seconds old or 301 seconds in the future', () => {
    expect(verifyExample({ now: exampleNow + 301 })).toEqual({ ok: false, error: 'stale-timestamp' });
    expect(verifyExample({ now: exampleNow - 301 })).toEqual({ ok: false, error: 'stale-timestamp' });
  });

  it('rejects one flipped signature character, a tampered body and a wrong secret', () => {
    const flipped = `${SLACK_EXAMPLE.signature.slice(0, -1)}a`;
    expect(verifyExample({ signature: flipped })).toEqual({ ok: false, error: 'bad-signature' });
    expect(verifyExample({ body: SLACK_EXAMPLE.body.replace('roadrunner', 'coyote') })).toEqual({
      ok: false,
      error: 'bad-signature',
    });
    const otherSecret = verifySignature(
      '0000000000000000000000000000000',
      {
        timestamp: SLACK_EXAMPLE.timestamp,
        signature: SLACK_EXAMPLE.signature,
        rawBody: Buffer.from(SLACK_EXAMPLE.body),
      },
      exampleNow,
    );
    expect(otherSecret).toEqual({ ok: false, error: 'bad-signature' });
  });

  it('rejects malformed signatures and timestamps without throwing', () => {
    const hex = SLACK_EXAMPLE.signature.slice(3);
    for (const signature of [
      '',
      'v0=',
      `v1=${hex}`,
      hex,
      `v0=${hex}00`,
      `v0=${hex.slice(2)}`,
      `V0=${hex}`,
      `v0=${hex.toUpperCase()}`,
    ]) {
      expect(verifyExample({ signature })).toEqual({ ok: false, error: 'bad-signature' });
    }
    for (const timestamp of ['', 'abc', '1531420618.5', '-1531420618', ' 1531420618', '1e9', '99999999999999999999']) {
      expect(verifyExample({ timestamp })).toEqual({ ok: false, error: 'bad-timestamp' });
    }
  });

  it('rejects missing headers', () => {
    const body = Buffer.from(SLACK_EXAMPLE.body);
    expect(
      verifySignature(
        SLACK_EXAMPLE.secret,
        { timestamp: undefined, signature: SLACK_EXAMPLE.signature, rawBody: body },
        exampleNow,
      ),
    ).toEqual({
      ok: false,
      error: 'missing-headers',
    });
    expect(
      verifySignature(
        SLACK_EXAMPLE.secret,
        { timestamp: SLACK_EXAMPLE.timestamp, signature: undefined, rawBody: body },
        exampleNow,
      ),
    ).toEqual({
      ok: false,
      error: 'missing-headers',
    });
  });

  it('signs the raw bytes, so a body with non-UTF-8 bytes verifies exactly as sent', () => {
    const body = Buffer.from([0x74, 0x65, 0x78, 0x74, 0x3d, 0xff, 0xfe]);
    const signature = computeSignature('secret', '100', body);
    expect(verifySignature('secret', { timestamp: '100', signature, rawBody: body }, 100)).toEqual({ ok: true });
  });
});
