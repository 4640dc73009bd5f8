/**
 * A byte-level HTTP client for the connection tests: it pipelines, stalls, stops reading and sends
 * half a request, which fetch and node:http's client will not do on purpose.
 */
import { connect, type Socket } from 'node:net';

export interface RawConnection {
  readonly socket: Socket;
  /** Everything received so far, as latin1 text. */
  received(): string;
  /** Resolves once the connection is fully closed, with whether it ended in an error (a reset). */
  readonly closed: Promise<{ error: NodeJS.ErrnoException | undefined }>;
  /** Resolves once what was received satisfies `done`; rejects if the connection closes first. */
  waitFor(done: (received: string) => boolean): Promise<string>;
}

export async function openRawConnection(port: number): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  let error: NodeJS.ErrnoException | undefined;
  const waiters = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    for (const waiter of waiters) waiter();
  });
  socket.on('error', (cause) => {
    error = cause;
  });
  const closed = new Promise<{ error: NodeJS.ErrnoException | undefined }>((resolve) =>
    socket.once('close', () => {
      for (const waiter of waiters) waiter();
      resolve({ error });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => text,
    closed,
    waitFor(done) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (done(text)) {
            waiters.delete(check);
            resolve(text);
          } else if (socket.destroyed) {
            waiters.delete(check);
            reject(new Error(`closed before the expected answer; received: ${text.slice(0, 300)}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** The complete responses in `text` (bodies framed by Content-Length), in order. */
export function parseResponses(text: string): Array<{ status: number; headers: Record<string, string>; body: string }> {
  const responses = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(
      lines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }),
    );
    const length = Number(headers['content-length'] ?? 0);
    if (rest.length < end + 4 + length) break;
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return responses;
}

export function get(path: string, headers: Record<string, string> = {}): string {
  const lines = Object.entries({ Host: 'localhost', ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
  return `GET ${path} HTTP/1.1\r\n${lines.join('')}\r\n`;
}
