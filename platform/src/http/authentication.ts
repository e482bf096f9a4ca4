import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError, unauthorized } from './errors.js';
import type { HttpServer } from './server.js';

/** What the caller authenticated with: a sign-in session, or a personal access token. */
export type Credential =
  | { kind: 'session'; sessionId: string }
  | { kind: 'access-token'; tokenId: string; readOnly: boolean };

/** Who is acting, in which zone, with what, and the id that ties the resulting events together. */
export interface Actor {
  userId: string;
  timeZone: string;
  correlationId: string;
  credential: Credential;
}

/** Turns a credential into the caller's identity, or throws a 401 saying why not. */
export interface Authenticator {
  /** A bearer token: a session JWT or a personal access token. */
  authenticate(token: string, correlationId: string): Promise<Actor>;
  /** A single-use WebSocket ticket (`POST /api/ws-ticket`): the session it was issued to. */
  redeemTicket(ticket: string, correlationId: string): Promise<Actor>;
}

/** The web app's session cookie: HttpOnly (no script reads it), SameSite=Strict, path /. */
export const SESSION_COOKIE = 'todo_session';
/**
 * Unsafe requests authenticated by the cookie must carry this header: a page of another origin
 * cannot add it without a CORS preflight, which this server never grants (with SameSite=Strict,
 * a second fence against cross-site request forgery).
 */
export const CSRF_HEADER = 'x-todo-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    /** The onRequest hook that sets `request.actor` or answers 401 (see `requireUser`). */
    authenticateRequest: onRequestHookHandler;
  }
  interface FastifyContextConfig {
    /** `?ticket=` (or `?token=`) authenticates this route: WebSocket upgrades cannot set headers. */
    queryCredential?: boolean;
    /** The route lets read-only tokens through and refuses their writes itself (MCP). */
    readOnlyChecked?: boolean;
  }
}

/**
 * Authentication for the whole server, registered once: it decorates every request with `actor`
 * and offers the hook that fills it. Services opt their routes in with `requireUser`. Credentials,
 * in order: `Authorization: Bearer` (API and MCP clients), the session cookie (the web app), and on
 * routes that allow it a query-string ticket or token (`/ws`). A read-only personal access token is
 * refused on every unsafe method (403) unless the route checks that itself.
 */
export const authentication = fp(
  async (app: HttpServer, { authenticator }: { authenticator: Authenticator }) => {
    await app.register(cookie);
    // Fastify wants a decorator's initial value; every route that reads it runs the hook first.
    app.decorateRequest('actor', null as unknown as Actor);
    app.decorate('authenticateRequest', async (request: FastifyRequest) => {
      request.actor = await identify(authenticator, request);
      // What this request logs from here on names its user (an id: never a token or an address).
      request.log = request.log.child({ userId: request.actor.userId });
      const { credential } = request.actor;
      if (
        credential.kind === 'access-token' &&
        credential.readOnly &&
        !SAFE_METHODS.has(request.method) &&
        !request.routeOptions.config.readOnlyChecked
      ) {
        throw readOnlyRefusal();
      }
    });
  },
  { name: 'authentication' },
);

async function identify(authenticator: Authenticator, request: FastifyRequest): Promise<Actor> {
  const header = request.headers.authorization;
  if (header) {
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw unauthorized('the Authorization header must be "Bearer <token>"');
    return authenticator.authenticate(token, request.id);
  }
  const fromCookie = request.cookies[SESSION_COOKIE];
  if (fromCookie) {
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] === undefined) {
      throw new HttpError(
        403,
        'csrf',
        `a cookie-authenticated ${request.method} needs the ${CSRF_HEADER} header`,
      );
    }
    return authenticator.authenticate(fromCookie, request.id);
  }
  if (request.routeOptions.config.queryCredential) {
    const query = request.query as { ticket?: unknown; token?: unknown } | undefined;
    if (typeof query?.ticket === 'string') return authenticator.redeemTicket(query.ticket, request.id);
    if (typeof query?.token === 'string') return authenticator.authenticate(query.token, request.id);
  }
  throw unauthorized();
}

/** The session of a signed-in caller; 403 for a personal access token, which cannot manage the account. */
export function sessionOf(actor: Actor): string {
  if (actor.credential.kind !== 'session') {
    throw new HttpError(403, 'session_required', 'sign in with your password for this; access tokens cannot');
  }
  return actor.credential.sessionId;
}

export const readOnlyRefusal = () =>
  new HttpError(403, 'read_only_token', 'this personal access token is read-only');

/** Puts the caller's identity on every request of the encapsulating plugin, or answers 401. */
export function requireUser(app: HttpServer): void {
  app.addHook('onRequest', app.authenticateRequest);
}

/** Answers of the encapsulating plugin carry credentials or account data: no cache keeps them. */
export function noStore(app: HttpServer): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
}

/** Sets the web app's session cookie to a freshly issued session token. */
export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: 'auto',
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
