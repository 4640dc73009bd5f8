#!/usr/bin/env node
/** Entry point of `npm run manifest` (see manifest-generator.ts). */
import { readManifestTemplate, runManifestCli } from './manifest-generator.js';

process.exitCode = runManifestCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr },
  await readManifestTemplate(),
);
