import { errors, jwtVerify, SignJWT } from 'jose';
import { unauthorized } from '../http/errors.js';

const ISSUER = 'todo-chatbot';

/** HS256 session tokens: the subject is the user id. One secret per deployment (config/secret store). */
export class TokenIssuer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttl: string,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issue(userId: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(this.ttl)
      .sign(this.key);
  }

  /** The user id of a valid token; 401 otherwise, saying whether it expired. */
  async verify(token: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (!payload.sub) throw unauthorized('token has no subject');
      return payload.sub;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw unauthorized('token expired, log in again');
      throw unauthorized('invalid token');
    }
  }
}
