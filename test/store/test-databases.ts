/**
 * PostgreSQL for tests. The suites that need it run only when TEST_DATABASE_URL is set (.ci/run sets it);
 * each suite works in a schema of its own, so concurrent runs and test files never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Tests may read the environment (the app reads it only in src/config.ts). */
export const TEST_DATABASE_URL: string | undefined = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** `describe` when PostgreSQL is available, otherwise `describe.skip` plus a notice in the test output. */
export function describeWithPostgres(name: string, body: () => void): void {
  if (TEST_DATABASE_URL === undefined) {
    console.warn(
      `TEST_DATABASE_URL is not set: skipping the PostgreSQL suite "${name}". ` +
        'Set it (e.g. postgres://postgres@127.0.0.1:5432/test) to run it.',
    );
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}

export interface TestSchema {
  /** TEST_DATABASE_URL, with every connection's search_path set to this schema. */
  readonly url: string;
  readonly name: string;
  /** A URL for the same schema through another host and port (e.g. a proxy), optionally with a password. */
  urlVia(host: string, port: number, password?: string): string;
  /** A connection of the test's own, in this schema; the caller ends it. */
  connect(): Promise<pg.Client>;
  /** Runs SQL as the test's own admin connection (in this schema). */
  query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

export function requireTestDatabaseUrl(): string {
  if (TEST_DATABASE_URL === undefined) throw new Error('TEST_DATABASE_URL is not set');
  return TEST_DATABASE_URL;
}

/** Creates an empty schema with a unique name; `drop()` removes it and everything in it. */
export async function createTestSchema(): Promise<TestSchema> {
  const base = requireTestDatabaseUrl();
  const name = `cowsay_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const withSchema = (url: URL): string => {
    // libpq's `options` startup parameter; pg passes it through, so the app needs no test-only knob.
    url.searchParams.set('options', `-c search_path=${name}`);
    return url.toString();
  };
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  await admin.query(`SET search_path = ${name}`);
  return {
    url: withSchema(new URL(base)),
    name,
    urlVia(host, port, password) {
      const url = new URL(base);
      url.hostname = host;
      url.port = String(port);
      if (password !== undefined) url.password = password;
      return withSchema(url);
    },
    async connect() {
      const client = new pg.Client({ connectionString: withSchema(new URL(base)) });
      await client.connect();
      return client;
    },
    async query<Row extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      return (await admin.query<Row>(text, values)).rows;
    },
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.end();
    },
  };
}

/** The host and port TEST_DATABASE_URL points at (for a proxy in front of it). */
export function testDatabaseAddress(): { host: string; port: number } {
  const url = new URL(requireTestDatabaseUrl());
  return { host: url.hostname || '127.0.0.1', port: url.port === '' ? 5432 : Number(url.port) };
}

export interface TempDir {
  readonly path: string;
  file(name: string): string;
  remove(): void;
}

export function createTempDir(prefix = 'cowsay-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, file: (name) => join(path, name), remove: () => rmSync(path, { recursive: true, force: true }) };
}
