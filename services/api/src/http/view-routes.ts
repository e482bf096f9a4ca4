import { localDateOf } from '@todo/domain';
import { requireUser } from '@todo/platform/http/authentication';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';
import type { SavedFilters } from '../filters/saved-filters.js';
import { openTaskCounts } from '../lists/list-repository.js';
import { toListQuery, UPCOMING_DAYS } from '../tasks/task-query.js';
import type { TaskService } from '../tasks/task-service.js';
import { TaskFilterQuery, TaskIdParams } from './schemas.js';
import { answered } from './task-routes.js';

export interface ViewRoutesOptions {
  tasks: TaskService;
  filters: SavedFilters;
}

const Count = Type.Integer({ minimum: 0 });

const SavedFilterJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  query: TaskFilterQuery,
  created_at: Type.String({ format: 'date-time' }),
});

const toFilterJson = (filter: { id: string; name: string; query: object; created_at: Date }) => ({
  ...filter,
  created_at: filter.created_at.toISOString(),
});

/** The sidebar: Today, Upcoming and Inbox with their counts, each list's, and saved filters. */
export async function viewRoutes(app: HttpServer, { tasks, filters }: ViewRoutesOptions) {
  requireUser(app);

  app.get(
    '/api/views/counts',
    {
      schema: {
        tags: ['views'],
        summary:
          'How many open tasks Today and Upcoming show, how many open top-level tasks the Inbox and each list hold, and what each saved filter matches',
        response: {
          200: Type.Object({
            today: Count,
            upcoming: Count,
            inbox: Count,
            lists: Type.Array(Type.Object({ list_id: Type.String({ format: 'uuid' }), count: Count })),
            filters: Type.Array(Type.Object({ filter_id: Type.String({ format: 'uuid' }), count: Count })),
          }),
          ...errorResponses,
        },
      },
    },
    async ({ actor }) => {
      const [today, upcoming, perList, saved] = await Promise.all([
        tasks.count(actor, toListQuery({ view: 'today' })),
        tasks.count(actor, toListQuery({ view: 'upcoming' })),
        openTaskCounts(tasks.db, actor.userId),
        filters.all(actor),
      ]);
      const filterCounts = [];
      // At most FILTER_LIMITS.filters counts, each on the tasks table's indexes.
      for (const filter of saved)
        filterCounts.push({
          filter_id: filter.id,
          count: await tasks.count(actor, toListQuery(filter.query)),
        });
      return {
        today,
        upcoming,
        inbox: perList.get(null) ?? 0,
        lists: [...perList].flatMap(([listId, count]) => (listId ? [{ list_id: listId, count }] : [])),
        filters: filterCounts,
      };
    },
  );

  app.get(
    '/api/views/upcoming',
    {
      schema: {
        tags: ['views'],
        summary: `Open tasks due in the next ${UPCOMING_DAYS} days (today included), grouped by day in your zone`,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 200 })),
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            days: Type.Array(
              Type.Object({
                date: Type.String({ format: 'date', description: 'A day of your calendar, YYYY-MM-DD' }),
                items: Type.Array(Type.Ref('Task')),
              }),
            ),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async ({ actor, query }) => {
      const page = await tasks.list(
        actor,
        toListQuery({
          view: 'upcoming',
          sort: 'due',
          limit: query.limit ?? 200,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        }),
      );
      const { today } = tasks.calendarOf(actor);
      const days = Array.from({ length: UPCOMING_DAYS }, (_, offset) => ({
        date: new Date(today.date.getTime() + offset * 86_400_000).toISOString().slice(0, 10),
        items: [] as Awaited<ReturnType<typeof answered>>,
      }));
      const json = await answered(tasks, actor, page.items);
      page.items.forEach((task, index) => {
        // An all-day task's due_at is its date already; a timed one falls on a date of the user's zone.
        const due = task.dueAt as Date;
        const date = (task.allDay ? due : localDateOf(due, actor.timeZone)).toISOString().slice(0, 10);
        days.find((day) => day.date === date)?.items.push(json[index] as (typeof json)[number]);
      });
      return { days, next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/api/filters',
    {
      schema: {
        tags: ['views'],
        summary: 'Your saved filters (open one with GET /api/tasks and its query)',
        response: { 200: Type.Object({ items: Type.Array(SavedFilterJson) }), ...errorResponses },
      },
    },
    async ({ actor }) => ({ items: (await filters.all(actor)).map(toFilterJson) }),
  );

  app.post(
    '/api/filters',
    {
      schema: {
        tags: ['views'],
        summary:
          'Save a filter: a name for query parameters of GET /api/tasks (checked as that route checks them)',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 101 }), query: TaskFilterQuery },
          { additionalProperties: false },
        ),
        response: { 201: SavedFilterJson, ...errorResponses },
      },
    },
    async ({ actor, body }, reply) =>
      reply.status(201).send(toFilterJson(await filters.create(actor, body.name, body.query))),
  );

  app.delete(
    '/api/filters/:id',
    {
      schema: {
        tags: ['views'],
        summary: 'Delete a saved filter',
        params: TaskIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async ({ actor, params }, reply) => {
      await filters.remove(actor, params.id);
      return reply.status(204).send(null);
    },
  );
}
