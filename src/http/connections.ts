/**
 * What one connection may make the server hold, and how connections end on stop.
 *
 * Node answers pipelined requests in order and keeps each answer in memory until the client reads the ones
 * before it, so a client that pipelines without reading could make the server hold any amount. A connection
 * is cut once it has too many requests unanswered or too much output waiting for it.
 *
 * On stop, the newest answer on each busy connection says `Connection: close`, and an idle connection is
 * closed once it has stayed idle for a moment (a request already on its way on it is answered, not reset).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { MeteredSocket } from './metered-socket.js';

export interface ConnectionLimits {
  /** Requests received on one connection whose answers have not yet reached the kernel. */
  readonly maxPipelined: number;
  /** Output waiting in the process for one connection, beyond what the kernel has taken. */
  readonly maxQueuedOutputBytes: number;
}

interface Connection {
  readonly socket: MeteredSocket;
  /** Answers not yet handed to the kernel, oldest first. */
  readonly open: ServerResponse[];
  idleTimer: NodeJS.Timeout | undefined;
}

export interface ConnectionTracker {
  /** Registers a request; `false` if its connection is (now) cut and nothing should answer it. */
  admit(request: IncomingMessage, response: ServerResponse): boolean;
  /** Whether part of an answer has been written on this connection (then nothing else may be written on it). */
  answerStarted(socket: Duplex): boolean;
  /** From now on, answers close their connection and idle connections close after `idleLingerMs`. */
  drain(idleLingerMs: number): void;
  /** Closes every connection at once. */
  destroyAll(): void;
}

export function trackConnections(server: Server, limits: ConnectionLimits): ConnectionTracker {
  const connections = new Map<Duplex, Connection>();
  const draining: { lingerMs?: number } = {};
  meterConnections(server, limits, (connection) => {
    connections.set(connection.socket, connection);
    connection.socket.once('close', () => {
      clearTimeout(connection.idleTimer);
      connections.delete(connection.socket);
    });
  });

  return {
    admit(request, response) {
      const connection = connections.get(request.socket);
      if (connection === undefined || !admitted(connection, response, limits)) return false;
      if (draining.lingerMs !== undefined) closeAfterNewest(connection);
      response.once('close', () => {
        const index = connection.open.indexOf(response);
        if (index >= 0) connection.open.splice(index, 1);
        if (connection.open.length === 0 && draining.lingerMs !== undefined) {
          closeWhenIdle(connection, draining.lingerMs);
        }
        connection.socket.feed();
      });
      return true;
    },
    answerStarted(socket) {
      return connections.get(socket)?.open.some((response) => response.headersSent) ?? false;
    },
    drain(idleLingerMs) {
      draining.lingerMs = idleLingerMs;
      for (const connection of connections.values()) {
        if (connection.open.length === 0) closeWhenIdle(connection, idleLingerMs);
        else closeAfterNewest(connection);
      }
    },
    destroyAll() {
      for (const connection of connections.values()) connection.socket.destroy();
    },
  };
}

/**
 * Node's own 'connection' listener reads HTTP from each new connection; it is handed a metered one instead,
 * fed only while the connection has fewer than maxPipelined requests unanswered.
 */
function meterConnections(server: Server, limits: ConnectionLimits, accepted: (connection: Connection) => void) {
  const readHttp = server.listeners('connection')[0] as ((socket: Duplex) => void) | undefined;
  server.removeAllListeners('connection');
  server.on('connection', (raw: Socket) => {
    const open: ServerResponse[] = [];
    const socket = new MeteredSocket(raw, () => open.length < limits.maxPipelined);
    accepted({ socket, open, idleTimer: undefined });
    readHttp?.call(server, socket);
  });
}

/** Counts a request in, or cuts its connection if it is over a bound. */
function admitted(connection: Connection, response: ServerResponse, limits: ConnectionLimits): boolean {
  const socket = connection.socket;
  if (socket.destroyed) return false;
  // More requests than allowed came in one piece, or answers are piling up unread.
  if (connection.open.length >= limits.maxPipelined || socket.queuedOutputBytes > limits.maxQueuedOutputBytes) {
    cut(socket);
    return false;
  }
  clearTimeout(connection.idleTimer);
  connection.open.push(response);
  // Checked again once the answer is written: a client that reads nothing is cut on its first big answer.
  response.once('prefinish', () => {
    if (socket.queuedOutputBytes > limits.maxQueuedOutputBytes) cut(socket);
  });
  return true;
}

/** Closes the connection once it has been idle for `delayMs`, unless a request starts arriving first. */
function closeWhenIdle(connection: Connection, delayMs: number): void {
  clearTimeout(connection.idleTimer);
  const bytesRead = connection.socket.bytesRead;
  connection.idleTimer = setTimeout(() => {
    if (connection.open.length > 0) return;
    // Part of a request has arrived since: it is answered (the headers timeout bounds how long it takes).
    if (connection.socket.bytesRead > bytesRead) closeWhenIdle(connection, delayMs);
    else connection.socket.destroy();
  }, delayMs);
}

/**
 * Closes a connection that exceeded a bound. Node has already parsed the rest of the piece it was fed (up to
 * about seventy requests from a pipelining client) and aborts each on close with an error whose stack
 * trace it captures at once; nothing ever reads those, and building them costs more than the requests did,
 * so they are built without one. The limit is restored by the last listener of the same synchronous event.
 */
function cut(socket: Duplex): void {
  if (socket.destroyed) return;
  let stackTraceLimit = Error.stackTraceLimit;
  socket.prependListener('close', () => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  socket.on('close', () => {
    Error.stackTraceLimit = stackTraceLimit;
  });
  socket.destroy();
}

/**
 * Only the newest answer says `Connection: close`: Node closes the connection once that answer is sent, so
 * an earlier one saying so would drop the requests pipelined behind it.
 */
function closeAfterNewest(connection: Connection): void {
  const newest = connection.open.at(-1);
  for (const response of connection.open) {
    if (response.headersSent) continue;
    if (response === newest) response.setHeader('Connection', 'close');
    // Only the header set here is taken back (Node then keeps the connection open as it would have).
    else if (response.hasHeader('Connection')) response.removeHeader('Connection');
  }
}
