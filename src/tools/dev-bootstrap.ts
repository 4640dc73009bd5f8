/**
 * `npm run dev` set-up: the first run on a fresh clone creates a git-ignored `.env` holding a random
 * signing secret, so the app starts with no Slack workspace and `npm run slash` can sign commands for it.
 * Only the dev tool does this; `npm start` never invents a secret (a production app without its real secret
 * must refuse to start, not accept requests signed with a made-up one).
 */
import { randomBytes } from 'node:crypto';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DotenvOutcome {
  created: boolean;
  /** What to tell the developer; never contains the secret. */
  message: string;
}

export const DOTENV = '.env';

/**
 * Creates `<dir>/.env` with a random SLACK_SIGNING_SECRET, unless a `.env` is already there or the
 * environment already provides the secret (`secretInEnvironment`).
 */
export async function ensureDevDotenv(dir: string, secretInEnvironment: boolean): Promise<DotenvOutcome> {
  const path = join(dir, DOTENV);
  if (await exists(path)) return { created: false, message: `Using the settings in ${DOTENV}.` };
  if (secretInEnvironment) return { created: false, message: 'Using SLACK_SIGNING_SECRET from the environment.' };

  const secret = randomBytes(32).toString('hex');
  const content = [
    '# Created by `npm run dev` for local use, with a random signing secret so that `npm run slash` can sign',
    "# commands the way Slack does. To connect a real Slack app, replace it with the app's Signing Secret",
    '# (Basic Information → App Credentials). This file is git-ignored; .env.example lists every setting.',
    `SLACK_SIGNING_SECRET=${secret}`,
    '',
  ].join('\n');
  try {
    // `wx`: never overwrite a .env that appeared meanwhile; 0600: the secret is for this user only.
    await writeFile(path, content, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST')
      return { created: false, message: `Using the settings in ${DOTENV}.` };
    throw error;
  }
  return {
    created: true,
    message:
      `Created ${DOTENV} with a random local SLACK_SIGNING_SECRET (it is git-ignored). Commands from ` +
      "`npm run slash` are signed with it; put your Slack app's Signing Secret there to connect to Slack.",
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Where to go next, printed before the app starts. */
export function devHints(port: number): string {
  return [
    `Open http://localhost:${port}/ for the index page, or try the commands from another terminal:`,
    '  npm run slash -- /cowsay -f dragon hello',
    '  npm run slash -- /chat hello, board',
    '  npm run slash            (a prompt: one command per line, plain text goes to /chat)',
  ].join('\n');
}
