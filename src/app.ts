/**
 * Builds the app from its parts: a Bolt `App` with our receiver and commands, and the HTTP server.
 * No process concerns here (no signals, no exit), so tests build it with any config and store on port 0.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Logger } from '@slack/bolt';
import { registerCowsayCommand } from './commands/cowsay.js';
import type { Config } from './config.js';
import type { CowCatalog } from './cowsay/cows.js';
import { createRoutes } from './http/routes.js';
import { createHttpServer } from './http/server.js';
import { createSlackReceiver } from './slack/receiver.js';
import type { MessageStore } from './store/message-store.js';

export interface AppDependencies {
  config: Config;
  store: MessageStore;
  catalog: CowCatalog;
  logger: Logger;
}

export interface CowsayApp {
  readonly bolt: App;
  readonly server: Server;
  /** Listens on `port` (default: the configured one) and resolves with the bound address. */
  start(port?: number): Promise<AddressInfo>;
  /** Stops accepting connections and resolves once in-flight requests are answered. Leaves the store open. */
  stop(): Promise<void>;
}

/** How long a graceful stop waits for in-flight requests before closing their connections. */
const STOP_GRACE_MS = 10_000;

export function createCowsayApp({ config, store, catalog, logger }: AppDependencies): CowsayApp {
  const receiver = createSlackReceiver({ signingSecret: config.signingSecret, logger });
  const bolt = new App({
    receiver,
    logger,
    // Slash commands answer through the HTTP response, so no Slack API call is needed to serve one; an
    // `authorize` that returns the configured token (if any) keeps Bolt from calling auth.test per request.
    authorize: async () => (config.botToken === undefined ? {} : { botToken: config.botToken }),
    // Neither applies to slash commands; both cost time on every request.
    ignoreSelf: false,
    convoStore: false,
  });
  registerCowsayCommand(bolt, catalog);

  const server = createHttpServer({ slack: receiver, routes: createRoutes({ store }), logger });

  return {
    bolt,
    server,
    start(port = config.port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Idle keep-alive connections would hold close() open; busy ones are closed as their answer goes out.
        server.closeIdleConnections();
      });
    },
  };
}
