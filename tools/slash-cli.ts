/**
 * `npm run slash`: one command from the arguments, or a REPL over standard input (like the original chat client,
 * `while True: post(input(": "))`), which also reads piped input. Streams and settings are passed in, so
 * tests drive it exactly as the terminal does.
 */
import { createInterface } from 'node:readline';
import type { LocalToolSettings } from '../src/config.js';
import { SLACK_ID } from '../src/slack/ids.js';
import { SLACK_EVENTS_PATH } from '../src/slack/receiver.js';
import type { ReplyButton, ReplyText } from './reply-text.js';
import { type ButtonSession, createButtonSession } from './slash-buttons.js';
import { createSlashClient, parseCommandLine, type SlashClient, type SlashOutcome } from './slash-client.js';

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether standard input is a terminal: only then is there a prompt and a greeting. */
  interactive: boolean;
}

export interface CliOptions {
  timeoutMs?: number;
}

export const SLASH_USAGE = `Usage: npm run slash -- [--url URL] [--user ID] [--channel ID] [/command text…]

Sends a slash command to the running app, signed with SLACK_SIGNING_SECRET (from the environment or .env)
exactly as Slack signs it, and prints the reply as a Slack user would see it.

  npm run slash -- /cowsay -f dragon hello     one command
  npm run slash -- /cowsay -P hello            a preview: then type s, h or c to press Send, Shuffle or Cancel
  npm run slash                                a prompt: one command per line; a line without a leading "/"
                                               goes to /chat; Ctrl-D ends it
  printf '/cowsay hi\\nhello board\\n' | npm run slash     commands from a pipe

  --url URL       the app's Slack endpoint (default http://localhost:$PORT/slack/events, PORT default 3000)
  --user ID       the Slack user ID to send as (default ULOCALUSER), e.g. to try /chat delete as someone else
  --channel ID    the channel ID to send from (default CLOCALCHAN): each channel has its own /chat board

Buttons (a /cowsay -P preview's) are pressed with a signed interaction, as Slack sends one, and the client
stands in for Slack's response URL on a loopback origin: the first http:// one in SLACK_RESPONSE_URL_ORIGINS,
or when that is unset http://127.0.0.1:<PORT+1>, which \`npm run dev\` lets the app call.
`;

/** Exit codes: 0 all answered, 1 a command failed, 2 the tool was misused or misconfigured. */
export async function runSlashCli(
  argv: readonly string[],
  io: CliIo,
  settings: LocalToolSettings,
  options: CliOptions = {},
): Promise<number> {
  const parsed = parseArguments(argv, settings.port);
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n\n${SLASH_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(SLASH_USAGE);
    return 0;
  }
  if (settings.signingSecret === undefined) {
    io.stderr.write(
      'SLACK_SIGNING_SECRET is not set, in the environment or in .env, so there is nothing to sign the command ' +
        'with. Run `npm run dev` once: it creates a .env with a local secret and starts the app.\n',
    );
    return 2;
  }
  const client = createSlashClient({
    url: parsed.url,
    signingSecret: settings.signingSecret,
    userId: parsed.userId,
    channelId: parsed.channelId,
    timeoutMs: options.timeoutMs,
  });

  const buttons = createButtonSession(client, io, settings.responseUrlOrigin);
  try {
    if (parsed.commandLine === undefined) return await repl(client, io, parsed.url, buttons);
    const line = parseCommandLine(parsed.commandLine);
    if (line === undefined) {
      io.stderr.write(`Not a slash command: ${JSON.stringify(parsed.commandLine)}\n\n${SLASH_USAGE}`);
      return 2;
    }
    const outcome = await client.send(line);
    if (!report(outcome, io)) return 1;
    const offered = buttons.offer(buttonsOf(outcome));
    if (offered !== undefined) await pressFromInput(io, buttons, offered);
    return 0;
  } finally {
    await buttons.close();
  }
}

/** After a one-off command, a reply's buttons wait for keys on standard input until they are gone. */
async function pressFromInput(io: CliIo, buttons: ButtonSession, offered: ReplyButton[]): Promise<void> {
  let current: ReplyButton[] | undefined = offered;
  for await (const raw of readLines(io, false)) {
    const button: ReplyButton | undefined = current === undefined ? undefined : buttons.choose(raw, current);
    if (current === undefined || button === undefined) break;
    current = await buttons.press(button, current);
    if (current === undefined) break;
    buttons.offer(current);
  }
}

function buttonsOf(outcome: SlashOutcome): ReplyButton[] {
  return outcome.ok && outcome.value !== undefined ? outcome.value.buttons : [];
}

/** Standard input line by line; at a terminal with line editing and history, and Ctrl-C ends it like Ctrl-D. */
function readLines(io: CliIo, prompt: boolean) {
  const lines = createInterface({
    input: io.stdin,
    output: io.interactive && prompt ? io.stdout : undefined,
    terminal: io.interactive && prompt,
    crlfDelay: Number.POSITIVE_INFINITY,
    prompt: ': ',
  });
  lines.on('SIGINT', () => lines.close());
  return lines;
}

async function repl(client: SlashClient, io: CliIo, url: string, buttons: ButtonSession): Promise<number> {
  if (io.interactive) {
    io.stdout.write(
      `Sending to ${url}. Type a slash command (/cowsay -f dragon hello), or plain text to post it with /chat. ` +
        'Ctrl-D to quit.\n',
    );
  }
  const lines = readLines(io, true);
  const prompt = () => {
    if (io.interactive) lines.prompt();
  };
  let failed = false;
  // The buttons of the last reply, if it had any: a line holding one's key presses it.
  let offered: ReplyButton[] | undefined;
  prompt();
  for await (const raw of lines) {
    const button = offered === undefined ? undefined : buttons.choose(raw, offered);
    if (button !== undefined && offered !== undefined) {
      offered = await buttons.press(button, offered);
      if (offered !== undefined) buttons.offer(offered);
      prompt();
      continue;
    }
    offered = undefined;
    const line = parseCommandLine(raw);
    if (raw.trim() === '') {
      prompt();
      continue;
    }
    if (line === undefined) {
      io.stderr.write(`Not a slash command: ${JSON.stringify(raw.trim())}\n`);
      failed = true;
    } else {
      const outcome = await client.send(line);
      if (report(outcome, io)) offered = buttons.offer(buttonsOf(outcome));
      else failed = true;
    }
    prompt();
  }
  if (io.interactive) io.stdout.write('\n');
  return failed ? 1 : 0;
}

function report(outcome: SlashOutcome, io: CliIo): boolean {
  if (!outcome.ok) {
    io.stderr.write(`${outcome.error.message}\n`);
    return false;
  }
  io.stdout.write(`${formatReply(outcome.value)}\n`);
  return true;
}

/** The reply as it reads in Slack; an ephemeral one is marked, since only the caller would see it. */
export function formatReply(reply: ReplyText | undefined): string {
  if (reply === undefined) return '(the app acknowledged the command without a reply)';
  return reply.ephemeral ? `(only visible to you)\n${reply.text}` : reply.text;
}

type ParsedArguments =
  | { help: true }
  | { help: false; url: string; userId?: string; channelId?: string; commandLine: string | undefined }
  | { error: string };

/**
 * Tool options come first; the first other word starts the command line, kept verbatim (without a leading
 * `/` it is a /chat message, as in the REPL).
 */
function parseArguments(argv: readonly string[], port: number): ParsedArguments {
  let url = `http://localhost:${port}${SLACK_EVENTS_PATH}`;
  let userId: string | undefined;
  let channelId: string | undefined;
  let index = 0;
  for (; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    if (argument === '-h' || argument === '--help') return { help: true };
    if (!argument.startsWith('--')) break;
    const [name, inline] = argument.includes('=')
      ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)]
      : [argument, undefined];
    const value = inline ?? argv[++index];
    if (value === undefined) return { error: `${name} needs a value.` };
    if (name === '--url') {
      if (!isHttpUrl(value))
        return { error: `--url must be an http:// or https:// URL (got ${JSON.stringify(value)}).` };
      url = value;
    } else if (name === '--user') {
      if (!SLACK_ID.user.test(value)) return { error: '--user must be a Slack user ID such as U0123ABCD.' };
      userId = value;
    } else if (name === '--channel') {
      if (!SLACK_ID.channel.test(value)) return { error: '--channel must be a Slack channel ID such as C0123ABCD.' };
      channelId = value;
    } else {
      return { error: `Unknown option ${JSON.stringify(name)}.` };
    }
  }
  const rest = argv.slice(index);
  return { help: false, url, userId, channelId, commandLine: rest.length === 0 ? undefined : rest.join(' ') };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
