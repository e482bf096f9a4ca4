import { localOnly } from '@todo/platform/http/local-only';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';
import type { FireOutcome } from '../reminders/reminders.js';

const Outcome = Type.Object({ outcome: Type.String() });

/**
 * Dapr's job callback, `POST /job/:name` (the embedded timer calls the same fire function in
 * process). Only the Dapr sidecar (same host, loopback) may call it; firing the same job twice
 * notifies once.
 */
export async function reminderRoutes(
  app: HttpServer,
  { fire }: { fire: (name: string) => Promise<FireOutcome> },
) {
  localOnly(app, 'the job callback');
  const JobName = Type.String({ pattern: '^[a-zA-Z0-9-]{1,200}$' });
  app.post(
    '/job/:name',
    { schema: { hide: true, params: Type.Object({ name: JobName }), response: { 200: Outcome } } },
    async (request) => ({ outcome: await fire(request.params.name) }),
  );
}
