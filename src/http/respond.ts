/**
 * Writing responses. Every response carries `nosniff` and the strict Content-Security-Policy, so a body is
 * only ever read as the type it is sent as, and nothing a page contains can load or run anything. HEAD
 * requests get the same headers without a body: Node drops the body of a response to HEAD itself.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from './html.js';

export const TEXT = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';
export const HTML = 'text/html; charset=utf-8';

export function sendBody(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  if (response.headersSent) return;
  response.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Referrer-Policy': 'no-referrer',
  });
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

export function sendHtml(response: ServerResponse, status: number, page: string, headers?: OutgoingHttpHeaders): void {
  sendBody(response, status, HTML, page, headers);
}
