import type { TokenBucketPolicy } from '../store/message-store.js';

/**
 * How fast one user may post to one board (the store keeps the bucket, shared by every instance): 10 in a row,
 * enough for any real conversation, then one every 15 seconds, so one user needs ten minutes to push everyone
 * else out of the 50 a list shows. Per board and user, so nobody slows anyone else down.
 */
export const POST_RATE_POLICY: TokenBucketPolicy = Object.freeze({ burst: 10, refillIntervalMs: 15_000 });
