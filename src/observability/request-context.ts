/**
 * What one HTTP request has done, for its access line and the metrics: its id, and for a Slack command its
 * name, team and outcome. Kept in AsyncLocalStorage so the layers that learn these facts (the receiver, a
 * command) can note them with one call, without the request being threaded through their signatures.
 * Outside a request every call here does nothing, so the same code runs unchanged in tests and tools.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** How a Slack request ended, as counted in `slack_commands_total` and written in the access line. */
export type CommandOutcome = 'ok' | 'user_error' | 'rate_limited' | 'store_unavailable' | 'refused_signature' | 'error';

export interface RequestContext {
  readonly requestId: string;
  command?: string;
  teamId?: string;
  outcome?: CommandOutcome;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Slack's command names: a slash and at most 32 letters, digits, `-` or `_` (no spaces). */
const COMMAND_NAME = /^\/[\w-]{1,32}$/;
const TEAM_ID = /^T[A-Z0-9]{1,31}$/;

/**
 * Makes `context` the current request's for the rest of this synchronous run and everything it starts.
 * The HTTP server's `request` listeners run one after another in one synchronous run, so entering here
 * (from the first listener) covers the handler that follows without wrapping it.
 */
export function enterRequest(context: RequestContext): void {
  storage.enterWith(context);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Notes which command a verified Slack request carries and from which team. Values come from Slack's
 * payload; anything not shaped like a command name or team id is recorded as `invalid` or left out, so a
 * log line never carries free text from a request.
 */
export function noteSlackCommand(command: unknown, teamId: unknown): void {
  const context = storage.getStore();
  if (context === undefined || typeof command !== 'string') return;
  context.command = COMMAND_NAME.test(command) ? command : 'invalid';
  if (typeof teamId === 'string' && TEAM_ID.test(teamId)) context.teamId = teamId;
}

/** Notes how the request ended. The first outcome noted wins: it is the reason the rest followed from. */
export function noteOutcome(outcome: CommandOutcome): void {
  const context = storage.getStore();
  if (context !== undefined && context.outcome === undefined) context.outcome = outcome;
}
