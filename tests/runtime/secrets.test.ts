/**
 * Issue 13, item 8: what the process keeps on disk is its owner's alone, and distributed mode
 * will not start with the development secrets this repository publishes.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@todo/platform/config';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDataDir, generatedSecret } from '../../runtime/src/secrets.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the data directory', () => {
  const made: string[] = [];
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'todo-secrets-'));
    made.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('is created 0700, an older wider one is narrowed, and generated secrets are 0600 and kept', () => {
    const fresh = join(scratch(), 'data');
    ensureDataDir(fresh);
    expect(modeOf(fresh)).toBe(0o700);

    const older = join(scratch(), 'data');
    mkdirSync(older, { mode: 0o755 });
    expect(modeOf(older)).toBe(0o755);
    ensureDataDir(older);
    expect(modeOf(older)).toBe(0o700);

    const secret = generatedSecret(fresh, 'jwt-secret');
    expect(secret.length).toBeGreaterThanOrEqual(48);
    expect(modeOf(join(fresh, 'jwt-secret'))).toBe(0o600);
    expect(generatedSecret(fresh, 'jwt-secret')).toBe(secret);
  });
});

describe('distributed mode', () => {
  const own = {
    TODO_MODE: 'distributed',
    DATABASE_URL: 'postgres://todo:a-password-of-its-own@db:5432/todo',
    JWT_SECRET: 'a-signing-secret-of-this-deployment-only-0123456789',
    APP_API_TOKEN: 'app-token-of-this-deployment',
    DAPR_API_TOKEN: 'dapr-token-of-this-deployment',
  };

  it('starts with secrets of its own', () => {
    expect(loadConfig(own).TODO_MODE).toBe('distributed');
  });

  it('refuses the published development secrets, naming each variable', () => {
    expect(() =>
      loadConfig({ ...own, JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789abcdef' }),
    ).toThrow(/JWT_SECRET holds a development value/);
    expect(() => loadConfig({ ...own, DATABASE_URL: 'postgres://todo:todo-dev-only@db:5432/todo' })).toThrow(
      /DATABASE_URL holds a development value/,
    );
    expect(() =>
      loadConfig({
        ...own,
        JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789abcdef',
        DATABASE_URL: 'postgres://todo:todo-dev-only@db:5432/todo',
      }),
    ).toThrow(/JWT_SECRET and DATABASE_URL hold a development value/);
  });

  it('refuses to start without its tokens and secrets', () => {
    const { APP_API_TOKEN: _app, DAPR_API_TOKEN: _dapr, ...missing } = own;
    expect(() => loadConfig(missing)).toThrow(/requires APP_API_TOKEN, DAPR_API_TOKEN/);
  });
});
