/**
 * `openStore` is the one place that turns DATABASE_URL (through config.ts) into a backend.
 */
import Database from 'better-sqlite3';
import { parseConfig } from '../../src/config.js';
import { openStore } from '../../src/store/index.js';
import { createCapturingLogger } from '../helpers.js';
import { createTempDir, createTestSchema, describeWithPostgres } from './test-databases.js';

const board = { enterpriseId: '', teamId: 'T1', channelId: 'C1' };
const configFor = (databaseUrl: string) =>
  parseConfig({ SLACK_SIGNING_SECRET: 'a-real-looking-secret', DATABASE_URL: databaseUrl });

describe('openStore with sqlite:<path>', () => {
  it('opens an SQLite file at that path, creating its directory', async () => {
    const dir = createTempDir();
    try {
      const path = dir.file('not/yet/there/cowsay.db');
      const logger = createCapturingLogger();
      const store = await openStore(configFor(`sqlite:${path}`).store, logger);
      const posted = await store.post(board, 'U1', 'on disk');
      await store.close();
      // The row is in that very file, read without the app's code.
      const db = new Database(path, { readonly: true });
      expect(db.prepare('SELECT id, text FROM chat_messages').all()).toEqual([{ id: posted.id, text: 'on disk' }]);
      db.close();
      expect(logger.lines.join('\n')).toContain('SQLite');
    } finally {
      dir.remove();
    }
  });
});

describeWithPostgres('openStore with postgres://', () => {
  it('opens PostgreSQL and never logs the URL or its password', async () => {
    const schema = await createTestSchema();
    try {
      const url = new URL(schema.url);
      // Trust authentication here ignores the password, so any will do to prove it never reaches a log.
      url.password = 'hunter2-not-in-logs';
      const config = configFor(url.toString());
      expect(config.store.kind).toBe('postgres');
      const logger = createCapturingLogger();
      const store = await openStore(config.store, logger);
      const posted = await store.post(board, 'U1', 'in the database');
      await store.close();
      expect(await schema.query('SELECT text FROM chat_messages WHERE id = $1', [posted.id])).toEqual([
        { text: 'in the database' },
      ]);
      const logged = logger.lines.join('\n');
      expect(logged).toContain('PostgreSQL');
      expect(logged).not.toContain('hunter2');
      expect(logged).not.toContain(schema.name);
    } finally {
      await schema.drop();
    }
  });
});
