/**
 * The guard every registered listener runs in: a listener that throws is logged once, without what the user
 * typed, and the user still waiting gets a short apology with the request id. Called as Bolt calls it here;
 * over signed HTTP in failure.test.ts.
 */
import { type BoltRoutes, type CommandArgs, createRouter, type Listener } from '../../src/commands/router.js';
import { commandCall } from './bolt-fakes.js';

/** Bolt's registration methods, keeping the middleware each name was given. */
function fakeBolt() {
  const registered = new Map<string, (args: unknown) => Promise<void>>();
  const keep = (name: unknown, middleware: unknown) =>
    void registered.set(String(name), middleware as (args: unknown) => Promise<void>);
  const app = { command: keep, action: keep, shortcut: keep } as unknown as BoltRoutes;
  return { app, registered };
}

function guarded(listener: Listener<CommandArgs>): (args: CommandArgs) => Promise<void> {
  const { app, registered } = fakeBolt();
  createRouter(app).command('/boom', listener);
  const middleware = registered.get('/boom');
  if (middleware === undefined) throw new Error('not registered');
  return middleware;
}

const SECRET_WORDS = 'the user typed this';

describe('the guarded router', () => {
  it('passes Bolt’s arguments through untouched when the listener succeeds', async () => {
    const call = commandCall({ command: '/boom', text: 'hi' });
    await guarded(async ({ command, ack }) => ack({ response_type: 'ephemeral', text: command.text }))(call.args);
    expect(call.acks).toEqual([{ response_type: 'ephemeral', text: 'hi' }]);
    expect(call.logger.lines).toEqual([]);
  });

  it('answers a listener that throws with an apology carrying the request id, and logs it once', async () => {
    const call = commandCall({ command: '/boom', text: SECRET_WORDS }, { requestId: 'req-0123456789abcdefghij' });
    await guarded(async ({ command }) => {
      throw new TypeError(`cannot handle "${command.text}" at postgres://bob:hunter2@db.example/x`);
    })(call.args);
    expect(call.acks).toEqual([
      {
        response_type: 'ephemeral',
        text: 'Something went wrong on our side, sorry. Try again in a moment. (request id: req-0123456789abcdefghij)',
      },
    ]);
    expect(call.logger.lines).toHaveLength(1);
    expect(call.logger.lines[0]).toMatch(
      /^\[error\] \/boom failed \(request id req-0123456789abcdefghij\): TypeError: /,
    );
    expect(call.logger.lines[0]).not.toContain(SECRET_WORDS);
    expect(call.logger.lines[0]).not.toContain('hunter2');
  });

  it('makes up a request id when the transport gave none (Socket Mode)', async () => {
    const call = commandCall({ command: '/boom' });
    await guarded(async () => {
      throw new Error('no id here');
    })(call.args);
    const id = /request id: ([\w-]+)\)$/.exec((call.acks[0] as { text: string }).text)?.[1];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(call.logger.lines[0]).toContain(`request id ${id}`);
  });

  it('does not answer twice when the listener had already acknowledged', async () => {
    const call = commandCall({ command: '/boom' });
    await guarded(async ({ ack }) => {
      await ack({ response_type: 'ephemeral', text: 'done' });
      throw new Error('after the answer');
    })(call.args);
    expect(call.acks).toEqual([{ response_type: 'ephemeral', text: 'done' }]);
    expect(call.logger.lines).toHaveLength(1);
  });

  it('acknowledges an action or shortcut whose listener throws, and logs it', async () => {
    const { app, registered } = fakeBolt();
    const router = createRouter(app);
    router.action('press', async () => {
      throw new Error('action failed');
    });
    router.shortcut('cowsay_message', async () => {
      throw new Error('shortcut failed');
    });
    for (const [name, label] of [
      ['press', 'action press'],
      ['cowsay_message', 'shortcut cowsay_message'],
    ] as const) {
      const call = commandCall({ command: '/unused' });
      await registered.get(name)?.(call.args);
      expect(call.acks).toEqual([undefined]);
      expect(call.logger.lines).toEqual([expect.stringContaining(`[error] ${label} failed`)]);
    }
  });
});
