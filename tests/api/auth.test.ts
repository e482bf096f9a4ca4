import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

describe('accounts and tokens', () => {
  let app: TestApp;
  let anon: ApiClient;

  beforeAll(async () => {
    app = await startTestApp('pglite', { LOGIN_RATE_LIMIT_PER_MINUTE: '5' });
    anon = new ApiClient(app.url);
  });
  afterAll(() => app?.close());

  it('signs up, logs in case-insensitively and reads and edits the profile', async () => {
    const signup = await anon.post('/api/auth/signup', {
      email: 'Ann.Lee@Example.test',
      password: 'long enough',
      timezone: 'Pacific/Auckland',
    });
    expect(signup.status).toBe(201);
    expect(signup.body.user).toMatchObject({ email: 'Ann.Lee@Example.test', timezone: 'Pacific/Auckland' });

    const login = await anon.post('/api/auth/login', {
      email: 'ann.lee@example.TEST',
      password: 'long enough',
    });
    expect(login.status).toBe(200);
    const ann = new ApiClient(app.url, login.body.token);
    expect((await ann.get('/api/me')).body).toMatchObject({
      email_notifications: false,
      timezone: 'Pacific/Auckland',
    });

    const edited = await ann.patch('/api/me', { timezone: 'Europe/Lisbon', email_notifications: true });
    expect(edited.body).toMatchObject({ timezone: 'Europe/Lisbon', email_notifications: true });
    const badZone = await ann.patch('/api/me', { timezone: 'Mars/Olympus' });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.field).toBe('timezone');
    expect((await ann.get('/api/me')).body.timezone).toBe('Europe/Lisbon');
  });

  it('refuses a second account for the same address, whatever its case', async () => {
    await anon.post('/api/auth/signup', { email: 'dup@example.test', password: 'long enough' });
    const again = await anon.post('/api/auth/signup', {
      email: 'DUP@example.test',
      password: 'other password',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('email_taken');
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough' }, 'email'],
    [{ email: 'a@example.test', password: 'short' }, 'password'],
    [{ email: 'a@example.test', password: 'long enough', timezone: 'CET+5' }, 'timezone'],
    [{ password: 'long enough' }, 'email'],
  ])('refuses sign-up %j naming %s', async (body, field) => {
    const response = await anon.post('/api/auth/signup', body);
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe(field);
  });

  it('answers a wrong password and an unknown address alike, then rate-limits the address', async () => {
    await anon.post('/api/auth/signup', { email: 'target@example.test', password: 'the real one' });
    const unknown = await anon.post('/api/auth/login', {
      email: 'nobody@example.test',
      password: 'whatever1',
    });
    expect(unknown.status).toBe(401);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      statuses.push(
        (await anon.post('/api/auth/login', { email: 'target@example.test', password: 'guess' })).status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await anon.post('/api/auth/login', {
      email: 'target@example.test',
      password: 'the real one',
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
  });
});

describe('login limits and password rules', () => {
  let app: TestApp;
  let anon: ApiClient;
  const forwardedFor = (address: string) => ({ 'x-forwarded-for': address });

  beforeAll(async () => {
    app = await startTestApp('pglite', {
      LOGIN_RATE_LIMIT_PER_MINUTE: '5',
      LOGIN_ACCOUNT_RATE_LIMIT_PER_HOUR: '8',
    });
    anon = new ApiClient(app.url);
  });
  afterAll(() => app?.close());

  // Every way of writing one address that a person's keyboard, a paste or an attacker produces.
  const variantsOf = (email: string) => [
    email,
    ` ${email}`,
    `${email}\t`,
    `\u00a0${email}`,
    `${email}\u2003`,
    `\ufeff${email}`,
    `\u200b${email}\u200b`,
    `   \t ${email}\u00a0 \ufeff`,
    email.toUpperCase(),
    email.replace('a', '\uff41'), // full-width "a", NFKC folds it
  ];

  it('finds the account under every spelling of its address, and limits them as one', async () => {
    await anon.post('/api/auth/signup', { email: 'pad@example.test', password: 'the real one' });
    for (const variant of variantsOf('pad@example.test').slice(0, 4)) {
      const login = await anon.post('/api/auth/login', { email: variant, password: 'the real one' });
      expect(login.status, JSON.stringify(variant)).toBe(200);
    }
    await anon.post('/api/auth/signup', { email: 'padded@example.test', password: 'the real one' });
    const statuses: number[] = [];
    for (const variant of variantsOf('padded@example.test')) {
      statuses.push((await anon.post('/api/auth/login', { email: variant, password: 'guess' })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
  });

  it('refuses a second sign-up under another spelling of a taken address', async () => {
    await anon.post('/api/auth/signup', { email: 'once@example.test', password: 'the real one' });
    for (const variant of variantsOf('once@example.test').slice(1)) {
      const again = await anon.post('/api/auth/signup', { email: variant, password: 'the real one' });
      // Either refused as a malformed address or as taken: never a second account.
      expect([400, 409], JSON.stringify(variant)).toContain(again.status);
    }
    const row = await sql<{
      n: number;
    }>`select count(*)::int as n from users where lower(email) like 'once@%'`.execute(app.db);
    expect(row.rows[0]?.n).toBe(1);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says whose to believe', async () => {
    await anon.post('/api/auth/signup', { email: 'forged@example.test', password: 'the real one' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const attempt = await anon.post(
        '/api/auth/login',
        { email: 'forged@example.test', password: 'guess' },
        forwardedFor(`203.0.113.${i}`),
      );
      statuses.push(attempt.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});

describe('login limits behind a trusted proxy', () => {
  let app: TestApp;
  let anon: ApiClient;
  const from = (address: string) => ({ 'x-forwarded-for': `198.51.100.77, ${address}` });
  const weakPasswords = [
    'password',
    '12345678',
    '        ',
    '          ',
    'aaaaaaaaaaaa',
    '1212121212',
    '1234567890',
    'qwertyuiop',
    'Password123',
    'passwordpassword',
    'iloveyou12',
    'short one',
  ];

  beforeAll(async () => {
    app = await startTestApp('pglite', {
      TRUST_PROXY: 'loopback',
      LOGIN_RATE_LIMIT_PER_MINUTE: '5',
      LOGIN_ACCOUNT_RATE_LIMIT_PER_HOUR: '8',
    });
    anon = new ApiClient(app.url);
  });
  afterAll(() => app?.close());

  it('one client behind the proxy exhausting its limit does not lock the account for another', async () => {
    await anon.post('/api/auth/signup', { email: 'shared@example.test', password: 'the real one' });
    const attacker: number[] = [];
    for (let i = 0; i < 6; i++) {
      attacker.push(
        (
          await anon.post(
            '/api/auth/login',
            { email: 'shared@example.test', password: 'guess' },
            from('192.0.2.1'),
          )
        ).status,
      );
    }
    expect(attacker).toEqual([401, 401, 401, 401, 401, 429]);
    const owner = await anon.post(
      '/api/auth/login',
      { email: 'shared@example.test', password: 'the real one' },
      from('192.0.2.2'),
    );
    expect(owner.status).toBe(200);
  });

  it('many client addresses together are limited per account', async () => {
    await anon.post('/api/auth/signup', { email: 'spread@example.test', password: 'the real one' });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const attempt = await anon.post(
        '/api/auth/login',
        { email: ` Spread@example.test${'\u00a0'.repeat(i)}`, password: 'guess' },
        from(`192.0.2.${100 + i}`),
      );
      statuses.push(attempt.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
    const limited = await anon.post(
      '/api/auth/login',
      { email: 'spread@example.test', password: 'the real one' },
      from('192.0.2.250'),
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it.each(weakPasswords)(
    'refuses the guessable password %j at sign-up, naming password',
    async (password) => {
      // Each from its own client, so the sign-up limit per client does not interfere.
      const response = await anon.post(
        '/api/auth/signup',
        { email: 'weak@example.test', password },
        from(`192.0.2.${10 + weakPasswords.indexOf(password)}`),
      );
      expect(response.status).toBe(400);
      expect(response.body.error.field).toBe('password');
    },
  );
});

describe('operations endpoints', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('pglite');
  });
  afterAll(() => app?.close());

  it('serves health, readiness and Prometheus metrics with per-route request counts', async () => {
    const client = new ApiClient(app.url);
    expect((await client.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await client.get('/readyz')).body).toEqual({ status: 'ready' });
    await client.get('/api/tasks');
    const metrics = await client.get('/metrics');
    expect(metrics.body).toMatch(/http_requests_total\{method="GET",route="\/api\/tasks",status="401"\} \d+/);
    expect(metrics.body).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/tasks"/,
    );
  });

  it('documents every API route in an OpenAPI document generated from the route schemas', async () => {
    const { status, body } = await new ApiClient(app.url).get('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/tasks',
      '/api/tasks/{id}',
      '/api/tasks/{id}/complete',
      '/api/auth/login',
      '/api/me',
    ]) {
      expect(Object.keys(body.paths)).toContain(path);
    }
    const create = body.paths['/api/tasks'].post;
    expect(create.requestBody.content['application/json'].schema.required).toContain('title');
    expect(body.paths['/api/tasks'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'q',
        'status',
        'priority',
        'tag',
        'due_before',
        'due_after',
        'overdue',
        'sort',
        'cursor',
      ]),
    );
  });
});
