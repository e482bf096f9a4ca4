import swagger from '@fastify/swagger';
import type { Db } from '@todo/platform/db/connect';
import type { HttpServer } from '@todo/platform/http/server';
import { TokenIssuer } from './auth/tokens.js';
import { UserService } from './auth/users.js';
import { authRoutes } from './http/auth-routes.js';
import { ErrorBody, TaskJson, UserJson } from './http/schemas.js';
import { taskRoutes } from './http/task-routes.js';
import { TaskService, type WriteParticipant } from './tasks/task-service.js';

export { toTaskJson } from './tasks/task-json.js';
export type { Actor, TaskChange, WriteParticipant } from './tasks/task-service.js';
export { TaskService } from './tasks/task-service.js';

export interface ApiOptions {
  db: Db;
  jwtSecret: string;
  jwtTtl: string;
  loginRateLimitPerMinute: number;
  writeParticipants?: WriteParticipant[];
}

export interface ApiService {
  tasks: TaskService;
  users: UserService;
  tokens: TokenIssuer;
  /** Registers the HTTP surface of the api service on a server. */
  register(app: HttpServer): Promise<void>;
}

export function createApiService(options: ApiOptions): ApiService {
  const tokens = new TokenIssuer(options.jwtSecret, options.jwtTtl);
  const users = new UserService(options.db);
  const tasks = new TaskService(options.db, options.writeParticipants);
  return {
    tasks,
    users,
    tokens,
    async register(app) {
      for (const schema of [ErrorBody, TaskJson, UserJson]) app.addSchema(schema);
      await app.register(swagger, {
        openapi: {
          info: { title: 'Todo Chatbot API', version: '1.0.0' },
          components: {
            securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
          },
          security: [{ bearer: [] }],
        },
        refResolver: {
          buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
        },
      });
      app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await app.register(authRoutes, {
        tokens,
        users,
        loginRateLimitPerMinute: options.loginRateLimitPerMinute,
      });
      await app.register(taskRoutes, { tasks, tokens, users });
    },
  };
}
