/**
 * A Bolt `Receiver` for Slack's HTTP requests, on plain `node:http`. Unlike Bolt's HTTPReceiver it refuses
 * future timestamps, reads at most `maxBodyBytes`, verifies the raw bytes before parsing, and answers the moment
 * the outcome is known instead of after a 3-second timer. https://docs.slack.dev/tools/bolt-js/concepts/receiver
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Logger, Receiver, ReceiverEvent } from '@slack/bolt';
import { send, sendJson } from '../http/respond.js';
import { currentRequest, noteOutcome, noteSlackCommand } from '../observability/request-context.js';
import { requestIdFrom } from '../observability/request-id.js';
import { shorten } from '../text/shorten.js';
import { ephemeral, somethingWentWrong } from './format.js';
import { verifySignature } from './signature.js';

export const SLACK_EVENTS_PATH = '/slack/events';
/**
 * A slash command's body is a few KB; an interaction's carries the whole message it came from (a 2,000-character
 * message in any script, with its blocks, URL-encoded JSON, is under 64 KB). Anything past this is not from Slack.
 */
export const DEFAULT_MAX_BODY_BYTES = 128 * 1024;

export interface SlackReceiverOptions {
  signingSecret: string;
  logger: Logger;
  maxBodyBytes?: number;
  now?: () => number;
}

export interface SlackEventsReceiver extends Receiver {
  handle(request: IncomingMessage, response: ServerResponse): void;
}

type Body = Record<string, unknown>;

export function createSlackReceiver(options: SlackReceiverOptions): SlackEventsReceiver {
  const receiver: ReceiverState = {
    signingSecret: options.signingSecret,
    logger: options.logger,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
    app: undefined,
  };
  return {
    init(boltApp: App) {
      receiver.app = boltApp;
    },
    // The HTTP server is owned by the caller (it also serves the GET routes), so there is nothing to open here.
    async start() {},
    async stop() {},
    handle(request, response) {
      if (request.method !== 'POST') {
        response.setHeader('Allow', 'POST');
        send(response, 405, `${SLACK_EVENTS_PATH} accepts POST only.`);
        request.resume();
        return;
      }
      readBody(request, receiver.maxBodyBytes).then(
        (rawBody) => {
          if (rawBody === undefined) refuseOversized(request, response, receiver.maxBodyBytes);
          else dispatch(receiver, rawBody, request, response);
        },
        // The client went away mid-body; there is nobody to answer.
        () => request.destroy(),
      );
    },
  };
}

interface ReceiverState {
  readonly signingSecret: string;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly now: () => number;
  app: App | undefined;
}

function dispatch(receiver: ReceiverState, rawBody: Buffer, request: IncomingMessage, response: ServerResponse): void {
  const timestamp = headerValue(request, 'x-slack-request-timestamp');
  const signature = headerValue(request, 'x-slack-signature');
  const check = verifySignature(receiver.signingSecret, { timestamp, signature, rawBody }, receiver.now());
  const contentType = mediaType(request.headers['content-type']);
  if (!check.ok) {
    // Slack's SSL check is sent unsigned and only needs a 200. https://docs.slack.dev/interactivity/implementing-slash-commands#ssl
    if (contentType === 'application/x-www-form-urlencoded' && isSslCheck(rawBody)) {
      send(response, 200, '');
      return;
    }
    receiver.logger.info(`Refused a request to ${SLACK_EVENTS_PATH}: ${check.error}`);
    noteOutcome('refused_signature');
    send(response, 401, 'The request signature could not be verified.');
    return;
  }
  const parsed = parseBody(contentType, rawBody);
  if (typeof parsed !== 'string' && typeof parsed.command === 'string') {
    noteSlackCommand(parsed.command, typeof parsed.team_id === 'string' ? parsed.team_id : undefined);
  }
  if (typeof parsed === 'string') {
    send(response, parsed === 'unsupported' ? 415 : 400, `Malformed request body: ${parsed}.`);
  } else if (parsed.ssl_check !== undefined) {
    send(response, 200, '');
  } else if (parsed.type === 'url_verification' && typeof parsed.challenge === 'string') {
    sendJson(response, 200, { challenge: parsed.challenge });
  } else {
    void processEvent(receiver, parsed, request, response);
  }
}

async function processEvent(
  { app, logger }: ReceiverState,
  body: Body,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (app === undefined) {
    send(response, 503, 'The app is starting.');
    return;
  }
  // The access log's id when it runs, so the apology and the log line name the same request.
  const requestId = currentRequest()?.requestId ?? requestIdFrom(headerValue(request, 'x-request-id'));
  const answer = createAnswer(response, logger);
  const event: ReceiverEvent = {
    body,
    retryNum: retryNumber(headerValue(request, 'x-slack-retry-num')),
    retryReason: headerValue(request, 'x-slack-retry-reason'),
    customProperties: { requestId },
    ack: answer.ack,
  };
  try {
    await app.processEvent(event);
  } catch {
    // The app's error handler has logged it. Slack shows a 500 as a bare failure (and retries events), so
    // the user gets an apology with the request id instead, and an event a plain 200.
    if (!answer.sent()) void answer.ack(typeof body.command === 'string' ? somethingWentWrong(requestId) : '');
    return;
  }
  // Every listener has run. Nothing acknowledged means nothing handles this request; say so now rather
  // than leave Slack waiting for its own timeout.
  if (answer.sent()) return;
  if (typeof body.command === 'string')
    void answer.ack(ephemeral(`This app does not handle ${inertCommand(body.command)}.`));
  // An interaction nobody handles (a button from an older version, say) is acknowledged and ignored: anything
  // but 200 makes Slack show the user an error.
  else if (typeof body.type === 'string') void answer.ack();
  else send(response, 404, 'No handler for this request.');
}

/** Bolt's `ack`: the first call answers the HTTP request; a second is a listener bug, logged and dropped. */
function createAnswer(
  response: ServerResponse,
  logger: Logger,
): { ack: (reply?: unknown) => Promise<void>; sent(): boolean } {
  let sent = false;
  const ack = async (reply?: unknown) => {
    if (sent) {
      logger.warn('A listener acknowledged the same request twice; the second reply was dropped.');
      return;
    }
    sent = true;
    if (reply === undefined || reply === '') send(response, 200, '');
    else if (typeof reply === 'string') send(response, 200, reply);
    else sendJson(response, 200, reply);
  };
  return { ack, sent: () => sent };
}

/** How much of an oversized body we discard, and for how long, before cutting the connection. */
const DISCARD_BYTES = 1024 * 1024;
const DISCARD_MS = 2000;

/**
 * Answers 413 at once. The rest of the body is read and thrown away (never buffered) for a moment, because
 * closing a socket with unread data makes TCP reset the connection, and the client would lose the answer.
 */
function refuseOversized(request: IncomingMessage, response: ServerResponse, maxBodyBytes: number): void {
  response.setHeader('Connection', 'close');
  send(response, 413, `Request body larger than ${maxBodyBytes} bytes.`);
  let discarded = 0;
  const cut = setTimeout(() => request.destroy(), DISCARD_MS);
  cut.unref();
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_BYTES) request.destroy();
  });
  request.on('close', () => clearTimeout(cut));
  request.resume();
}

/** Resolves with the body, or `undefined` as soon as it is known to exceed `limit` (without reading the rest). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.pause();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        request.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAborted = () => onError(new Error('request aborted'));
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}

/** The media type without parameters, lower-cased: `Application/JSON; charset=utf-8` → `application/json`. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

function parseBody(contentType: string, rawBody: Buffer): Body | string {
  const text = rawBody.toString('utf8');
  if (contentType === 'application/x-www-form-urlencoded') {
    // fromEntries defines own properties, so a field named `__proto__` stays a plain field.
    const form: Body = Object.fromEntries(new URLSearchParams(text));
    // Interactivity payloads arrive as a form with one JSON field. https://docs.slack.dev/interactivity/handling-user-interaction
    if (typeof form.payload !== 'string') return form;
    const payload = parseJsonObject(form.payload);
    if (payload === undefined) return 'the payload field is not a JSON object';
    return interactionProblem(payload) ?? payload;
  }
  if (contentType === 'application/json') {
    // Slack sends JSON only for the Events API, whose bodies always carry a `type`; slash commands and
    // interactions are always forms. https://docs.slack.dev/apis/events-api/
    const body = parseJsonObject(text);
    if (body === undefined) return 'not a JSON object';
    return typeof body.type === 'string' ? body : 'JSON is accepted for Events API payloads only';
  }
  return 'unsupported';
}

/**
 * What an interaction lacks of the fields Slack always sends and Bolt reads before any listener runs (a
 * missing user makes Bolt throw), or `undefined`. https://docs.slack.dev/reference/interaction-payloads
 */
function interactionProblem(payload: Body): string | undefined {
  const { type, user, actions } = payload;
  if (typeof type !== 'string') return 'the payload has no type';
  if (!['block_actions', 'message_action', 'shortcut'].includes(type)) return undefined;
  if (!isObject(user) || typeof user.id !== 'string') return `the ${type} payload has no user`;
  if (type !== 'block_actions') {
    return typeof payload.callback_id === 'string' ? undefined : `the ${type} payload has no callback_id`;
  }
  const valid = Array.isArray(actions) && actions.length > 0;
  return valid && actions.every((action) => isObject(action) && typeof action.action_id === 'string')
    ? undefined
    : 'the block_actions payload has no actions';
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(text: string): Body | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : undefined;
  } catch {
    return undefined;
  }
}

function isSslCheck(rawBody: Buffer): boolean {
  return new URLSearchParams(rawBody.toString('utf8')).get('ssl_check') === '1';
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function retryNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,3}$/.test(value) ? Number(value) : undefined;
}

function inertCommand(command: string): string {
  return shorten(command.replace(/[^\w/-]/g, ''), 40) || 'that command';
}
