/**
 * Slack request signatures, exactly as "Verifying requests from Slack" specifies:
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 *
 * HMAC-SHA256 keyed with the signing secret over `v0:{timestamp}:{raw body}`, hex-encoded and prefixed
 * with `v0=`. The timestamp must be within five minutes of now in either direction; Bolt's own check only
 * rejects old timestamps, Slack's rule (and ours) also rejects future ones.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { fail, ok, type Result } from '../result.js';

export const SIGNATURE_VERSION = 'v0';
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export type SignatureProblem = 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature';
export type SignatureCheck = Result<undefined, SignatureProblem>;

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
}

const SIGNATURE_PATTERN = /^v0=([0-9a-f]{64})$/;

export function computeSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`${SIGNATURE_VERSION}:${timestamp}:`);
  hmac.update(rawBody);
  return `${SIGNATURE_VERSION}=${hmac.digest('hex')}`;
}

export function verifySignature(
  signingSecret: string,
  request: SignedRequest,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const { timestamp, signature, rawBody } = request;
  if (timestamp === undefined || signature === undefined) return fail('missing-headers');
  if (!/^\d{1,12}$/.test(timestamp)) return fail('bad-timestamp');
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) return fail('stale-timestamp');

  const match = SIGNATURE_PATTERN.exec(signature);
  if (match === null) return fail('bad-signature');
  const given = Buffer.from(match[1] ?? '', 'hex');
  const expected = createHmac('sha256', signingSecret)
    .update(`${SIGNATURE_VERSION}:${timestamp}:`)
    .update(rawBody)
    .digest();
  // Both are 32 bytes here (the pattern fixes the length), so timingSafeEqual cannot throw.
  return timingSafeEqual(given, expected) ? ok(undefined) : fail('bad-signature');
}
