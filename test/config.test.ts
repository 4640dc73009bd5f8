import {
  ConfigError,
  DEFAULT_RESPONSE_URL_ORIGINS,
  DEFAULT_SLACK_API_URL,
  DEFAULT_SQLITE_PATH,
  loadLocalToolSettings,
  parseConfig,
} from '../src/config.js';
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
      responseUrlOrigins: ['https://hooks.slack.com', 'https://hooks.slack-gov.com'],
      slackApiUrl: 'https://slack.com/api/',
      fortunePath: undefined,
      logFormat: 'json',
      metricsToken: undefined,
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

  describe('where the app may call Slack', () => {
    const parse = (env: Record<string, string>) => parseConfig({ SLACK_SIGNING_SECRET: SECRET, ...env });

    it('takes response URL origins as a comma-separated list, normalised, replacing the default', () => {
      expect(parse({}).responseUrlOrigins).toEqual(DEFAULT_RESPONSE_URL_ORIGINS);
      expect(
        parse({ SLACK_RESPONSE_URL_ORIGINS: ' http://127.0.0.1:9999 , https://Hooks.Example.com:443/,' })
          .responseUrlOrigins,
      ).toEqual(['http://127.0.0.1:9999', 'https://hooks.example.com']);
      expect(parse({ SLACK_RESPONSE_URL_ORIGINS: 'http://localhost:1,http://[::1]:2' }).responseUrlOrigins).toEqual([
        'http://localhost:1',
        'http://[::1]:2',
      ]);
    });

    it.each([
      ['plain http to a remote host', 'http://hooks.slack.com', 'loopback'],
      ['a path', 'https://hooks.slack.com/commands', 'path'],
      ['credentials', 'https://user:hunter2@hooks.slack.com', 'credentials'],
      ['a query', 'https://hooks.slack.com?x=1', 'query'],
      ['another scheme', 'ftp://hooks.slack.com', 'http(s)'],
      ['no scheme', 'hooks.slack.com', 'http(s)'],
      ['injection', 'https://hooks.slack.com\n<script>', 'http(s)'],
    ])('refuses an origin with %s, naming the entry and the fix', (_name, value, reason) => {
      const [problem] = problemsOf({
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_RESPONSE_URL_ORIGINS: `https://hooks.slack.com,${value}`,
      });
      expect(problem).toMatch(/^SLACK_RESPONSE_URL_ORIGINS entry 2 is not an origin/);
      expect(problem).toContain(reason);
      expect(problem).toContain('https://hooks.slack.com');
      expect(problem).not.toContain('hunter2');
    });

    it('takes SLACK_API_URL as a base ending in a slash', () => {
      expect(parse({}).slackApiUrl).toBe(DEFAULT_SLACK_API_URL);
      expect(parse({ SLACK_API_URL: 'http://127.0.0.1:8080/api' }).slackApiUrl).toBe('http://127.0.0.1:8080/api/');
      expect(parse({ SLACK_API_URL: 'https://slack-gov.com/api/' }).slackApiUrl).toBe('https://slack-gov.com/api/');
      for (const bad of ['http://slack.com/api/', 'https://u:hunter2@slack.com/api/', 'slack.com', 'https://x/?q=1']) {
        const [problem] = problemsOf({ SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: bad });
        expect(problem).toMatch(
          /^SLACK_API_URL is not usable \(.+\)\. Give a base URL such as https:\/\/slack\.com\/api\//,
        );
        expect(problem).not.toContain('hunter2');
      }
    });

    it('gives the slash client a loopback origin to stand in for response URLs at', () => {
      const origin = (env: Record<string, string>) => loadLocalToolSettings(env).responseUrlOrigin;
      expect(origin({})).toBe('http://127.0.0.1:3001');
      expect(origin({ PORT: '4000' })).toBe('http://127.0.0.1:4001');
      expect(origin({ PORT: '65535' })).toBe('http://127.0.0.1:65534');
      expect(origin({ SLACK_RESPONSE_URL_ORIGINS: 'https://hooks.slack.com, http://localhost:9999/' })).toBe(
        'http://localhost:9999',
      );
      expect(origin({ SLACK_RESPONSE_URL_ORIGINS: 'https://hooks.slack.com' })).toBeUndefined();
      expect(origin({ SLACK_RESPONSE_URL_ORIGINS: 'http://hooks.example.com,nonsense' })).toBeUndefined();
    });

    it('passes FORTUNE_PATH on as given (the files are read at start-up)', () => {
      expect(parse({ FORTUNE_PATH: ' /usr/share/games/fortunes ' }).fortunePath).toBe('/usr/share/games/fortunes');
      expect(parse({ FORTUNE_PATH: '' }).fortunePath).toBeUndefined();
    });
  });

  it('takes LOG_FORMAT json or pretty', () => {
    expect(parseConfig({ SLACK_SIGNING_SECRET: SECRET, LOG_FORMAT: 'Pretty' }).logFormat).toBe('pretty');
    expect(parseConfig({ SLACK_SIGNING_SECRET: SECRET, LOG_FORMAT: ' json ' }).logFormat).toBe('json');
    for (const format of ['text', 'pino-pretty', 'json;rm -rf', '😀']) {
      expect(problemsOf({ SLACK_SIGNING_SECRET: SECRET, LOG_FORMAT: format })[0]).toMatch(
        /^LOG_FORMAT must be json or pretty/,
      );
    }
  });

  it('takes a METRICS_TOKEN of 32 or more visible characters', () => {
    const token = `${'m'.repeat(31)}!`;
    expect(parseConfig({ SLACK_SIGNING_SECRET: SECRET, METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(parseConfig({ SLACK_SIGNING_SECRET: SECRET, METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
  });

  it('refuses a short or malformed METRICS_TOKEN, says how to make one, and never echoes it', () => {
    const hostile = [
      'short-token-hunter2',
      'spaces inside the token hunter2 ----',
      `${'x'.repeat(40)}\u00e9hunter2`,
      `${'x'.repeat(40)}\nhunter2`,
      `hunter2${'y'.repeat(2000)}`,
    ];
    for (const token of hostile) {
      const [problem] = problemsOf({ SLACK_SIGNING_SECRET: SECRET, METRICS_TOKEN: token });
      expect(problem).toMatch(/^METRICS_TOKEN must be 32 to 1024 visible ASCII characters/);
      expect(problem).toContain('openssl rand -hex 32');
      expect(problem).toContain('unset METRICS_TOKEN');
      expect(problem).not.toContain('hunter2');
    }
  });

  it('returns a frozen object', () => {
    const config = parseConfig({ SLACK_SIGNING_SECRET: SECRET });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.store)).toBe(true);
  });
});
