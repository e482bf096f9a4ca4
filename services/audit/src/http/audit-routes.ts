import type { Db } from '@todo/platform/db/connect';
import { requireUser } from '@todo/platform/http/authentication';
import { badRequest } from '@todo/platform/http/errors';
import { errorResponses, PageOf, pagingQuery } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { decodeTimeCursor } from '@todo/platform/http/time-cursor';
import { Type } from 'typebox';
import { listEntries } from '../audit-store.js';
import { AUDITED_ACTIONS } from '../summary.js';

export interface AuditRoutesOptions {
  db: Db;
}

const DateTime = Type.String({ format: 'date-time' });

const AuditEntryJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  event_id: Type.String(),
  action: Type.String({ description: 'The event type, e.g. task.completed' }),
  task_id: Type.String({ format: 'uuid' }),
  occurred_at: DateTime,
  correlation_id: Type.String(),
  summary: Type.String(),
  details: Type.Object({}, { additionalProperties: true, description: 'The event payload' }),
});

const AuditQuerystring = Type.Object(
  {
    action: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...AUDITED_ACTIONS] })),
    task_id: Type.Optional(Type.String({ format: 'uuid' })),
    from: Type.Optional(
      Type.String({ format: 'date-time', description: 'Occurred at or after (inclusive)' }),
    ),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Occurred before (exclusive)' })),
    ...pagingQuery,
  },
  { additionalProperties: false },
);

const POSITION = /^[0-9]{1,19}$/;

/** The user's audit trail: what happened to their tasks, notifications and reminders. */
export async function auditRoutes(app: HttpServer, { db }: AuditRoutesOptions) {
  requireUser(app);

  app.get(
    '/api/audit/logs',
    {
      schema: {
        tags: ['audit'],
        summary: 'Your audit log, newest first, filtered and a page at a time',
        querystring: AuditQuerystring,
        response: {
          200: PageOf(AuditEntryJson),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const from = q.from ? new Date(q.from) : undefined;
      const to = q.to ? new Date(q.to) : undefined;
      if (from && to && from >= to) throw badRequest('to', 'must be later than from');
      const page = await listEntries(db, request.actor.userId, {
        limit: q.limit ?? 50,
        ...(q.action ? { action: q.action } : {}),
        ...(q.task_id ? { taskId: q.task_id } : {}),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(q.cursor ? { cursor: decodeTimeCursor(q.cursor, POSITION) } : {}),
      });
      return {
        items: page.items.map(({ position: _position, occurred_at, details, ...entry }) => ({
          ...entry,
          occurred_at: occurred_at.toISOString(),
          details: details as Record<string, unknown>,
        })),
        next_cursor: page.nextCursor,
      };
    },
  );
}
