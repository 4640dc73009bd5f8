/**
 * Fortunes over HTTP: `/cowsay -F` (signed, as Slack sends it) and `GET /say?fortune` (negotiated like any
 * /say), from the built-in sayings and from a collection read from fortune-mod files.
 */
import { fileURLToPath } from 'node:url';
import { BUILT_IN_FORTUNES } from '../../src/cowsay/built-in-fortunes.js';
import { loadFortuneFiles } from '../../src/cowsay/fortune-files.js';
import { createFortunes, type Fortunes } from '../../src/cowsay/fortunes.js';
import { asReply, cowFromReply, type RunningApp, sendSlashCommand, startTestApp } from '../helpers.js';

/** The words a balloon holds, its borders and line breaks gone: what the cow says, for comparing with a fortune. */
function balloonWords(cow: string): string {
  const lines = cow.split('\n');
  const end = lines.findIndex((line, index) => index > 0 && /^ -+$/.test(line));
  return lines
    .slice(1, end)
    .map((line) => line.slice(2, -2).trim())
    .join(' ')
    .trim();
}
const words = (text: string) => text.replace(/\s+/g, ' ').trim();
const BUILT_IN_WORDS = new Set(BUILT_IN_FORTUNES.map(words));

async function say(baseUrl: string, path: string, accept: string) {
  const response = await fetch(`${baseUrl}${path}`, { headers: { Accept: accept } });
  return { status: response.status, vary: response.headers.get('vary'), text: await response.text() };
}

describe('fortunes from the built-in sayings', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(() => running.stop());

  it('/cowsay -F posts a built-in fortune, with every other option applied', async () => {
    for (const text of ['-F', '--fortune', '-F -f tux', '-F -r --think -W 20 -bd', '-nF -e ^^ -T U']) {
      const reply = asReply(await sendSlashCommand(running.baseUrl, { command: '/cowsay', text }));
      expect([text, reply.response_type]).toEqual([text, 'in_channel']);
      const cow = cowFromReply(reply);
      expect([text, BUILT_IN_WORDS.has(balloonWords(cow))]).toEqual([text, true]);
      if (text.includes('tux')) expect(cow).toContain('|o_o |');
      if (text.includes('--think')) expect(cow.split('\n')[1]).toMatch(/^\( .* \)$/);
      if (text.includes('-e ^^')) expect(cow).toContain('(^^)');
    }
  });

  it('/cowsay -F with text of its own is refused, only to the caller', async () => {
    const reply = asReply(await sendSlashCommand(running.baseUrl, { command: '/cowsay', text: '-F hello' }));
    expect(reply).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/not both/) });
  });

  it('GET /say?fortune negotiates like any /say: text, JSON and HTML', async () => {
    const text = await say(running.baseUrl, '/say?fortune', 'text/plain');
    expect([text.status, text.vary, BUILT_IN_WORDS.has(balloonWords(text.text.trimEnd()))]).toEqual([
      200,
      'Accept',
      true,
    ]);
    const json = await say(running.baseUrl, '/say?fortune&f=tux&W=20', 'application/json');
    const lines = (JSON.parse(json.text) as { message: string[] }).message;
    expect(BUILT_IN_WORDS.has(balloonWords(lines.join('\n')))).toBe(true);
    expect(lines.join('\n')).toContain('|o_o |');
    const html = await say(running.baseUrl, '/say?fortune=1', 'text/html');
    expect(html.status).toBe(200);
    expect(html.text).toMatch(/<pre class="cow">/);
  });

  it('GET /say?fortune=false is a plain /say, and a message with ?fortune is refused in the asked format', async () => {
    expect((await say(running.baseUrl, '/say?fortune=false', 'text/plain')).text).toContain('< moo >');
    const refused = await say(running.baseUrl, '/say/hello?fortune', 'application/json');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toEqual({ error: 'Give a message or ask for a fortune (?fortune), not both.' });
    const odd = await say(running.baseUrl, '/say?fortune=maybe', 'text/plain');
    expect([odd.status, odd.text]).toEqual([400, 'fortune must be true or false (got "maybe").\n']);
    expect((await say(running.baseUrl, '/say?fortune&fortune', 'text/plain')).status).toBe(400);
  });
});

describe('fortunes from FORTUNE_PATH files', () => {
  let running: RunningApp;
  let fortunes: Fortunes;
  beforeAll(async () => {
    const loaded = await loadFortuneFiles(fileURLToPath(new URL('../fixtures/fortunes/shed', import.meta.url)));
    if (!loaded.ok) throw new Error(loaded.error);
    fortunes = loaded.value.fortunes;
    running = await startTestApp({ fortunes });
  });
  afterAll(() => running.stop());

  it('/cowsay -F and /say?fortune say only what the files hold', async () => {
    const expected = new Set(['A riddle from the fixture shed?', 'Der Kuh ist es egal. 牛は気にしない. 🐄']);
    for (let round = 0; round < 10; round++) {
      const reply = asReply(await sendSlashCommand(running.baseUrl, { command: '/cowsay', text: '-F -W 80' }));
      expect(expected).toContain(balloonWords(cowFromReply(reply)));
      const page = await say(running.baseUrl, '/say?fortune&W=80', 'text/plain');
      expect(expected).toContain(balloonWords(page.text.trimEnd()));
    }
  });

  it('keeps a fortune’s own line breaks', async () => {
    const poem = createFortunes(['Roses are red,\n  the cow is not blue.'], 'files');
    const app = await startTestApp({ fortunes: poem });
    try {
      const page = await say(app.baseUrl, '/say?fortune', 'text/plain');
      // Lines kept as written; inside a line, runs of spaces become one, as the classic cowsay wraps.
      expect(page.text).toContain('/ Roses are red,        \\\n\\  the cow is not blue. /');
    } finally {
      await app.stop();
    }
  });
});
