import swagger from '@fastify/swagger';
import { APP_IDS } from '@todo/contracts';
import type { Db } from '@todo/platform/db/connect';
import type { HttpServer } from '@todo/platform/http/server';
import type { ServiceModule } from '@todo/platform/service';
import { TokenIssuer } from './auth/tokens.js';
import { UserService } from './auth/users.js';
import { authRoutes } from './http/auth-routes.js';
import { ErrorBody, TaskJson, UserJson } from './http/schemas.js';
import { taskRoutes } from './http/task-routes.js';
import { TaskService, type WriteParticipant } from './tasks/task-service.js';

export { requireUser } from './http/authenticate.js';
export { toTaskJson } from './tasks/task-json.js';
export type { Actor, SeriesPosition, TaskChange, WriteParticipant } from './tasks/task-service.js';
export { TaskService } from './tasks/task-service.js';

export interface ApiOptions {
  db: Db;
  jwtSecret: string;
  jwtTtl: string;
  loginRateLimitPerMinute: number;
  writeParticipants?: WriteParticipant[];
  onCommit?: () => void;
}

/** The api service: its module for a process, and the pieces other services are built on. */
export interface ApiService {
  tasks: TaskService;
  users: UserService;
  tokens: TokenIssuer;
  module: ServiceModule;
}

export function createApiService(options: ApiOptions): ApiService {
  const tokens = new TokenIssuer(options.jwtSecret, options.jwtTtl);
  const users = new UserService(options.db);
  const tasks = new TaskService({
    db: options.db,
    ...(options.writeParticipants ? { participants: options.writeParticipants } : {}),
    ...(options.onCommit ? { onCommit: options.onCommit } : {}),
  });
  const register = async (app: HttpServer) => {
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
  };
  return { tasks, users, tokens, module: { name: APP_IDS.api, register } };
}
