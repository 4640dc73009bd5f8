/**
 * A MessageStore for serving the pages alone (`npm run screenshot`): the pages never read the board, and
 * /healthz, which asks the store, is not rendered. Every method is present (test/scripts checks), so a page
 * that did reach the store would fail loudly rather than on a missing function.
 */
export const pageOnlyStore = {
  post: async () => {
    throw new Error('the pages never post');
  },
  latest: async () => [],
  delete: async () => 'not-found',
  takeToken: async () => ({ allowed: true }),
  ping: async () => {},
  close: async () => {},
};
