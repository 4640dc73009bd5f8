/**
 * The routing table: every Slack command the app answers (and, as they come, its actions and shortcuts), each
 * registered by its own module through the guarded router. A new command is one more line in ROUTES.
 */
import type { AllMiddlewareArgs, App, Logger } from '@slack/bolt';
import { describeError } from '../observability/errors.js';
import { registerChat } from './chat.js';
import { registerCowsay } from './cowsay.js';
import { registerPreview } from './preview.js';
import { type BoltRoutes, type CommandDependencies, createRouter, type Router, requestIdOf } from './router.js';
import { registerCowsayShortcut } from './shortcut.js';

/** What Bolt passes an error handler when the App has `extendedErrorHandler: true` (see app.ts). */
type ExtendedErrorHandlerArgs = { error: Error; logger: Logger; context: AllMiddlewareArgs['context'] };

const ROUTES: ReadonlyArray<(router: Router, dependencies: CommandDependencies) => void> = [
  registerCowsay,
  registerPreview,
  registerCowsayShortcut,
  registerChat,
];

/** Registers every route; returns the slash commands registered, for the metrics' labels. */
export function registerCommands(
  app: BoltRoutes & Pick<App, 'error'>,
  dependencies: CommandDependencies,
): Array<`/${string}`> {
  const router = createRouter(app);
  const commands: Array<`/${string}`> = [];
  const recording: Router = {
    ...router,
    command: (name, listener) => {
      commands.push(name);
      router.command(name, listener);
    },
  };
  for (const register of ROUTES) register(recording, dependencies);
  // Reached only by failures in Bolt's middleware (listeners are guarded). Logged once here; rethrown so that
  // the receiver answers the request. Bolt wraps an error it did not make; the original says what happened.
  app.error(async ({ error, logger, context }: ExtendedErrorHandlerArgs) => {
    const original = (error as { original?: unknown }).original ?? error;
    logger.error(`A Slack request failed (request id ${requestIdOf(context)}): ${describeError(original)}`);
    throw error;
  });
  return commands;
}
