import { FastifyOtelInstrumentation } from '@fastify/otel';
import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { FastifyPluginCallback } from 'fastify';

/**
 * OpenTelemetry tracing, off unless started: with no provider registered, every span below is the
 * API's no-op and costs a function call. When started, spans go to a Zipkin-compatible backend
 * (OTEL_EXPORTER_ZIPKIN_ENDPOINT) and W3C trace context crosses HTTP hops (headers) and the
 * outbox's asynchronous hop (the event's `traceparent`).
 */
export const tracer = trace.getTracer('todo-chatbot');

export interface TracingOptions {
  /** The service name spans carry (one per process: `api`, `notification`, or `todo-chatbot` embedded). */
  serviceName: string;
  /** Where spans go; default a Zipkin exporter to OTEL_EXPORTER_ZIPKIN_ENDPOINT. */
  exporter?: SpanExporter;
  zipkinEndpoint?: string;
}

export interface Tracing {
  /** The Fastify plugin that opens a server span per request (continuing an incoming traceparent). */
  fastifyPlugin: FastifyPluginCallback;
  /**
   * Sends the spans still buffered, then stops exporting. Never rejects: when the backend refuses
   * them or does not answer within the export timeout they are dropped, and the error is returned
   * (a process's stop must not fail, or crash, for its tracing backend).
   */
  shutdown(): Promise<Error | undefined>;
}

let started: Tracing | undefined;

/** Paths polled by probes and scrapers: a span each would drown the requests people make. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Registers the tracer provider, the W3C propagator and the pg instrumentation for this process.
 * Once per process (OpenTelemetry's API is global): a second call returns the first's tracing.
 * Must run before `pg` is first required (openDatabase requires it lazily for this reason).
 */
export function startTracing(options: TracingOptions): Tracing {
  if (started) return started;
  const exporter =
    options.exporter ??
    new ZipkinExporter({ ...(options.zipkinEndpoint ? { url: options.zipkinEndpoint } : {}) });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  const fastify = new FastifyOtelInstrumentation({
    // One span per request and one for its handler; a span per lifecycle hook would triple them.
    instrumentHooks: false,
    ignorePaths: ({ url }) => UNTRACED_PATHS.has(url),
    // "POST /api/tasks/:id/complete" rather than the plugin's "request": what a trace list shows.
    requestHook: (span, request) =>
      span.updateName(`${request.method} ${request.routeOptions.url ?? request.url}`),
  });
  fastify.setTracerProvider(provider);
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Queries inside a request, a relay publish or a consumer; not the relay's idle polls.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    ],
  });
  started = {
    fastifyPlugin: fastify.plugin(),
    async shutdown() {
      unregister();
      started = undefined;
      return provider.shutdown().then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      );
    },
  };
  return started;
}

/** The started tracing of this process, if any (createHttpServer adds its plugin). */
export const activeTracing = (): Tracing | undefined => started;

/** The context a `traceparent` names (the root context when there is none or it is malformed). */
export function contextOf(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/**
 * The W3C headers (`traceparent`, `tracestate`) of the active span, for a carrier no
 * instrumentation sees: a call to the sidecar, an event's envelope. Empty when nothing is traced.
 */
export function traceHeaders(active: Context = context.active()): {
  traceparent?: string;
  tracestate?: string;
} {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; the active context when absent. */
  parent?: Context;
}

/** Runs `work` in a new active span that records a thrown error and always ends. */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export type { SpanExporter };
export { SpanKind };
