/**
 * The `/cowsay` listener called the way Bolt calls it, without HTTP: what it acknowledges with, for each kind
 * of input. The same behaviour over signed HTTP is in cowsay.test.ts; a failure here points at this layer.
 */
import { registerCowsay } from '../../src/commands/cowsay.js';
import type { CommandArgs, Listener } from '../../src/commands/router.js';
import { COWS } from '../fixtures/cows.js';
import { cowFromReply, createFakeStore, type SlackReply, testCatalog } from '../helpers.js';
import { commandCall, listenerFor, testDependencies } from './bolt-fakes.js';

let listener: Listener<CommandArgs>;
beforeAll(async () => {
  listener = listenerFor(
    registerCowsay,
    '/cowsay',
    testDependencies({ catalog: await testCatalog(), store: createFakeStore() }),
  );
});

async function reply(text: string): Promise<SlackReply> {
  const call = commandCall({ command: '/cowsay', text });
  await listener(call.args);
  expect(call.acks).toHaveLength(1);
  expect(call.responds).toEqual([]);
  return call.acks[0] as SlackReply;
}

describe('the /cowsay listener', () => {
  it('acknowledges with the cow, in the channel', async () => {
    const answer = await reply('hello world');
    expect(answer.response_type).toBe('in_channel');
    expect(answer.text).toBe('default says: hello world');
    expect(cowFromReply(answer)).toBe(COWS.helloWorld);
  });

  it('decodes the entities Slack encodes before parsing, and encodes them again in the reply', async () => {
    const answer = await reply('&lt;!channel&gt; &amp; &lt;@U123&gt; say `hi`');
    expect(cowFromReply(answer)).toBe(COWS.mentionsAndBackticks);
    expect(answer.text).toBe('default says: &lt;!channel&gt; &amp; &lt;@U123&gt; say `hi`');
  });

  it('answers help, the cow list and problems only to the caller', async () => {
    expect(await reply('')).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('*Usage:*') });
    expect(await reply('-f dragon')).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^Say something after the options/),
    });
    expect((await reply('list')).text).toMatch(/^\*Cows:\* .*`dragon`/);
    expect(await reply('-f dragn hi')).toEqual({
      response_type: 'ephemeral',
      text: 'There is no cow called "dragn". Did you mean `dragon`?',
    });
    expect(await reply('-f &lt;!here&gt; hi')).toEqual({
      response_type: 'ephemeral',
      text: 'There is no cow called "&lt;!here&gt;". See the cows with `/cowsay list`.',
    });
    expect((await reply('a'.repeat(2001))).text).toBe('That text is too long for a cow: the limit is 2000 characters.');
  });

  it('lists every mode letter in its usage', async () => {
    const usage = (await reply('help')).text ?? '';
    for (const [letter, name] of Object.entries({ b: 'borg', d: 'dead', g: 'greedy', p: 'paranoid' })) {
      expect(usage).toContain(`\`-${letter}\` ${name}`);
    }
  });
});
