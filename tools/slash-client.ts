/**
 * The local slash client: sends a slash command to the running app exactly as Slack would (the same form
 * fields, `&`, `<`, `>` encoded as entities, signed with the signing secret) and reads the reply back the
 * way a Slack user would see it. It is how a newcomer tries the app without a Slack workspace, and it is
 * the original chat client too: a line without a leading `/` goes to `/chat`.
 * https://docs.slack.dev/interactivity/implementing-slash-commands
 */
import { randomBytes } from 'node:crypto';
import { SLACK_ANSWER_MS } from '../src/deadline.js';
import { fail, ok, type Result } from '../src/result.js';
import { encodeEntities } from '../src/slack/format.js';
import { computeSignature } from '../src/slack/signature.js';
import { shorten } from '../src/text/shorten.js';
import { type ReplyButton, type ReplyText, readReply } from './reply-text.js';

export interface SlashClientOptions {
  /** The app's Slack endpoint, e.g. http://localhost:3000/slack/events. */
  url: string;
  signingSecret: string;
  userId?: string;
  channelId?: string;
  timeoutMs?: number;
}

export interface SlashCommandLine {
  command: string;
  text: string;
}

export interface SlashProblem {
  kind: 'unauthorized' | 'unreachable' | 'timeout' | 'refused';
  /** What went wrong and how to fix it, for the terminal. */
  message: string;
}

/** The reply as a Slack user would read it (`undefined`: acknowledged without one), or why there is none. */
export type SlashOutcome = Result<ReplyText | undefined, SlashProblem>;

export interface SlashClient {
  send(line: SlashCommandLine): Promise<SlashOutcome>;
  /**
   * Presses a button of a reply, as Slack does: a signed `block_actions` payload whose `response_url` is
   * `responseUrl`. The outcome is the acknowledgement; what the app then says goes to `responseUrl`.
   */
  press(button: ReplyButton, responseUrl: string): Promise<SlashOutcome>;
  /** A message body (a reply, or one posted to a response URL) as this client's user would read it. */
  read(body: string): ReplyText | undefined;
}

export const LOCAL_TEAM = { id: 'TLOCALTEAM', domain: 'local' } as const;
export const DEFAULT_USER_ID = 'ULOCALUSER';
export const DEFAULT_CHANNEL_ID = 'CLOCALCHAN';

/**
 * Splits `/cowsay -f dragon hello` into command and text. A line without a leading `/` is a `/chat`
 * message, like the original chat client; `undefined` for a blank line or a malformed command name.
 */
export function parseCommandLine(line: string): SlashCommandLine | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  if (!trimmed.startsWith('/')) return { command: '/chat', text: trimmed };
  const match = /^(\/[\w-]{1,32})(?:\s+([\s\S]*))?$/u.exec(trimmed);
  if (match === null) return undefined;
  return { command: (match[1] ?? '').toLowerCase(), text: match[2] ?? '' };
}

export function createSlashClient(options: SlashClientOptions): SlashClient {
  const { url, signingSecret } = options;
  const timeoutMs = options.timeoutMs ?? SLACK_ANSWER_MS;
  const userId = options.userId ?? DEFAULT_USER_ID;
  const channelId = options.channelId ?? DEFAULT_CHANNEL_ID;
  const userName = userId === DEFAULT_USER_ID ? 'you' : userId.toLowerCase();

  const userNames = { [userId]: userName };
  const post = async (body: string): Promise<SlashOutcome> => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          'X-Slack-Request-Timestamp': timestamp,
          'X-Slack-Signature': computeSignature(signingSecret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      const replyBody = await response.text();
      return outcomeOf(response.status, replyBody, url, userNames);
    } catch (error) {
      return failure(error, url, timeoutMs);
    }
  };

  return {
    send: (line) => post(commandBody(line, userId, userName, channelId)),
    press: (button, responseUrl) => post(buttonBody(button, responseUrl, userId, userName, channelId)),
    read: (body) => readReply(body, { userNames }),
  };
}

/** The form fields Slack sends with a slash command. */
function commandBody({ command, text }: SlashCommandLine, userId: string, userName: string, channelId: string): string {
  return new URLSearchParams({
    token: 'local-slash-client',
    team_id: LOCAL_TEAM.id,
    team_domain: LOCAL_TEAM.domain,
    channel_id: channelId,
    channel_name: channelId === DEFAULT_CHANNEL_ID ? 'general' : channelId.toLowerCase(),
    user_id: userId,
    user_name: userName,
    command,
    // Slack sends these three characters as entities; the app decodes them.
    text: encodeEntities(text),
    api_app_id: 'ALOCALAPP',
    is_enterprise_install: 'false',
    response_url: `https://hooks.slack.com/commands/${LOCAL_TEAM.id}/0/local-slash-client`,
    trigger_id: `0.0.${randomBytes(8).toString('hex')}`,
  }).toString();
}

/**
 * The form Slack sends when a button is pressed: one `payload` field holding the interaction as JSON.
 * https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
 */
function buttonBody(button: ReplyButton, responseUrl: string, userId: string, userName: string, channelId: string) {
  const payload = {
    type: 'block_actions',
    token: 'local-slash-client',
    api_app_id: 'ALOCALAPP',
    trigger_id: `0.0.${randomBytes(8).toString('hex')}`,
    response_url: responseUrl,
    team: LOCAL_TEAM,
    user: { id: userId, username: userName, team_id: LOCAL_TEAM.id },
    channel: { id: channelId, name: channelId === DEFAULT_CHANNEL_ID ? 'general' : channelId.toLowerCase() },
    container: { type: 'message', channel_id: channelId, is_ephemeral: true },
    actions: [
      {
        type: 'button',
        action_id: button.actionId,
        block_id: button.blockId,
        text: { type: 'plain_text', text: button.label },
        value: button.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** What the app's answer means for the user, with the fix when it is a set-up problem. */
function outcomeOf(status: number, body: string, url: string, userNames: Record<string, string>): SlashOutcome {
  if (status === 200) return ok(readReply(body, { userNames }));
  if (status === 401) {
    return fail({
      kind: 'unauthorized',
      message:
        `The app refused the request's signature (401). The SLACK_SIGNING_SECRET this client read (from the ` +
        'environment or .env) is not the one the running app uses: run both from the same folder, with the same .env.',
    });
  }
  if (status === 404) {
    return fail({
      kind: 'refused',
      message:
        `Nothing handles Slack requests at ${url} (404). If the app runs in Socket Mode (SLACK_APP_TOKEN is set), ` +
        'it takes commands from Slack only: unset SLACK_APP_TOKEN to try it with this client.',
    });
  }
  const line = shorten(body, 200).trim();
  return fail({ kind: 'refused', message: `The app answered ${status}: ${line === '' ? '(empty body)' : line}` });
}

function failure(error: unknown, url: string, timeoutMs: number): SlashOutcome {
  // Duck-typed rather than `instanceof`: fetch's errors may come from another realm (a test's VM context).
  const name = propertyOf(error, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') {
    return fail({
      kind: 'timeout',
      message:
        `The app did not answer within ${timeoutMs / 1000} s; Slack would show the user "operation_timeout". ` +
        'Slash commands must be acknowledged within 3 seconds.',
    });
  }
  const code = propertyOf(propertyOf(error, 'cause'), 'code');
  const message = propertyOf(error, 'message');
  const cause = typeof code === 'string' ? code : typeof message === 'string' ? message : String(error);
  return fail({
    kind: 'unreachable',
    message:
      `Could not reach the app at ${url} (${cause}). Is it running? Start it with \`npm run dev\` in another ` +
      'terminal, or point this client elsewhere with --url.',
  });
}

/** fetch wraps the network error (ECONNREFUSED, ENOTFOUND…) in its `cause`; this reads such fields safely. */
function propertyOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
