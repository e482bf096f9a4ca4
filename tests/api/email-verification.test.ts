import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { VERIFICATION_SUBJECT, verificationLink, verifyAddress } from '../support/email-verification.js';
import { eventually } from '../support/eventually.js';
import { type SmtpSink, startSmtpSink } from '../support/smtp.js';

interface Person {
  client: ApiClient;
  id: string;
  email: string;
}

async function person(app: TestApp): Promise<Person> {
  const client = await new ApiClient(app.url).signup('Europe/Berlin');
  const { body } = await client.patch('/api/me', { email_notifications: true });
  return { client, id: body.id, email: body.email };
}

describe('e-mail verification', () => {
  let smtp: SmtpSink;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Todo <reminders@todo.test>',
      EMAIL_VERIFICATION_PER_HOUR: '3',
    });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const mailsTo = async (email: string) => (await smtp.texts()).filter((mail) => mail.to.includes(email));
  const remindersTo = async (email: string) =>
    (await mailsTo(email)).filter((mail) => mail.subject.startsWith('Reminder:'));

  /** A task whose one reminder fires about a second from now; resolves once it was delivered in-app. */
  async function remindSoon(owner: Person, title: string) {
    const dueAt = new Date(Math.ceil((Date.now() + 3000) / 1000) * 1000);
    const { status, body: task } = await owner.client.post('/api/tasks', {
      title,
      due_at: dueAt.toISOString(),
      reminders: ['PT2S'],
    });
    expect(status).toBe(201);
    await eventually(async () => {
      const { body } = await owner.client.get('/api/notifications');
      expect(body.items.map((item: { task_id: string }) => item.task_id)).toContain(task.id);
    }, 20_000);
    // Every reminder event of the task through every consumer: the e-mail decision is made.
    await eventually(async () => {
      const pending = await app.db
        .selectFrom('outbox')
        .select('id')
        .where('partition_key', '=', task.id)
        .where('published_at', 'is', null)
        .execute();
      expect(pending).toEqual([]);
    });
  }

  it('sends reminder e-mails only once the address is verified through the link, which works once', async () => {
    const ann = await person(app);
    expect((await ann.client.get('/api/me')).body).toMatchObject({
      email_notifications: true,
      email_verified: false,
    });

    await remindSoon(ann, 'Before verifying');
    expect(await mailsTo(ann.email)).toEqual([]);

    const sent = await ann.client.post('/api/me/verify-email');
    expect(sent.status).toBe(202);
    expect(sent.body.sent_to).toBe(ann.email);
    expect(new Date(sent.body.expires_at).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    const link = await verificationLink(ann.email, () => smtp.texts());
    // Without PUBLIC_URL the link points where the request came in.
    expect(link.origin).toBe(new URL(app.url).origin);
    expect(link.pathname).toBe('/api/verify-email');
    const [mail] = await smtp.messages().then((all) => all.filter((m) => m.to.includes(ann.email)));
    expect(mail?.parsed.html).toContain(link.href.replaceAll('&', '&amp;'));

    // Opened from a mail client: no credential needed, and the answer is not cached.
    const anonymous = new ApiClient(app.url);
    const opened = await anonymous.get(`${link.pathname}${link.search}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({ email: ann.email, email_verified: true });
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect((await ann.client.get('/api/me')).body.email_verified).toBe(true);

    const again = await anonymous.get(`${link.pathname}${link.search}`);
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'token_used', field: 'token' });

    const already = await ann.client.post('/api/me/verify-email');
    expect(already.status).toBe(409);
    expect(already.body.error.code).toBe('already_verified');

    await remindSoon(ann, 'After verifying');
    const reminders = await remindersTo(ann.email);
    expect(reminders.map((m) => m.subject)).toEqual([expect.stringContaining('After verifying')]);
  }, 60_000);

  it('refuses unknown, malformed and expired links without verifying anything', async () => {
    const bob = await person(app);
    const anonymous = new ApiClient(app.url);
    for (const [query, code] of [
      ['', 'invalid_input'],
      ['?token=', 'invalid_input'],
      ['?token=short', 'invalid_input'],
      [`?token=${'A'.repeat(42)}%00`, 'invalid_input'],
      [`?token=${'A'.repeat(43)}`, 'invalid_token'],
    ] as const) {
      const answer = await anonymous.get(`/api/verify-email${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error, query).toMatchObject({ code, field: 'token' });
    }

    await bob.client.post('/api/me/verify-email');
    const link = await verificationLink(bob.email, () => smtp.texts());
    // A day passes.
    await app.db
      .updateTable('email_verifications')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', bob.id)
      .execute();
    const expired = await anonymous.get(`${link.pathname}${link.search}`);
    expect(expired.status).toBe(400);
    expect(expired.body.error).toMatchObject({ code: 'token_expired', field: 'token' });
    expect((await bob.client.get('/api/me')).body.email_verified).toBe(false);
  });

  it('keeps only a hash of the link, and a changed address is unverified again', async () => {
    const cat = await person(app);
    await verifyAddress(cat.client, cat.email, () => smtp.texts());
    const link = await verificationLink(cat.email, () => smtp.texts());
    const token = link.searchParams.get('token') as string;
    const stored = await app.db
      .selectFrom('email_verifications')
      .selectAll()
      .where('user_id', '=', cat.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);

    // Another writer changes the address (there is no route for it yet): verification does not carry over.
    const newAddress = `new-${cat.email}`;
    await app.db.updateTable('users').set({ email: newAddress }).where('id', '=', cat.id).execute();
    expect((await cat.client.get('/api/me')).body).toMatchObject({
      email: newAddress,
      email_verified: false,
    });
    await remindSoon(cat, 'After the change');
    expect(await mailsTo(newAddress)).toEqual([]);

    // A link sent to the old address does not verify the new one.
    await app.db.updateTable('users').set({ email: cat.email }).where('id', '=', cat.id).execute();
    await app.db.updateTable('users').set({ verified_email: null }).where('id', '=', cat.id).execute();
    await cat.client.post('/api/me/verify-email');
    const oldLink = await verificationLink(cat.email, () => smtp.texts());
    await app.db.updateTable('users').set({ email: newAddress }).where('id', '=', cat.id).execute();
    const stale = await cat.client.get(`${oldLink.pathname}${oldLink.search}`);
    expect(stale.status).toBe(400);
    expect(stale.body.error).toMatchObject({ code: 'email_changed', field: 'token' });
    expect((await cat.client.get('/api/me')).body.email_verified).toBe(false);
  }, 30_000);

  it('limits verification e-mails per account and hour (429 with Retry-After), not across accounts', async () => {
    const dan = await person(app);
    const eve = await person(app);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await dan.client.post('/api/me/verify-email'));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 429]);
    const refused = answers[3] as (typeof answers)[number];
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    await eventually(async () => expect(await mailsTo(dan.email)).toHaveLength(3));
    expect((await mailsTo(dan.email)).every((mail) => mail.subject === VERIFICATION_SUBJECT)).toBe(true);
    expect((await eve.client.post('/api/me/verify-email')).status).toBe(202);
  });

  it('needs a signed-in caller to send, and the account to exist to verify', async () => {
    const anonymous = new ApiClient(app.url);
    expect((await anonymous.post('/api/me/verify-email')).status).toBe(401);
    const fay = await person(app);
    await fay.client.post('/api/me/verify-email');
    const link = await verificationLink(fay.email, () => smtp.texts());
    expect((await fay.client.request('DELETE', '/api/me', { password: 'correct horse' })).status).toBe(204);
    const gone = await anonymous.get(`${link.pathname}${link.search}`);
    expect(gone.status).toBe(400);
    expect(gone.body.error.code).toBe('invalid_token');
  });
});

describe('e-mail verification without a mail server', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('says that no e-mail can be sent (409), and the account stays unverified', async () => {
    const ann = await new ApiClient(app.url).signup();
    const answer = await ann.post('/api/me/verify-email');
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('email_unavailable');
    expect((await ann.get('/api/me')).body.email_verified).toBe(false);
  });
});

describe('verification links with PUBLIC_URL', () => {
  let smtp: SmtpSink;
  let app: TestApp;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://todo.example.test/' });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  it('point at the public address, whatever Host the request named', async () => {
    const ann = await new ApiClient(app.url).signup();
    const { body: me } = await ann.get('/api/me');
    expect((await ann.post('/api/me/verify-email', {}, { host: 'evil.example' })).status).toBe(202);
    const link = await verificationLink(me.email, () => smtp.texts());
    expect(link.origin).toBe('https://todo.example.test');
  });
});
