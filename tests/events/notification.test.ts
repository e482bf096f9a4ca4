import { newEnvelope, type ReminderEvent } from '@todo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { VERIFICATION_SUBJECT, verifyAddress } from '../support/email-verification.js';
import { eventually } from '../support/eventually.js';
import { publishViaOutbox } from '../support/outbox.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp.js';

// 14:00 UTC on Tuesday, December 1st 2026 is 9:00 AM in New York.
const DUE_AT = '2026-12-01T14:00:00.000Z';
const DUE_IN_NEW_YORK = 'Tue, Dec 1, 2026, 9:00 AM';

interface Person {
  client: ApiClient;
  id: string;
  email: string;
}

/** A user who wants e-mail (or not) at a verified address: reminder e-mails go to no other. */
async function person(app: TestApp, smtp: SmtpSink, options: { email: boolean }): Promise<Person> {
  const client = await new ApiClient(app.url).signup('America/New_York');
  const { body } = await client.patch('/api/me', { email_notifications: options.email });
  await verifyAddress(client, body.email, () => smtp.texts());
  return { client, id: body.id, email: body.email };
}

/** A `reminder.due` event as the reminder scheduler publishes it. */
function reminderDue(
  owner: Person,
  task: { id: string; title: string },
  fireAt = '2026-12-01T13:30:00.000Z',
): ReminderEvent {
  return {
    ...newEnvelope({
      eventType: 'reminder.due',
      userId: owner.id,
      taskId: task.id,
      correlationId: crypto.randomUUID(),
    }),
    payload: {
      job_id: `reminder:${task.id}:PT30M`,
      task_title: task.title,
      due_at: DUE_AT,
      all_day: false,
      offset: 'PT30M',
      fire_at: fireAt,
      late: false,
    },
  };
}

async function createTask(owner: Person, title: string) {
  const { status, body } = await owner.client.post('/api/tasks', { title, due_at: DUE_AT });
  expect(status).toBe(201);
  return body as { id: string; title: string };
}

describe('notification service', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startTestApp(
      { SMTP_URL: smtp.url, MAIL_FROM: 'Todo <reminders@todo.test>' },
      // A refused e-mail is retried: a short backoff keeps that test quick.
      { retry: { attempts: 5, baseDelayMs: 20 } },
    );
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  /** The reminder e-mails to an address (its verification e-mail aside). */
  const mailsTo = async (address: string) =>
    (await smtp.messages()).filter(
      (mail) => mail.to.includes(address) && mail.parsed.subject !== VERIFICATION_SUBJECT,
    );

  it('turns a fired reminder into one notification, one live update and one e-mail in the user’s zone', async () => {
    const ann = await person(app, smtp, { email: true });
    const task = await createTask(ann, 'Pay rent <& utilities>');
    const reminder = reminderDue(ann, task);
    await publishViaOutbox(app.db, 'reminders', reminder);

    const { body: page } = await ann.client.get('/api/notifications');
    expect(page.items).toHaveLength(1);
    const [notification] = page.items;
    expect(notification).toMatchObject({
      task_id: task.id,
      title: 'Pay rent <& utilities>',
      body: `Due ${DUE_IN_NEW_YORK}`,
      read_at: null,
      late: false,
    });
    expect(page.next_cursor).toBeNull();

    // Open clients learn of it from task-updates, written with the row.
    const updates = await app.db
      .selectFrom('outbox')
      .select('event')
      .where('topic', '=', 'task-updates')
      .where('partition_key', '=', task.id)
      .execute();
    const announced = updates
      .map((row) => (typeof row.event === 'string' ? JSON.parse(row.event) : row.event))
      .filter((event) => event.event_type === 'notification.created');
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({
      user_id: ann.id,
      correlation_id: reminder.correlation_id,
      payload: { notification: { id: notification.id, title: notification.title, body: notification.body } },
    });

    const mails = await mailsTo(ann.email);
    expect(mails).toHaveLength(1);
    const { parsed } = mails[0] as (typeof mails)[number];
    expect(parsed.subject).toBe(`Reminder: Pay rent <& utilities> — due ${DUE_IN_NEW_YORK}`);
    expect(parsed.from?.text).toContain('reminders@todo.test');
    expect(parsed.text).toContain('Pay rent <& utilities>');
    expect(parsed.text).toContain(`${DUE_IN_NEW_YORK} (America/New_York)`);
    expect(parsed.html).toContain('Pay rent &lt;&amp; utilities&gt;');
    expect(parsed.html).not.toContain('<& utilities>');
    expect(parsed.html).toContain(`${DUE_IN_NEW_YORK} (America/New_York)`);
  });

  it('takes the title, address and zone from the database, not from the event', async () => {
    const ann = await person(app, smtp, { email: true });
    const bob = await person(app, smtp, { email: true });
    const task = await createTask(ann, 'Renew passport');
    // An event with a title of its own, and one naming Ann's task as Bob's.
    await publishViaOutbox(
      app.db,
      'reminders',
      reminderDue(ann, { id: task.id, title: 'Send your password to x' }),
    );
    await publishViaOutbox(app.db, 'reminders', reminderDue(bob, task));

    const { body } = await ann.client.get('/api/notifications');
    expect(body.items.map((item: { title: string }) => item.title)).toEqual(['Renew passport']);
    const [mail] = await mailsTo(ann.email);
    expect(mail?.parsed.subject).toContain('Renew passport');
    expect((await bob.client.get('/api/notifications')).body.items).toEqual([]);
    expect(await mailsTo(bob.email)).toHaveLength(0);
  });

  it('makes one notification and one e-mail of a reminder delivered again, under its id or a new one', async () => {
    const ann = await person(app, smtp, { email: true });
    const task = await createTask(ann, 'Water the plants');
    const reminder = reminderDue(ann, task);
    await publishViaOutbox(app.db, 'reminders', reminder);
    await publishViaOutbox(app.db, 'reminders', reminder);
    // The scheduler fires the same job again (say after a restart): a new event id, the same reminder.
    await publishViaOutbox(app.db, 'reminders', { ...reminder, event_id: crypto.randomUUID() });

    const { body } = await ann.client.get('/api/notifications');
    expect(body.items).toHaveLength(1);
    expect(await mailsTo(ann.email)).toHaveLength(1);
  });

  it('sends the e-mail on redelivery when the SMTP server refused it, and then never again', async () => {
    const ann = await person(app, smtp, { email: true });
    const task = await createTask(ann, 'Renew passport');
    const reminder = reminderDue(ann, task);
    smtp.refusing = true;
    try {
      // Every attempt fails at the server: the notification exists, the e-mail is still owed.
      await publishViaOutbox(app.db, 'reminders', reminder);
    } finally {
      smtp.refusing = false;
    }
    expect((await ann.client.get('/api/notifications')).body.items).toHaveLength(1);
    expect(await mailsTo(ann.email)).toHaveLength(0);

    // A replay of the dead-lettered event, then another firing of the same job.
    await publishViaOutbox(app.db, 'reminders', reminder);
    await publishViaOutbox(app.db, 'reminders', { ...reminder, event_id: crypto.randomUUID() });
    expect((await ann.client.get('/api/notifications')).body.items).toHaveLength(1);
    expect(await mailsTo(ann.email)).toHaveLength(1);
  });

  it('sends no e-mail to a user who turned e-mail off', async () => {
    const bob = await person(app, smtp, { email: false });
    const task = await createTask(bob, 'Call mum');
    await publishViaOutbox(app.db, 'reminders', reminderDue(bob, task));
    expect((await bob.client.get('/api/notifications')).body.items).toHaveLength(1);
    expect(await mailsTo(bob.email)).toHaveLength(0);
  });

  it('lists newest first a page at a time, marks one or all read, and shows nothing to anyone else', async () => {
    const ann = await person(app, smtp, { email: false });
    const task = await createTask(ann, 'Stretch');
    for (const fireAt of [
      '2026-12-01T11:00:00.000Z',
      '2026-12-01T12:00:00.000Z',
      '2026-12-01T13:00:00.000Z',
    ]) {
      await publishViaOutbox(app.db, 'reminders', reminderDue(ann, task, fireAt));
    }
    const all = (await ann.client.get('/api/notifications')).body.items as {
      id: string;
      created_at: string;
    }[];
    expect(all).toHaveLength(3);
    const created = all.map((n) => n.created_at);
    expect(created).toEqual([...created].sort().reverse());

    const first = await ann.client.get('/api/notifications?limit=2');
    expect(first.body.items).toEqual(all.slice(0, 2));
    const second = await ann.client.get(`/api/notifications?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ items: all.slice(2), next_cursor: null });

    const target = all[1] as { id: string };
    const read = await ann.client.post(`/api/notifications/${target.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.read_at).toEqual(expect.any(String));
    const unread = (await ann.client.get('/api/notifications?unread=true')).body.items as { id: string }[];
    expect(unread.map((n) => n.id)).toEqual([all[0], all[2]].map((n) => n?.id));

    const eve = await person(app, smtp, { email: false });
    expect((await eve.client.get('/api/notifications')).body).toEqual({ items: [], next_cursor: null });
    expect((await eve.client.post(`/api/notifications/${target.id}/read`)).status).toBe(404);
    expect((await eve.client.post('/api/notifications/read-all')).body).toEqual({ updated: 0 });

    expect((await ann.client.post('/api/notifications/read-all')).body).toEqual({ updated: 2 });
    expect((await ann.client.get('/api/notifications?unread=true')).body.items).toEqual([]);
    // Reading again keeps the first read time.
    expect((await ann.client.post(`/api/notifications/${target.id}/read`)).body.read_at).toBe(
      read.body.read_at,
    );
  });

  it('end to end: a task with a reminder three seconds before it is due brings one notification and one e-mail', async () => {
    const ann = await person(app, smtp, { email: true });
    // Due on a whole second at least six seconds out, so the reminder is still ahead once the task exists.
    const dueAt = new Date(Math.ceil((Date.now() + 6000) / 1000) * 1000);
    const { body: task } = await ann.client.post('/api/tasks', {
      title: 'Take the cake out',
      due_at: dueAt.toISOString(),
      reminders: ['PT3S'],
    });
    const [notification] = await eventually(async () => {
      const { body } = await ann.client.get('/api/notifications');
      expect(body.items).toHaveLength(1);
      return body.items;
    }, 20_000);
    expect(notification).toMatchObject({ task_id: task.id, title: 'Take the cake out', late: false });
    // Once every reminder event of the task is through every consumer, the count is final.
    await eventually(async () => {
      const pending = await app.db
        .selectFrom('outbox')
        .select('id')
        .where('topic', '=', 'reminders')
        .where('partition_key', '=', task.id)
        .where('published_at', 'is', null)
        .execute();
      expect(pending).toEqual([]);
    });
    expect((await ann.client.get('/api/notifications')).body.items).toHaveLength(1);
    const mails = await mailsTo(ann.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.parsed.subject).toMatch(/^Reminder: Take the cake out — due /);
  });

  it('answers 400 naming the field for a bad query and 401 without a token', async () => {
    const ann = await person(app, smtp, { email: false });
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['unread=maybe', 'unread'],
      ['cursor=not-a-cursor', 'cursor'],
      ['colour=red', 'colour'],
    ]) {
      const { status, body } = await ann.client.get(`/api/notifications?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.field, query).toBe(field);
    }
    expect((await new ApiClient(app.url).get('/api/notifications')).status).toBe(401);
  });
});
