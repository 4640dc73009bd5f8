/**
 * One access line and one set of metric observations per HTTP request, and each request's id in its
 * context. Attached to a server from outside, so the HTTP layer itself knows nothing of logs or metrics.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { COMMAND_OUTCOMES, type Metrics } from './metrics.js';
import { type CommandOutcome, enterRequest, type RequestContext } from './request-context.js';
import { requestIdFrom } from './request-id.js';

export interface AccessLine {
  requestId: string;
  method: string;
  /** The route's name (`/say`), never the path: a path can hold the user's words. */
  route: string;
  status: number;
  durationMs: number;
  /** Slack requests only. */
  command?: string;
  outcome?: CommandOutcome;
  teamId?: string;
}

export type AccessLog = (line: AccessLine) => void;

export interface RequestObserverOptions {
  /** Names the route a path belongs to, from a small fixed set. */
  routeName: (pathname: string) => string;
  accessLog?: AccessLog | undefined;
  metrics?: Metrics | undefined;
  /** The slash commands the app serves; metrics count any other name as `other`, so labels stay few. */
  commands: readonly string[];
}

/** Written when the client went away before any answer was sent (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;
/** A refused request's command cannot be trusted, so it is counted under this name. */
export const UNVERIFIED_COMMAND = 'unverified';

export function observeRequests(server: Server, options: RequestObserverOptions): void {
  const record = createRecorder(options);
  // First among the `request` listeners, so the context is entered before the handler runs.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const context: RequestContext = { requestId: requestIdFrom(request.headers['x-request-id']) };
    // The response echoes the id from the context (see http/respond.ts).
    enterRequest(context);
    // A response closes once; `on` spares the wrapper `once` would allocate for every request.
    response.on('close', () => record(request, response, context, performance.now() - started));
  });
}

type Recorder = (request: IncomingMessage, response: ServerResponse, context: RequestContext, ms: number) => void;

function createRecorder({ routeName, accessLog, metrics, commands }: RequestObserverOptions): Recorder {
  const known = new Set([...commands, UNVERIFIED_COMMAND]);
  // The series that can occur exist from the start, so a rate shows zero rather than no data after a deploy.
  const outcomes = COMMAND_OUTCOMES.filter((outcome) => outcome !== 'refused_signature');
  for (const command of commands) for (const outcome of outcomes) metrics?.countCommand(command, outcome, 0);
  metrics?.countCommand(UNVERIFIED_COMMAND, 'refused_signature', 0);
  return (request, response, context, elapsedMs) => {
    const method = request.method ?? '';
    const route = routeName(pathOf(request.url ?? '/'));
    const status = response.headersSent ? response.statusCode : CLIENT_CLOSED_STATUS;
    const slack = slackOutcome(context, status);
    metrics?.observeRequest(route, method, status, elapsedMs / 1000);
    if (slack !== undefined) metrics?.countCommand(known.has(slack.command) ? slack.command : 'other', slack.outcome);
    if (accessLog === undefined) return;
    const line: AccessLine = {
      requestId: context.requestId,
      method,
      route,
      status,
      durationMs: Math.round(elapsedMs * 1000) / 1000,
    };
    if (context.command !== undefined) line.command = context.command;
    if (slack !== undefined) line.outcome = slack.outcome;
    if (context.teamId !== undefined) line.teamId = context.teamId;
    accessLog(line);
  };
}

/**
 * A Slack request's command and outcome, once it is known to be one: it was refused, or a command was noted.
 * A command nobody noted an outcome for went fine, unless the answer was a server error.
 */
function slackOutcome(
  context: RequestContext,
  status: number,
): { command: string; outcome: CommandOutcome } | undefined {
  if (context.outcome === 'refused_signature') return { command: UNVERIFIED_COMMAND, outcome: context.outcome };
  if (context.command === undefined) return undefined;
  return { command: context.command, outcome: context.outcome ?? (status >= 500 ? 'error' : 'ok') };
}

/** The path of a request target, without the query; an absolute-form target (`http://host/x`) gives `/x`. */
function pathOf(target: string): string {
  const path = target.startsWith('/') ? target : target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const end = path.search(/[?#]/);
  return end < 0 ? path : path.slice(0, end);
}

/** Values the app makes up itself (methods, route names, checked commands and ids) need no escaping. */
const PLAIN = /^[\w/.:-]*$/;

function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * The access line as pino writes a line (level, ISO time, fields, `msg`), built directly: it is the one line
 * every request writes, and building it here measured a third of pino's time for the same object.
 */
export function formatAccessLine(line: AccessLine, time = isoTime()): string {
  let text = `{"level":"info","time":"${time}","requestId":${jsonString(line.requestId)}`;
  text += `,"method":${jsonString(line.method)},"route":${jsonString(line.route)}`;
  text += `,"status":${line.status},"durationMs":${line.durationMs}`;
  if (line.command !== undefined) text += `,"command":${jsonString(line.command)}`;
  if (line.outcome !== undefined) text += `,"outcome":"${line.outcome}"`;
  if (line.teamId !== undefined) text += `,"teamId":${jsonString(line.teamId)}`;
  return `${text},"msg":"request"}\n`;
}

let isoSecond = -1;
let isoPrefix = '';

/**
 * The current time in ISO 8601 with milliseconds, as pino writes it. The date and time up to the second
 * are formatted once a second and the milliseconds appended: `toISOString` for every line measured as much
 * as the rest of the line.
 */
export function isoTime(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const ms = now - second * 1000;
  return `${isoPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}
