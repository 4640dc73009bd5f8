import { displayWidth } from '../../src/cowsay/text.js';
import { COWS } from '../fixtures/cows.js';
import {
  asReply,
  cowFromReply,
  type RunningApp,
  type SlackReply,
  sendSlashCommand,
  startTestApp,
  testCatalog,
} from '../helpers.js';

describe('/cowsay over signed HTTP', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  });
  afterAll(() => running.stop());

  async function cowsay(text: string): Promise<SlackReply> {
    const response = await sendSlashCommand(running.baseUrl, { command: '/cowsay', text });
    expect(response.status).toBe(200);
    return asReply(response);
  }

  it('posts the cow in the channel, in a code block, with a plain-text fallback', async () => {
    const reply = await cowsay('hello world');
    expect(reply.response_type).toBe('in_channel');
    expect(reply.text).toBe('default says: hello world');
    expect(reply.blocks).toHaveLength(1);
    expect(reply.blocks?.[0]?.type).toBe('section');
    expect(reply.blocks?.[0]?.text?.type).toBe('mrkdwn');
    expect(cowFromReply(reply)).toBe(COWS.helloWorld);
  });

  it('answers help, empty text and list ephemerally', async () => {
    for (const text of ['', '   ', 'help', 'HELP', '-h', '--help']) {
      const reply = await cowsay(text);
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toContain('/cowsay [options] &lt;text&gt;');
    }
    const list = await cowsay('list');
    expect(list.response_type).toBe('ephemeral');
    expect(list.text).toContain('`dragon`');
    expect(list.text).not.toContain('`ibm`');
  });

  it('explains options given without text', async () => {
    const reply = await cowsay('-f dragon');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('Say something after the options');
  });

  it('applies every option, as the classic cowsay would', async () => {
    const reply = await cowsay('-f DRAGON -W 20 --think -d -e ^^ the dragon thinks about things');
    expect(cowFromReply(reply)).toBe(COWS.deadDragonThinks);
  });

  it('suggests the nearest cow for a misspelt name, ephemerally', async () => {
    const reply = await cowsay('-f dragn hello');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('Did you mean `dragon`?');
  });

  it('never reads a file named by the user', async () => {
    for (const name of [
      '/proc/self/environ',
      '../../../../proc/self/environ',
      '..\\cows\\default',
      'default/../dragon',
    ]) {
      const reply = await cowsay(`-f ${name} hello`);
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toContain('There is no cow called');
      expect(JSON.stringify(reply)).not.toContain('PATH=');
    }
  });

  it('decodes entities, then escapes them so mentions and links stay inert', async () => {
    const reply = await cowsay('&lt;!channel&gt; &lt;@U123&gt; &lt;https://x.example|y&gt; &amp;');
    const block = reply.blocks?.[0]?.text?.text ?? '';
    expect(block).not.toMatch(/<[!@h]/);
    expect(block).toContain('&lt;!channel&gt; &lt;@U123&gt;');
    expect(reply.text).toBe('default says: &lt;!channel&gt; &lt;@U123&gt; &lt;https://x.example|y&gt; &amp;');
    // The balloon is laid out for what the user typed: "<!channel>" is 10 columns, not 16.
    expect(cowFromReply(reply).split('\n').slice(1, 3)).toEqual([
      '/ <!channel> <@U123>      \\',
      '\\ <https://x.example|y> & /',
    ]);
  });

  it('keeps backticks in the text from closing the code block', async () => {
    const reply = await cowsay('``` not code ``` ````');
    const block = reply.blocks?.[0]?.text?.text ?? '';
    expect(block.slice(3, -3)).not.toContain('```');
    expect(cowFromReply(reply)).toContain('< ``` not code ``` ```` >');
  });

  it('keeps the balloon aligned for wide and combined characters', async () => {
    const reply = await cowsay('-W 12 古古古古古古古古 😀😀😀 👨‍👩‍👧 e\u0301e\u0301 🇯🇵🇯🇵 mixed text here');
    const rows = cowFromReply(reply).split('\n');
    const balloon = rows.slice(0, rows.findIndex((row) => row.startsWith(' -')) + 1);
    const widths = new Set(balloon.map((row) => displayWidth(row.trimEnd())));
    // Top and bottom borders are one column narrower than the text rows (they have no closing character).
    expect(widths.size).toBeLessThanOrEqual(2);
    for (const row of balloon.slice(1, -1)) expect(displayWidth(row)).toBe(displayWidth(balloon[0] ?? '') + 1);
    expect(cowFromReply(reply)).toContain('👨‍👩‍👧');
  });

  it('keeps explicit line breaks', async () => {
    const reply = await cowsay('first line\nsecond line');
    expect(cowFromReply(reply).split('\n').slice(1, 3)).toEqual(['/ first line  \\', '\\ second line /']);
  });

  it('refuses text that is too long, with a clear ephemeral error', async () => {
    const reply = await cowsay('a'.repeat(2001));
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('2000 characters');
  });

  it('refuses a cow too big for one Slack message instead of truncating it', async () => {
    const big = await cowsay('-f weeping-angel hi');
    expect(big.response_type).toBe('ephemeral');
    expect(big.text).toContain('too big for one Slack message');
    const escaped = await cowsay(`-W 80 ${'& '.repeat(700)}`);
    expect(escaped.response_type).toBe('ephemeral');
  });

  it('gives clear errors for bad options', async () => {
    const cases: Array<[string, string]> = [
      ['-W 5 hi', 'from 10 to 80'],
      ['-W 999999999999 hi', 'from 10 to 80'],
      ['-W -5 hi', 'from 10 to 80'],
      ['-e abc hi', 'eyes'],
      ['-T 👅👅👅 hi', 'tongue'],
      ['-x hi', 'Unknown option'],
      ['-5 degrees outside', 'put `--` before it'],
      ['--thnk hi', 'Did you mean `--think`?'],
      ['-f', 'needs a value'],
      ['-r -f dragon hi', 'not both'],
    ];
    for (const [text, expected] of cases) {
      const reply = await cowsay(text);
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toContain(expected);
    }
  });

  it('says text that starts with a dash after --', async () => {
    const reply = await cowsay('-- -5 degrees outside');
    expect(cowFromReply(reply)).toContain('< -5 degrees outside >');
  });

  it('survives hostile text: NUL and control characters, bidi overrides, SQL and HTML', async () => {
    const reply = await cowsay("a\u0000b\u001b[31mc\u202ed'); DROP TABLE messages;-- <script>alert(1)</script>");
    expect(reply.response_type).toBe('in_channel');
    const cow = cowFromReply(reply);
    for (const invisible of ['\u0000', '\u001b', '\u202e']) expect(cow).not.toContain(invisible);
    expect(cow).toContain('ab[31mcd');
    expect(reply.blocks?.[0]?.text?.text).not.toContain('<script>');
  });

  it('picks -r cows from the curated set', async () => {
    const catalog = await testCatalog();
    for (let attempt = 0; attempt < 10; attempt++) {
      const reply = await cowsay('-r moo');
      expect(reply.response_type).toBe('in_channel');
      const name = reply.text?.replace(/ says: moo$/, '') ?? '';
      expect(catalog.randomNames).toContain(name);
    }
  });
});
