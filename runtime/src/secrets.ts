import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret the embedded default makes on first start and keeps in the data directory (mode 0600),
 * so that it survives restarts and needs no setup.
 */
export function generatedSecret(dataDir: string, fileName: string): string {
  const file = join(dataDir, fileName);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

/** Without JWT_SECRET, sessions are signed with a generated key, so they survive restarts. */
export const embeddedJwtSecret = (dataDir: string): string => generatedSecret(dataDir, 'jwt-secret');
