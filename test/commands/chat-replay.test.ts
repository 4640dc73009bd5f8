/**
 * Copies of one signed `/chat` request (same body, same signature, same trigger_id), as a replay within
 * Slack's five minutes would send them: the post is stored once, every copy is answered with the original
 * confirmation, and no copy spends a post-limit token. On a real SQLite file, and on PostgreSQL when
 * TEST_DATABASE_URL is set.
 */
import Database from 'better-sqlite3';
import type { MessageStore } from '../../src/store/message-store.js';
import { createPostgresStore } from '../../src/store/postgres.js';
import { createSqliteStore } from '../../src/store/sqlite.js';
import {
  asReply,
  createCapturingLogger,
  nowSeconds,
  postedId,
  postToSlack,
  type RunningApp,
  slashCommandBody,
  startTestApp,
} from '../helpers.js';
import { createTempDir, createTestSchema, describeWithPostgres, type TestSchema } from '../store/test-databases.js';

interface Backend {
  store: MessageStore;
  /** The texts stored for a channel, read without the app's code. */
  storedTexts(channelId: string): Promise<string[]>;
}

/** Sends one body, signed once, `copies` times; `together` sends them all at once. */
async function sendCopies(app: RunningApp, body: string, copies: number, together = false): Promise<string[]> {
  const timestamp = nowSeconds();
  const send = async () => {
    const response = await postToSlack(app.baseUrl, body, { timestamp });
    expect(response.status).toBe(200);
    return asReply(response).text ?? '';
  };
  if (together) return Promise.all(Array.from({ length: copies }, send));
  const replies: string[] = [];
  for (let n = 0; n < copies; n += 1) replies.push(await send());
  return replies;
}

function replayContract(open: () => Promise<Backend>): void {
  let backend: Backend;
  let app: RunningApp;
  beforeEach(async () => {
    backend = await open();
    app = await startTestApp({ store: backend.store });
  });
  afterEach(async () => {
    await app.stop();
    await backend.store.close();
  });

  it('stores a post sent three times once, and answers each copy with the original confirmation', async () => {
    const body = slashCommandBody({ command: '/chat', text: 'said once', channel_id: 'C0REPLAY1' });
    const replies = await sendCopies(app, body, 3);
    const id = postedId(replies[0] ?? '');
    expect(replies).toEqual([replies[0], replies[0], replies[0]]);
    expect(await backend.storedTexts('C0REPLAY1')).toEqual(['said once']);
    expect(replies[0]).toContain(`*#${id}*`);
  });

  it('stores one post when the copies arrive at the same moment', async () => {
    const body = slashCommandBody({ command: '/chat', text: 'racing copies', channel_id: 'C0REPLAY2' });
    const replies = await sendCopies(app, body, 5, true);
    expect(new Set(replies.map(postedId)).size).toBe(1);
    expect(await backend.storedTexts('C0REPLAY2')).toEqual(['racing copies']);
  });

  it('lets copies through without spending the author’s post limit', async () => {
    const where = { channel_id: 'C0REPLAY3', user_id: 'U0REPLAY' };
    const body = slashCommandBody({ command: '/chat', text: 'copied', ...where });
    const replies = await sendCopies(app, body, 15);
    expect(new Set(replies.map(postedId)).size).toBe(1);
    // The original spent one token of the burst of 10: nine more posts, then the limit.
    for (let n = 1; n <= 9; n += 1) {
      const reply = await sendCopies(app, slashCommandBody({ command: '/chat', text: `new ${n}`, ...where }), 1);
      expect(reply[0]).toMatch(/^Posted as/);
    }
    const over = await sendCopies(app, slashCommandBody({ command: '/chat', text: 'one too many', ...where }), 1);
    expect(over[0]).toMatch(/not stored/);
    // And a copy of the original is still answered with its confirmation, limit or not.
    expect(postedId((await sendCopies(app, body, 1))[0] ?? '')).toBe(postedId(replies[0] ?? ''));
  });

  it('stores posts whose trigger_id is missing or not Slack’s shape, without replay protection', async () => {
    const hostile = [
      '',
      ' ',
      'x'.repeat(256),
      '1.2.\u0000',
      '1.2.ü',
      "1.2.'); DROP TABLE chat_post_keys; --",
      '1.2.\u202e',
    ];
    for (const [n, triggerId] of [...hostile, undefined].entries()) {
      const form = new URLSearchParams(
        slashCommandBody({ command: '/chat', text: `odd ${n}`, channel_id: 'C0ODDKEY', user_id: `U0ODD${n}` }),
      );
      if (triggerId === undefined) form.delete('trigger_id');
      else form.set('trigger_id', triggerId);
      const replies = await sendCopies(app, form.toString(), 2);
      expect(replies.map((reply) => reply.startsWith('Posted as'))).toEqual([true, true]);
    }
    const expected = [...hostile, undefined].flatMap((_, n) => [`odd ${n}`, `odd ${n}`]);
    expect(await backend.storedTexts('C0ODDKEY')).toEqual(expected);
  });

  it('treats the same text sent again by a new invocation as a new post', async () => {
    const send = () =>
      sendCopies(app, slashCommandBody({ command: '/chat', text: 'twice on purpose', channel_id: 'C0REPLAY4' }), 1);
    const [first] = await send();
    const [second] = await send();
    expect(postedId(second ?? '')).toBeGreaterThan(postedId(first ?? ''));
    expect(await backend.storedTexts('C0REPLAY4')).toEqual(['twice on purpose', 'twice on purpose']);
  });
}

describe('/chat replays on SQLite', () => {
  const dir = createTempDir();
  afterAll(() => dir.remove());
  let files = 0;
  replayContract(async () => {
    files += 1;
    const path = dir.file(`replay-${files}.db`);
    return {
      store: await createSqliteStore({ path }),
      async storedTexts(channelId) {
        const db = new Database(path, { readonly: true });
        try {
          return db
            .prepare<[string], string>('SELECT text FROM chat_messages WHERE channel_id = ? ORDER BY id')
            .pluck()
            .all(channelId);
        } finally {
          db.close();
        }
      },
    };
  });
});

describeWithPostgres('/chat replays on PostgreSQL', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema();
  });
  afterAll(() => schema.drop());
  // Each test posts to channels of its own, so the schema is shared without clean-up.
  replayContract(async () => {
    return {
      store: await createPostgresStore({ url: schema.url, logger: createCapturingLogger() }),
      async storedTexts(channelId) {
        const rows = await schema.query<{ text: string }>(
          'SELECT text FROM chat_messages WHERE channel_id = $1 ORDER BY id',
          [channelId],
        );
        return rows.map((row) => row.text);
      },
    };
  });
});
