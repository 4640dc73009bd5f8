/**
 * Slash-command requests as Slack sends them: a form body and the `v0` signature headers. Written here
 * rather than shared with the app so that the benchmark signs independently of the code it measures.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
import { createHmac } from 'node:crypto';

/** Only ever used against servers the benchmark starts itself, on loopback. */
export const BENCH_SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';

export interface SlashCommand {
  command: string;
  text: string;
  teamId?: string;
  channelId?: string;
  userId?: string;
}

let invocations = 0;

/** The form body of a slash command, with the fields Slack sends. https://docs.slack.dev/interactivity/implementing-slash-commands */
export function slashCommandBody({ command, text, teamId, channelId, userId }: SlashCommand): string {
  invocations += 1;
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: teamId ?? 'T0BENCH01',
    team_domain: 'bench',
    channel_id: channelId ?? 'C0BENCH01',
    channel_name: 'bench',
    user_id: userId ?? 'U0BENCH01',
    user_name: 'bench',
    command,
    text,
    api_app_id: 'A0BENCH01',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0BENCH01/1/bench',
    // Each invocation its own, as Slack does: /chat stores one post per trigger_id.
    trigger_id: `1.2.${invocations}`,
  }).toString();
}

/**
 * Headers for one signed request. A signature stays valid for five minutes (Slack's clock-skew window),
 * so the benchmark signs each body once per round instead of per request, keeping the load generator cheap.
 */
export function signedHeaders(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac('sha256', BENCH_SIGNING_SECRET).update(`v0:${timestamp}:`).update(body).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

/** How long a signature made by {@link signedHeaders} is safely accepted (under Slack's five minutes). */
export const SIGNATURE_LIFETIME_SECONDS = 4 * 60;
