import { ConfigError, DEFAULT_SQLITE_PATH, parseConfig } from '../src/config.js';
import { fakeSlackToken } from './helpers.js';

const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('needs only the signing secret, and defaults the rest', () => {
    expect(parseConfig({ SLACK_SIGNING_SECRET: SECRET })).toEqual({
      signingSecret: SECRET,
      botToken: undefined,
      appToken: undefined,
      port: 3000,
      store: { kind: 'sqlite', path: DEFAULT_SQLITE_PATH },
      logLevel: 'info',
      http: { maxConnections: 1000, trustedProxyHops: 0, webRateLimit: 10 },
    });
  });

  it('says where to find a missing signing secret', () => {
    const [problem] = problemsOf({});
    expect(problem).toContain('SLACK_SIGNING_SECRET');
    expect(problem).toContain('Basic Information');
    expect(problem).toContain('App Credentials');
  });

  it('refuses placeholder secrets', () => {
    for (const placeholder of ['xxxx', 'changeme', 'your-signing-secret', '<secret>', '...']) {
      expect(problemsOf({ SLACK_SIGNING_SECRET: placeholder })[0]).toContain('placeholder');
    }
  });

  it('reports every problem at once, naming each variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db',
      LOG_LEVEL: 'loud',
      SLACK_BOT_TOKEN: fakeSlackToken('xoxp', 'user', 'token'),
      SLACK_APP_TOKEN: fakeSlackToken('xoxb', 'not', 'an', 'app', 'token'),
    });
    expect(problems).toHaveLength(6);
    for (const name of [
      'SLACK_SIGNING_SECRET',
      'PORT',
      'DATABASE_URL',
      'LOG_LEVEL',
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
    ]) {
      expect(problems.some((problem) => problem.startsWith(name))).toBe(true);
    }
  });

  it('never echoes a secret or a database password in its errors', () => {
    const error = (() => {
      try {
        parseConfig({
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_BOT_TOKEN: 'not-a-token-hunter2',
          DATABASE_URL: 'mysql://user:hunter2@db/x',
          PORT: '70000',
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain(SECRET);
  });

  it('chooses the store from DATABASE_URL', () => {
    const store = (url: string) => parseConfig({ SLACK_SIGNING_SECRET: SECRET, DATABASE_URL: url }).store;
    expect(store('sqlite:./tmp/x.db')).toEqual({ kind: 'sqlite', path: './tmp/x.db' });
    expect(store('sqlite:///var/data/x.db')).toEqual({ kind: 'sqlite', path: '/var/data/x.db' });
    expect(store('postgres://u:p@localhost:5432/db')).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@localhost:5432/db',
    });
    expect(store('postgresql://localhost/db?sslmode=require')).toEqual({
      kind: 'postgres',
      url: 'postgresql://localhost/db?sslmode=require',
    });
    expect(problemsOf({ SLACK_SIGNING_SECRET: SECRET, DATABASE_URL: 'sqlite:' })[0]).toContain('file path');
  });

  it('validates PORT and LOG_LEVEL', () => {
    expect(parseConfig({ SLACK_SIGNING_SECRET: SECRET, PORT: '8080', LOG_LEVEL: 'DEBUG' })).toMatchObject({
      port: 8080,
      logLevel: 'debug',
    });
    for (const port of ['-1', '65536', '80.5', '0x50', 'eighty']) {
      expect(problemsOf({ SLACK_SIGNING_SECRET: SECRET, PORT: port })).toEqual([expect.stringContaining('PORT')]);
    }
    // An empty or blank PORT (as .env.example leaves it) means unset: the default port.
    expect(parseConfig({ SLACK_SIGNING_SECRET: SECRET, PORT: '' }).port).toBe(3000);
    expect(parseConfig({ SLACK_SIGNING_SECRET: SECRET, PORT: '  ' }).port).toBe(3000);
    expect(parseConfig({ SLACK_SIGNING_SECRET: SECRET, PORT: '0' }).port).toBe(0);
  });

  it('returns a frozen object', () => {
    const config = parseConfig({ SLACK_SIGNING_SECRET: SECRET });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.store)).toBe(true);
  });
});
