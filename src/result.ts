/**
 * The outcome of an operation that can fail on what a user typed: the value, or why not. Callers branch on
 * `ok`; the error is data (not a sentence), so each front end words it in its own markup.
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}
