import type { Db } from '../db/connect.js';
import type { Actor, Authenticator, Credential } from '../http/authentication.js';
import { unauthorized } from '../http/errors.js';
import { ACCESS_TOKEN_PREFIX, verifyAccessToken } from './access-tokens.js';
import { TokenIssuer } from './session-tokens.js';
import { SessionStore } from './sessions.js';
import { UserDirectory } from './user-directory.js';

/**
 * The Authenticator of every service: a session token (JWT) whose session is still open, or a
 * live personal access token (`tdc_…`), and the account it names still exists.
 */
export function tokenAuthenticator(
  db: Db,
  tokens: TokenIssuer,
  users: UserDirectory,
  sessions: SessionStore,
): Authenticator {
  const credentialOf = async (token: string): Promise<{ userId: string; credential: Credential }> => {
    if (token.startsWith(ACCESS_TOKEN_PREFIX)) {
      const { userId, tokenId, readOnly } = await verifyAccessToken(db, token);
      return { userId, credential: { kind: 'access-token', tokenId, readOnly } };
    }
    const { userId, sessionId } = await tokens.verify(token);
    if (!(await sessions.isLive(sessionId, userId))) throw unauthorized('signed out, log in again');
    return { userId, credential: { kind: 'session', sessionId } };
  };
  const actorOf = async (userId: string, credential: Credential, correlationId: string): Promise<Actor> => {
    // The account may be gone while its token lives on; its zone is needed by date filters.
    const user = await users.get(userId).catch(() => {
      throw unauthorized('account no longer exists');
    });
    return { userId: user.id, timeZone: user.timezone, correlationId, credential };
  };
  return {
    async authenticate(token, correlationId) {
      const { userId, credential } = await credentialOf(token);
      return actorOf(userId, credential, correlationId);
    },
    async redeemTicket(ticket, correlationId) {
      const redeemed = await sessions.redeemTicket(ticket);
      if (!redeemed) throw unauthorized('unknown, used or expired ticket');
      return actorOf(redeemed.userId, { kind: 'session', sessionId: redeemed.sessionId }, correlationId);
    },
  };
}

/** The identity pieces of one process: who issues tokens, where users are read, who verifies. */
export function processIdentity(
  db: Db,
  options: { jwtSecret: string; jwtTtl: string; cacheUsers: boolean },
): { tokens: TokenIssuer; users: UserDirectory; sessions: SessionStore; authenticator: Authenticator } {
  const tokens = new TokenIssuer(options.jwtSecret, options.jwtTtl);
  const users = new UserDirectory(db, { cache: options.cacheUsers });
  const sessions = new SessionStore(db, tokens);
  return { tokens, users, sessions, authenticator: tokenAuthenticator(db, tokens, users, sessions) };
}
