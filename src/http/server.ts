/**
 * The one HTTP server. Handlers mounted on exact paths authenticate their own requests and are served
 * first; the web routes are open to anyone, so they run behind per-client limits and load shedding. Every
 * connection, whatever it asks, is bounded in time, in pipelined requests and in unread output, and the
 * number of open connections is capped: past the cap a new connection is closed as soon as it is accepted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';
import { describeError } from '../observability/errors.js';
import { answerClientError } from './client-errors.js';
import { type ClientRate, clientKey, createClientLimiter } from './client-limits.js';
import { type ConnectionLimits, trackConnections } from './connections.js';
import { createLoadShedder, type LoadLimits } from './load-shedding.js';
import { send } from './respond.js';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;
export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => boolean | Promise<boolean>;

/** What the server logs through; Bolt's logger and the console both fit. */
export interface ServerLogger {
  warn(...message: unknown[]): void;
  error(...message: unknown[]): void;
}

export interface HttpLimits extends ConnectionLimits {
  /** Open connections at most; more are closed as soon as they are accepted. */
  readonly maxConnections: number;
  /** From a request's first byte to the end of its headers, and to the end of its body. */
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** How often Node looks for requests past those two timeouts, so they hold to within this. */
  readonly timeoutCheckIntervalMs: number;
  readonly keepAliveTimeoutMs: number;
  /**
   * A connection with a request open and no byte moving either way for this long is closed: a client that
   * stopped reading its answer. Longer than the two above, so that a slow request gets its 408 first.
   */
  readonly stalledTimeoutMs: number;
  /** Reverse proxies in front of the app whose `X-Forwarded-For` entry is trusted (see client-limits.ts). */
  readonly trustedProxyHops: number;
  /** Per-client limit on the web routes; `undefined` turns it off. */
  readonly clientRate: ClientRate | undefined;
  readonly load: LoadLimits;
}

/** A client may make `perSecond` requests a second on average, in bursts of twice that; 0 means no limit. */
export function clientRatePerSecond(perSecond: number): ClientRate | undefined {
  return perSecond === 0 ? undefined : { perSecond, burst: 2 * perSecond, maxClients: 10_000 };
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxConnections: 1000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  timeoutCheckIntervalMs: 1000,
  keepAliveTimeoutMs: 5000,
  stalledTimeoutMs: 15_000,
  maxPipelined: 16,
  maxQueuedOutputBytes: 128 * 1024,
  trustedProxyHops: 0,
  clientRate: clientRatePerSecond(10),
  load: { maxInFlight: 64, cpuShare: 0.25, cpuBurstMs: 50 },
};

export interface HttpServerOptions {
  /** Handlers by exact path (any query string), outside the web routes' limits. */
  mounts?: ReadonlyMap<string, RequestHandler>;
  /** The web routes; `false` from the handler means "not mine" and gets a 404. */
  routes: RouteHandler;
  logger: ServerLogger;
  limits?: Partial<HttpLimits>;
}

export interface HttpServer {
  readonly server: Server;
  /**
   * Stops accepting connections; answers what was received with `Connection: close`, closes idle
   * connections after `idleLingerMs`, and resolves once every connection is closed.
   */
  drain(idleLingerMs?: number): Promise<void>;
  /** Closes every connection at once (when a drain has taken too long). */
  closeAllConnections(): void;
}

export function createHttpServer({ mounts = new Map(), routes, logger, limits: given }: HttpServerOptions): HttpServer {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...given };
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
  });
  server.timeout = limits.stalledTimeoutMs;
  server.maxConnections = limits.maxConnections;
  const connections = trackConnections(server, limits);
  const serveWeb = createWebRoutes(routes, limits, logger);

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!connections.admit(request, response)) return;
    // Mounted paths first, and without building a URL: they carry the requests that matter most.
    const mounted = mounts.get(request.url ?? '');
    if (mounted !== undefined) {
      mounted(request, response);
      return;
    }
    const url = parseUrl(request.url);
    const handler = url === undefined ? undefined : mounts.get(url.pathname);
    if (url === undefined) send(response, 400, 'Malformed request URL.');
    else if (handler !== undefined) handler(request, response);
    else serveWeb(request, response, url);
  });
  server.on('clientError', (error: Error, socket) =>
    answerClientError(error, socket, connections.answerStarted(socket)),
  );
  server.on('drop', createDropReporter(logger, limits.maxConnections));

  return {
    server,
    drain(idleLingerMs = 0) {
      return new Promise((resolve) => {
        // http.Server#close() would destroy idle keep-alive connections at once, resetting a request that a
        // client is sending on one right then; net.Server's stops accepting and leaves them to `drain`.
        NetServer.prototype.close.call(server, () => resolve());
        connections.drain(idleLingerMs);
      });
    },
    closeAllConnections: () => connections.destroyAll(),
  };
}

/** The web routes behind the per-client limit and load shedding, with the event-loop time they use charged. */
function createWebRoutes(routes: RouteHandler, limits: HttpLimits, logger: ServerLogger) {
  const rate = limits.clientRate;
  const limiter = rate === undefined ? undefined : createClientLimiter(rate);
  const shedder = createLoadShedder(limits.load);
  return (request: IncomingMessage, response: ServerResponse, url: URL): void => {
    const admission = limiter?.(clientKey(request, limits.trustedProxyHops)) ?? { ok: true };
    if (!admission.ok) {
      const headers = { 'Retry-After': String(admission.retryAfterSeconds) };
      send(response, 429, 'Too many requests from your address; try again shortly.', headers);
      return;
    }
    if (!shedder.tryStart()) {
      send(response, 503, 'The server is busy; try again in a moment.', { 'Retry-After': '1' });
      return;
    }
    response.once('close', shedder.finish);
    const started = performance.now();
    let outcome: ReturnType<RouteHandler>;
    try {
      outcome = routes(request, response, url);
    } catch (error) {
      outcome = Promise.reject(error);
    } finally {
      shedder.charge(performance.now() - started);
    }
    Promise.resolve(outcome).then(
      (handled) => {
        if (!handled) send(response, 404, 'Not found.');
      },
      (error: unknown) => {
        // The path is not logged: under /say it is the user's message.
        logger.error(`A ${request.method} route failed: ${describeError(error)}`);
        send(response, 500, 'Something went wrong.');
      },
    );
  };
}

/** Refused connections are logged at most once a minute, with how many there were: an attack would flood the log. */
function createDropReporter(logger: ServerLogger, maxConnections: number): () => void {
  let dropped = 0;
  let lastReport = Number.NEGATIVE_INFINITY;
  return () => {
    dropped++;
    const now = performance.now();
    if (now - lastReport < 60_000) return;
    logger.warn(`Refused ${dropped} connection(s): the cap of ${maxConnections} open connections was reached.`);
    dropped = 0;
    lastReport = now;
  };
}

/**
 * The request target as a URL, still percent-encoded (routes decode strictly). An origin-form target
 * (`/say/x`) is appended to a dummy origin rather than resolved against it, so `//say` stays a path instead
 * of becoming a host; an absolute-form target (`http://host/say/x`, which proxies send) is parsed as is.
 */
function parseUrl(raw: string | undefined): URL | undefined {
  const target = raw ?? '/';
  try {
    return new URL(target.startsWith('/') ? `http://localhost${target}` : target);
  } catch {
    return undefined;
  }
}
