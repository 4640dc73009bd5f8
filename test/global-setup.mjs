/**
 * Jest's global set-up: the process tests run the built app (dist/index.js, as `npm start` does), so it is
 * built here when missing or older than src/. Under `npm test` the build has just run and this only checks.
 */
import { buildIfStale } from '../scripts/build-if-stale.mjs';

export default function buildApp() {
  if (!buildIfStale('tsconfig.build.json', 'dist/index.js', ['src'])) {
    throw new Error('Building the app for the process tests failed (see above).');
  }
}
