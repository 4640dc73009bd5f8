/**
 * The yardstick: the fastest a `/cowsay` endpoint can reasonably be in Node. Bare `node:http`, a
 * hand-written Slack signature check (same rules as the app: HMAC-SHA256 over the raw bytes, constant-time
 * compare, five minutes of clock skew either way), one parse, and the app's own `/cowsay` logic.
 *
 * It renders with the project's `cowsayReply` (npm `cowsay` underneath, through our wrapper and Slack
 * formatting), not with npm `cowsay` directly: the reply is then byte-for-byte the app's, so the gap the
 * benchmark reports is the request path (Bolt, receiver, server) and nothing else.
 *
 * Env: SLACK_SIGNING_SECRET (required), PORT (default 3000). Not a product: no routes, no store, no logs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { cowsayReply } from '../src/commands/cowsay.js';
import { loadCowCatalog } from '../src/cowsay/cows.js';
import { STRICT_CONTENT_SECURITY_POLICY } from '../src/http/respond.js';

const MAX_BODY_BYTES = 32 * 1024;
const MAX_SKEW_SECONDS = 5 * 60;
const SIGNATURE = /^v0=([0-9a-f]{64})$/;

const secret = process.env.SLACK_SIGNING_SECRET ?? '';
if (secret === '') {
  console.error('baseline-server: SLACK_SIGNING_SECRET is required.');
  process.exit(1);
}
const port = Number(process.env.PORT ?? '3000');
const catalog = await loadCowCatalog();

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  // The same security headers the app sends, so both write the same bytes.
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': STRICT_CONTENT_SECURITY_POLICY,
    'Referrer-Policy': 'no-referrer',
  });
  response.end(body);
}

function verified(request: IncomingMessage, rawBody: Buffer): boolean {
  const timestamp = request.headers['x-slack-request-timestamp'];
  const signature = request.headers['x-slack-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
  const match = SIGNATURE.exec(signature);
  if (match === null) return false;
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1] ?? '', 'hex'), expected);
}

function handle(request: IncomingMessage, response: ServerResponse, rawBody: Buffer): void {
  if (!verified(request, rawBody)) {
    reply(response, 401, 'text/plain; charset=utf-8', 'The request signature could not be verified.');
    return;
  }
  const form = new URLSearchParams(rawBody.toString('utf8'));
  if (form.get('command') !== '/cowsay') {
    reply(response, 404, 'text/plain; charset=utf-8', 'No handler for this request.');
    return;
  }
  const body = JSON.stringify(cowsayReply(form.get('text') ?? '', catalog));
  reply(response, 200, 'application/json; charset=utf-8', body);
}

const server = createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/slack/events') {
    reply(response, 404, 'text/plain; charset=utf-8', 'Not found.');
    request.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  request.on('end', () => {
    if (size > MAX_BODY_BYTES) reply(response, 413, 'text/plain; charset=utf-8', 'Request body too large.');
    else handle(request, response, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
  });
});

server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
