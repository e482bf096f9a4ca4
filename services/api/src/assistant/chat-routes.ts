import rateLimit from '@fastify/rate-limit';
import { FieldError } from '@todo/domain';
import { requireUser } from '@todo/platform/http/authentication';
import { cursorFields } from '@todo/platform/http/cursor';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { decodeTimeCursor, encodeTimeCursor } from '@todo/platform/http/time-cursor';
import { Type } from 'typebox';
import type { ChatService } from './chat-service.js';
import type { Conversation, ConversationStore } from './conversations.js';

export interface ChatRoutesOptions {
  chat: ChatService;
  conversations: ConversationStore;
  /** Messages one user may send per minute. */
  rateLimitPerMinute: number;
}

/** Long enough for any instruction a person types; short enough to bound the work of one turn. */
export const MESSAGE_MAX_LENGTH = 2000;

const Action = Type.Object({ tool: Type.String(), input: Type.Unknown(), result: Type.Unknown() });
const ConversationJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const toConversationJson = (c: Conversation) => ({
  id: c.id,
  title: c.title,
  created_at: c.createdAt.toISOString(),
  updated_at: c.updatedAt.toISOString(),
});

/** `POST /api/chat` and the owner's conversation history. */
export async function chatRoutes(
  app: HttpServer,
  { chat, conversations, rateLimitPerMinute }: ChatRoutesOptions,
) {
  requireUser(app);
  // As for login (auth-routes.ts), but keyed by the authenticated user, known once onRequest has run.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });

  app.post(
    '/api/chat',
    {
      schema: {
        tags: ['chat'],
        summary: 'Say something to the assistant; it acts on your tasks and answers',
        body: Type.Object(
          {
            conversation_id: Type.Optional(
              Type.String({ format: 'uuid', description: 'Continue this conversation; omit to start one' }),
            ),
            message: Type.String({ minLength: 1, maxLength: MESSAGE_MAX_LENGTH }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            conversation_id: Type.String({ format: 'uuid' }),
            reply: Type.String(),
            actions: Type.Array(Action, {
              description: 'The tool calls made for this message, with their results',
            }),
            intent: Type.Union([Type.String(), Type.Null()], {
              description:
                'What the built-in engine understood (add_task, list_tasks, clarify, help, …); null in LLM mode',
            }),
            awaiting: Type.Union([Type.Unknown(), Type.Null()], {
              description:
                'The question the assistant waits on: {type:"choose_task", candidates:[{id,title}]} or {type:"confirm", task_ids}',
            }),
          }),
          429: Type.Ref('Error'),
          ...errorResponses,
        },
      },
      config: {
        rateLimit: {
          max: rateLimitPerMinute,
          timeWindow: '1 minute',
          keyGenerator: (request) => `chat|${request.actor.userId}`,
        },
      },
    },
    async (request) => {
      const { message, conversation_id } = request.body;
      if (!message.trim()) throw new FieldError('message', 'must not be blank');
      return chat.send(request.actor, message, conversation_id);
    },
  );

  app.get(
    '/api/chat/conversations',
    {
      schema: {
        tags: ['chat'],
        summary: 'Your conversations, most recent first',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(ConversationJson),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit = 20, cursor } = request.query;
      const page = await conversations.list(
        request.actor.userId,
        limit,
        cursor ? decodeTimeCursor(cursor, cursorFields.uuid) : undefined,
      );
      const last = page.items.at(-1);
      return {
        items: page.items.map(toConversationJson),
        next_cursor: page.more && last ? encodeTimeCursor({ at: last.updatedAt, key: last.id }) : null,
      };
    },
  );

  app.get(
    '/api/chat/conversations/:id',
    {
      schema: {
        tags: ['chat'],
        summary: 'One conversation with its messages, oldest first',
        params: IdParams,
        response: {
          200: Type.Object({
            ...ConversationJson.properties,
            messages: Type.Array(
              Type.Object({
                id: Type.String({ format: 'uuid' }),
                role: Type.String(),
                content: Type.String(),
                actions: Type.Array(Action),
                created_at: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const conversation = await conversations.get(request.actor.userId, request.params.id);
      const messages = await conversations.messages(conversation.id);
      return {
        ...toConversationJson(conversation),
        messages: messages.map((m) => ({
          id: m.id,
          role: m.role,
          content: m.content,
          actions: m.actions,
          created_at: m.createdAt.toISOString(),
        })),
      };
    },
  );

  app.delete(
    '/api/chat/conversations/:id',
    {
      schema: {
        tags: ['chat'],
        summary: 'Delete a conversation and its messages (your tasks stay as they are)',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await conversations.remove(request.actor.userId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
