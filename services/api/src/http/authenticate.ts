import { unauthorized } from '@todo/platform/http/errors';
import type { HttpServer } from '@todo/platform/http/server';
import type { FastifyRequest } from 'fastify';
import type { TokenIssuer } from '../auth/tokens.js';
import type { UserService } from '../auth/users.js';
import type { Actor } from '../tasks/task-service.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

/**
 * Puts the caller's identity on every request of the encapsulating plugin, or answers 401.
 * The bearer token comes from the Authorization header, or `?token=` where a browser cannot set
 * headers (WebSocket upgrades).
 */
export function requireUser(app: HttpServer, tokens: TokenIssuer, users: UserService): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    if (!token) throw unauthorized();
    const userId = await tokens.verify(token);
    // The account may be gone while its token lives on; its zone is needed by date filters.
    const user = await users.get(userId).catch(() => {
      throw unauthorized('account no longer exists');
    });
    request.actor = { userId: user.id, timeZone: user.timezone, correlationId: request.id };
  });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const query = request.query as { token?: unknown } | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}
