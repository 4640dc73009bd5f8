/**
 * Stand-ins for the parts of Bolt a command module touches, so a listener can be called exactly as Bolt calls
 * it (one argument object: `command`, `ack`, `respond`, `logger`, `context`…) and a failure points at the
 * listener rather than at the receiver or the HTTP server.
 */
import type { SlashCommand } from '@slack/bolt';
import type {
  ActionArgs,
  CommandArgs,
  CommandDependencies,
  Listener,
  Router,
  ShortcutArgs,
} from '../../src/commands/router.js';
import { DEFAULT_SLACK_API_URL } from '../../src/config.js';
import { builtInFortunes } from '../../src/cowsay/fortunes.js';
import { createSlackOutbound } from '../../src/slack/outbound.js';
import { type CapturingLogger, createCapturingLogger, type SlashCommandFields, slashCommandBody } from '../helpers.js';

/** A Router that keeps what was registered on it, by name. */
export interface RecordingRouter extends Router {
  readonly commands: Map<string, Listener<CommandArgs>>;
  readonly actions: Map<string, Listener<ActionArgs>>;
  readonly shortcuts: Map<string, Listener<ShortcutArgs>>;
}

export function createRecordingRouter(): RecordingRouter {
  const commands = new Map<string, Listener<CommandArgs>>();
  const actions = new Map<string, Listener<ActionArgs>>();
  const shortcuts = new Map<string, Listener<ShortcutArgs>>();
  return {
    commands,
    actions,
    shortcuts,
    command: (name, listener) => void commands.set(name, listener),
    action: (actionId, listener) => void actions.set(String(actionId), listener),
    shortcut: (callbackId, listener) => void shortcuts.set(callbackId, listener),
  };
}

/** What a command module may use, with fortunes built in, no bot token, and calls to Slack allowed nowhere. */
export function testDependencies(
  given: Pick<CommandDependencies, 'catalog' | 'store'> & Partial<CommandDependencies>,
): CommandDependencies {
  return {
    fortunes: builtInFortunes(),
    outbound: createSlackOutbound({
      responseUrlOrigins: [],
      apiUrl: DEFAULT_SLACK_API_URL,
      logger: createCapturingLogger(),
    }),
    botToken: undefined,
    ...given,
  };
}

/** The one listener a module registers for `name`. */
export function listenerFor(
  register: (router: Router, dependencies: CommandDependencies) => void,
  name: string,
  dependencies: CommandDependencies,
): Listener<CommandArgs> {
  const router = createRecordingRouter();
  register(router, dependencies);
  const listener = router.commands.get(name);
  if (listener === undefined) throw new Error(`${name} was not registered`);
  return listener;
}

export interface CommandCall {
  args: CommandArgs;
  /** Every value `ack` was called with, in order. */
  acks: unknown[];
  responds: unknown[];
  logger: CapturingLogger;
}

/** Bolt's arguments for a slash command with these payload fields (the rest as Slack sends them). */
export function commandCall(fields: SlashCommandFields, context: Record<string, unknown> = {}): CommandCall {
  const payload = Object.fromEntries(new URLSearchParams(slashCommandBody(fields))) as unknown as SlashCommand;
  const acks: unknown[] = [];
  const responds: unknown[] = [];
  const logger = createCapturingLogger();
  const args = {
    payload,
    command: payload,
    body: payload,
    ack: async (reply?: unknown) => void acks.push(reply),
    respond: async (reply: unknown) => void responds.push(reply),
    say: async () => ({}),
    logger,
    context,
    client: {},
    next: async () => {},
  } as unknown as CommandArgs;
  return { args, acks, responds, logger };
}
