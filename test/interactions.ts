/**
 * Interaction payloads as Slack sends them (a form with one `payload` field holding JSON, signed like any
 * request), and a logger tests can wait on, since an interaction's work goes on after its acknowledgement.
 * https://docs.slack.dev/interactivity/handling-user-interaction
 */
import {
  type CapturingLogger,
  createCapturingLogger,
  postToSlack,
  type SendOptions,
  type TestResponse,
} from './helpers.js';

export type Payload = Record<string, unknown>;

export function sendInteraction(baseUrl: string, payload: Payload, options?: SendOptions): Promise<TestResponse> {
  return postToSlack(baseUrl, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), options);
}

/** A `message_action` payload: someone used a message shortcut on `message`. */
export function messageShortcutPayload(responseUrl: string, message: Payload, callbackId = 'cowsay_message'): Payload {
  return {
    type: 'message_action',
    callback_id: callbackId,
    trigger_id: '1.2.trigger',
    message_ts: message.ts,
    response_url: responseUrl,
    action_ts: '1700000100.000200',
    token: 'deprecated-verification-token',
    team: { id: 'T0001', domain: 'example' },
    user: { id: 'U0001', name: 'alice', team_id: 'T0001' },
    channel: { id: 'C0001', name: 'general' },
    message: { type: 'message', user: 'U0002', ...message },
  };
}

/** A `block_actions` payload: someone pressed the button `actionId` (with `value`) on an ephemeral message. */
export function buttonPayload(responseUrl: string, actionId: string, value?: string, userId = 'U0001'): Payload {
  return {
    type: 'block_actions',
    trigger_id: '1.2.trigger',
    response_url: responseUrl,
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    team: { id: 'T0001', domain: 'example' },
    user: { id: userId, username: 'alice', team_id: 'T0001' },
    channel: { id: 'C0001', name: 'general' },
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0001', is_ephemeral: true },
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'cowsay_preview',
        text: { type: 'plain_text', text: 'Button' },
        ...(value === undefined ? {} : { value }),
        action_ts: '1700000100.000300',
      },
    ],
  };
}

export interface WatchingLogger extends CapturingLogger {
  /** Resolves with the first line, logged before or after the call, that matches `pattern`. */
  until(pattern: RegExp): Promise<string>;
}

export function createWatchingLogger(): WatchingLogger {
  const logger = createCapturingLogger();
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const notify = () => {
    for (const waiter of [...waiters]) {
      const line = logger.lines.find((candidate) => waiter.pattern.test(candidate));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  const watched =
    (log: (...message: unknown[]) => void) =>
    (...message: unknown[]) => {
      log(...message);
      notify();
    };
  return Object.assign(logger, {
    debug: watched(logger.debug),
    info: watched(logger.info),
    warn: watched(logger.warn),
    error: watched(logger.error),
    until(pattern: RegExp) {
      return new Promise<string>((resolve) => {
        waiters.push({ pattern, resolve });
        notify();
      });
    },
  });
}
