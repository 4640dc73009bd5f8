#!/usr/bin/env node
/**
 * Entry point of `npm run slash` (see slash-cli.ts). Reads the signing secret and port the way the app
 * does, from the environment and `.env`, and never prints the secret.
 */
import { loadLocalToolSettings } from '../src/config.js';
import { runSlashCli } from './slash-cli.js';

process.exitCode = await runSlashCli(
  process.argv.slice(2),
  { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, interactive: process.stdin.isTTY === true },
  loadLocalToolSettings(),
);
