/**
 * Bounds how long the app waits for something it cannot interrupt (a database query): Slack drops an answer
 * after 3 seconds, and a health check that hangs is as bad as one that fails.
 */

export class DeadlineError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** Settles like `operation`, or rejects once `ms` pass; the operation runs on and its late outcome is ignored. */
export function withDeadline<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
  if (ms <= 0) {
    operation.catch(() => {});
    return Promise.reject(new DeadlineError(what, 0));
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
    operation.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Slack shows the user an error when a slash command is not answered within this. */
export const SLACK_ANSWER_MS = 3000;

/** The store's share of it: the rest goes to the request's way in and the answer's way back. */
export const STORE_BUDGET_MS = SLACK_ANSWER_MS - 500;
