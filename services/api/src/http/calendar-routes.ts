import { noStore, requireUser, sessionOf } from '@todo/platform/http/authentication';
import { notFound } from '@todo/platform/http/errors';
import { publicBaseOf } from '@todo/platform/http/public-url';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';
import type { CalendarFeeds } from '../calendar/calendar-feeds.js';

export interface CalendarRoutesOptions {
  feeds: CalendarFeeds;
  /** PUBLIC_URL: where the subscription address points (else the request's origin). */
  publicUrl?: string | undefined;
}

const FEED_PATH = '/api/calendar-feed';
/** The shape of a feed token (newSecretToken): anything else is refused before a lookup. */
const FeedToken = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
const FeedStatus = Type.Object({
  active: Type.Boolean(),
  created_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/**
 * The calendar subscription: a secret address serving the user's open tasks with a due date as
 * iCalendar (RFC 5545), for calendar apps that cannot sign in; made, replaced and revoked here.
 */
export async function calendarRoutes(app: HttpServer, { feeds, publicUrl }: CalendarRoutesOptions) {
  app.get(
    `${FEED_PATH}/:token`,
    {
      schema: {
        tags: ['calendar'],
        summary:
          'Your open tasks with a due date as an iCalendar feed (the secret address is the credential)',
        security: [],
        params: Type.Object({ token: FeedToken }),
        response: {
          200: {
            description: 'RFC 5545 calendar: one VTODO per open task with a due date',
            content: { 'text/calendar': { schema: Type.String() } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const calendar = await feeds.render(request.params.token);
      if (calendar === null) throw notFound('calendar feed (revoked, or never made)');
      // Calendar apps poll; a shared cache must not keep a user's tasks.
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(calendar);
    },
  );

  await app.register(async (scope: HttpServer) => {
    requireUser(scope);
    noStore(scope);
    scope.get(
      FEED_PATH,
      {
        schema: {
          tags: ['calendar'],
          summary: 'Whether you have a calendar feed (its address is shown only when made)',
          response: { 200: FeedStatus, ...errorResponses },
        },
      },
      async (request) => {
        const status = await feeds.status(request.actor.userId);
        return { active: status !== null, created_at: status?.createdAt.toISOString() ?? null };
      },
    );
    scope.post(
      FEED_PATH,
      {
        schema: {
          tags: ['calendar'],
          summary: 'Make a secret calendar feed address (an earlier one stops working); shown once',
          response: {
            201: Type.Object({ url: Type.String(), created_at: Type.String({ format: 'date-time' }) }),
            403: Type.Ref('Error'),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        // Like a personal access token, a feed address is a lasting credential: sessions make them.
        sessionOf(request.actor);
        const { token, createdAt } = await feeds.create(request.actor.userId);
        const url = new URL(`${FEED_PATH}/${token}`, publicBaseOf(request, publicUrl)).href;
        return reply.status(201).send({ url, created_at: createdAt.toISOString() });
      },
    );
    scope.delete(
      FEED_PATH,
      {
        schema: {
          tags: ['calendar'],
          summary: 'Revoke your calendar feed: its address answers 404 from now on',
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        if (!(await feeds.revoke(request.actor.userId))) throw notFound('calendar feed');
        return reply.status(204).send(null);
      },
    );
  });
}
