import rateLimit from '@fastify/rate-limit';
import type { Config } from '@todo/platform/config';
import {
  clearSessionCookie,
  noStore,
  requireUser,
  sessionOf,
  setSessionCookie,
} from '@todo/platform/http/authentication';
import { HttpError } from '@todo/platform/http/errors';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import type { SessionStore } from '@todo/platform/identity/sessions';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { normalizeEmail, PASSWORD_MIN_LENGTH } from '../auth/credentials.js';
import { toUserJson, type UserService } from '../auth/users.js';
import { UserJson } from './schemas.js';

const Credentials = {
  email: Type.String({ format: 'email', maxLength: 254 }),
  password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 200 }),
};
const TokenReply = Type.Object({ token: Type.String(), user: Type.Ref('User') });

/** How many login attempts are answered before 429. */
export interface LoginLimits {
  /** Per client address and account: one attacker cannot lock everyone out. */
  perClientPerMinute: number;
  /** Per account across every client: many addresses cannot try many passwords either. */
  perAccountPerHour: number;
}

export const loginLimitsOf = (
  config: Pick<Config, 'LOGIN_RATE_LIMIT_PER_MINUTE' | 'LOGIN_ACCOUNT_RATE_LIMIT_PER_HOUR'>,
): LoginLimits => ({
  perClientPerMinute: config.LOGIN_RATE_LIMIT_PER_MINUTE,
  perAccountPerHour: config.LOGIN_ACCOUNT_RATE_LIMIT_PER_HOUR,
});

export interface AuthRoutesOptions {
  sessions: SessionStore;
  users: UserService;
  loginLimits: LoginLimits;
}

/**
 * The account a password attempt is against: the signed-in caller's, or the one a login names in
 * the one form the lookup uses too (see `normalizeEmail`).
 */
const accountOf = (request: FastifyRequest) => {
  if (request.actor) return `user:${request.actor.userId}`;
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? normalizeEmail(email) : '';
};

/** Sign-up and login (public, rate-limited), and the caller's profile. */
export async function authRoutes(app: HttpServer, { sessions, users, loginLimits }: AuthRoutesOptions) {
  // preHandler, not onRequest: the login keys include the e-mail address from the parsed body.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  noStore(app);
  const loginLimiters = [
    app.createRateLimit({
      max: loginLimits.perClientPerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request) => `client|${request.ip}|${accountOf(request)}`,
    }),
    app.createRateLimit({
      max: loginLimits.perAccountPerHour,
      timeWindow: '1 hour',
      keyGenerator: (request) => `account|${accountOf(request)}`,
    }),
  ];
  const limitLogins = async (request: FastifyRequest, reply: FastifyReply) => {
    for (const limiter of loginLimiters) {
      const outcome = await limiter(request);
      if (!outcome.isAllowed && outcome.isExceeded) {
        // Who is being guessed at is the operator's to know; the address itself stays out of logs.
        request.log.warn(
          { ip: request.ip, limit: outcome.key.split('|')[0], url: request.routeOptions.url },
          'password attempts rate-limited',
        );
        reply.header('retry-after', outcome.ttlInSeconds);
        throw new HttpError(
          429,
          'rate_limited',
          `too many login attempts, retry in ${outcome.ttlInSeconds} s`,
        );
      }
    }
  };

  app.post(
    '/api/auth/signup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account',
        body: Type.Object(
          {
            ...Credentials,
            timezone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA zone' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: TokenReply, 409: Type.Ref('Error'), ...errorResponses },
      },
      config: { rateLimit: { max: loginLimits.perClientPerMinute * 3, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const user = await users.signup(request.body);
      return reply.status(201).send({ token: await signIn(reply, user.id), user: toUserJson(user) });
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange e-mail and password for a token',
        body: Type.Object(
          { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: TokenReply, 429: Type.Ref('Error'), ...errorResponses },
      },
      preHandler: limitLogins,
    },
    async (request, reply) => {
      const user = await users.login(request.body.email, request.body.password);
      return { token: await signIn(reply, user.id), user: toUserJson(user) };
    },
  );

  await app.register(async (scope: HttpServer) => {
    requireUser(scope);
    scope.get(
      '/api/me',
      { schema: { tags: ['auth'], summary: 'Your profile', response: { 200: UserJson, ...errorResponses } } },
      async (request) => toUserJson(await users.get(request.actor.userId)),
    );
    scope.patch(
      '/api/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change your time zone or e-mail notification preference',
          body: Type.Object(
            {
              timezone: Type.Optional(Type.String({ maxLength: 64 })),
              email_notifications: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
          response: { 200: UserJson, ...errorResponses },
        },
      },
      async (request) => toUserJson(await users.update(request.actor.userId, request.body)),
    );

    scope.post(
      '/api/auth/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'Sign out: the session of this token (or cookie) ends at once, everywhere',
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await sessions.revoke(sessionOf(request.actor));
        request.log.info({ userId: request.actor.userId }, 'signed out');
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );

    scope.post(
      '/api/ws-ticket',
      {
        schema: {
          tags: ['auth'],
          summary:
            'A single-use ticket for `GET /ws?ticket=…`, valid 30 s (browsers cannot set headers there)',
          response: { 201: Type.Object({ ticket: Type.String() }), ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send({ ticket: await sessions.issueTicket(sessionOf(request.actor)) }),
    );

    scope.post(
      '/api/me/password',
      {
        schema: {
          tags: ['auth'],
          summary: 'Change your password; every other session ends',
          body: Type.Object(
            {
              current_password: Type.String({ maxLength: 200 }),
              new_password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null(), 403: Type.Ref('Error'), ...errorResponses },
        },
        // Guessing the current password here is a login attempt like any other.
        preHandler: limitLogins,
      },
      async (request, reply) => {
        const session = sessionOf(request.actor);
        await users.changePassword(
          request.actor.userId,
          request.body.current_password,
          request.body.new_password,
        );
        await sessions.revokeOthers(request.actor.userId, session);
        request.log.info({ userId: request.actor.userId }, 'password changed, other sessions ended');
        return reply.status(204).send(null);
      },
    );

    scope.delete(
      '/api/me',
      {
        schema: {
          tags: ['auth'],
          summary:
            'Delete your account and everything it owns (tasks, reminders, notifications, chats, tokens, audit log)',
          body: Type.Object({ password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
          response: { 204: Type.Null(), 403: Type.Ref('Error'), ...errorResponses },
        },
        preHandler: limitLogins,
      },
      async (request, reply) => {
        sessionOf(request.actor);
        await users.assertPassword(request.actor.userId, request.body.password, 'password');
        await users.erase(request.actor.userId);
        request.log.info({ userId: request.actor.userId }, 'account deleted');
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );
  });

  /** Opens a session: its token for API clients, and the same token as the web app's cookie. */
  async function signIn(reply: FastifyReply, userId: string): Promise<string> {
    const { token, expiresAt } = await sessions.open(userId);
    setSessionCookie(reply, token, expiresAt);
    return token;
  }
}
