/**
 * A connection as Node's HTTP parser sees it, fed a few KB at a time. Left to itself Node parses all it
 * reads at once: 64 KB of pipelined `GET /` is over two thousand requests, each with its request and
 * response objects, before any handler can object. Fed in pieces, with a check before each, a connection
 * can only ever have about a piece's worth of requests parsed beyond what its owner allows.
 *
 * Node's HTTP server accepts any Duplex as a connection; this one passes writes, timeouts and addresses
 * through to the TCP socket underneath.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** Small enough to hold only a few dozen tiny requests; large enough for a typical request in one piece. */
const PIECE_BYTES = 2048;

export class MeteredSocket extends Duplex {
  readonly #raw: Socket;
  readonly #mayParse: () => boolean;
  readonly #pending: Buffer[] = [];
  #ended = false;

  /** `mayParse` says whether the parser may be given more; {@link feed} asks again once it might. */
  constructor(raw: Socket, mayParse: () => boolean) {
    super({ allowHalfOpen: true });
    this.#raw = raw;
    this.#mayParse = mayParse;
    raw.on('data', (chunk: Buffer) => {
      if (chunk.length <= PIECE_BYTES) this.#pending.push(chunk);
      else
        for (let at = 0; at < chunk.length; at += PIECE_BYTES) this.#pending.push(chunk.subarray(at, at + PIECE_BYTES));
      this.feed();
    });
    raw.on('end', () => {
      this.#ended = true;
      this.feed();
    });
    raw.on('timeout', () => this.emit('timeout'));
    raw.on('error', (error) => this.destroy(error));
    raw.on('close', () => this.destroy());
  }

  /**
   * Passes waiting pieces to the parser while it is allowed and willing; reading from the socket stops while
   * pieces wait (in the common case, a request that fits one piece, it never stops).
   */
  feed(): void {
    let willing = true;
    while (willing && !this.destroyed && this.#mayParse()) {
      const piece = this.#pending.shift();
      if (piece === undefined) break;
      willing = this.push(piece);
    }
    if (this.destroyed) return;
    if (this.#pending.length > 0 || !willing) this.#raw.pause();
    else if (this.#ended) this.push(null);
    else if (this.#raw.isPaused()) this.#raw.resume();
  }

  override _read(): void {
    this.feed();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#raw.write(chunk, encoding, callback);
  }

  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ) {
    this.#raw.cork();
    chunks.forEach(({ chunk, encoding }, index) => {
      this.#raw.write(chunk, encoding, index === chunks.length - 1 ? callback : undefined);
    });
    this.#raw.uncork();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#raw.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // The pieces are views of the socket's 64 KB read buffers; dropping them lets those go at the next GC.
    this.#pending.length = 0;
    this.#raw.destroy(error ?? undefined);
    callback(error);
  }

  /** Output waiting in the process: here and in the TCP socket, beyond what the kernel has taken. */
  get queuedOutputBytes(): number {
    return this.writableLength + this.#raw.writableLength;
  }

  get bytesRead(): number {
    return this.#raw.bytesRead;
  }

  get remoteAddress(): string | undefined {
    return this.#raw.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#raw.remotePort;
  }

  get remoteFamily(): string | undefined {
    return this.#raw.remoteFamily;
  }

  get localAddress(): string | undefined {
    return this.#raw.localAddress;
  }

  get localPort(): number | undefined {
    return this.#raw.localPort;
  }

  setTimeout(ms: number, callback?: () => void): this {
    this.#raw.setTimeout(ms);
    if (callback !== undefined) this.once('timeout', callback);
    return this;
  }

  setNoDelay(noDelay?: boolean): this {
    this.#raw.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.#raw.setKeepAlive(enable, initialDelay);
    return this;
  }

  /** Ends the connection once what was written is sent (Node's server calls this after a last answer). */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }
}
