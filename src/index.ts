/**
 * Process concerns only: load config, open the store, build the app, start; stop cleanly on SIGTERM.
 */

// First, so an unsupported Node.js is refused before any other module loads.
import './node-version.js';
import type { Logger } from '@slack/logger';
import { createCowsayApp } from './app.js';
import type { StoreConfig } from './config.js';
import { ConfigError, loadConfig } from './config.js';
import { loadCowCatalog } from './cowsay/cows.js';
import { loadFortuneFiles } from './cowsay/fortune-files.js';
import { builtInFortunes, type Fortunes } from './cowsay/fortunes.js';
import { createLogger } from './logger.js';
import { STOP_GRACE_MS, stopGracefully } from './process/graceful-stop.js';
import { type MessageStore, openStore } from './store/index.js';

async function main(): Promise<void> {
  // 1. Load config.
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, { format: config.logFormat });

  // 2. Build: the fortunes (before the store, so a bad FORTUNE_PATH opens nothing), the store, the cows, the app.
  const fortunes = await loadFortunes(config.fortunePath, logger);
  const store = await openStoreOrExplain(config.store, logger);
  const catalog = await loadCowCatalog();
  const app = createCowsayApp({ config, store, catalog, fortunes, logger, accessLog: logger.access });

  // 3. Register shutdown: Heroku sends SIGTERM on every deploy and restart, and kills 30 s later.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests, then closing the store.`);
    if ((await stopGracefully(app)) === 'forced') {
      logger.warn(`Requests still open after ${STOP_GRACE_MS / 1000} s were cut off.`);
    }
    await store.close();
    logger.info('Stopped cleanly.');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  // 4. Start.
  try {
    const address = await app.start();
    logger.info(
      app.connection === 'socket'
        ? `Connected to Slack in Socket Mode; web pages on port ${address.port}.`
        : `Listening on port ${address.port}; Slack requests go to /slack/events.`,
    );
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * Opens the store and checks that it answers. At start-up an unreachable database is a configuration
 * problem to report (the platform restarts us with backoff), not an outage to ride out: that is only done
 * once the app has served.
 */
async function openStoreOrExplain(storeConfig: StoreConfig, logger: Logger): Promise<MessageStore> {
  const where = storeConfig.kind === 'sqlite' ? `the SQLite file ${storeConfig.path}` : 'PostgreSQL (DATABASE_URL)';
  let store: MessageStore;
  try {
    store = await openStore(storeConfig, logger);
  } catch (error) {
    throw new Error(`could not open the message store, ${where}: ${reasonOf(error)}. Check DATABASE_URL.`);
  }
  try {
    await store.ping();
  } catch (error) {
    await store.close().catch(() => {});
    throw new Error(`the message store, ${where}, does not answer: ${reasonOf(error)}. Check DATABASE_URL.`);
  }
  return store;
}

/**
 * FORTUNE_PATH's collections, else the built-in fortunes. Files that cannot be used are named in one warning;
 * a path with no usable fortune at all stops the start, as any other misconfiguration does.
 */
async function loadFortunes(fortunePath: string | undefined, logger: Logger): Promise<Fortunes> {
  if (fortunePath === undefined) return builtInFortunes();
  const loaded = await loadFortuneFiles(fortunePath);
  if (!loaded.ok) throw new Error(loaded.error);
  if (loaded.value.problems !== undefined) logger.warn(`FORTUNE_PATH: ${loaded.value.problems}.`);
  logger.info(`Fortunes: ${loaded.value.summary}, from FORTUNE_PATH.`);
  return loaded.value.fortunes;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  const message =
    code === 'EADDRINUSE'
      ? 'The port is already in use: stop the other process or set PORT to a free port.'
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`cowsay-slack failed to start: ${message}`);
  process.exit(1);
});
