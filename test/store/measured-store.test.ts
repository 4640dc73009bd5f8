/**
 * The measuring decorator: the store's answers and failures pass through unchanged, every argument
 * reaches the store, and each call is timed under its operation.
 */

import type { StoreOperation } from '../../src/observability/metrics.js';
import { createMeasuredStore } from '../../src/store/measured-store.js';
import type { Board, MessageStore } from '../../src/store/message-store.js';
import { createFakeStore } from '../helpers.js';

const BOARD: Board = { enterpriseId: '', teamId: 'T1', channelId: 'C1' };

function measured(store: MessageStore) {
  const calls: Array<{ operation: StoreOperation; seconds: number; failed: boolean }> = [];
  const wrapped = createMeasuredStore(store, {
    observeStoreCall: (operation, seconds, failed) => calls.push({ operation, seconds, failed }),
  });
  return { wrapped, calls };
}

describe('createMeasuredStore', () => {
  it('passes answers through and times each call under its operation', async () => {
    const { wrapped, calls } = measured(createFakeStore());
    const posted = await wrapped.post(BOARD, 'U1', 'hello');
    expect(await wrapped.latest(BOARD, 10)).toEqual([posted]);
    expect(await wrapped.takeToken(BOARD, 'U1', { burst: 1, refillIntervalMs: 1 }, 0)).toEqual({ allowed: true });
    expect(await wrapped.delete(BOARD, posted.id, 'U1')).toBe('deleted');
    await wrapped.ping();
    expect(calls.map((call) => [call.operation, call.failed])).toEqual([
      ['post', false],
      ['latest', false],
      ['take_token', false],
      ['delete', false],
      ['ping', false],
    ]);
    for (const call of calls) expect(call.seconds).toBeGreaterThanOrEqual(0);
  });

  it('rethrows a failure as it came, and counts it', async () => {
    const store = createFakeStore();
    store.failing = true;
    const { wrapped, calls } = measured(store);
    await expect(wrapped.latest(BOARD, 1)).rejects.toThrow('fake store is down');
    await expect(wrapped.ping()).rejects.toThrow('fake store is down');
    expect(calls.map((call) => [call.operation, call.failed])).toEqual([
      ['latest', true],
      ['ping', true],
    ]);
  });

  it('hands every argument to the store, extra ones included', async () => {
    const seen: unknown[][] = [];
    const store = createFakeStore();
    const recording: MessageStore = {
      ...store,
      post: (...args: unknown[]) => {
        seen.push(args);
        return store.post(BOARD, 'U1', 'x');
      },
    };
    const { wrapped } = measured(recording);
    const extra = { triggerId: 'T.1' };
    await (wrapped.post as (...args: unknown[]) => Promise<unknown>)(BOARD, 'U1', 'text', extra);
    expect(seen).toEqual([[BOARD, 'U1', 'text', extra]]);
  });

  it('closes the store it wraps, without timing it', async () => {
    let closed = false;
    const close = async () => {
      closed = true;
    };
    const { wrapped, calls } = measured({ ...createFakeStore(), close });
    await wrapped.close();
    expect(closed).toBe(true);
    expect(calls).toEqual([]);
  });
});
