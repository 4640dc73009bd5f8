/**
 * How the process stops its app on SIGTERM (Heroku sends it on every deploy and restart, and kills the
 * process 30 s later): in-flight requests get a grace period to be answered, and idle keep-alive
 * connections a moment in which a request already on its way on them is still answered.
 */

/** How long in-flight requests may take to be answered before their connections are closed regardless. */
export const STOP_GRACE_MS = 10_000;
/**
 * How long an idle keep-alive connection stays open once the stop begins. A client may have sent its next
 * request on it just before; closing at once would reset that request unanswered.
 */
export const IDLE_LINGER_MS = 1000;

export interface Stoppable {
  stop(options: { idleLingerMs: number }): Promise<void>;
  closeConnections(): void;
}

export interface GracefulStopOptions {
  graceMs?: number;
  idleLingerMs?: number;
}

/** Stops `app`, forcing its connections closed after the grace period; says which it took. */
export async function stopGracefully(
  app: Stoppable,
  { graceMs = STOP_GRACE_MS, idleLingerMs = IDLE_LINGER_MS }: GracefulStopOptions = {},
): Promise<'drained' | 'forced'> {
  const drained = await settlesWithin(app.stop({ idleLingerMs }), graceMs);
  if (!drained) app.closeConnections();
  return drained ? 'drained' : 'forced';
}

/** Whether `promise` settles (either way) within `ms`. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
}
