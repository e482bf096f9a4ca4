import swagger from '@fastify/swagger';
import { APP_IDS } from '@todo/contracts';
import { DeadLetterStore } from '@todo/platform/consumers/dead-letters';
import type { Db } from '@todo/platform/db/connect';
import type { HttpServer } from '@todo/platform/http/server';
import type { SessionStore } from '@todo/platform/identity/sessions';
import type { UserDirectory } from '@todo/platform/identity/user-directory';
import type { JobScheduler } from '@todo/platform/ports';
import type { ServiceModule } from '@todo/platform/service';
import type { LlmSettings } from './assistant/llm-agent.js';
import { registerAssistant } from './assistant/register.js';
import { UserService } from './auth/users.js';
import { CalendarFeeds } from './calendar/calendar-feeds.js';
import { SavedFilters } from './filters/saved-filters.js';
import { authRoutes, type LoginLimits } from './http/auth-routes.js';
import { calendarRoutes } from './http/calendar-routes.js';
import { dlqRoutes } from './http/dlq-routes.js';
import { listRoutes } from './http/list-routes.js';
import { reminderRoutes } from './http/reminder-routes.js';
import { ListJson, TaskJson, UserJson } from './http/schemas.js';
import { taskRoutes } from './http/task-routes.js';
import { transferRoutes } from './http/transfer-routes.js';
import { viewRoutes } from './http/view-routes.js';
import { webApp } from './http/web-app.js';
import { ListService } from './lists/list-service.js';
import { type FireOutcome, fireReminder, reminderScheduling } from './reminders/reminders.js';
import { TaskService } from './tasks/task-service.js';

export { toTaskJson } from '@todo/domain';
export type { Actor, SeriesPosition, TaskChange, WriteParticipant } from './tasks/task-service.js';
export { TaskService } from './tasks/task-service.js';

export interface ApiOptions {
  db: Db;
  /** Opens the sessions that the process's Authenticator verifies. */
  sessions: SessionStore;
  users: UserDirectory;
  loginLimits: LoginLimits;
  /** What the sidecar (or the operator's `npm run dlq`) presents on internal routes: APP_API_TOKEN. */
  appToken: string;
  /** `/mcp` requests per account per minute. */
  mcpRateLimitPerMinute: number;
  /** Chat messages per user and minute (`POST /api/chat`). */
  chatRateLimitPerMinute: number;
  /** Where reminder jobs are kept: the SQL scheduler embedded, the Dapr Jobs API distributed. */
  jobs: JobScheduler;
  onCommit?: () => void;
  /** The chat endpoint's LLM (OpenAI-compatible); without it the built-in language engine answers. */
  llm?: LlmSettings | undefined;
  /** The time the write path and the assistant see; the chat evaluation pins it to its cases' `now`. */
  clock?: () => Date;
  /** The built single-page app (web/dist) served at `/`. */
  webDist?: string;
  /** PUBLIC_URL: where handed-out addresses (calendar feeds) point; else each request's origin. */
  publicUrl?: string | undefined;
}

/** The api service: its module for a process, and the pieces other services are built on. */
export interface ApiService {
  tasks: TaskService;
  users: UserService;
  module: ServiceModule;
  /** The reminder job callback: fires a job by name (once). */
  fireReminder(name: string): Promise<FireOutcome>;
}

export function createApiService(options: ApiOptions): ApiService {
  const { sessions } = options;
  const users = new UserService(options.db, options.users);
  const onCommit = options.onCommit ?? (() => undefined);
  const tasks = new TaskService({
    db: options.db,
    participants: [reminderScheduling(options.jobs)],
    onCommit,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const lists = new ListService(tasks);
  const filters = new SavedFilters(options.db, lists);
  const fire = async (name: string) => {
    const outcome = await fireReminder(options.db, options.users, name);
    if (outcome === 'fired') onCommit();
    return outcome;
  };
  const register = async (app: HttpServer) => {
    for (const schema of [TaskJson, ListJson, UserJson]) app.addSchema(schema);
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
      sessions,
      users,
      loginLimits: options.loginLimits,
    });
    await app.register(taskRoutes, { tasks });
    await app.register(calendarRoutes, {
      feeds: new CalendarFeeds(options.db, options.clock ?? (() => new Date())),
      publicUrl: options.publicUrl,
    });
    await app.register(listRoutes, { lists });
    await app.register(viewRoutes, { tasks, filters });
    await app.register(transferRoutes, { tasks, lists, filters, users });
    await app.register(reminderRoutes, { fire, appToken: options.appToken });
    await app.register(dlqRoutes, { store: new DeadLetterStore(options.db), appToken: options.appToken });
    await registerAssistant(app, {
      db: options.db,
      tasks,
      clock: options.clock ?? (() => new Date()),
      llm: options.llm,
      mcpRateLimitPerMinute: options.mcpRateLimitPerMinute,
      chatRateLimitPerMinute: options.chatRateLimitPerMinute,
    });
    if (options.webDist) await app.register(webApp, { distDir: options.webDist });
  };
  return {
    tasks,
    users,
    module: {
      name: APP_IDS.api,
      // Task changes and their live-sync copies, and fired reminders.
      produces: ['task-events', 'task-updates', 'reminders'],
      register,
    },
    fireReminder: fire,
  };
}
