/**
 * Sessions end when the user says so: logout, a password change and account deletion take effect
 * on the next request; tokens without an expiry, tokens of ended sessions, expired and read-only
 * personal access tokens are held to what they may do; the web app's cookie and the /ws ticket.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt, SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { SyncClient } from '../support/sync-client.js';

const JWT_SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const PASSWORD = 'correct horse';
/** How the MCP client reports the HTTP 403 of a write by a read-only token. */
const REFUSED_AS_READ_ONLY = { code: 403, message: expect.stringContaining('read_only_token') };

describe('sessions, tokens and account deletion', () => {
  let app: TestApp;
  let anon: ApiClient;

  beforeAll(async () => {
    app = await startTestApp('pglite', { JWT_SECRET, LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
    anon = new ApiClient(app.url);
  });
  afterAll(() => app?.close());

  /** A new account and `n` sessions of it (each a separate login). */
  async function account(n: number): Promise<{ email: string; sessions: ApiClient[] }> {
    const email = `user-${crypto.randomUUID().slice(0, 8)}@example.test`;
    expect((await anon.post('/api/auth/signup', { email, password: PASSWORD })).status).toBe(201);
    const sessions: ApiClient[] = [];
    for (let i = 0; i < n; i++) sessions.push(await login(email, PASSWORD));
    return { email, sessions };
  }
  async function login(email: string, password: string): Promise<ApiClient> {
    const { status, body } = await anon.post('/api/auth/login', { email, password });
    expect(status, JSON.stringify(body)).toBe(200);
    return new ApiClient(app.url, body.token);
  }
  const meStatus = async (client: ApiClient) => (await client.get('/api/me')).status;

  it('logout ends that session at once, for REST and /ws, and no other', async () => {
    const { sessions } = await account(2);
    const [laptop, phone] = sessions as [ApiClient, ApiClient];
    expect((await laptop.post('/api/auth/logout')).status).toBe(204);
    expect(await meStatus(laptop)).toBe(401);
    expect((await laptop.post('/api/tasks', { title: 'after logout' })).status).toBe(401);
    expect((await SyncClient.refusal(app.url, { token: laptop.token })).status).toBe(401);
    expect(await meStatus(phone)).toBe(200);
  });

  it('a password change checks the current one, refuses a weak new one, and ends every other session', async () => {
    const { email, sessions } = await account(3);
    const [current, ...others] = sessions as [ApiClient, ApiClient, ApiClient];
    const wrong = await current.post('/api/me/password', {
      current_password: 'not my password',
      new_password: 'a brand new secret',
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.field).toBe('current_password');
    const weak = await current.post('/api/me/password', {
      current_password: PASSWORD,
      new_password: 'qwertyuiop',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.field).toBe('new_password');
    for (const session of sessions) expect(await meStatus(session)).toBe(200);

    const changed = await current.post('/api/me/password', {
      current_password: PASSWORD,
      new_password: 'a brand new secret',
    });
    expect(changed.status).toBe(204);
    expect(await meStatus(current)).toBe(200);
    for (const other of others) expect(await meStatus(other)).toBe(401);
    expect((await anon.post('/api/auth/login', { email, password: PASSWORD })).status).toBe(401);
    await login(email, 'a brand new secret');
  });

  it('refuses a correctly signed token that lacks exp, sub or sid, or names an ended session', async () => {
    const { sessions } = await account(1);
    const real = sessions[0]?.token as string;
    const { sub, sid } = decodeJwt(real);
    const key = new TextEncoder().encode(JWT_SECRET);
    const sign = (claims: Record<string, unknown>, expires: boolean) => {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('todo-chatbot')
        .setIssuedAt();
      return (expires ? jwt.setExpirationTime('1h') : jwt).sign(key);
    };
    // The control: the same claims with an expiry are accepted, so each refusal below is the claim's.
    expect(await meStatus(new ApiClient(app.url, await sign({ sub, sid }, true)))).toBe(200);
    for (const [claims, expires] of [
      [{ sub, sid }, false],
      [{ sid }, true],
      [{ sub }, true],
      [{ sub, sid: crypto.randomUUID() }, true],
    ] as const) {
      const forged = new ApiClient(app.url, await sign(claims, expires));
      expect(await meStatus(forged), JSON.stringify({ claims, expires })).toBe(401);
    }
  });

  it('accepts the query-string credential only on /ws, and a ticket only once and only while signed in', async () => {
    const { sessions } = await account(1);
    const ann = sessions[0] as ApiClient;
    const viaQuery = await anon.get(`/api/tasks?token=${encodeURIComponent(ann.token as string)}`);
    expect(viaQuery.status).toBe(401);

    const ticket = (await ann.post('/api/ws-ticket')).body.ticket as string;
    const socket = await SyncClient.openWith(app.url, { ticket });
    await socket.close();
    expect((await SyncClient.refusal(app.url, { ticket })).status).toBe(401);
    const unused = (await ann.post('/api/ws-ticket')).body.ticket as string;
    await ann.post('/api/auth/logout');
    expect((await SyncClient.refusal(app.url, { ticket: unused })).status).toBe(401);
  });

  it('refuses /ws to a page of another origin, and lets the app’s own origin and programs in', async () => {
    const { sessions } = await account(1);
    const token = sessions[0]?.token as string;
    const refused = await SyncClient.refusal(app.url, { token }, { origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    const own = await SyncClient.openWith(app.url, { token }, { origin: app.url });
    await own.close();
    const program = await SyncClient.openWith(app.url, { token });
    await program.close();
  });

  it('personal access tokens expire, and a read-only one is refused every write, REST and MCP', async () => {
    const { sessions } = await account(1);
    const ann = sessions[0] as ApiClient;
    await ann.post('/api/tasks', { title: 'readable' });
    const readOnly = await ann.post('/api/tokens', {
      name: 'dashboard',
      read_only: true,
      expires_in_days: 30,
    });
    expect(readOnly.status).toBe(201);
    expect(readOnly.body).toMatchObject({ read_only: true });
    const days = (Date.parse(readOnly.body.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    const reader = new ApiClient(app.url, readOnly.body.token);
    expect((await reader.get('/api/tasks')).body.items.map((t: { title: string }) => t.title)).toEqual([
      'readable',
    ]);

    // Every write route the API documents, with whatever body: 403 before anything else happens.
    const document = (await anon.get('/api/openapi.json')).body;
    const writes = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) =>
        Object.keys(methods)
          .map((method) => method.toUpperCase())
          .filter(
            (method) =>
              method !== 'GET' && !path.startsWith('/api/auth/signup') && !path.startsWith('/api/auth/login'),
          )
          .filter(() => !path.startsWith('/api/reminders/trigger'))
          .map((method) => ({ method, path: path.replace(/\{[^}]+\}/g, crypto.randomUUID()) })),
    );
    expect(writes.length).toBeGreaterThanOrEqual(10);
    for (const { method, path } of writes) {
      const answer = await reader.request(method, path, {});
      expect(answer.status, `${method} ${path}`).toBe(403);
    }
    expect((await reader.get('/api/tasks')).body.items).toHaveLength(1);

    const mcp = new Client({ name: 'read-only-client', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', app.url), {
        requestInit: { headers: { authorization: `Bearer ${readOnly.body.token}` } },
      }),
    );
    try {
      const listed = await mcp.callTool({ name: 'list_tasks', arguments: {} });
      expect(JSON.stringify(listed)).toContain('readable');
      await expect(mcp.callTool({ name: 'add_task', arguments: { title: 'sneaky' } })).rejects.toMatchObject(
        REFUSED_AS_READ_ONLY,
      );
      await expect(
        mcp.callTool({ name: 'delete_task', arguments: { id: crypto.randomUUID() } }),
      ).rejects.toMatchObject(REFUSED_AS_READ_ONLY);
    } finally {
      await mcp.close();
    }
    expect((await reader.get('/api/tasks')).body.items).toHaveLength(1);

    // A token cannot mint tokens; an expired one is refused like a revoked one.
    const full = await ann.post('/api/tokens', { name: 'script' });
    const script = new ApiClient(app.url, full.body.token);
    expect((await script.post('/api/tasks', { title: 'by script' })).status).toBe(201);
    expect((await script.post('/api/tokens', { name: 'child' })).status).toBe(403);
    await sql`update access_tokens set expires_at = now() - interval '1 second' where id = ${full.body.id}`.execute(
      app.db,
    );
    expect((await script.get('/api/tasks')).status).toBe(401);
    expect((await ann.get('/api/tokens')).body.items.map((t: { name: string }) => t.name)).toEqual([
      'dashboard',
    ]);
  });

  it('the web app’s cookie is HttpOnly and SameSite=Strict, and its writes need the CSRF header', async () => {
    const email = `cookie-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await anon.post('/api/auth/signup', { email, password: PASSWORD });
    const { headers, body } = await anon.post('/api/auth/login', { email, password: PASSWORD });
    expect(headers.get('cache-control')).toBe('no-store');
    const setCookie = headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^todo_session=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = { cookie: setCookie.split(';')[0] as string };
    expect((await anon.get('/api/me', cookie)).body.email).toBe(email);
    const forged = await anon.post('/api/tasks', { title: 'cross-site' }, cookie);
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf');
    expect((await anon.post('/api/tasks', { title: 'mine' }, { ...cookie, 'x-todo-csrf': '1' })).status).toBe(
      201,
    );
    const out = await anon.post('/api/auth/logout', undefined, { ...cookie, 'x-todo-csrf': '1' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/todo_session=;/);
    expect((await anon.get('/api/me', cookie)).status).toBe(401);
    expect((await new ApiClient(app.url, body.token).get('/api/me')).status).toBe(401);
  });

  it('serves every answer with a strict CSP, no framing, no sniffing and no referrer', async () => {
    for (const path of ['/', '/api/me', '/healthz', '/no-such-page']) {
      const { headers } = await anon.get(path);
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('deleting the account needs its password, then removes every row that names the user', async () => {
    const { sessions } = await account(1);
    const ann = sessions[0] as ApiClient;
    const other = (await account(1)).sessions[0] as ApiClient;
    const annId = (await ann.get('/api/me')).body.id as string;
    const otherTask = await other.post('/api/tasks', { title: 'someone else’s' });

    // Something in every table a user's activity reaches: tasks with reminders (jobs), events
    // (outbox, audit log, live-sync log), a conversation, a token, a live socket.
    const task = await ann.post('/api/tasks', {
      title: 'Dentist',
      due_at: '2031-01-07T14:00:00Z',
      reminders: ['PT30M'],
      recurrence: 'FREQ=WEEKLY',
    });
    expect(task.status).toBe(201);
    await ann.post(`/api/tasks/${task.body.id}/complete`);
    expect((await ann.post('/api/chat', { message: 'add call the bank tomorrow' })).status).toBe(200);
    const pat = await ann.post('/api/tokens', { name: 'laptop' });
    const socket = await SyncClient.open(app.url, ann.token as string);
    const rowsNaming = async (id: string) => {
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'`.execute(
        app.db,
      );
      const found: Record<string, number> = {};
      for (const { table_name } of tables.rows) {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from ${sql.table(table_name)} as t where row_to_json(t)::text like ${`%${id}%`}`.execute(
          app.db,
        );
        if ((rows[0]?.n ?? 0) > 0) found[table_name] = rows[0]?.n ?? 0;
      }
      return found;
    };
    await eventually(async () => {
      const found = await rowsNaming(annId);
      for (const table of ['tasks', 'audit_log', 'sync_log', 'scheduled_jobs', 'outbox', 'conversations']) {
        expect(found[table], table).toBeGreaterThan(0);
      }
    });

    const refused = await ann.request('DELETE', '/api/me', { password: 'not my password' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.field).toBe('password');
    expect(await meStatus(ann)).toBe(200);

    const deleted = await ann.request('DELETE', '/api/me', { password: PASSWORD });
    expect(deleted.status).toBe(204);
    await socket.close();
    expect(await rowsNaming(annId)).toEqual({});
    expect(await meStatus(ann)).toBe(401);
    expect(await meStatus(new ApiClient(app.url, pat.body.token))).toBe(401);
    // The audit log is append-only again for everything else.
    await expect(sql`delete from audit_log`.execute(app.db)).rejects.toThrow(/append-only/);
    expect((await other.get(`/api/tasks/${otherTask.body.id}`)).status).toBe(200);
  });
});
