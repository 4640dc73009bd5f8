#!/usr/bin/env node
/**
 * Entry point of `npm run dev` (after the build): make sure there is a signing secret for local use (see
 * dev-bootstrap.ts), then start the app exactly as `npm start` does, in this process.
 */
import { environmentHasSigningSecret, loadLocalToolSettings } from '../src/config.js';
import { devHints, ensureDevDotenv } from './dev-bootstrap.js';

// Decided before .env is loaded: once loaded, its (possibly empty) value would look like the environment's.
const outcome = await ensureDevDotenv(process.cwd(), environmentHasSigningSecret());
console.log(outcome.message);
console.log(devHints(loadLocalToolSettings().port));
await import('../src/index.js');
