import { createHash, randomBytes } from 'node:crypto';

/**
 * A bearer secret of 256 random bits (personal access tokens, WebSocket tickets, verification
 * links, calendar feed addresses), URL-safe.
 */
export const newSecretToken = () => randomBytes(32).toString('base64url');

/**
 * What is stored of such a secret. It has 256 random bits, so a plain SHA-256 is enough (no slow
 * hash needed): a leaked table does not leak usable secrets.
 */
export const secretTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
