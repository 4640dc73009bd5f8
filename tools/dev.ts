#!/usr/bin/env node
/**
 * Entry point of `npm run dev` (after the build): make sure there is a signing secret for local use (see
 * dev-bootstrap.ts), then start the app exactly as `npm start` does, in this process.
 */
import {
  DEFAULT_RESPONSE_URL_ORIGINS,
  environmentHasSigningSecret,
  loadLocalToolSettings,
  localResponseUrlOrigin,
} from '../src/config.js';
import { devHints, ensureDevDotenv } from './dev-bootstrap.js';

// Decided before .env is loaded: once loaded, its (possibly empty) value would look like the environment's.
const outcome = await ensureDevDotenv(process.cwd(), environmentHasSigningSecret());
console.log(outcome.message);
const { port } = loadLocalToolSettings();
// Unless told otherwise, the app also accepts `npm run slash`'s stand-in for response URLs (preview buttons).
if ((process.env.SLACK_RESPONSE_URL_ORIGINS?.trim() ?? '') === '') {
  process.env.SLACK_RESPONSE_URL_ORIGINS = [...DEFAULT_RESPONSE_URL_ORIGINS, localResponseUrlOrigin(port)].join(',');
}
console.log(devHints(port));
// Readable log lines unless the environment or .env (loaded just above) asks for another format.
process.env.LOG_FORMAT ??= 'pretty';
await import('../src/index.js');
