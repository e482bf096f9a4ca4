import type { ApiService } from '@todo/api';
import type { TaskSnapshot } from '@todo/contracts';
import { APP_IDS, TASK_WRITER_ROUTES } from '@todo/contracts/dapr';
import type { NextOccurrenceTask } from '@todo/domain';
import type { DaprClient } from '@todo/platform/dapr/client';
import { internalOnly } from '@todo/platform/http/internal-only';
import type { HttpServer } from '@todo/platform/http/server';
import type { TaskWriter } from '@todo/recurring-task';
import { inProcessTaskWriter } from './task-writer.js';

/**
 * The task write path as an internal api route, for the recurring-task service in distributed
 * mode. It goes through the api (Dapr service invocation) rather than a TaskService on the shared
 * database, so that the reminders of a new occurrence are Dapr jobs of the api's app id — the
 * scheduler calls back the app that scheduled a job, and only the api serves `POST /job/{name}`.
 */
const BASE = '/internal/task-writer';

type Owner = { userId: string; correlationId: string };

/**
 * Api side: the routes, reachable only through the api's own sidecar (loopback, app API token);
 * the sidecar's access control admits only recurring-task's app id to them.
 */
export function taskWriterRoutes(api: ApiService, appToken: string) {
  const writer = inProcessTaskWriter(api);
  // Named: a plugin's name is its handlers' span name ("handler - taskWriterRoutes"), an
  // anonymous one's is its source text.
  return async function taskWriterRoutes(app: HttpServer) {
    internalOnly(app, { token: appToken, what: 'the internal task writer' });
    app.post<{ Body: { owner: Owner; next: NextOccurrenceTask } }>(
      TASK_WRITER_ROUTES.createOccurrence,
      { schema: { hide: true } },
      async (request) => {
        await writer.createOccurrence(request.body.owner, request.body.next);
        return { ok: true };
      },
    );
    app.post<{ Body: { owner: Owner; seriesId: string; occurrence: number } }>(
      TASK_WRITER_ROUTES.removeFollowingOccurrence,
      { schema: { hide: true } },
      async (request) => {
        const { owner, seriesId, occurrence } = request.body;
        await writer.removeFollowingOccurrence(owner, seriesId, occurrence);
        return { ok: true };
      },
    );
    app.get<{ Params: { userId: string } }>(
      TASK_WRITER_ROUTES.timeZone,
      { schema: { hide: true } },
      async (request) => ({ timeZone: await writer.timeZoneOf(request.params.userId) }),
    );
    app.get<{ Params: { userId: string; taskId: string } }>(
      TASK_WRITER_ROUTES.task,
      { schema: { hide: true } },
      async (request) => ({ task: await writer.findTask(request.params.userId, request.params.taskId) }),
    );
  };
}

/** Recurring-task side: the same writer, called through the sidecar's service invocation. */
export function daprTaskWriter(dapr: DaprClient): TaskWriter {
  const invoke = (method: string, init: RequestInit & { json?: unknown } = {}) =>
    dapr.ok(`/v1.0/invoke/${APP_IDS.api}/method${BASE}/${method}`, init);
  return {
    async createOccurrence(owner, next) {
      await invoke('create-occurrence', { method: 'POST', json: { owner, next } });
    },
    async removeFollowingOccurrence(owner, seriesId, occurrence) {
      await invoke('remove-following-occurrence', { method: 'POST', json: { owner, seriesId, occurrence } });
    },
    async timeZoneOf(userId) {
      const response = await invoke(`time-zone/${encodeURIComponent(userId)}`);
      return ((await response.json()) as { timeZone: string }).timeZone;
    },
    async findTask(userId, taskId) {
      const response = await invoke(`task/${encodeURIComponent(userId)}/${encodeURIComponent(taskId)}`);
      return ((await response.json()) as { task: TaskSnapshot | null }).task;
    },
  };
}
