/**
 * When handling a command fails on our side, over signed HTTP through the real receiver and Bolt: the user gets
 * a short ephemeral apology with the request id (never an HTTP 500), and the log gets one line with that id and
 * without what the user typed.
 */
import type { CowCatalog } from '../../src/cowsay/cows.js';
import { asReply, type RunningApp, sendSlashCommand, startTestApp, testCatalog } from '../helpers.js';

const USER_WORDS = 'words only the user should see';
const APOLOGY = /^Something went wrong on our side, sorry\. Try again in a moment\. \(request id: (\S+)\)$/;

/**
 * The real catalogue, except that once `broken` is set (after start-up, which draws the index page's cow),
 * drawing any cow throws, quoting what it was asked to draw.
 */
let broken = false;
async function breakableCatalog(): Promise<CowCatalog> {
  const catalog = await testCatalog();
  return {
    ...catalog,
    art: (name, face, think) => {
      if (broken) throw new Error(`cannot draw "${name}" for postgres://app:s3cret-pass@db.example/cows`);
      return catalog.art(name, face, think);
    },
  };
}

describe('a listener that throws', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp({ catalog: await breakableCatalog() });
    broken = true;
  });
  afterAll(() => running.stop());

  it('answers 200 with an apology carrying the request id Heroku’s router sent, and logs it once', async () => {
    const requestId = 'a1b2c3d4-e5f6-4711-8000-request-from-router';
    const response = await sendSlashCommand(
      running.baseUrl,
      { command: '/cowsay', text: USER_WORDS },
      { headers: { 'X-Request-ID': requestId } },
    );
    expect(response.status).toBe(200);
    const reply = asReply(response);
    expect(reply.response_type).toBe('ephemeral');
    expect(APOLOGY.exec(reply.text ?? '')?.[1]).toBe(requestId);
    const errors = running.logger.lines.filter((line) => line.includes(requestId));
    expect(errors).toEqual([expect.stringMatching(/^\[error\] \/cowsay failed \(request id [^)]+\): Error: /)]);
    expect(running.logger.lines.join('\n')).not.toContain(USER_WORDS);
    expect(running.logger.lines.join('\n')).not.toContain('s3cret-pass');
  });

  it('makes up a request id when none was sent, and the log line carries the same one', async () => {
    const before = running.logger.lines.length;
    const response = await sendSlashCommand(running.baseUrl, { command: '/cowsay', text: 'hi' });
    const id = APOLOGY.exec(asReply(response).text ?? '')?.[1];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(running.logger.lines.slice(before)).toEqual([expect.stringContaining(`(request id ${id})`)]);
  });

  it('refuses an X-Request-ID that could forge a log line, and uses its own', async () => {
    const response = await sendSlashCommand(
      running.baseUrl,
      { command: '/cowsay', text: 'hi' },
      { headers: { 'X-Request-ID': 'short' } },
    );
    expect(APOLOGY.exec(asReply(response).text ?? '')?.[1]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('a failure in Bolt’s middleware, outside any listener', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
    running.app.bolt.use(async ({ body }) => {
      throw new Error(`middleware broke on ${JSON.stringify(body)}`);
    });
  });
  afterAll(() => running.stop());

  it('still answers 200 with the apology, and the app’s error handler logs it once', async () => {
    const response = await sendSlashCommand(running.baseUrl, { command: '/chat', text: USER_WORDS });
    expect(response.status).toBe(200);
    const id = APOLOGY.exec(asReply(response).text ?? '')?.[1];
    expect(id).toBeDefined();
    const errors = running.logger.lines.filter((line) => line.startsWith('[error]'));
    expect(errors).toEqual([expect.stringContaining(`A Slack request failed (request id ${id}): Error: `)]);
    expect(running.logger.lines.join('\n')).not.toContain(USER_WORDS);
  });
});
