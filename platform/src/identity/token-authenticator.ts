import type { Db } from '../db/connect.js';
import type { Actor, Authenticator } from '../http/authentication.js';
import { unauthorized } from '../http/errors.js';
import { ACCESS_TOKEN_PREFIX, verifyAccessToken } from './access-tokens.js';
import { TokenIssuer } from './session-tokens.js';
import { UserDirectory } from './user-directory.js';

/**
 * The Authenticator of every service: a session token (JWT) or a personal access token (`tdc_…`),
 * and the account it names still exists.
 */
export function tokenAuthenticator(db: Db, tokens: TokenIssuer, users: UserDirectory): Authenticator {
  return {
    async authenticate(token, correlationId): Promise<Actor> {
      const userId = token.startsWith(ACCESS_TOKEN_PREFIX)
        ? await verifyAccessToken(db, token)
        : await tokens.verify(token);
      // The account may be gone while its token lives on; its zone is needed by date filters.
      const user = await users.get(userId).catch(() => {
        throw unauthorized('account no longer exists');
      });
      return { userId: user.id, timeZone: user.timezone, correlationId };
    },
  };
}

/** The identity pieces of one process: who issues tokens, where users are read, who verifies. */
export function processIdentity(
  db: Db,
  options: { jwtSecret: string; jwtTtl: string; cacheUsers: boolean },
): { tokens: TokenIssuer; users: UserDirectory; authenticator: Authenticator } {
  const tokens = new TokenIssuer(options.jwtSecret, options.jwtTtl);
  const users = new UserDirectory(db, { cache: options.cacheUsers });
  return { tokens, users, authenticator: tokenAuthenticator(db, tokens, users) };
}
