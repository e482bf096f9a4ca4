import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001_users_and_tasks.js';
import * as m0002 from './0002_outbox.js';
import * as m0003 from './0003_event_processing.js';
import * as m0004 from './0004_notifications.js';
import * as m0005 from './0005_audit_log.js';
import * as m0006 from './0006_sync_log.js';
import * as m0007 from './0007_conversations.js';
import * as m0008 from './0008_sessions.js';
import * as m0009 from './0009_task_sort_indexes.js';
import * as m0010 from './0010_email_verification.js';
import * as m0011 from './0011_calendar_feeds.js';
import * as m0012 from './0012_lists_subtasks_filters.js';
import * as m0013 from './0013_imports.js';

/** Versioned migrations in apply order; names are their versions (never rename a released one). */
const migrations: Record<string, Migration> = {
  '0001_users_and_tasks': m0001,
  '0002_outbox': m0002,
  '0003_event_processing': m0003,
  '0004_notifications': m0004,
  '0005_audit_log': m0005,
  '0006_sync_log': m0006,
  '0007_conversations': m0007,
  '0008_sessions': m0008,
  '0009_task_sort_indexes': m0009,
  '0010_email_verification': m0010,
  '0011_calendar_feeds': m0011,
  '0012_lists_subtasks_filters': m0012,
  '0013_imports': m0013,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
