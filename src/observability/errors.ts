/**
 * Errors on their way into a log line or a public answer. By the project's rule an error message never carries
 * a user's words; these functions are the second line of defence for messages written by libraries.
 */
import { shorten } from '../text/shorten.js';

/** `scheme://user:password@host` (a driver may quote its connection string) keeps its scheme and host only. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi;
/** Quoted spans: libraries quote the input they choke on (`"hello" is not valid JSON`). */
const QUOTED = /"[^"\n]*"|'[^'\n]*'|“[^”\n]*”/g;
const MAX_CHARS = 300;

/** Masks credentials in URLs, and every occurrence of the given secrets, and keeps the text to one bounded line. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let masked = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret !== '') masked = masked.split(secret).join('***');
  }
  return shorten(masked.replace(URL_CREDENTIALS, '$1***@'), MAX_CHARS).trim();
}

/** One log-safe line: type, code, message (quoted input and credentials masked) and where it was thrown. */
export function describeError(error: unknown, secrets: readonly string[] = []): string {
  // A thrown non-Error could hold any text, so only its type is named.
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  const code = (error as { code?: unknown }).code;
  const kind = typeof code === 'string' || typeof code === 'number' ? `${error.name} (${code})` : error.name;
  const where = /\n\s+at (?:.*\()?(\S+?:\d+:\d+)\)?/.exec(error.stack ?? '')?.[1];
  const message = error.message.replace(QUOTED, '"…"');
  return redact(`${kind}: ${message}${where === undefined ? '' : ` at ${where}`}`, secrets);
}
