/**
 * app.json drives Heroku's "Deploy" button: it must ask for every setting the app reads (bar the two
 * Heroku provides), require exactly the one the app cannot start without, and provision Postgres.
 */
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config.js';

interface AppJson {
  name: string;
  success_url?: string;
  env: Record<string, { description: string; required?: boolean; value?: string }>;
  addons: Array<string | { plan: string; as?: string }>;
}

const root = new URL('../../', import.meta.url);
const appJson = JSON.parse(readFileSync(new URL('app.json', root), 'utf8')) as AppJson;
/** The settings the app reads, as .env.example lists them. */
const settings = [...readFileSync(new URL('.env.example', root), 'utf8').matchAll(/^([A-Z_]+)=/gm)].map(
  (match) => match[1],
);

describe('app.json', () => {
  it('asks for every setting except the two Heroku sets itself, each with a description', () => {
    expect(settings).toEqual(expect.arrayContaining(['SLACK_SIGNING_SECRET', 'PORT', 'DATABASE_URL']));
    const heroku = new Set(['PORT', 'DATABASE_URL']);
    expect(Object.keys(appJson.env).sort()).toEqual(settings.filter((name) => !heroku.has(name ?? '')).sort());
    for (const [name, variable] of Object.entries(appJson.env)) {
      expect([name, variable.description.length > 20]).toEqual([name, true]);
    }
  });

  it('requires the signing secret only, and its defaults are values the app accepts', () => {
    const required = Object.entries(appJson.env).filter(([, variable]) => variable.required !== false);
    expect(required.map(([name]) => name)).toEqual(['SLACK_SIGNING_SECRET']);
    const defaults = Object.fromEntries(
      Object.entries(appJson.env).flatMap(([name, variable]) =>
        variable.value === undefined ? [] : [[name, variable.value]],
      ),
    );
    expect(() => parseConfig({ ...defaults, SLACK_SIGNING_SECRET: 'a-real-looking-secret-0123456789' })).not.toThrow();
  });

  it('provisions Heroku Postgres as DATABASE_URL and opens the index page after deploy', () => {
    const postgres = appJson.addons.find((addon) =>
      (typeof addon === 'string' ? addon : addon.plan).startsWith('heroku-postgresql'),
    );
    expect(postgres).toBeDefined();
    if (typeof postgres === 'object') expect(postgres.as ?? 'DATABASE').toBe('DATABASE');
    expect(appJson.success_url).toBe('/');
    expect(appJson.name.length).toBeLessThanOrEqual(30);
  });
});
