import type { Db } from '@todo/platform/db/connect';
import type { HttpServer } from '@todo/platform/http/server';
import { AccessTokenService } from '../auth/access-tokens.js';
import { tokenRoutes } from '../http/token-routes.js';
import { mcpRoutes } from '../mcp/mcp-routes.js';
import type { TaskService } from '../tasks/task-service.js';
import { BuiltinEngine } from './builtin-engine.js';
import { chatRoutes } from './chat-routes.js';
import { ChatService } from './chat-service.js';
import { ConversationStore } from './conversations.js';
import { LlmAgent, type LlmSettings } from './llm-agent.js';

export interface AssistantOptions {
  db: Db;
  tasks: TaskService;
  /** The LLM of the chat endpoint; without it the built-in engine answers (offline, no key). */
  llm?: LlmSettings | undefined;
  clock: () => Date;
  /** `/mcp` requests per account per minute. */
  mcpRateLimitPerMinute: number;
  chatRateLimitPerMinute: number;
}

/** The assistant's HTTP surface: `POST /api/chat` and its history, personal access tokens, `/mcp`. */
export async function registerAssistant(app: HttpServer, options: AssistantOptions): Promise<void> {
  const { db, tasks, clock } = options;
  const accessTokens = new AccessTokenService(db);
  const conversations = new ConversationStore(db);
  const engine = options.llm ? new LlmAgent(tasks, options.llm, clock) : new BuiltinEngine(tasks, clock);
  const chat = new ChatService(conversations, engine);
  await app.register(chatRoutes, { chat, conversations, rateLimitPerMinute: options.chatRateLimitPerMinute });
  await app.register(tokenRoutes, { accessTokens });
  await app.register(mcpRoutes, { tasks, rateLimitPerMinute: options.mcpRateLimitPerMinute });
}
