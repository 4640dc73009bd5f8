/**
 * For `npm run slash`: a local stand-in for the `response_url` Slack gives every interaction, so a preview's
 * buttons can be pressed without Slack. It listens on a loopback origin the app is told to allow
 * (SLACK_RESPONSE_URL_ORIGINS) and hands each message posted to it, in order, to whoever waits for one.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export interface ResponseUrlListener {
  /** A new response URL on this listener, for one button press. */
  newUrl(): string;
  /** The next message posted to any of its URLs, or `undefined` if none comes within `timeoutMs`. */
  next(timeoutMs: number): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

/** Slack's messages are small; this bounds what a confused client would buffer. */
const MAX_MESSAGE_BYTES = 256 * 1024;

export async function startResponseUrlListener(origin: string): Promise<ResponseUrlListener> {
  const url = new URL(origin);
  const queue: Array<Record<string, unknown>> = [];
  const waiters: Array<(message: Record<string, unknown>) => void> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_MESSAGE_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const message = parseObject(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(message === undefined ? 400 : 200, { 'Content-Type': 'application/json' });
      response.end(message === undefined ? '{"ok":false,"error":"invalid_payload"}' : '{"ok":true}');
      if (message === undefined) return;
      const waiter = waiters.shift();
      if (waiter === undefined) queue.push(message);
      else waiter(message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(url.port || 80), url.hostname.replace(/^\[|\]$/g, ''), () => resolve());
  });
  let presses = 0;
  return {
    newUrl: () => `${url.origin}/actions/local/${++presses}/${randomBytes(6).toString('hex')}`,
    next(timeoutMs) {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolve) => {
        const waiter = (message: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(message);
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          resolve(undefined);
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
