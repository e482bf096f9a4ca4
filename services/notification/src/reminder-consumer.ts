import type { ReminderEvent } from '@todo/contracts';
import type { Db } from '@todo/platform/db/connect';
import type { UserDirectory } from '@todo/platform/identity/user-directory';
import type { Logger } from '@todo/platform/telemetry/logger';
import { reminderLateness } from '@todo/platform/telemetry/metrics';
import { inSpan } from '@todo/platform/telemetry/tracing';
import type { Mailer } from './mailer.js';
import { markEmailed, recordNotification } from './notification-store.js';
import { emailText, inAppText, type ReminderFacts } from './reminder-message.js';

export interface ReminderDeliveryOptions {
  db: Db;
  users: UserDirectory;
  /** One line per reminder delivered: the runbook's "why was this reminder late" starts there. */
  logger: Logger;
  /** Absent when no SMTP server is configured: reminders are then in-app only. */
  mailer?: Mailer;
  /** The web app's address, linked from e-mails when known. */
  appUrl?: string;
  /** Called after a commit that wrote events, so the outbox relay sends them at once. */
  onCommit?: () => void;
}

/**
 * Delivers one fired reminder: the in-app notification (with its live update), then the e-mail if
 * the user wants e-mail and has verified the address (read from the database each time). Each step is idempotent on the reminder itself, so a redelivery after a
 * crash anywhere in between finishes the job without repeating what was done: the row and its
 * update exist once, and the e-mail is sent until the server accepted it, then never again.
 */
export function reminderDelivery(options: ReminderDeliveryOptions) {
  const { db, users, logger, mailer, appUrl, onCommit } = options;
  return async (reminder: ReminderEvent): Promise<void> => {
    const user = await users.find(reminder.user_id);
    // The account was deleted after the reminder was scheduled: nobody left to tell.
    if (!user) return;
    // What is read again rather than taken from the event: the address, the zone and the title
    // come from the database, and the task must be the user's — an event names them, it does not
    // get to say what they are.
    const task = await db
      .selectFrom('tasks')
      .select('title')
      .where('id', '=', reminder.task_id)
      .where('user_id', '=', reminder.user_id)
      .executeTakeFirst();
    // Deleted since the reminder fired (or never this user's): nothing to remind of.
    if (!task) return;

    const facts: ReminderFacts = {
      taskTitle: task.title,
      dueAt: new Date(reminder.payload.due_at),
      allDay: reminder.payload.all_day,
      late: reminder.payload.late,
      timeZone: user.timezone,
    };
    const { row, created } = await recordNotification(db, reminder, inAppText(facts));
    if (created) {
      onCommit?.();
      // Once per reminder: a redelivery would measure the redelivery, not the reminder.
      const lateSeconds = Math.max(0, Date.now() - Date.parse(reminder.payload.fire_at)) / 1000;
      reminderLateness.observe({ stage: 'delivered' }, lateSeconds);
      logger.info(
        {
          eventId: reminder.event_id,
          userId: reminder.user_id,
          taskId: reminder.task_id,
          jobId: reminder.payload.job_id,
          fireAt: reminder.payload.fire_at,
          lateSeconds,
          firedLate: reminder.payload.late,
        },
        'reminder delivered',
      );
    }

    // Only to an address its owner proved to read: anyone can sign up with anyone's address.
    if (!mailer || !user.emailNotifications || !user.emailVerified || row.emailed_at) return;
    // The span names the reminder, never the address or the text.
    await inSpan('email send', { attributes: { 'reminder.job_id': reminder.payload.job_id } }, () =>
      mailer.send({ to: user.email, ...emailText(facts, appUrl) }),
    );
    await markEmailed(db, row.id);
  };
}
