import { HttpError } from '@todo/platform/http/errors';
import { internalOnly } from '@todo/platform/http/internal-only';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';
import type { FireOutcome } from '../reminders/reminders.js';

const Outcome = Type.Object({ outcome: Type.String() });

/**
 * Dapr's job callback, `POST /job/:name` (the embedded timer calls the same fire function in
 * process). Only the Dapr sidecar on the same host, with the app API token, may call it; firing
 * the same job twice notifies once, and a job called before its time is refused with 409 (Dapr
 * retries it; it fires when it is due).
 */
export async function reminderRoutes(
  app: HttpServer,
  { fire, appToken }: { fire: (name: string) => Promise<FireOutcome>; appToken: string },
) {
  internalOnly(app, { token: appToken, what: 'the job callback' });
  const fired = async (name: string) => {
    const outcome = await fire(name);
    if (outcome === 'not_due') throw new HttpError(409, 'not_due', `job ${name} is not due yet`);
    return { outcome };
  };
  const JobName = Type.String({ pattern: '^[a-zA-Z0-9-]{1,200}$' });
  app.post(
    '/job/:name',
    { schema: { hide: true, params: Type.Object({ name: JobName }), response: { 200: Outcome } } },
    async (request) => fired(request.params.name),
  );
}
