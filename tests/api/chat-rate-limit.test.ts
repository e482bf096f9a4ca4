/**
 * The chat is rate-limited per authenticated user (issue 13): past the limit a user gets 429 with
 * Retry-After and the API's error shape, while other users — even from the same address — chat on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';

describe('chat rate limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CHAT_RATE_LIMIT_PER_MINUTE: '4' });
  });
  afterAll(() => app?.close());

  it('answers 429 with Retry-After past the per-user limit, and only for that user', async () => {
    const ann = await new ApiClient(app.url).signup();
    const bob = await new ApiClient(app.url).signup();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await ann.post('/api/chat', { message: 'what is due today?' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);

    const limited = await ann.post('/api/chat', { message: 'add buy milk' });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Refused before the engine ran: no task was added.
    expect((await ann.get('/api/tasks')).body.items).toEqual([]);

    expect((await bob.post('/api/chat', { message: 'what is due today?' })).status).toBe(200);
    // The limit is on chatting, not on the rest of the API.
    expect((await ann.get('/api/tasks')).status).toBe(200);
  });

  it('refuses a message over 2,000 characters with 400 naming message', async () => {
    const carl = await new ApiClient(app.url).signup();
    const response = await carl.post('/api/chat', { message: 'x'.repeat(2001) });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_input', field: 'message' });
  });
});
