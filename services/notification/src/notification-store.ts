import { newEnvelope, type ReminderEvent } from '@todo/contracts';
import type { Db } from '@todo/platform/db/connect';
import type { NotificationsTable } from '@todo/platform/db/schema';
import { pageOf } from '@todo/platform/http/cursor';
import { encodeTimeCursor, type TimeCursor } from '@todo/platform/http/time-cursor';
import { appendToOutbox } from '@todo/platform/outbox/append';
import { type Selectable, sql } from 'kysely';
import type { InAppText } from './reminder-message.js';

export type NotificationRow = Selectable<NotificationsTable>;

/** The wire form of a notification (GET /api/notifications). */
export const toNotificationJson = (row: NotificationRow) => ({
  id: row.id,
  task_id: row.task_id,
  title: row.title,
  body: row.body,
  created_at: row.created_at.toISOString(),
  read_at: row.read_at ? row.read_at.toISOString() : null,
  late: row.late,
});

/**
 * Records the in-app notification of a fired reminder and, in the same transaction, tells the
 * user's open clients (task-updates `notification.created`). A reminder already recorded — same
 * job, same fire time — is returned as it is, with `created: false`, and announced no second time.
 */
export async function recordNotification(
  db: Db,
  reminder: ReminderEvent,
  text: InAppText,
): Promise<{ row: NotificationRow; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('notifications')
      .values({
        id: crypto.randomUUID(),
        user_id: reminder.user_id,
        task_id: reminder.task_id,
        job_id: reminder.payload.job_id,
        fire_at: new Date(reminder.payload.fire_at),
        title: text.title,
        body: text.body,
        created_at: new Date(),
        late: reminder.payload.late,
      })
      .onConflict((oc) => oc.constraint('notifications_reminder_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const existing = await trx
        .selectFrom('notifications')
        .selectAll()
        .where('job_id', '=', reminder.payload.job_id)
        .where('fire_at', '=', new Date(reminder.payload.fire_at))
        .executeTakeFirstOrThrow();
      return { row: existing, created: false };
    }
    const { read_at: _readAt, ...notification } = toNotificationJson(inserted);
    await appendToOutbox(trx, [
      {
        topic: 'task-updates',
        event: {
          ...newEnvelope({
            eventType: 'notification.created',
            userId: reminder.user_id,
            taskId: reminder.task_id,
            correlationId: reminder.correlation_id,
          }),
          payload: { notification },
        },
      },
    ]);
    return { row: inserted, created: true };
  });
}

/** Records that the SMTP server accepted the reminder's e-mail, so no redelivery sends it again. */
export async function markEmailed(db: Db, id: string): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ emailed_at: new Date() })
    .where('id', '=', id)
    .where('emailed_at', 'is', null)
    .execute();
}

export interface NotificationListQuery {
  unreadOnly: boolean;
  limit: number;
  cursor?: TimeCursor;
}

/** The user's notifications, newest first, a page at a time (keyset on created_at, id). */
export async function listNotifications(
  db: Db,
  userId: string,
  query: NotificationListQuery,
): Promise<{ items: NotificationRow[]; nextCursor: string | null }> {
  let select = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (query.unreadOnly) select = select.where('read_at', 'is', null);
  if (query.cursor) {
    const { at, key } = query.cursor;
    select = select.where(sql<boolean>`(created_at, id) < (${at}::timestamptz, ${key}::uuid)`);
  }
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, (last) => encodeTimeCursor({ at: last.created_at, key: last.id }));
}

/** Marks one of the user's notifications read (keeping the first read time); undefined if not theirs. */
export function markRead(db: Db, userId: string, id: string): Promise<NotificationRow | undefined> {
  return db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

/** Marks every unread notification of the user read; returns how many changed. */
export async function markAllRead(db: Db, userId: string): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
