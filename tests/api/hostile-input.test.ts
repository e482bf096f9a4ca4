/**
 * Hostile input over real HTTP: what `npm run fuzz:api` found, kept as regressions, and random and
 * oversized text sent to the chat. Every answer is a 4xx naming the problem or a normal answer —
 * never a 5xx — and the app keeps serving afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

describe('hostile input', () => {
  let app: TestApp;
  let ann: ApiClient;

  beforeAll(async () => {
    // One user sends every generated message; the per-user chat limit has its own test.
    app = await startTestApp('pglite', { CHAT_RATE_LIMIT_PER_MINUTE: '100000' });
    ann = await new ApiClient(app.url).signup();
  });
  afterAll(() => app?.close());

  // Found by schemathesis: PostgreSQL refuses U+0000 in text, which was a 500 from the query.
  it.each([
    ['GET', '/api/tasks?tag=a%00b', 'tag', undefined],
    ['GET', '/api/tasks?q=%00', 'q', undefined],
    ['POST', '/api/chat', 'message', { message: 'add milk\u0000' }],
    ['POST', '/api/tasks', 'tags.1', { title: 'Milk', tags: ['ok', 'bad\u0000'] }],
    ['POST', '/api/tokens', 'name', { name: '\u0000' }],
  ])('refuses a NUL character: %s %s names %s', async (method, path, field, body) => {
    const response = await ann.request(method, path, body);
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_input', field });
    expect((await ann.get('/api/tasks')).status).toBe(200);
  });

  it('answers the chat with 200 or a 4xx for any text, oversized included', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2000 }),
      fc.string({ unit: 'binary-ascii', minLength: 2001, maxLength: 70_000 }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (message) => {
        const { status, body } = await ann.post('/api/chat', { message });
        expect(status, JSON.stringify(body)).toBeLessThan(500);
        if (status !== 200) expect(body.error.code).toMatch(/^(invalid_input|payload_too_large)$/);
      }),
      { numRuns: 60 },
    );
  });
});
