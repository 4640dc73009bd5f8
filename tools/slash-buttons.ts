/**
 * Buttons in `npm run slash`: a reply's buttons are listed with a key each (`[s]end s[h]uffle [c]ancel`), and
 * a line holding a key presses one, as a Slack user's click would. What the app answers through the
 * press's `response_url` is printed as Slack would show it, until the message with the buttons is replaced
 * or removed. The response URL is a local stand-in on the loopback origin in SLACK_RESPONSE_URL_ORIGINS.
 */
import type { ReplyButton } from './reply-text.js';
import { type ResponseUrlListener, startResponseUrlListener } from './response-url-listener.js';
import type { SlashClient } from './slash-client.js';

/** How long to wait for the app's next message after a press: its calls to Slack time out after 2.5 s. */
const ANSWER_WAIT_MS = 3500;

export interface ButtonSession {
  /** Lists `buttons` with their keys and returns them, or says why they cannot be pressed here. */
  offer(buttons: readonly ReplyButton[]): ReplyButton[] | undefined;
  /** The button a typed line presses (its key, or its label), if any. */
  choose(line: string, buttons: readonly ReplyButton[]): ReplyButton | undefined;
  /** Presses `button` and prints what follows; resolves with the buttons still on offer, if any. */
  press(button: ReplyButton, buttons: ReplyButton[]): Promise<ReplyButton[] | undefined>;
  close(): Promise<void>;
}

interface Output {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export function createButtonSession(client: SlashClient, io: Output, origin: string | undefined): ButtonSession {
  let listener: Promise<ResponseUrlListener> | undefined;
  const listen = () => {
    listener ??= startResponseUrlListener(origin ?? '');
    return listener;
  };
  return {
    offer(buttons) {
      if (buttons.length === 0) return undefined;
      if (origin === undefined) {
        io.stdout.write(
          `(buttons: ${buttons.map((button) => button.label).join(' · ')}. To press them here, add a loopback ` +
            'origin such as http://127.0.0.1:3001 to SLACK_RESPONSE_URL_ORIGINS, for the app and this client.)\n',
        );
        return undefined;
      }
      io.stdout.write(
        `${keyed(buttons)
          .map(({ shown }) => shown)
          .join(' ')}\n`,
      );
      return [...buttons];
    },
    choose(line, buttons) {
      const typed = line.trim().toLowerCase();
      return keyed(buttons).find(({ key, button }) => typed === key || typed === button.label.toLowerCase())?.button;
    },
    async press(button, buttons) {
      let local: ResponseUrlListener;
      try {
        local = await listen();
      } catch (error) {
        io.stderr.write(`Cannot stand in for Slack's response URL at ${origin}: ${codeOf(error)}.\n`);
        return undefined;
      }
      const outcome = await client.press(button, local.newUrl());
      if (!outcome.ok) {
        io.stderr.write(`${outcome.error.message}\n`);
        return buttons;
      }
      return showAnswers(local, client, io, buttons);
    },
    async close() {
      if (listener !== undefined) await (await listener.catch(() => undefined))?.close();
    },
  };
}

/** Prints the app's messages to the response URL until the pressed message is replaced or removed. */
async function showAnswers(listener: ResponseUrlListener, client: SlashClient, io: Output, buttons: ReplyButton[]) {
  for (;;) {
    const message = await listener.next(ANSWER_WAIT_MS);
    if (message === undefined) {
      io.stderr.write(
        `The app sent nothing to the response URL within ${ANSWER_WAIT_MS / 1000} s. Does the app's ` +
          "SLACK_RESPONSE_URL_ORIGINS include this client's origin? (`npm run dev` sets it; see `npm run slash -- --help`.)\n",
      );
      return buttons;
    }
    if (message.delete_original === true) {
      io.stdout.write('(the message with the buttons was removed)\n');
      return undefined;
    }
    const reply = client.read(JSON.stringify(message));
    if (reply === undefined) continue;
    if (message.replace_original === true) {
      io.stdout.write(`(the message with the buttons now reads)\n${reply.text}\n`);
      return reply.buttons.length > 0 ? reply.buttons : undefined;
    }
    io.stdout.write(reply.ephemeral ? `(only visible to you)\n${reply.text}\n` : `${reply.text}\n`);
    // A note only for the user leaves the buttons where they were; a message to everyone is followed by more.
    if (reply.ephemeral) return buttons;
  }
}

/** Each button with the first letter of its label that no earlier button took: `[s]end s[h]uffle [c]ancel`. */
function keyed(buttons: readonly ReplyButton[]): Array<{ key: string; shown: string; button: ReplyButton }> {
  const taken = new Set<string>();
  return buttons.map((button) => {
    const label = button.label.toLowerCase();
    const index = [...label].findIndex((letter) => /\p{L}/u.test(letter) && !taken.has(letter));
    if (index < 0) return { key: label, shown: `[${label}]`, button };
    const key = label[index] ?? '';
    taken.add(key);
    return { key, shown: `${label.slice(0, index)}[${key}]${label.slice(index + 1)}`, button };
  });
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
