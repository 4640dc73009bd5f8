/**
 * The shapes of Slack's ids: a type letter, then upper-case letters and digits. A payload's ids are checked
 * against these before they become a board key or an `<@…>` mention, so a forged value can be neither.
 */
export const SLACK_ID = {
  enterprise: /^E[A-Z0-9]{1,31}$/,
  team: /^T[A-Z0-9]{1,31}$/,
  /** Public (C) and private (G) channels, and direct messages (D). */
  channel: /^[CGD][A-Z0-9]{1,31}$/,
  /** Users (U) and Enterprise Grid users (W). */
  user: /^[UW][A-Z0-9]{1,31}$/,
  /** One invocation of a command (about 60 characters: digits, dots, hex); copies of a request share it. */
  trigger: /^[\w.-]{1,255}$/,
} as const;
