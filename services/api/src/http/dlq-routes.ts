import { SchemaViolation } from '@todo/contracts';
import type { DeadLetterStore } from '@todo/platform/consumers/dead-letters';
import { conflict, notFound } from '@todo/platform/http/errors';
import { internalOnly } from '@todo/platform/http/internal-only';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';

const DlqParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The operator's view of the dead-letter queue, behind `npm run dlq`: same host, app API token. */
export async function dlqRoutes(
  app: HttpServer,
  { store, appToken }: { store: DeadLetterStore; appToken: string },
) {
  internalOnly(app, { token: appToken, what: 'the DLQ admin API' });
  app.get(
    '/internal/dlq',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
      },
    },
    async (request) => ({ items: await store.list(request.query.limit) }),
  );
  app.get('/internal/dlq/:id', { schema: { hide: true, params: DlqParams } }, async (request) => {
    return (await store.get(request.params.id)) ?? Promise.reject(notFound('dead letter'));
  });
  app.post('/internal/dlq/:id/replay', { schema: { hide: true, params: DlqParams } }, async (request) => {
    try {
      if (!(await store.replay(request.params.id))) throw notFound('dead letter');
    } catch (error) {
      if (error instanceof SchemaViolation) {
        throw conflict(
          'not_replayable',
          `the original event is malformed and cannot be replayed: ${error.message}`,
        );
      }
      throw error;
    }
    return { replayed: request.params.id };
  });
}
