/**
 * Content negotiation for `GET /say`, as the original Cowsay as a Service did it: `text/plain` gets the raw cow,
 * `application/json` gets `{"message": [lines…]}`, and anything else (a browser, `*\/*`, no header) gets
 * HTML. Only an explicit mention selects text or JSON, so wildcards never turn a browser's request into
 * plain text; among explicit mentions the highest `q` wins, and on a tie the one listed first.
 */

export type Representation = 'text' | 'json' | 'html';

const EXPLICIT: Readonly<Record<string, Representation>> = {
  'text/plain': 'text',
  'application/json': 'json',
  'text/html': 'html',
};

/** A header longer than this is not worth parsing for three media types; it gets the default. */
const MAX_ACCEPT_CHARS = 2048;

export function negotiate(accept: string | undefined): Representation {
  if (accept === undefined || accept.length > MAX_ACCEPT_CHARS) return 'html';
  let best: { representation: Representation; q: number } | undefined;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';');
    const representation = EXPLICIT[type.trim().toLowerCase()];
    if (representation === undefined) continue;
    const q = quality(parameters);
    if (q > 0 && (best === undefined || q > best.q)) best = { representation, q };
  }
  return best?.representation ?? 'html';
}

/** The `q` parameter (RFC 9110 §12.4.2): 0 to 1 with at most three decimals; absent or malformed means 1. */
function quality(parameters: readonly string[]): number {
  for (const parameter of parameters) {
    const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(parameter);
    if (match !== null) return Math.min(1, Number(match[1]));
  }
  return 1;
}
