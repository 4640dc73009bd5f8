/**
 * `npm run screenshot` serves the pages with a stub store that TypeScript does not check (it is a plain .mjs
 * script); this holds it to the same methods as the typed in-memory store.
 */
import { createFakeStore } from '../helpers.js';

it('has every MessageStore method, each a function', async () => {
  const { pageOnlyStore } = (await import(new URL('../../scripts/page-only-store.mjs', import.meta.url).href)) as {
    pageOnlyStore: Record<string, unknown>;
  };
  const methods = Object.keys(createFakeStore()).filter((key) => key !== 'failing');
  expect(Object.keys(pageOnlyStore).sort()).toEqual(methods.sort());
  for (const method of methods) expect(typeof pageOnlyStore[method]).toBe('function');
});
