import type { Db } from '@todo/platform/db/connect';
import type { HttpServer } from '@todo/platform/http/server';
import { AccessTokenService } from '../auth/access-tokens.js';
import type { TokenIssuer } from '../auth/tokens.js';
import type { UserService } from '../auth/users.js';
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
  tokens: TokenIssuer;
  users: UserService;
  /** The LLM of the chat endpoint; without it the built-in engine answers (offline, no key). */
  llm?: LlmSettings | undefined;
  clock: () => Date;
  chatRateLimitPerMinute: number;
}

/** The assistant's HTTP surface: `POST /api/chat` and its history, personal access tokens, `/mcp`. */
export async function registerAssistant(app: HttpServer, options: AssistantOptions): Promise<void> {
  const { db, tasks, tokens, users, clock } = options;
  const accessTokens = new AccessTokenService(db);
  const conversations = new ConversationStore(db);
  const chat = new ChatService(
    conversations,
    new BuiltinEngine(tasks, clock),
    options.llm ? new LlmAgent(tasks, options.llm, clock) : null,
  );
  await app.register(chatRoutes, {
    chat,
    conversations,
    tokens,
    users,
    rateLimitPerMinute: options.chatRateLimitPerMinute,
  });
  await app.register(tokenRoutes, { accessTokens, tokens, users });
  await app.register(mcpRoutes, { tasks, tokens, accessTokens, users });
}
