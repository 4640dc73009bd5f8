/**
 * Load shedding for the routes anyone may call. Rendering runs on the one event loop that also answers the
 * mounted (authenticated) handlers, so the open routes get a share of its time: each request's synchronous
 * work is charged to a budget that refills at `cpuShare` of wall time, and while the budget is spent, or
 * too many open-route requests wait on something, new ones are refused at once rather than queued.
 * Per-client limits cannot do this alone: many clients, each under its own limit, can still fill the loop.
 */

export interface LoadLimits {
  /** Open-route requests being answered at once (most wait on the store, like `/healthz`). */
  readonly maxInFlight: number;
  /** The fraction of the event loop's time the open routes may use, on average. */
  readonly cpuShare: number;
  /** How far ahead of that average they may run, in milliseconds of work. */
  readonly cpuBurstMs: number;
}

export interface LoadShedder {
  /** Whether a new request may start; if so, `finish` must be called once it is answered. */
  tryStart(): boolean;
  /** Charges milliseconds of event-loop time spent on a request. */
  charge(ms: number): void;
  finish(): void;
}

/** `now` in milliseconds; tests move the clock. */
export function createLoadShedder(limits: LoadLimits, now: () => number = () => performance.now()): LoadShedder {
  let inFlight = 0;
  let debtMs = 0;
  let at = now();
  const settle = () => {
    const time = now();
    debtMs = Math.max(0, debtMs - (time - at) * limits.cpuShare);
    at = time;
  };
  return {
    tryStart() {
      settle();
      if (inFlight >= limits.maxInFlight || debtMs >= limits.cpuBurstMs) return false;
      inFlight++;
      return true;
    },
    charge(ms) {
      settle();
      debtMs += ms;
    },
    finish() {
      inFlight = Math.max(0, inFlight - 1);
    },
  };
}
