/**
 * Composition: Bolt's `App` with our receiver and the commands' routing table, and the HTTP server with the
 * Slack receiver mounted beside the web routes. No signals or exits, so tests build it on port 0.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Logger, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { registerCommands } from './commands/index.js';
import type { Config } from './config.js';
import type { CowCatalog } from './cowsay/cows.js';
import { builtInFortunes, type Fortunes } from './cowsay/fortunes.js';
import { createRoutes, routeNameOf } from './http/routes.js';
import {
  clientRatePerSecond,
  createHttpServer,
  type HttpLimits,
  type HttpServer,
  type RequestHandler,
} from './http/server.js';
import { type AccessLog, observeRequests } from './observability/access-log.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { createSlackOutbound } from './slack/outbound.js';
import { createSlackReceiver, SLACK_EVENTS_PATH, type SlackEventsReceiver } from './slack/receiver.js';
import { createMeasuredStore } from './store/measured-store.js';
import type { MessageStore } from './store/message-store.js';

export interface AppDependencies {
  config: Config;
  store: MessageStore;
  catalog: CowCatalog;
  logger: Logger;
  /** What `-F` and `/say?fortune` draw from; the built-in fortunes unless given. */
  fortunes?: Fortunes;
  /** Where each request's access line goes (see src/logger.ts); none are written without it. */
  accessLog?: AccessLog;
  /** Where Socket Mode asks for its WebSocket URL; tests point it at a local stand-in for Slack. */
  slackApiUrl?: string;
  /** Overrides of the HTTP server's limits beyond what the config sets; tests shorten and shrink them. */
  httpLimits?: Partial<HttpLimits>;
}

/** With an app-level token the app opens a WebSocket to Slack (no public URL needed); otherwise Slack POSTs. */
export type SlackConnection = { mode: 'http'; signingSecret: string } | { mode: 'socket'; appToken: string };

export function planSlackConnection(config: Pick<Config, 'signingSecret' | 'appToken'>): SlackConnection {
  return config.appToken === undefined
    ? { mode: 'http', signingSecret: config.signingSecret }
    : { mode: 'socket', appToken: config.appToken };
}

export interface CowsayApp {
  readonly bolt: App;
  readonly connection: SlackConnection['mode'];
  readonly server: Server;
  /** Listens (and in Socket Mode connects to Slack); resolves with the bound address. */
  start(port?: number): Promise<AddressInfo>;
  /**
   * Disconnects from Slack (Socket Mode) and stops accepting connections; answers the requests already
   * received (with `Connection: close`), closes idle connections after `idleLingerMs` (default 0), and
   * resolves once every connection is closed. Not bounded in time: the caller decides how long to wait
   * before {@link closeConnections}. Leaves the store open.
   */
  stop(options?: { idleLingerMs?: number }): Promise<void>;
  /** Closes every HTTP connection still open, answered or not. */
  closeConnections(): void;
}

function createReceiver(
  connection: SlackConnection,
  logger: Logger,
  slackApiUrl: string | undefined,
): { receiver: Receiver; httpReceiver?: SlackEventsReceiver; socketReceiver?: SocketModeReceiver } {
  if (connection.mode === 'http') {
    const httpReceiver = createSlackReceiver({ signingSecret: connection.signingSecret, logger });
    return { receiver: httpReceiver, httpReceiver };
  }
  const receiver = new SocketModeReceiver({
    appToken: connection.appToken,
    logger,
    installerOptions: { clientOptions: slackApiUrl === undefined ? {} : { slackApiUrl } },
  });
  return { receiver, socketReceiver: receiver };
}

function createBolt(receiver: Receiver, connection: SlackConnection, config: Config, logger: Logger): App {
  return new App({
    receiver,
    socketMode: connection.mode === 'socket',
    logger,
    // Without it Bolt resets the logger it is given to info, and LOG_LEVEL would not apply.
    logLevel: logger.getLevel(),
    // Slash commands answer through the HTTP response, so no Slack API call is needed to serve one; an
    // `authorize` that returns the configured token (if any) keeps Bolt from calling auth.test per request.
    authorize: async () => (config.botToken === undefined ? {} : { botToken: config.botToken }),
    // Neither applies to slash commands; both cost time on every request.
    ignoreSelf: false,
    convoStore: false,
    // The error handler gets the request's context, so its log line carries the request id.
    extendedErrorHandler: true,
  });
}

/** Resolves once Slack has said hello over the socket; on a refused token, frees the port and says what to fix. */
async function connectSocket(bolt: App, server: Server): Promise<void> {
  try {
    await bolt.start();
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not connect to Slack in Socket Mode (${reason}). Check SLACK_APP_TOKEN (Basic Information → ` +
        'App-Level Tokens, scope connections:write) and that Socket Mode is enabled for the app, or unset ' +
        'SLACK_APP_TOKEN to receive HTTP requests instead.',
    );
  }
}

export function createCowsayApp(dependencies: AppDependencies): CowsayApp {
  const { config, catalog, logger, slackApiUrl } = dependencies;
  // Metrics only cost anything when someone can read them.
  const metrics = config.metricsToken === undefined ? undefined : { ...createMetrics(), token: config.metricsToken };
  const store = metrics === undefined ? dependencies.store : createMeasuredStore(dependencies.store, metrics);
  const connection = planSlackConnection(config);
  const { receiver, httpReceiver, socketReceiver } = createReceiver(connection, logger, slackApiUrl);
  const bolt = createBolt(receiver, connection, config, logger);
  const fortunes = dependencies.fortunes ?? builtInFortunes();
  // Buttons and shortcuts answer with calls of their own to Slack, all through this one client.
  const outbound = createSlackOutbound({
    responseUrlOrigins: config.responseUrlOrigins,
    apiUrl: config.slackApiUrl,
    logger,
  });
  const commands = registerCommands(bolt, { catalog, store, fortunes, outbound, botToken: config.botToken });

  const http = createWebServer({ ...dependencies, store, fortunes }, connection.mode, httpReceiver, metrics);
  const server = http.server;
  observeRequests(server, {
    routeName: (path) => (path === SLACK_EVENTS_PATH ? path : (routeNameOf(path) ?? 'unmatched')),
    accessLog: dependencies.accessLog,
    metrics,
    commands,
  });
  let socketStarted = false;

  return {
    bolt,
    server,
    connection: connection.mode,
    async start(port = config.port) {
      const address = await listen(server, port);
      if (socketReceiver !== undefined) {
        await connectSocket(bolt, server);
        socketStarted = true;
      }
      return address;
    },
    async stop({ idleLingerMs = 0 } = {}) {
      // Slack stops sending commands over the socket while the HTTP requests in flight are answered.
      const disconnect = async () => {
        if (socketReceiver === undefined || !socketStarted) return;
        socketStarted = false;
        // Bolt's own stop() does not wait for the socket to close, so the client is disconnected here.
        await socketReceiver.client.disconnect();
      };
      await Promise.all([disconnect(), http.drain(idleLingerMs)]);
    },
    closeConnections: () => http.closeAllConnections(),
  };
}

/** The HTTP server: Slack's receiver mounted on its path (in HTTP mode), the web routes beside it. */
function createWebServer(
  { config, store, catalog, fortunes, logger, httpLimits }: AppDependencies,
  mode: SlackConnection['mode'],
  httpReceiver: SlackEventsReceiver | undefined,
  metrics: (Metrics & { token: string }) | undefined,
): HttpServer {
  const routes = createRoutes({ store, catalog, fortunes, logger, socketMode: mode === 'socket', metrics });
  // In Socket Mode nothing is mounted on /slack/events, so a request there is a plain 404.
  const mounts = new Map<string, RequestHandler>(
    httpReceiver === undefined
      ? []
      : [[SLACK_EVENTS_PATH, (request, response) => httpReceiver.handle(request, response)]],
  );
  return createHttpServer({ mounts, routes, logger, limits: httpLimitsOf(config, httpLimits) });
}

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function httpLimitsOf({ http }: Config, overrides: Partial<HttpLimits> = {}): Partial<HttpLimits> {
  return {
    maxConnections: http.maxConnections,
    trustedProxyHops: http.trustedProxyHops,
    clientRate: clientRatePerSecond(http.webRateLimit),
    ...overrides,
  };
}
