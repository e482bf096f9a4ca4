import type { TopicName } from '@todo/contracts';
import type { Db } from '@todo/platform/db/connect';
import { pageOf } from '@todo/platform/http/cursor';
import { encodeTimeCursor, type TimeCursor } from '@todo/platform/http/time-cursor';
import { sql } from 'kysely';
import { type AuditedEvent, summarize } from './summary.js';

/**
 * Appends the event's entry; an event already recorded (redelivered) changes nothing. There is no
 * update or delete here, and the table's trigger refuses them from anywhere else.
 */
export async function appendEntry(db: Db, topic: TopicName, event: AuditedEvent): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: crypto.randomUUID(),
      event_id: event.event_id,
      user_id: event.user_id,
      task_id: event.task_id,
      action: event.event_type,
      occurred_at: event.occurred_at,
      correlation_id: event.correlation_id,
      topic,
      summary: summarize(event),
      // The task snapshot and changed fields, the notification, or the reminder: the payload says it.
      details: JSON.stringify(event.payload),
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}

export interface AuditQuery {
  action?: string;
  taskId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  limit: number;
  cursor?: TimeCursor;
}

/** The user's entries, newest first (by occurrence, then recording order), a page at a time. */
export async function listEntries(db: Db, userId: string, query: AuditQuery) {
  let select = db
    .selectFrom('audit_log')
    .select([
      'id',
      'event_id',
      'action',
      'task_id',
      'occurred_at',
      'correlation_id',
      'summary',
      'details',
      sql<string>`audit_log.seq::text`.as('position'),
    ])
    .where('user_id', '=', userId);
  if (query.action) select = select.where('action', '=', query.action);
  if (query.taskId) select = select.where('task_id', '=', query.taskId);
  if (query.from) select = select.where('occurred_at', '>=', query.from);
  if (query.to) select = select.where('occurred_at', '<', query.to);
  if (query.cursor) {
    const { at, key } = query.cursor;
    select = select.where(sql<boolean>`(occurred_at, seq) < (${at}::timestamptz, ${key}::bigint)`);
  }
  const rows = await select
    .orderBy('occurred_at', 'desc')
    .orderBy('audit_log.seq', 'desc')
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, (last) => encodeTimeCursor({ at: last.occurred_at, key: last.position }));
}
