/**
 * `npm run dev` on a fresh clone writes a random signing secret to the git-ignored `.env`, so the app runs with
 * no Slack workspace and `npm run slash` signs with the same secret. `npm start` never invents one: a production
 * app without its real secret must refuse to start.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'dotenv';

export interface DotenvOutcome {
  /** What was done to `.env`. */
  action: 'created' | 'filled-in' | 'none';
  /** What to tell the developer; never contains the secret. */
  message: string;
}

export const DOTENV = '.env';

const HEADER = [
  '# Created by `npm run dev` for local use, with a random signing secret so that `npm run slash` can sign',
  "# commands the way Slack does. To connect a real Slack app, replace it with the app's Signing Secret",
  '# (Basic Information → App Credentials). This file is git-ignored; .env.example lists every setting.',
];
const NEXT =
  "Commands from `npm run slash` are signed with it; put your Slack app's Signing Secret there to connect to Slack.";
/** A `SLACK_SIGNING_SECRET=` line with no value (as in .env.example), optionally exported or commented. */
const EMPTY_SECRET_LINE = /^[^\S\n]*(?:export[^\S\n]+)?SLACK_SIGNING_SECRET[^\S\n]*=[^\S\n]*(?:#.*)?$/m;

/**
 * Makes sure local runs have a signing secret: unless the environment provides one (`secretInEnvironment`)
 * or `<dir>/.env` already holds one, writes a random one there. Anything else in `.env` is left as it is.
 */
export async function ensureDevDotenv(dir: string, secretInEnvironment: boolean): Promise<DotenvOutcome> {
  if (secretInEnvironment) return { action: 'none', message: 'Using SLACK_SIGNING_SECRET from the environment.' };
  const path = join(dir, DOTENV);
  const existing = await readIfExists(path);
  const secret = randomBytes(32).toString('hex');

  if (existing === undefined) {
    try {
      // `wx`: never overwrite a .env that appeared meanwhile; 0600: the secret is for this user only.
      await writeFile(path, [...HEADER, `SLACK_SIGNING_SECRET=${secret}`, ''].join('\n'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EEXIST') return ensureDevDotenv(dir, secretInEnvironment);
      throw error;
    }
    return {
      action: 'created',
      message: `Created ${DOTENV} with a random local SLACK_SIGNING_SECRET (it is git-ignored). ${NEXT}`,
    };
  }

  if ((parse(existing).SLACK_SIGNING_SECRET ?? '').trim() !== '') {
    return { action: 'none', message: `Using the settings in ${DOTENV}.` };
  }
  const line = `SLACK_SIGNING_SECRET=${secret}`;
  const updated = EMPTY_SECRET_LINE.test(existing)
    ? existing.replace(EMPTY_SECRET_LINE, line)
    : `${existing}${existing === '' || existing.endsWith('\n') ? '' : '\n'}${line}\n`;
  await writeFile(path, updated);
  return {
    action: 'filled-in',
    message: `${DOTENV} had no SLACK_SIGNING_SECRET, so a random local one was written into it. ${NEXT}`,
  };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Where to go next, printed before the app starts. */
export function devHints(port: number): string {
  return [
    `Open http://localhost:${port}/ for the index page, or try the commands from another terminal:`,
    '  npm run slash -- /cowsay -f dragon hello',
    '  npm run slash -- /chat hello, board',
    '  npm run slash -- /cowsay -P hello     (a preview: type s, h or c to press Send, Shuffle or Cancel)',
    '  npm run slash            (a prompt: one command per line, plain text goes to /chat)',
  ].join('\n');
}
