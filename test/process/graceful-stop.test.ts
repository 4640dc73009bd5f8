/** The process's stop: the grace period bounds a drain that does not finish; a drain that does is left alone. */
import { stopGracefully } from '../../src/process/graceful-stop.js';

function fakeApp(stop: Promise<void>) {
  const calls: string[] = [];
  return {
    calls,
    stop: (options: { idleLingerMs: number }) => {
      calls.push(`stop(${options.idleLingerMs})`);
      return stop;
    },
    closeConnections: () => {
      calls.push('closeConnections');
    },
  };
}

describe('stopGracefully', () => {
  it('waits for a drain that finishes, and closes nothing itself', async () => {
    const app = fakeApp(Promise.resolve());
    expect(await stopGracefully(app, { graceMs: 60_000, idleLingerMs: 5 })).toBe('drained');
    expect(app.calls).toEqual(['stop(5)']);
  });

  it('closes every connection once the grace period is over', async () => {
    const app = fakeApp(new Promise<void>(() => {}));
    expect(await stopGracefully(app, { graceMs: 1, idleLingerMs: 0 })).toBe('forced');
    expect(app.calls).toEqual(['stop(0)', 'closeConnections']);
  });

  it('treats a drain that fails as finished', async () => {
    const app = fakeApp(Promise.reject(new Error('socket already closed')));
    expect(await stopGracefully(app, { graceMs: 60_000 })).toBe('drained');
  });
});
