import { requireUser } from '@todo/platform/http/authentication';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';
import { type ListService, toListJson } from '../lists/list-service.js';
import { ListCreateBody, ListDeleteQuerystring, ListPatchBody, TaskIdParams } from './schemas.js';

export interface ListRoutesOptions {
  lists: ListService;
}

const withConflict = { ...errorResponses, 409: Type.Ref('Error') };

/** Lists (projects): `GET /api/tasks?list=ID` (or `list=inbox`) shows what is in one. */
export async function listRoutes(app: HttpServer, { lists }: ListRoutesOptions) {
  requireUser(app);

  app.get(
    '/api/lists',
    {
      schema: {
        tags: ['lists'],
        summary: 'Your lists, in sidebar order',
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('List')) }), ...errorResponses },
      },
    },
    async (request) => ({ items: (await lists.all(request.actor)).map(toListJson) }),
  );

  app.post(
    '/api/lists',
    {
      schema: {
        tags: ['lists'],
        summary: 'Create a list (names are unique per user, whatever their case: 409 otherwise)',
        body: ListCreateBody,
        response: { 201: Type.Ref('List'), ...withConflict },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toListJson(await lists.create(request.actor, request.body))),
  );

  app.get(
    '/api/lists/:id',
    {
      schema: {
        tags: ['lists'],
        summary: 'One list',
        params: TaskIdParams,
        response: { 200: Type.Ref('List'), ...errorResponses },
      },
    },
    async (request) => toListJson(await lists.get(request.actor, request.params.id)),
  );

  app.patch(
    '/api/lists/:id',
    {
      schema: {
        tags: ['lists'],
        summary: 'Rename, recolour or reorder a list',
        params: TaskIdParams,
        body: ListPatchBody,
        response: { 200: Type.Ref('List'), ...withConflict },
      },
    },
    async (request) => toListJson(await lists.update(request.actor, request.params.id, request.body)),
  );

  app.delete(
    '/api/lists/:id',
    {
      schema: {
        tags: ['lists'],
        summary:
          'Delete a list; one with tasks needs tasks=move (they go to the Inbox) or tasks=delete (409 otherwise)',
        params: TaskIdParams,
        querystring: ListDeleteQuerystring,
        response: { 204: Type.Null(), ...withConflict },
      },
    },
    async (request, reply) => {
      await lists.remove(request.actor, request.params.id, request.query.tasks);
      return reply.status(204).send(null);
    },
  );
}
