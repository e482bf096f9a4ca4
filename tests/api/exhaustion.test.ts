/**
 * One client cannot exhaust the server: a request that trickles in is cut off, an account's live
 * sockets are capped, and `/mcp` bounds its batches, its answers and its callers' rate. Every limit
 * is set low here through its configuration variable, so that reaching it is cheap.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { SyncClient } from '../support/sync-client.js';

/**
 * Sends `head`, then `body` one byte every `intervalMs`, and resolves with what the server
 * answered and how many body bytes it had been sent when it closed the connection.
 */
function trickle(url: string, head: string, body: string, intervalMs: number) {
  const { hostname, port } = new URL(url);
  return new Promise<{ answer: string; bytesSent: number }>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, bytesSent });
    });
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (bytesSent === body.length) {
          clearInterval(timer);
          reject(new Error('the whole slow request was accepted'));
          return;
        }
        socket.write(body[bytesSent] as string);
        bytesSent += 1;
      }, intervalMs);
    });
  });
}

describe('exhaustion limits', () => {
  let app: TestApp;
  let ann: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    app = await startTestApp({
      REQUEST_TIMEOUT_MS: '1500',
      WS_MAX_PER_USER: '3',
      MCP_RATE_LIMIT_PER_MINUTE: '20',
    });
    ann = await new ApiClient(app.url).signup();
    bob = await new ApiClient(app.url).signup();
  });
  afterAll(() => app?.close());

  it('cuts off a request whose body or headers trickle in, and keeps serving others', async () => {
    const body = JSON.stringify({ title: 'x'.repeat(40) });
    const slowBody = trickle(
      app.url,
      `POST /api/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ann.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
      500,
    );
    const slowHeaders = trickle(app.url, 'GET /api/tasks HTTP/1.1\r\n', 'X-Slow: '.padEnd(50, 'y'), 500);
    expect((await ann.get('/api/tasks')).status).toBe(200);
    for (const { answer, bytesSent } of await Promise.all([slowBody, slowHeaders])) {
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(bytesSent).toBeLessThan(40);
    }
    expect((await ann.get('/api/tasks')).status).toBe(200);
  }, 60_000);

  it('closes the socket over an account’s live-connection limit with 1008, and only that one', async () => {
    const open = await Promise.all([1, 2, 3].map(() => SyncClient.open(app.url, ann.token as string)));
    for (const client of open) await client.waitFor((frame) => frame.type === 'hello');
    const fourth = await SyncClient.open(app.url, ann.token as string);
    expect(await fourth.whenClosed()).toEqual({
      code: 1008,
      reason: 'too many live connections: at most 3 per account',
    });
    // Another account is not affected, and a freed place can be taken again.
    const bobs = await SyncClient.open(app.url, bob.token as string);
    await bobs.waitFor((frame) => frame.type === 'hello');
    await open[0]?.close();
    const again = await SyncClient.open(app.url, ann.token as string);
    await again.waitFor((frame) => frame.type === 'hello');
    for (const client of [...open.slice(1), again, bobs]) await client.close();
  });

  const mcp = (client: ApiClient, body: unknown, token = client.token) =>
    fetch(`${app.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify(body),
    });
  const listCall = (id: number, cursor?: string) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'list_tasks', arguments: { limit: 200, ...(cursor ? { cursor } : {}) } },
  });
  /** The JSON-RPC answers of a Streamable HTTP response (server-sent events). */
  const answersOf = (text: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .flatMap((line) => [JSON.parse(line.slice(6))].flat());

  it('bounds what one /mcp request can ask for and how much it answers', async () => {
    const carol = await new ApiClient(app.url).signup();
    // 30 tasks of 30 KB each (three bytes per character): about 1 MB to list.
    const description = '€'.repeat(10_000);
    for (let i = 0; i < 30; i++) {
      const { status } = await carol.post('/api/tasks', { title: `Big ${i}`, description });
      expect(status).toBe(201);
    }
    const tooMany = await mcp(
      carol,
      Array.from({ length: 11 }, (_, i) => listCall(i)),
    );
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toBe(
      'body: a batch holds at most 10 messages (this one has 11)',
    );

    const batch = await mcp(
      carol,
      Array.from({ length: 10 }, (_, i) => listCall(i)),
    );
    expect(batch.status).toBe(200);
    const text = await batch.text();
    // Each of the ten results holds at most 128 KiB of tasks, twice (text and structured content).
    expect(Buffer.byteLength(text)).toBeLessThan(10 * 2 * 128 * 1024 + 64 * 1024);
    const answers = answersOf(text);
    expect(answers).toHaveLength(10);
    for (const answer of answers) {
      const { items, next_cursor } = answer.result.structuredContent;
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThan(30);
      expect(next_cursor).toEqual(expect.any(String));
    }

    // Following the cursors reaches every task once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await mcp(carol, listCall(1, cursor));
      const text = await response.text();
      const [answer] = answersOf(text);
      expect(answer?.result, text.slice(0, 500)).toBeDefined();
      const { items, next_cursor } = answer.result.structuredContent;
      seen.push(...items.map((task: { title: string }) => task.title));
      cursor = next_cursor ?? undefined;
    } while (cursor);
    expect(seen.toSorted()).toEqual(Array.from({ length: 30 }, (_, i) => `Big ${i}`).toSorted());
  }, 60_000);

  it('rate-limits /mcp per account, whichever token it uses', async () => {
    const dave = await new ApiClient(app.url).signup();
    const { body: pat } = await dave.post('/api/tokens', { name: 'mcp client' });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const token = i % 2 === 0 ? dave.token : pat.token;
      statuses.push((await mcp(dave, listCall(i), token)).status);
    }
    expect(statuses).toEqual(Array(20).fill(200));
    const limited = await mcp(dave, listCall(21), pat.token);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Someone else is not limited by it.
    expect((await mcp(bob, listCall(1))).status).toBe(200);
  });
});
