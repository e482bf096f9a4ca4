import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per process. In the embedded mode every service shares it, so metric
 * names carry a `service` label where two services could report the same thing.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests by route template, method and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency by route template, method and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  registers: [registry],
});

export const eventsPublished = new Counter({
  name: 'events_published_total',
  help: 'Events the outbox relay handed to the bus, by topic',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export const eventsConsumed = new Counter({
  name: 'events_consumed_total',
  help: 'Events a consumer finished, by service, topic and outcome (processed, ignored, duplicate, dead_lettered)',
  labelNames: ['service', 'topic', 'outcome'] as const,
  registers: [registry],
});

export const eventFailures = new Counter({
  name: 'event_processing_failures_total',
  help: 'Failed processing attempts (each retry counts), by service and topic',
  labelNames: ['service', 'topic'] as const,
  registers: [registry],
});

export const eventProcessingDuration = new Histogram({
  name: 'event_processing_duration_seconds',
  help: 'Time from receipt to outcome of one delivery, retries included, by service and topic',
  labelNames: ['service', 'topic'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const dlqEvents = new Counter({
  name: 'dlq_events_total',
  help: 'Events sent to the dead-letter topic, by the topic they came from',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export const outboxBacklog = new Gauge({
  name: 'outbox_backlog',
  help: 'Outbox rows not yet accepted by the bus',
  registers: [registry],
});

export const remindersFired = new Counter({
  name: 'reminders_fired_total',
  help: 'Reminder jobs fired, by whether they fired late (after a downtime)',
  labelNames: ['late'] as const,
  registers: [registry],
});

export const reminderLateness = new Histogram({
  name: 'reminder_lateness_seconds',
  help:
    'How long after its time a reminder fired (stage "fired": the job ran) and reached the user ' +
    '(stage "delivered": the in-app notification was written)',
  labelNames: ['stage'] as const,
  buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
  registers: [registry],
});

export const websocketConnections = new Gauge({
  name: 'websocket_connections',
  help: 'WebSocket clients connected to this process for live sync',
  registers: [registry],
});
