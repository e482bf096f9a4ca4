import { Writable } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { assertValidEvent, newEnvelope } from '@todo/contracts';
import { createConsumer } from '@todo/platform/consumers/runtime';
import { createLogger } from '@todo/platform/telemetry/logger';
import { tracer } from '@todo/platform/telemetry/tracing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { SyncClient } from '../support/sync-client.js';

/** The trace a caller started (as a browser's or a gateway's instrumentation would). */
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_TRACEPARENT = `00-${CALLER_TRACE_ID}-00f067aa0ba902b7-01`;
const FAILING_TRACE_ID = 'aaaa2f3577b34da6a3ce929d0e0e4736';

describe('tracing in the embedded mode, and logs that join it', () => {
  const exporter = new InMemorySpanExporter();
  let app: TestApp;
  let user: ApiClient;
  let socket: SyncClient;

  beforeAll(async () => {
    app = await startTestApp(
      // The failing consumer's warnings and dead letters are expected here.
      { LOG_LEVEL: 'silent' },
      {
        spanExporter: exporter,
        retry: { attempts: 2, baseDelayMs: 10 },
        // A consumer that fails every event: its trace must show the attempts and the dead letter.
        extraServices: (runtime) => [
          {
            name: 'always-failing',
            subscriptions: [
              createConsumer(
                {
                  service: 'always-failing',
                  topic: 'task-events',
                  handle: async () => {
                    throw new Error('cannot handle this');
                  },
                },
                runtime,
              ),
            ],
          },
        ],
      },
    );
    user = await new ApiClient(app.url).signup();
    socket = await SyncClient.open(app.url, user.token as string);
  });
  afterAll(async () => {
    await socket?.close();
    await app?.close();
  });

  const spansOf = (traceId: string): ReadableSpan[] =>
    exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const names = (spans: ReadableSpan[]) => spans.map((span) => span.name);

  it('one trace follows a completion from the request through the outbox to every consumer and its effects', async () => {
    const { body: task } = await user.post('/api/tasks', {
      title: 'Water the plants',
      due_at: '2099-10-24T09:00:00+02:00',
      recurrence: 'FREQ=DAILY',
    });
    const completed = await user.post(
      `/api/tasks/${task.id}/complete`,
      {},
      { traceparent: CALLER_TRACEPARENT },
    );
    expect(completed.status).toBe(200);

    // BatchSpanProcessor exports every 5 s; the consumers' spans end after their effects.
    const spans = await eventually(() => {
      const traced = spansOf(CALLER_TRACE_ID);
      expect(names(traced)).toEqual(
        expect.arrayContaining([
          'outbox append',
          'publish task-events',
          'publish task-updates',
          'audit-service consume task-events',
          'recurring-task-service consume task-events',
          'next occurrence write',
          'websocket-sync-service consume task-updates',
          'websocket push',
        ]),
      );
      return traced;
    }, 20_000);

    // The request's server span continues the caller's trace, and the database work is in it.
    const server = spans.find(
      (span) => span.kind === 1 && span.parentSpanContext?.spanId === '00f067aa0ba902b7',
    );
    expect(server?.name, names(spans).join(', ')).toBe('POST /api/tasks/:id/complete');
    expect(
      spans.some(
        (span) =>
          span.attributes['db.system.name'] === 'postgresql' || span.attributes['db.system'] === 'postgresql',
      ),
    ).toBe(true);

    // Each consumer's span is a child of a publish span, which is a child of the outbox write.
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');
    const consumer = spans.find((span) => span.name === 'recurring-task-service consume task-events');
    expect(parentOf(consumer as ReadableSpan)?.name).toBe('publish task-events');
    expect(parentOf(parentOf(consumer as ReadableSpan) as ReadableSpan)?.name).toBe('outbox append');
    const push = spans.find((span) => span.name === 'websocket push');
    expect(push?.attributes['websocket.connections']).toBe(1);

    // The trace is written with the event, so a redelivery from the outbox continues it too.
    const { rows } = await sql<{ traceparent: string }>`
      select event->>'traceparent' as traceparent from outbox
      where event->>'event_type' = 'task.completed' and event->>'task_id' = ${task.id}`.execute(app.db);
    expect(rows[0]?.traceparent).toMatch(new RegExp(`^00-${CALLER_TRACE_ID}-[0-9a-f]{16}-01$`));
  });

  it('a dead-lettered event is an error in its trace, with one exception per failed attempt', async () => {
    await user.post(
      '/api/tasks',
      { title: 'Fails downstream' },
      { traceparent: `00-${FAILING_TRACE_ID}-00f067aa0ba902b7-01` },
    );
    const failed = await eventually(() => {
      const span = spansOf(FAILING_TRACE_ID).find((s) => s.name === 'always-failing consume task-events');
      expect(span).toBeDefined();
      return span as ReadableSpan;
    }, 20_000);
    expect(failed.status).toMatchObject({ code: 2, message: 'dead-lettered' });
    expect(failed.events.filter((event) => event.name === 'exception')).toHaveLength(2);
    expect(failed.attributes['messaging.message.id']).toEqual(expect.any(String));
  });

  it('a request without a traceparent starts a trace of its own', async () => {
    await user.post('/api/tasks', { title: 'Untraced caller' });
    const { rows } = await eventually(async () => {
      const result = await sql<{ traceparent: string | null }>`
        select event->>'traceparent' as traceparent from outbox
        where event->'payload'->'task'->>'title' = 'Untraced caller'`.execute(app.db);
      expect(result.rows).toHaveLength(2);
      return result;
    });
    const [traceId] = (rows[0]?.traceparent ?? '').split('-').slice(1, 2);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe(CALLER_TRACE_ID);
    await eventually(
      () => expect(names(spansOf(traceId as string))).toContain('audit-service consume task-events'),
      20_000,
    );
  });

  it('a line written inside a span carries its trace_id and span_id, its service and its pod', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', undefined, sink).child({ service: 'api' });
    logger.info('outside');
    const ids = tracer.startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    const [outside, inside] = lines.map((line) => JSON.parse(line));
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).toMatchObject({ service: 'api', pod: expect.any(String) });
    expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, service: 'api' });
  });
});

describe('the envelope traceparent', () => {
  const event = {
    ...newEnvelope({
      eventType: 'task.sync',
      userId: crypto.randomUUID(),
      taskId: crypto.randomUUID(),
      correlationId: 'c',
    }),
    payload: { action: 'deleted', task: null },
  };

  it('is optional and, when present, must be a W3C traceparent', () => {
    expect(() => assertValidEvent('task-updates', event)).not.toThrow();
    expect(() =>
      assertValidEvent('task-updates', { ...event, traceparent: CALLER_TRACEPARENT }),
    ).not.toThrow();
    for (const malformed of [
      '',
      'not-a-trace',
      `01-${CALLER_TRACE_ID}-00f067aa0ba902b7-01`,
      `00-${CALLER_TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`,
    ]) {
      expect(() => assertValidEvent('task-updates', { ...event, traceparent: malformed }), malformed).toThrow(
        /traceparent/,
      );
    }
  });
});
