import { type Task, toTaskJson } from '@todo/domain';
import { requireUser } from '@todo/platform/http/authentication';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';
import { toListQuery } from '../tasks/task-query.js';
import type { Actor, TaskService } from '../tasks/task-service.js';
import {
  CompleteQuerystring,
  IfMatchHeaders,
  TaskCreateBody,
  TaskIdParams,
  TaskListQuerystring,
  TaskPage,
  TaskPatchBody,
} from './schemas.js';

export interface TaskRoutesOptions {
  tasks: TaskService;
}

/** A quick-add line is one task said in words: a title with its dates and labels. */
const QUICK_ADD_MAX_LENGTH = 500;

const withConflict = { ...errorResponses, 409: Type.Ref('Error') };

/** `If-Match: "3"` (or 3, or W/"3") → 3: the version the client's edit is based on. */
const expectedVersion = (headers: { 'if-match'?: string }) =>
  headers['if-match'] === undefined ? undefined : Number(headers['if-match'].replace(/\D/g, ''));

/** Tasks as the API answers them: each parent with its subtask progress. */
export async function answered(tasks: TaskService, actor: Actor, items: Task[]) {
  const progress = await tasks.progressOf(actor, items);
  return items.map((task) => {
    const json = toTaskJson(task);
    const subtasks = progress.get(task.id);
    return subtasks ? { ...json, subtasks } : json;
  });
}

export async function taskRoutes(app: HttpServer, { tasks }: TaskRoutesOptions) {
  requireUser(app);
  const one = async (actor: Actor, task: Task) => (await answered(tasks, actor, [task]))[0];

  app.post(
    '/api/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Create a task',
        body: TaskCreateBody,
        response: { 201: Type.Ref('Task'), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toTaskJson(await tasks.create(request.actor, request.body))),
  );

  // The quick-add box asks the server rather than bundling the chat's parser (chrono-node, luxon,
  // rrule: several hundred kB) into the web app: one copy of the parser, on the clock and in the zone
  // the chat uses, and what it shows is what a create of that answer makes.
  app.post(
    '/api/tasks/parse',
    {
      schema: {
        tags: ['tasks'],
        summary:
          'Read a quick-add line ("Pay rent every 1st at 9am #home p1") as the task it would create; writes nothing',
        body: Type.Object(
          { text: Type.String({ minLength: 1, maxLength: QUICK_ADD_MAX_LENGTH }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ task: TaskCreateBody }), ...errorResponses },
      },
    },
    async (request) => ({ task: tasks.preview(request.actor, request.body.text) }),
  );

  app.get(
    '/api/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'List, search, filter and sort your tasks, a page at a time',
        querystring: TaskListQuerystring,
        response: { 200: TaskPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await tasks.list(request.actor, toListQuery(request.query));
      return { items: await answered(tasks, request.actor, page.items), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/api/tags',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Your tags, most used first (for suggestions)',
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ tag: Type.String(), count: Type.Integer() })) }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ items: await tasks.tags(request.actor) }),
  );

  app.get(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'One task',
        params: TaskIdParams,
        response: { 200: Type.Ref('Task'), ...errorResponses },
      },
    },
    async (request) => one(request.actor, await tasks.get(request.actor, request.params.id)),
  );

  app.patch(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Change some fields; with If-Match, only if nobody changed the task meanwhile (409)',
        params: TaskIdParams,
        headers: IfMatchHeaders,
        body: TaskPatchBody,
        response: { 200: Type.Ref('Task'), ...withConflict },
      },
    },
    async (request) =>
      one(
        request.actor,
        (await tasks.update(request.actor, request.params.id, request.body, expectedVersion(request.headers)))
          .after,
      ),
  );

  app.delete(
    '/api/tasks/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Delete a task, and its subtasks with it',
        params: TaskIdParams,
        headers: IfMatchHeaders,
        response: { 204: Type.Null(), ...withConflict },
      },
    },
    async (request, reply) => {
      await tasks.remove(request.actor, request.params.id, expectedVersion(request.headers));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/tasks/:id/complete',
    {
      schema: {
        tags: ['tasks'],
        summary:
          'Mark done (a recurring task then gets its next occurrence); with open subtasks, say what becomes of them (409 otherwise)',
        params: TaskIdParams,
        headers: IfMatchHeaders,
        querystring: CompleteQuerystring,
        response: { 200: Type.Ref('Task'), ...withConflict },
      },
    },
    async (request) => {
      const version = expectedVersion(request.headers);
      const { actor, params, query } = request;
      return one(actor, (await tasks.complete(actor, params.id, version, query.subtasks)).after);
    },
  );

  for (const [action, summary] of [
    ['reopen', 'Undo a completion (a recurring task loses the occurrence it made)'],
    ['skip', 'Skip this occurrence of a recurring task: it moves to the next date of its rule'],
  ] as const) {
    app.post(
      `/api/tasks/:id/${action}`,
      {
        schema: {
          tags: ['tasks'],
          summary,
          params: TaskIdParams,
          headers: IfMatchHeaders,
          response: { 200: Type.Ref('Task'), ...withConflict },
        },
      },
      async (request) => {
        const version = expectedVersion(request.headers);
        const { after } = await tasks[action](request.actor, request.params.id, version);
        return one(request.actor, after);
      },
    );
  }
}
