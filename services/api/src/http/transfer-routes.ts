import { FieldError } from '@todo/domain';
import { requireUser } from '@todo/platform/http/authentication';
import { errorResponses } from '@todo/platform/http/schemas';
import type { HttpServer } from '@todo/platform/http/server';
import { Type } from 'typebox';
import type { UserService } from '../auth/users.js';
import {
  ExportDocument,
  exportDocument,
  ImportEnvelope,
  importDocument,
  type TransferDeps,
} from '../transfer/export-document.js';
import { IMPORT_LIMITS, ImportRun, summarize } from '../transfer/import-run.js';
import { importTodoist, readTodoistCsv } from '../transfer/todoist-csv.js';

export interface TransferRoutesOptions extends TransferDeps {
  users: UserService;
}

const ImportLineJson = Type.Object({
  at: Type.String({ description: '"line 7" of a CSV file, or "tasks[3]" of an export document' }),
  kind: Type.String({ description: 'settings, list, task, filter, note, section or row' }),
  status: Type.Unsafe<string>({ type: 'string', enum: ['created', 'updated', 'skipped', 'refused'] }),
  id: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
});

const ImportReportJson = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  skipped: Type.Integer(),
  refused: Type.Integer(),
  lines: Type.Array(ImportLineJson),
});

const ImportQuerystring = Type.Object(
  {
    format: Type.Optional(
      Type.Unsafe<'export' | 'todoist-csv'>({
        type: 'string',
        enum: ['export', 'todoist-csv'],
        description:
          'export (the default): a document of GET /api/export; todoist-csv: a Todoist project export',
      }),
    ),
    list: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'todoist-csv: the list its tasks go to (made if you have none of that name); the Inbox without',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Import and export: take your data out in one file, bring it back (or Todoist's) in one request. */
export async function transferRoutes(app: HttpServer, options: TransferRoutesOptions) {
  requireUser(app);
  const { tasks, users } = options;
  // A Todoist export arrives as CSV text; JSON is parsed as everywhere, under this route's limit.
  app.addContentTypeParser(
    ['text/csv', 'text/plain'],
    { parseAs: 'string', bodyLimit: IMPORT_LIMITS.bytes },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/export',
    {
      schema: {
        tags: ['import-export'],
        summary:
          'Everything you own in one versioned JSON document (tasks, subtasks, lists, settings, filters)',
        response: { 200: ExportDocument, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await users.get(request.actor.userId);
      const document = await exportDocument(options, request.actor, {
        timezone: user.timezone,
        email_notifications: user.emailNotifications,
      });
      const day = document.exported_at.slice(0, 10);
      return reply
        .header('Content-Disposition', `attachment; filename="todo-export-${day}.json"`)
        .send(document);
    },
  );

  app.post(
    '/api/import',
    {
      bodyLimit: IMPORT_LIMITS.bytes,
      schema: {
        tags: ['import-export'],
        summary: `Import an export document (application/json) or a Todoist CSV (text/csv, format=todoist-csv): at most ${IMPORT_LIMITS.items} items and ${IMPORT_LIMITS.bytes / 1024 / 1024} MiB; what was created, skipped or refused, item by item. Importing a file again creates nothing twice`,
        querystring: ImportQuerystring,
        body: {
          content: {
            'application/json': { schema: ImportEnvelope },
            'text/csv': { schema: Type.String({ description: 'A Todoist CSV export (format=todoist-csv)' }) },
          },
        },
        response: { 200: ImportReportJson, ...errorResponses },
      },
    },
    async (request) => {
      const format = request.query.format ?? 'export';
      const body: unknown = request.body;
      const actor = request.actor;
      let settings: Awaited<ReturnType<typeof importDocument>> = null;
      let run: ImportRun | undefined;
      if (format === 'todoist-csv') {
        if (typeof body !== 'string')
          throw new FieldError('body', 'must be the CSV file (Content-Type: text/csv)');
        const rows = readTodoistCsv(body);
        await tasks.write(
          actor,
          async (trx) => {
            run = new ImportRun(trx, actor, tasks);
            await importTodoist(run, options.lists, rows, request.query.list);
            await run.flush();
            return run.changes;
          },
          { appendsEvents: true },
        );
      } else {
        if (request.query.list !== undefined)
          throw new FieldError('list', 'is for format=todoist-csv: an export document names its lists');
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          throw new FieldError('body', 'must be an export document (application/json) from GET /api/export');
        await tasks.write(
          actor,
          async (trx) => {
            run = new ImportRun(trx, actor, tasks);
            settings = await importDocument(run, options, body as Record<string, unknown>);
            await run.flush();
            return run.changes;
          },
          { appendsEvents: true },
        );
      }
      const lines = (run as ImportRun).lines;
      if (settings) lines.unshift(await applySettings(users, actor.userId, settings));
      return summarize(lines);
    },
  );
}

/** The document's time zone and notification preference, as `PATCH /api/me` would set them. */
async function applySettings(
  users: UserService,
  userId: string,
  settings: { timezone: string; email_notifications: boolean },
) {
  const current = await users.get(userId);
  if (current.timezone === settings.timezone && current.emailNotifications === settings.email_notifications)
    return { at: 'settings', kind: 'settings' as const, status: 'skipped' as const, reason: 'already so' };
  try {
    await users.update(userId, settings);
    return { at: 'settings', kind: 'settings' as const, status: 'updated' as const };
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    return {
      at: 'settings',
      kind: 'settings' as const,
      status: 'refused' as const,
      field: `settings.${error.field}`,
      reason: error.reason,
    };
  }
}
