/**
 * The same hygiene on every path that takes user text, through the real app over HTTP with a real SQLite
 * file: `/cowsay` and `/chat` signed as Slack signs them, `GET /say` as a browser or curl sends it. Text that
 * shows nothing is refused with a reason, controls and bidi overrides never reach a reader, eyes and tongue
 * fit their two columns, and no answer holds half a surrogate pair.
 */
import Database from 'better-sqlite3';
import type { MessageStore } from '../../src/store/message-store.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import {
  asReply,
  cowFromReply,
  createRandom,
  type RunningApp,
  readResponse,
  type SlackReply,
  sendChat,
  sendSlashCommand,
  startTestApp,
} from '../helpers.js';
import { createTempDir, type TempDir } from '../store/test-databases.js';

let dir: TempDir;
let store: MessageStore;
let running: RunningApp;

beforeAll(async () => {
  dir = createTempDir();
  store = await createSqliteStore({ path: dir.file('board.db') });
  running = await startTestApp({ store });
});
afterAll(async () => {
  await running.stop();
  await store.close();
  dir.remove();
});

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** A lone surrogate as JSON.stringify writes one: an escape with no partner escape next to it. */
const ESCAPED_LONE_SURROGATE = /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_OR_OVERRIDE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Slack sends `&`, `<` and `>` as entities; everything else as typed. */
const asSlackSends = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function cowsay(text: string): Promise<SlackReply> {
  const response = await sendSlashCommand(running.baseUrl, { command: '/cowsay', text: asSlackSends(text) });
  expect(response.status).toBe(200);
  expect(response.text).not.toMatch(ESCAPED_LONE_SURROGATE);
  return asReply(response);
}

function say(path: string, accept = 'application/json') {
  return fetch(`${running.baseUrl}${path}`, { headers: { Accept: accept } }).then(readResponse);
}

let channels = 0;
const newChannel = () => {
  channels += 1;
  return `C${channels}HYGIENE`;
};

function storedTexts(channelId: string): string[] {
  const db = new Database(dir.file('board.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT text FROM chat_messages WHERE channel_id = ? ORDER BY id').all(channelId);
    return (rows as Array<{ text: string }>).map((row) => row.text);
  } finally {
    db.close();
  }
}

const SHOWS_NOTHING: ReadonlyArray<readonly [string, string]> = [
  ['combining marks only', '\u0301\u0302\u0303'],
  ['the Hangul filler U+3164', '\u3164\u3164'],
  ['the braille blank U+2800', '\u2800\u2800'],
  ['zero-width characters', '\u200b\u200c\u200d\u2060\ufeff'],
  ['the Hangul fillers U+115F and U+1160', '\u115f\u1160'],
  ['the halfwidth Hangul filler U+FFA0', '\uffa0'],
  ['variation selectors', '\ufe0f\ufe0e\u{e0100}'],
  ['bidi overrides and controls', '\u202e\u2066\u0007'],
  ['all of them, mixed with spaces', '\u3164 \u2800 \u0301 \u200b \ufe0f \u115f'],
];

describe('text that shows nothing is refused on every path', () => {
  test.each(SHOWS_NOTHING)('/cowsay: %s gets an ephemeral reason, not an empty balloon', async (_name, text) => {
    for (const command of [text, `-f dragon -W 10 ${text}`]) {
      const reply = await cowsay(command);
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toBe('That text has no visible characters, so the cow would say nothing.');
      expect(reply.blocks).toBeUndefined();
    }
  });

  test.each(SHOWS_NOTHING)('/say: %s gets 400 with the reason, in every representation', async (_name, text) => {
    const path = `/say/${encodeURIComponent(text)}?W=10`;
    const json = await say(path);
    expect(json.status).toBe(400);
    expect(JSON.stringify(json.json)).toContain('no visible characters');
    const plain = await say(path, 'text/plain');
    expect(plain.status).toBe(400);
    expect(plain.text).toContain('That text has no visible characters, so the cow would say nothing.');
    expect((await say(path, 'text/html')).status).toBe(400);
  });

  test.each(SHOWS_NOTHING)('/chat: %s gets an ephemeral reason and nothing is stored', async (_name, text) => {
    const where = { channel_id: newChannel() };
    for (const typed of [text, `-- ${text}`]) {
      expect(await sendChat(running.baseUrl, asSlackSends(typed), where)).toMatch(
        /^Your message is empty: it has no visible characters, so nothing was stored\./,
      );
    }
    expect(storedTexts(where.channel_id)).toEqual([]);
  });
});

describe('controls and bidi overrides are removed on every path', () => {
  const hostile = 'pay\u202egnp.exe\u202c \u0007bell \u001b[31mred\u2066iso\u2069 end';
  const cleaned = 'paygnp.exe bell [31mrediso end';

  test('/cowsay: neither the cow nor the notification text keeps them', async () => {
    const reply = await cowsay(hostile);
    expect(reply.response_type).toBe('in_channel');
    expect(reply.text).toBe(`default says: ${cleaned}`);
    expect(cowFromReply(reply)).toContain(cleaned);
    expect(JSON.stringify(reply).replace(/\\n/g, '')).not.toMatch(
      /\\u00[01][0-9a-f]|\\u007f|[\u202a-\u202e\u2066-\u2069]/,
    );
  });

  test('/say: the art keeps none, in JSON or on the page', async () => {
    const path = `/say/${encodeURIComponent(hostile)}?W=80`;
    const json = await say(path);
    expect(json.status).toBe(200);
    expect((json.json as { message: string[] }).message.join('\n')).toContain(cleaned);
    const page = await say(path, 'text/html');
    expect(page.text).not.toMatch(CONTROL_OR_OVERRIDE);
  });

  test('/chat: the stored message and the board keep none', async () => {
    const where = { channel_id: newChannel() };
    const reply = await sendChat(running.baseUrl, asSlackSends(hostile), where);
    expect(reply).toContain(cleaned);
    expect(reply).not.toMatch(CONTROL_OR_OVERRIDE);
    expect(storedTexts(where.channel_id)).toEqual([cleaned]);
  });
});

describe('eyes and tongue', () => {
  test.each([
    ['two columns of emoji', '-e 👀👀'],
    ['two CJK characters', '-e 日本'],
    ['a zero-width space', '-e o\u200b'],
    ['a combining mark alone', '-e \u0301'],
    ['400 combining marks', `-e o${'\u0301'.repeat(400)}`],
    ['a Hangul filler', '-T \u3164'],
    ['a braille blank', '-T \u2800'],
    ['a bidi override', '-T \u202eU'],
  ])('/cowsay refuses %s with the rule', async (_name, option) => {
    const reply = await cowsay(`${option} hello`);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/^The (eyes|tongue) must be 1 or 2 visible characters taking at most 2 columns/);
  });

  test('/say refuses the same eyes with 400', async () => {
    for (const eyes of ['👀👀', 'o\u200b', '\u0301', '\u3164']) {
      const response = await say(`/say/hi?e=${encodeURIComponent(eyes)}`, 'text/plain');
      expect(response.status).toBe(400);
      expect(response.text).toContain('The eyes must be 1 or 2 visible characters');
    }
  });

  test('an emoji eye in a cow that draws each eye apart stays whole', async () => {
    const reply = await cowsay('-f dragon -e 👀 -T 👅 here be dragons');
    expect(reply.response_type).toBe('in_channel');
    expect(cowFromReply(reply)).toContain('/👀    \\');
    const json = await say(`/say/hi?f=dragon&e=${encodeURIComponent('👀')}`);
    expect(json.text).not.toMatch(ESCAPED_LONE_SURROGATE);
    expect((json.json as { message: string[] }).message.join('\n')).toContain('/👀    \\');
  });
});

describe('no answer holds half a surrogate pair', () => {
  const pieces = ['a', ' ', '😀', '👩‍🚀', '🇯🇵', 'e\u0301', '日', 'ｶﾞ', '\u3164', '\u0301', '&', '<', '`'];
  const eyes = ['👀', '🐄', 'é', '👁️', '^^', '日', '$$', undefined];

  test('/say JSON over random text, cows, eyes and tongues', async () => {
    const random = createRandom(29);
    for (let round = 0; round < 150; round++) {
      const text = Array.from({ length: 1 + random.int(50) }, () => random.pick(pieces)).join('');
      const query = new URLSearchParams({
        f: random.pick(['dragon', 'cat2', 'default', 'daemon', 'bearface']),
        W: String(10 + random.int(71)),
      });
      const eye = random.pick(eyes);
      if (eye !== undefined) query.set('e', eye);
      if (random.next() < 0.5) query.set('T', random.pick(['👅', 'U', '🇯🇵']));
      const response = await say(`/say/${encodeURIComponent(text)}?${query}`);
      expect([200, 400]).toContain(response.status);
      expect(response.text).not.toMatch(ESCAPED_LONE_SURROGATE);
      expect(JSON.stringify(response.json)).not.toMatch(ESCAPED_LONE_SURROGATE);
      if (response.status === 200) {
        for (const line of (response.json as { message: string[] }).message) expect(line).not.toMatch(LONE_SURROGATE);
      }
    }
  });

  test('/say refuses a percent-encoded lone surrogate as malformed, not as a cow', async () => {
    for (const path of ['/say/%ED%A0%BD', '/say/x?e=%ED%A0%BD', '/say/%F0%9F%91']) {
      const response = await say(path);
      expect(response.status).toBe(400);
      expect(response.text).not.toMatch(ESCAPED_LONE_SURROGATE);
    }
  });
});

describe('hostile sizes and shapes', () => {
  test('/cowsay: empty, huge and injected text get bounded, inert answers', async () => {
    expect((await cowsay('')).response_type).toBe('ephemeral');
    const huge = await cowsay('\u3164'.repeat(2001));
    expect(huge.text).toMatch(/too long for a cow/);
    const injected = await cowsay('-e <! <!channel> `````` <@U123>');
    expect(injected.response_type).toBe('in_channel');
    expect(JSON.stringify(injected)).not.toMatch(/<!channel>|<@U123>/);
    expect(injected.blocks?.[0]?.text?.text.slice(3, -3)).not.toContain('```');
  });

  test('/chat: a huge invisible post is refused without storing anything', async () => {
    const where = { channel_id: newChannel() };
    // 3,000 fillers are 27 KB once form-encoded, just inside the 32 KB a slash command body may take.
    expect(await sendChat(running.baseUrl, '\u3164'.repeat(3000), where)).toMatch(/no visible characters/);
    expect(storedTexts(where.channel_id)).toEqual([]);
  });
});
