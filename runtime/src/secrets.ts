import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data directory of the embedded default: created 0700 (and narrowed to 0700 if an older
 * version made it wider), so the database files and secrets in it are the owner's alone. Run as
 * root, the private PostgreSQL server then adds only the search bit for its own user.
 */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

/**
 * The embedded default needs no setup: a secret not given in the environment is made on first
 * start and kept in the data directory (mode 0600), so it survives restarts — the JWT signing
 * secret (`jwt-secret`, sessions stay valid), the app API token of the internal routes
 * (`app-api-token`, read by `npm run dlq`) and the private server's password.
 */
export function generatedSecret(dataDir: string, fileName: string): string {
  const file = join(dataDir, fileName);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
