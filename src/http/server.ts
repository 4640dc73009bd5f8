/**
 * The one HTTP server: Slack's `POST /slack/events` (in HTTP mode) beside the GET routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';
import { SLACK_EVENTS_PATH, type SlackEventsReceiver } from '../slack/receiver.js';
import { send } from './respond.js';

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface HttpServerOptions {
  /** Absent in Socket Mode, where Slack's requests arrive over the socket instead. */
  slack: SlackEventsReceiver | undefined;
  routes: RouteHandler;
  logger: Logger;
}

export function createHttpServer({ slack, routes, logger }: HttpServerOptions): Server {
  const server = createServer((request, response) => {
    // Once the server is closing, a keep-alive connection is closed as soon as its last answer is sent.
    response.on('finish', () => {
      if (!server.listening) server.closeIdleConnections();
    });
    // Slack's endpoint first, and without building a URL: it is every request Slack sends.
    if (request.url === SLACK_EVENTS_PATH && slack !== undefined) {
      slack.handle(request, response);
      return;
    }
    const url = parseUrl(request.url);
    if (url === undefined) {
      send(response, 400, 'Malformed request URL.');
      return;
    }
    if (url.pathname === SLACK_EVENTS_PATH && slack !== undefined) {
      slack.handle(request, response);
      return;
    }
    Promise.resolve(routes(request, response, url)).then(
      (handled) => {
        if (!handled) send(response, 404, 'Not found.');
      },
      (error: unknown) => {
        logger.error(`Route ${url.pathname} failed: ${error instanceof Error ? error.message : String(error)}`);
        send(response, 500, 'Something went wrong.');
      },
    );
  });
  // Bound how long a slow client may hold a connection (Slack sends a small body at once).
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  return server;
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
