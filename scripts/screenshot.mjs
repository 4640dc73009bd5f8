#!/usr/bin/env node
/**
 * Renders the index page and a /say page of the built app (dist/) in headless Chromium, offline, checks
 * that they load cleanly, and saves the screenshots the README shows (docs/*.png).
 *
 *   npm run screenshot            (builds first)
 *   CHROMIUM=/path/to/chrome npm run screenshot
 *
 * "Cleanly" means: no console error or warning (a Content-Security-Policy violation is one), no page error,
 * no failed request, no response of 400 or more, no request leaving this machine, the page's stylesheet
 * applied, and nothing wider than the window. Needs Debian's `chromium` package (apt-get install chromium)
 * and the playwright-core dev dependency; no browser is downloaded.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createCowsayApp } from '../dist/app.js';
import { parseConfig } from '../dist/config.js';
import { loadCowCatalog } from '../dist/cowsay/cows.js';
import { pageOnlyStore } from './page-only-store.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = join(root, 'docs');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const PAGES = [
  { path: '/', file: 'index-page.png', fullPage: true },
  { path: '/say/Hello%2C%20web!?f=tux', file: 'say-page.png', fullPage: false },
];

const quiet = {
  debug() {},
  info() {},
  warn: (...message) => console.warn(...message),
  error: (...message) => console.error(...message),
  setLevel() {},
  getLevel: () => 'warn',
  setName() {},
};

const app = createCowsayApp({
  config: parseConfig({ SLACK_SIGNING_SECRET: randomBytes(32).toString('hex'), PORT: '0' }),
  store: pageOnlyStore,
  catalog: await loadCowCatalog(),
  logger: quiet,
});
// Port 3000 when it is free, so the examples on the pages read as they would for a newcomer.
const { port } = await app.start(3000).catch(() => app.start(0));
const origin = `http://localhost:${port}`;
const profile = await mkdtemp(join(tmpdir(), 'cowsay-chromium-'));
const problems = [];

let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-quic',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1040, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: 'light',
    offline: false,
  });
  await mkdir(docs, { recursive: true });

  for (const { path, file, fullPage } of PAGES) {
    const page = await context.newPage();
    const where = (detail) => `${path}: ${detail}`;
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(where(`console ${message.type()}: ${message.text()}`));
    });
    page.on('pageerror', (error) => problems.push(where(`page error: ${error.message}`)));
    page.on('requestfailed', (request) => problems.push(where(`request failed: ${request.url()}`)));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(where(`${response.status()} for ${response.url()}`));
    });
    // Nothing may leave this machine: any other origin is refused and reported.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
      problems.push(where(`request to another origin: ${url}`));
      return route.abort();
    });

    const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
    if (response?.status() !== 200) problems.push(where(`status ${response?.status()}`));
    const layout = await page.evaluate(() => ({
      background: getComputedStyle(document.body).backgroundColor,
      cowFont: getComputedStyle(document.querySelector('pre.cow') ?? document.body).fontFamily,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
    }));
    // The stylesheet is allowed by its hash only: if the policy blocked it, the page would be unstyled.
    if (layout.background !== 'rgb(251, 247, 239)')
      problems.push(where(`stylesheet not applied (${layout.background})`));
    if (!/monospace/.test(layout.cowFont))
      problems.push(where(`the cow is not in a monospace font (${layout.cowFont})`));
    if (layout.overflow > 0) problems.push(where(`${layout.overflow}px wider than the window`));

    await page.screenshot({ path: join(docs, file), fullPage });
    console.log(`docs/${file}: ${origin}${path}`);
    await page.close();
  }
} finally {
  await context?.close();
  await app.stop();
  await rm(profile, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exit(1);
}
console.log('Both pages rendered offline with no console errors, failed requests or outside requests.');
