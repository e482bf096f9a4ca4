import { errors, jwtVerify, SignJWT } from 'jose';
import { unauthorized } from '../http/errors.js';

const ISSUER = 'todo-chatbot';

/**
 * HS256 session tokens: the subject is the user id, `sid` the session row the token belongs to,
 * and `exp` is required (a token without one is refused even when the signature is right). One
 * secret per deployment (config/secret store).
 */
export class TokenIssuer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    /** Session lifetime, e.g. "7d": the token's `exp` and its session row's end. */
    readonly ttl: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issue(userId: string, sessionId: string, expiresAt: Date): Promise<string> {
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.key);
  }

  /** The user and session of a valid token; 401 otherwise, saying whether it expired. */
  async verify(token: string): Promise<{ userId: string; sessionId: string }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub', 'sid'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
        throw unauthorized('invalid token');
      }
      return { userId: payload.sub, sessionId: payload.sid };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized('token expired, log in again');
      throw unauthorized('invalid token');
    }
  }
}

/** A duration as JWT_TTL writes it ("30m", "7d") in milliseconds. */
export function durationMs(ttl: string): number {
  const match = /^([0-9]+)([smhd])$/.exec(ttl);
  if (!match) throw new Error(`not a duration: ${ttl}`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
