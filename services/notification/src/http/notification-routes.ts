import type { Db } from '@todo/platform/db/connect';
import { requireUser } from '@todo/platform/http/authentication';
import { notFound } from '@todo/platform/http/errors';
import { errorResponses, PageOf, pagingQuery } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { decodeTimeCursor } from '@todo/platform/http/time-cursor';
import { Type } from 'typebox';
import { listNotifications, markAllRead, markRead, toNotificationJson } from '../notification-store.js';

export interface NotificationRoutesOptions {
  db: Db;
}

const DateTime = Type.String({ format: 'date-time' });

const NotificationJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  task_id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  body: Type.String(),
  created_at: DateTime,
  read_at: Type.Union([DateTime, Type.Null()]),
  late: Type.Boolean({ description: 'The reminder fired later than scheduled (the app was not running)' }),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The user's notification centre: delivered reminders, newest first; marking them read. */
export async function notificationRoutes(app: HttpServer, { db }: NotificationRoutesOptions) {
  requireUser(app);

  app.get(
    '/api/notifications',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Your delivered reminders, newest first, a page at a time',
        querystring: Type.Object(
          {
            unread: Type.Optional(Type.Boolean({ description: 'Only those not read yet' })),
            ...pagingQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: PageOf(NotificationJson),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { unread, limit, cursor } = request.query;
      const page = await listNotifications(db, request.actor.userId, {
        unreadOnly: unread === true,
        limit: limit ?? 50,
        ...(cursor ? { cursor: decodeTimeCursor(cursor, UUID) } : {}),
      });
      return { items: page.items.map(toNotificationJson), next_cursor: page.nextCursor };
    },
  );

  app.post(
    '/api/notifications/:id/read',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark one notification read',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: NotificationJson, ...errorResponses },
      },
    },
    async (request) => {
      const row = await markRead(db, request.actor.userId, request.params.id);
      if (!row) throw notFound('notification');
      return toNotificationJson(row);
    },
  );

  app.post(
    '/api/notifications/read-all',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Mark all your notifications read',
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => ({ updated: await markAllRead(db, request.actor.userId) }),
  );
}
