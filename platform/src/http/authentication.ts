import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { unauthorized } from './errors.js';
import type { HttpServer } from './server.js';

/** Who is acting, in which zone, and the id that ties the resulting events together. */
export interface Actor {
  userId: string;
  timeZone: string;
  correlationId: string;
}

/** Turns a bearer credential into the caller's identity, or throws a 401 saying why not. */
export interface Authenticator {
  authenticate(token: string, correlationId: string): Promise<Actor>;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    /** The onRequest hook that sets `request.actor` or answers 401 (see `requireUser`). */
    authenticateRequest: onRequestHookHandler;
  }
}

/**
 * Authentication for the whole server, registered once: it decorates every request with `actor`
 * and offers the hook that fills it. Services opt their routes in with `requireUser`.
 */
export const authentication = fp(
  async (app: HttpServer, { authenticator }: { authenticator: Authenticator }) => {
    // Fastify wants a decorator's initial value; every route that reads it runs the hook first.
    app.decorateRequest('actor', null as unknown as Actor);
    app.decorate('authenticateRequest', async (request: FastifyRequest) => {
      const token = bearerToken(request);
      if (!token) throw unauthorized();
      request.actor = await authenticator.authenticate(token, request.id);
    });
  },
  { name: 'authentication' },
);

/**
 * Puts the caller's identity on every request of the encapsulating plugin, or answers 401.
 * The bearer token comes from the Authorization header, or `?token=` where a browser cannot set
 * headers (WebSocket upgrades).
 */
export function requireUser(app: HttpServer): void {
  app.addHook('onRequest', app.authenticateRequest);
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const query = request.query as { token?: unknown } | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}
