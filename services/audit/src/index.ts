import { APP_IDS, type TopicEvents, type TopicName } from '@todo/contracts';
import { type ConsumerRuntime, createConsumer } from '@todo/platform/consumers/runtime';
import type { Db } from '@todo/platform/db/connect';
import type { HttpServer } from '@todo/platform/http/server';
import type { ServiceModule } from '@todo/platform/service';
import { appendEntry } from './audit-store.js';
import { auditRoutes } from './http/audit-routes.js';

export interface AuditServiceOptions {
  db: Db;
  consumerRuntime: ConsumerRuntime;
}

/** The audit service: an append-only record of every task event, list change, notification and fired reminder. */
export function createAuditService(options: AuditServiceOptions): ServiceModule {
  const { db, consumerRuntime } = options;
  const consume = <T extends Exclude<TopicName, 'dlq-events'>>(
    topic: T,
    handle: (event: TopicEvents[T]) => Promise<void>,
    accepts?: (event: TopicEvents[T]) => boolean,
  ) =>
    createConsumer(
      // An entry is inserted once per event id (unique), whatever the number of deliveries.
      { service: APP_IDS.audit, topic, handle, deduplicatesItself: true, ...(accepts ? { accepts } : {}) },
      consumerRuntime,
    );

  return {
    name: APP_IDS.audit,
    subscriptions: [
      consume('task-events', (event) => appendEntry(db, 'task-events', event)),
      consume(
        'task-updates',
        (event) =>
          appendEntry(db, 'task-updates', {
            ...event,
            event_type: event.event_type === 'list.sync' ? 'list.sync' : 'notification.created',
          }),
        // task.sync repeats what task-events already recorded; new notifications and list changes
        // are news here (a list's only event is its list.sync).
        (event) => event.event_type === 'notification.created' || event.event_type === 'list.sync',
      ),
      consume('reminders', (event) => appendEntry(db, 'reminders', event)),
    ],
    async register(app: HttpServer) {
      await app.register(auditRoutes, { db });
    },
  };
}
