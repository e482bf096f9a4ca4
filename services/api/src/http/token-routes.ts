import { noStore, requireUser, sessionOf } from '@todo/platform/http/authentication';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';
import { type AccessTokenService, toAccessTokenJson } from '../auth/access-tokens.js';

export interface TokenRoutesOptions {
  accessTokens: AccessTokenService;
}

const AccessTokenJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expires_at: Type.String({ format: 'date-time' }),
  read_only: Type.Boolean(),
});

/** Personal access tokens: created and revoked by a logged-in user, used by MCP clients at `/mcp`. */
export async function tokenRoutes(app: HttpServer, { accessTokens }: TokenRoutesOptions) {
  requireUser(app);
  noStore(app);

  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create a personal access token (for MCP clients); the token is shown only in this answer',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            expires_in_days: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 365,
                default: 90,
                description: 'Lifetime, 90 days unless given',
              }),
            ),
            read_only: Type.Optional(
              Type.Boolean({ default: false, description: 'Reads only: every write answers 403' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ...AccessTokenJson.properties, token: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      // A token cannot mint tokens: a leaked one would otherwise outlive its own revocation.
      sessionOf(request.actor);
      const created = await accessTokens.create(request.actor.userId, request.body.name, {
        expiresInDays: request.body.expires_in_days ?? 90,
        readOnly: request.body.read_only ?? false,
      });
      return reply.status(201).send({ ...toAccessTokenJson(created), token: created.token });
    },
  );

  app.get(
    '/api/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Your live personal access tokens (without their secrets)',
        response: { 200: Type.Object({ items: Type.Array(AccessTokenJson) }), ...errorResponses },
      },
    },
    async (request) => ({ items: (await accessTokens.list(request.actor.userId)).map(toAccessTokenJson) }),
  );

  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a personal access token; clients using it get 401 from then on',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await accessTokens.revoke(request.actor.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
