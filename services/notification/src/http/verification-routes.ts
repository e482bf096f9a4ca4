import { noStore, requireUser } from '@todo/platform/http/authentication';
import { HttpError } from '@todo/platform/http/errors';
import { publicBaseOf } from '@todo/platform/http/public-url';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';
import type { EmailVerification } from '../email-verification.js';

export interface VerificationRoutesOptions {
  verification: EmailVerification;
  /** The app's public address (PUBLIC_URL); without it links point at the origin the request came to. */
  publicUrl?: string | undefined;
}

/** The shape of a link's token (newSecretToken): anything else is refused before a lookup. */
const VerificationToken = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'From the e-mail' });

/** Asking for a verification e-mail (signed in) and using its link (public: it is opened from a mail). */
export async function verificationRoutes(
  app: HttpServer,
  { verification, publicUrl }: VerificationRoutesOptions,
) {
  noStore(app);

  app.get(
    '/api/verify-email',
    {
      schema: {
        tags: ['auth'],
        summary: 'Use the link of a verification e-mail (once, within 24 hours)',
        security: [],
        querystring: Type.Object({ token: VerificationToken }, { additionalProperties: false }),
        response: {
          200: Type.Object({ email: Type.String(), email_verified: Type.Literal(true) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const user = await verification.verify(request.query.token);
      return { email: user.email, email_verified: true as const };
    },
  );

  await app.register(async (scope: HttpServer) => {
    requireUser(scope);
    scope.post(
      '/api/me/verify-email',
      {
        schema: {
          tags: ['auth'],
          summary: 'Send a verification link to your address; reminder e-mails go only to a verified address',
          response: {
            202: Type.Object({ sent_to: Type.String(), expires_at: Type.String({ format: 'date-time' }) }),
            409: Type.Ref('Error'),
            429: Type.Ref('Error'),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        try {
          const sent = await verification.send(request.actor.userId, publicBaseOf(request, publicUrl));
          return reply.status(202).send({ sent_to: sent.sentTo, expires_at: sent.expiresAt.toISOString() });
        } catch (error) {
          if (error instanceof HttpError && error.statusCode === 429) {
            reply.header('retry-after', String(error.details?.retry_after));
          }
          throw error;
        }
      },
    );
  });
}
