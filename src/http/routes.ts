/**
 * GET routes served beside Slack's endpoint: the index page, Cowsay as a Service (`/say`), `/healthz` and,
 * when a metrics token is configured, `/metrics`.
 * A known path with another method gets 405 with `Allow`; an unknown path is left to the server's 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CowCatalog } from '../cowsay/cows.js';
import type { Fortunes } from '../cowsay/fortunes.js';
import { withDeadline } from '../deadline.js';
import { redact } from '../observability/errors.js';
import type { MessageStore } from '../store/message-store.js';
import { sendHtml } from './html.js';
import { createMetricsRoute, type MetricsSource } from './metrics-route.js';
import { negotiate } from './negotiate.js';
import { createIndexPage, errorPage, sayPage } from './pages.js';
import { send, sendJson } from './respond.js';
import { isSayPath, type SayOutcome, say } from './say.js';
import type { RouteHandler, ServerLogger } from './server.js';

export interface RouteDependencies {
  store: MessageStore;
  catalog: CowCatalog;
  /** What `/say?fortune` draws from. */
  fortunes?: Fortunes;
  logger: ServerLogger;
  /** Whether Slack's requests arrive over Socket Mode (shown on the index page). */
  socketMode?: boolean;
  /** How long `/healthz` waits for the store; a health check that hangs is as bad as one that fails. */
  healthTimeoutMs?: number;
  /** Serves `/metrics`; absent, the path is a 404 like any unknown one. */
  metrics?: MetricsSource | undefined;
}

const DEFAULT_HEALTH_TIMEOUT_MS = 2000;
const READ_ONLY = { Allow: 'GET, HEAD' };

export function createRoutes(dependencies: RouteDependencies): RouteHandler {
  const { catalog, fortunes } = dependencies;
  const socketMode = dependencies.socketMode ?? false;
  const health = createHealthCheck(dependencies);
  const indexPage = createIndexPage({ catalog, socketMode });
  const metrics = dependencies.metrics === undefined ? undefined : createMetricsRoute(dependencies.metrics);

  return async (request, response, url) => {
    const route = routeFor(url.pathname);
    if (route === undefined || (route === 'metrics' && metrics === undefined)) return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, `${url.pathname} answers GET and HEAD only.`, READ_ONLY);
      return true;
    }
    switch (route) {
      case 'index':
        sendHtml(response, 200, indexPage(originOf(request)));
        return true;
      case 'say':
        answerSay(request, response, url, (pathname, search) => say(pathname, search, catalog, fortunes));
        return true;
      case 'health':
        await health(response);
        return true;
      case 'metrics':
        await metrics?.(request, response);
        return true;
    }
  };
}

type Route = 'index' | 'say' | 'health' | 'metrics';
const ROUTE_NAMES: Readonly<Record<Route, string>> = {
  index: '/',
  say: '/say',
  health: '/healthz',
  metrics: '/metrics',
};

function routeFor(pathname: string): Route | undefined {
  if (pathname === '/') return 'index';
  if (pathname === '/healthz') return 'health';
  if (pathname === '/metrics') return 'metrics';
  if (isSayPath(pathname)) return 'say';
  return undefined;
}

/** The name of the route serving `pathname`, for logs and metrics: `/say` for every cow, never the text. */
export function routeNameOf(pathname: string): string | undefined {
  const route = routeFor(pathname);
  return route === undefined ? undefined : ROUTE_NAMES[route];
}

function answerSay(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  render: (pathname: string, search: string) => SayOutcome,
): void {
  const representation = negotiate(request.headers.accept);
  // The same URL answers differently by Accept, so caches must key on it.
  const headers = { Vary: 'Accept' };
  const outcome = render(url.pathname, url.search);
  if (!outcome.ok) {
    if (representation === 'json') sendJson(response, 400, { error: outcome.error }, headers);
    else if (representation === 'text') send(response, 400, `${outcome.error}\n`, headers);
    else sendHtml(response, 400, errorPage(400, outcome.error), headers);
    return;
  }
  const { message, cow } = outcome.value;
  if (representation === 'json') sendJson(response, 200, { message: cow.split('\n') }, headers);
  else if (representation === 'text') send(response, 200, `${cow}\n`, headers);
  else sendHtml(response, 200, sayPage(message, cow, `${originOf(request)}${url.pathname}${url.search}`), headers);
}

/**
 * This app's origin as the client addressed it, for copy-pasteable examples: the Host header if it is a
 * plain host name (anything else could put arbitrary text on the page), https when a proxy such as Heroku's
 * router says the client used it.
 */
export function originOf(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i.test(host)) return 'http://localhost:3000';
  const forwarded = String(request.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim()
    .toLowerCase();
  return `${forwarded === 'https' ? 'https' : 'http'}://${host.toLowerCase()}`;
}

function createHealthCheck({
  store,
  logger,
  healthTimeoutMs = DEFAULT_HEALTH_TIMEOUT_MS,
}: RouteDependencies): (response: ServerResponse) => Promise<void> {
  const noStore = { 'Cache-Control': 'no-store' };
  return async (response) => {
    try {
      await withDeadline(store.ping(), healthTimeoutMs, 'the message store');
      sendJson(response, 200, { status: 'ok' }, noStore);
    } catch (error) {
      // The answer is public, so a driver's error that quotes its connection string is masked.
      const reason = redact(error instanceof Error ? error.message : 'the message store failed');
      logger.warn(`Health check failed: ${reason}`);
      sendJson(response, 503, { status: 'unavailable', reason }, noStore);
    }
  };
}
