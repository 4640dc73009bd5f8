/**
 * What the user reads when the cow could not be posted after an interaction (a shortcut, a preview's Send),
 * by the error code the outbound call returned. Slack's own codes are explained; any other is named.
 * https://docs.slack.dev/reference/methods/chat.postMessage#errors
 */

const POST_FAILURES: Readonly<Record<string, string>> = {
  not_in_channel:
    'The cow is not a member of this conversation, so it cannot post here. Add the app to the channel ' +
    '(for example with `/invite @cowsay`) and try again.',
  channel_not_found: 'The cow cannot see this conversation. Add the app to it and try again.',
  is_archived: 'This channel is archived, so the cow cannot post in it.',
  restricted_action: 'This workspace does not let the app post here.',
  ratelimited: 'Slack asked the cow to slow down. Try again in a minute.',
  timeout: 'Slack did not answer in time, so nothing was posted. Try again.',
  expired_url: 'Slack no longer takes answers to this (it was too long ago). Try again.',
  response_url_not_allowed: 'The reply address in this request is not one of Slack’s, so nothing was posted.',
  invalid_payload: 'Slack’s request did not say where the message is, so nothing was posted.',
};

/** What the user reads when the cow could not be posted; `error` is an outbound error code. */
export function postFailure(error: string): string {
  return POST_FAILURES[error] ?? `Slack refused the cow’s message (${error}), so nothing was posted.`;
}
