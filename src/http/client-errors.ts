/**
 * Answers what Node's HTTP parser refuses before any handler sees it: a malformed request (400), headers
 * too large (431), a client too slow to send its request (408). Like Node's default, the answer closes the
 * connection; unlike it, the rest of what the client is still sending is read and dropped for a moment
 * first, because closing a socket with unread data makes TCP reset it and the client would lose the answer.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** How long the rest of a refused request is read before the connection is cut regardless. */
const DISCARD_MS = 1000;

/** The parser reports every later chunk on the same connection again; only the first report is answered. */
const answered = new WeakSet<Duplex>();

/**
 * `answerStarted`: part of an answer has already been written on this connection, so another one would
 * corrupt it; the connection is cut instead.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex, answerStarted: boolean): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  if (answerStarted || !socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  const cut = setTimeout(() => socket.destroy(), DISCARD_MS);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
}
