import rateLimit from '@fastify/rate-limit';
import { requireUser } from '@todo/platform/http/authentication';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import type { TokenIssuer } from '@todo/platform/identity/session-tokens';
import { Type } from 'typebox';
import { toUserJson, type UserService } from '../auth/users.js';
import { UserJson } from './schemas.js';

const Credentials = {
  email: Type.String({ format: 'email', maxLength: 254 }),
  password: Type.String({ minLength: 8, maxLength: 200 }),
};
const TokenReply = Type.Object({ token: Type.String(), user: Type.Ref('User') });

export interface AuthRoutesOptions {
  tokens: TokenIssuer;
  users: UserService;
  loginRateLimitPerMinute: number;
}

/** Sign-up and login (public, login rate-limited per address and client), and the caller's profile. */
export async function authRoutes(
  app: HttpServer,
  { tokens, users, loginRateLimitPerMinute }: AuthRoutesOptions,
) {
  // preHandler, not onRequest: the login key includes the e-mail address from the parsed body.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });

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
      config: { rateLimit: { max: loginRateLimitPerMinute * 3, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const user = await users.signup(request.body);
      return reply.status(201).send({ token: await tokens.issue(user.id), user: toUserJson(user) });
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
      config: {
        rateLimit: {
          max: loginRateLimitPerMinute,
          timeWindow: '1 minute',
          // Per client and per address: one attacker cannot lock everyone out, nor try many passwords.
          keyGenerator: (request) =>
            `${request.ip}|${String((request.body as { email?: unknown })?.email).toLowerCase()}`,
        },
      },
    },
    async (request) => {
      const user = await users.login(request.body.email, request.body.password);
      return { token: await tokens.issue(user.id), user: toUserJson(user) };
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
  });
}
