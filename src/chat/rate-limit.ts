/**
 * How fast one user may post to one board. The policy lives here; the mechanism (a token bucket per
 * board and user, kept in the store's database so every app instance shares it) is `MessageStore.takeToken`.
 */
import type { TokenBucketPolicy } from '../store/message-store.js';

/**
 * 10 posts in a row, then one more every 15 seconds (4 a minute).
 *
 * - The burst of 10 lets a real conversation through untouched: a flurry of quick replies, or a few lines
 *   posted one after another, never meets the limit.
 * - 4 a minute is faster than anyone keeps typing into a board for minutes on end, but caps a script or a
 *   stuck key at 240 posts an hour per board. That protects what the board is for: `/chat list` shows the
 *   latest 50 at most, and without a limit one user could push everyone else's messages out of that window
 *   in a second; now that takes them ten minutes of posting alone. It also bounds how fast one user can
 *   grow the table (5,760 posts a day per board at most).
 * - Per board and user, not per user: a user busy in one channel is not held back in another, and one noisy
 *   user never slows anyone else down.
 */
export const POST_RATE_POLICY: TokenBucketPolicy = Object.freeze({ burst: 10, refillIntervalMs: 15_000 });
