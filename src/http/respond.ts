/**
 * Writing responses. Every response carries `nosniff` and a Content-Security-Policy that allows nothing, so a
 * body is only ever read as the type it is sent as; HTML pages replace the policy with their own (html.ts).
 * HEAD requests get the same headers without a body: Node drops the body of a response to HEAD itself.
 * A leaf, importing nothing of the app, so any handler can answer without pulling in the pages.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { currentRequest } from '../observability/request-context.js';

export const TEXT = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

/** For every answer that is not a page: nothing may be loaded, framed or run in its name. */
export const STRICT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `body` may be a Buffer shared between responses (a cached page): it is written as is, never copied. */
export function sendBody(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = {},
): void {
  if (response.headersSent) return;
  const head: OutgoingHttpHeaders = {
    'Content-Security-Policy': STRICT_CONTENT_SECURITY_POLICY,
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  // Echoed here, in the one header object, rather than with setHeader beforehand: that would put Node's
  // writeHead on its slow path, which measured about 2 µs per response.
  const requestId = currentRequest()?.requestId;
  if (requestId !== undefined) head['X-Request-ID'] = requestId;
  response.writeHead(status, head);
  response.end(body);
}

export function send(response: ServerResponse, status: number, text: string, headers?: OutgoingHttpHeaders): void {
  sendBody(response, status, TEXT, text, headers);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers?: OutgoingHttpHeaders,
): void {
  sendBody(response, status, JSON_TYPE, JSON.stringify(value), headers);
}
