/**
 * Calls from the app to Slack: posting through an interaction's `response_url`, and the Web API's
 * `chat.postMessage`. A `response_url` arrives inside the request, so it is only called when its origin is on
 * the allow-list (otherwise a signed-but-crafted payload could make the app POST anywhere). Every call is
 * bounded: a timeout, no redirects, a capped answer, and never a retry. Failures come back as a result, and
 * are logged by operation and error code only: response URLs and tokens are credentials.
 * https://docs.slack.dev/interactivity/handling-user-interaction#message_responses
 */
import type { Logger } from '@slack/bolt';

/** Leaves time to answer within Slack's 3 seconds when a call is made before acknowledging. */
export const OUTBOUND_TIMEOUT_MS = 2500;
/** Slack's answers to these calls are a few hundred bytes; anything far bigger is not Slack. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export type OutboundResult<T = undefined> = { ok: true; value: T } | { ok: false; error: string };

/** A message as `response_url` takes it. https://docs.slack.dev/interactivity/handling-user-interaction */
export interface ResponseMessage {
  text: string;
  blocks?: readonly unknown[];
}

export interface PostMessageArguments extends ResponseMessage {
  channel: string;
  /** The parent message's `ts`: the reply goes into its thread. */
  thread_ts?: string;
}

export interface SlackOutbound {
  isAllowedResponseUrl(responseUrl: string): boolean;
  /** A new message in the conversation, visible to everyone (`response_type: in_channel`). */
  postInChannel(responseUrl: string, message: ResponseMessage): Promise<OutboundResult>;
  /** A message only the user who acted sees (`response_type: ephemeral`). */
  postEphemeral(responseUrl: string, message: ResponseMessage): Promise<OutboundResult>;
  /** Replaces the message the interaction came from (a preview, say). */
  replaceOriginal(responseUrl: string, message: ResponseMessage): Promise<OutboundResult>;
  deleteOriginal(responseUrl: string): Promise<OutboundResult>;
  /** `chat.postMessage` with a bot token; resolves with the new message's `ts`. */
  postMessage(token: string, message: PostMessageArguments): Promise<OutboundResult<{ ts: string }>>;
}

export interface SlackOutboundOptions {
  /** Origins (`https://hooks.slack.com`) a response URL may have. */
  responseUrlOrigins: readonly string[];
  /** The Web API's base URL, ending in `/`. */
  apiUrl: string;
  logger: Logger;
  timeoutMs?: number;
}

export function createSlackOutbound(options: SlackOutboundOptions): SlackOutbound {
  const { logger } = options;
  const origins = new Set(options.responseUrlOrigins);
  const timeoutMs = options.timeoutMs ?? OUTBOUND_TIMEOUT_MS;

  const isAllowedResponseUrl = (responseUrl: string): boolean => {
    const url = URL.parse(responseUrl);
    return url !== null && url.username === '' && url.password === '' && origins.has(url.origin);
  };

  const failed = <T>(operation: string, error: string): OutboundResult<T> => {
    logger.warn(`Slack ${operation} failed: ${error}`);
    return { ok: false, error };
  };

  const toResponseUrl = async (operation: string, responseUrl: string, body: object): Promise<OutboundResult> => {
    if (!isAllowedResponseUrl(responseUrl)) return failed(operation, 'response_url_not_allowed');
    const answer = await call(responseUrl, { 'Content-Type': 'application/json; charset=utf-8' }, body, timeoutMs);
    if (!answer.ok) return failed(operation, answer.error);
    const error = responseUrlError(answer.value);
    return error === undefined ? { ok: true, value: undefined } : failed(operation, error);
  };

  return {
    isAllowedResponseUrl,
    // `replace_original: false` spelled out: from an interaction, a response URL may otherwise update the original.
    postInChannel: (url, message) =>
      toResponseUrl('response_url in_channel', url, {
        ...message,
        response_type: 'in_channel',
        replace_original: false,
      }),
    postEphemeral: (url, message) =>
      toResponseUrl('response_url ephemeral', url, { ...message, response_type: 'ephemeral', replace_original: false }),
    replaceOriginal: (url, message) =>
      toResponseUrl('response_url replace_original', url, { ...message, replace_original: true }),
    deleteOriginal: (url) => toResponseUrl('response_url delete_original', url, { delete_original: true }),
    async postMessage(token, message) {
      const headers = { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${token}` };
      const answer = await call(new URL('chat.postMessage', options.apiUrl).href, headers, message, timeoutMs);
      if (!answer.ok) return failed('chat.postMessage', answer.error);
      const parsed = webApiAnswer(answer.value);
      return parsed.ok ? { ok: true, value: parsed.value } : failed('chat.postMessage', parsed.error);
    },
  };
}

interface Answer {
  status: number;
  body: string;
}

/** One POST, bounded in time and size, never following a redirect. Errors are codes, never messages with URLs. */
async function call(
  url: string,
  headers: Record<string, string>,
  body: object,
  timeoutMs: number,
): Promise<OutboundResult<Answer>> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      redirect: 'manual',
      signal,
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      return { ok: false, error: 'redirect_refused' };
    }
    const text = await readBounded(response, MAX_RESPONSE_BYTES);
    if (text === undefined) return { ok: false, error: 'response_too_large' };
    return { ok: true, value: { status: response.status, body: text } };
  } catch (error) {
    if (signal.aborted) return { ok: false, error: 'timeout' };
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    return { ok: false, error: typeof code === 'string' ? `network_error (${code})` : 'network_error' };
  }
}

async function readBounded(response: Response, limit: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Slack's error names are short snake_case words; anything else is not repeated (it could be anything). */
function errorCode(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^[a-z0-9_]{1,64}$/.test(value) ? value : fallback;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A response URL answers 200 (`ok` or `{"ok":true}`) when it took the message; otherwise a status with a bare
 * error name (`expired_url`) or `{"ok":false,"error":…}`.
 */
function responseUrlError({ status, body }: Answer): string | undefined {
  const json = parseJson(body);
  if (status >= 200 && status < 300 && json?.ok !== false) return undefined;
  if (status === 429) return 'ratelimited';
  return errorCode(json?.error ?? body.trim(), `http_${status}`);
}

/** The Web API answers 200 with `{"ok":true,…}` or `{"ok":false,"error":"not_in_channel"}`; 429 when rate limited. */
function webApiAnswer({ status, body }: Answer): OutboundResult<{ ts: string }> {
  if (status === 429) return { ok: false, error: 'ratelimited' };
  const json = parseJson(body);
  if (json === undefined) return { ok: false, error: `http_${status}` };
  if (json.ok !== true) return { ok: false, error: errorCode(json.error, 'unknown_error') };
  return { ok: true, value: { ts: typeof json.ts === 'string' ? json.ts : '' } };
}
