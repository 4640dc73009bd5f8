/**
 * A `MessageStore` that times every call of the store it wraps and counts the failures, whichever backend
 * that is: the backends stay free of metrics, and a new one is measured the day it is added.
 */

import type { Metrics, StoreOperation } from '../observability/metrics.js';
import type { MessageStore } from './message-store.js';

export function createMeasuredStore(store: MessageStore, metrics: Pick<Metrics, 'observeStoreCall'>): MessageStore {
  const measure = async <T>(operation: StoreOperation, call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const result = await call();
      metrics.observeStoreCall(operation, (performance.now() - started) / 1000, false);
      return result;
    } catch (error) {
      metrics.observeStoreCall(operation, (performance.now() - started) / 1000, true);
      throw error;
    }
  };
  // Every argument is passed on as given, so a parameter the interface gains later is never dropped here.
  return {
    post: (...args) => measure('post', () => store.post(...args)),
    latest: (...args) => measure('latest', () => store.latest(...args)),
    delete: (...args) => measure('delete', () => store.delete(...args)),
    takeToken: (...args) => measure('take_token', () => store.takeToken(...args)),
    ping: () => measure('ping', () => store.ping()),
    close: () => store.close(),
  };
}
