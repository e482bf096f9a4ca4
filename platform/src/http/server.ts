import helmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DomainError } from '@todo/domain/tasks/errors';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import type { TrustProxy } from '../config.js';
import type { Logger } from '../telemetry/logger.js';
import { httpRequestDuration, httpRequests } from '../telemetry/metrics.js';
import { activeTracing } from '../telemetry/tracing.js';
import { badRequest, errorBody, HttpError } from './errors.js';
import { ErrorBody } from './schemas.js';

export type HttpServer = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

/** A readiness probe: resolves when the dependency is usable, throws with a message naming it when not. */
export type ReadinessCheck = { name: string; check: () => Promise<void> };

export interface HttpServerOptions {
  logger: Logger;
  bodyLimit: number;
  /** The whole request, headers and body, must have arrived within this; else 408 and closed. */
  requestTimeoutMs: number;
  /** A connection with nothing sent either way for this long is closed. */
  idleTimeoutMs: number;
  readiness: ReadinessCheck[];
  /** Fastify's `trustProxy`: whose X-Forwarded-For names the client (`request.ip`). */
  trustProxy?: TrustProxy;
}

/**
 * The Fastify server every service runs on: one error format, request metrics, health routes
 * (`/metrics` has a listener of its own: metrics-server.ts). Services add their routes as
 * encapsulated plugins.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit,
    // A client sending a byte every few seconds holds its connection only until the request
    // timeout, which Node checks every `connectionsCheckingInterval` (30 s by default). Node reads
    // the timeouts when the server is created (setting them afterwards, as Fastify's own
    // `requestTimeout` does, is not seen by its checker), hence the `http` options.
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: options.idleTimeoutMs,
    http: {
      requestTimeout: options.requestTimeoutMs,
      headersTimeout: options.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, options.requestTimeoutMs),
    },
    trustProxy: options.trustProxy ?? false,
    // Ids in logs let one request be followed through its events (they become correlation ids).
    genReqId: () => crypto.randomUUID(),
    // Per-request lines would dominate the logs and the CPU under load; metrics count requests instead.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // First, so that every route defined after it gets a server span (continuing a traceparent).
  const tracing = activeTracing();
  if (tracing) void app.register(tracing.fastifyPlugin);
  // Every service's routes answer errors in this shape and refer to it as 'Error'.
  app.addSchema(ErrorBody);
  // The web app is built to run from its own files only: no inline or foreign script, style or
  // connection, never framed (clickjacking), no MIME sniffing, no URL leaked in Referer.
  void app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });

  // Query strings and paths are text, so their numbers and booleans are coerced; a JSON body means
  // what it says, so `"tags": "work"` or `"due_at": null` is never silently reinterpreted.
  const strictAjv = newAjv(false);
  const coercingAjv = newAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema),
  );
  // Only JSON bodies are accepted: anything else is 415, not a string that fails validation later.
  app.removeContentTypeParser('text/plain');
  // Refused once here for every route, before anything walks or stores the input: U+0000, which
  // PostgreSQL text cannot hold, and nesting deeper than any request needs.
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const problem = inputProblem(value);
      if (problem) throw badRequest(problem.field || part, problem.reason);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return reply.status(error.statusCode).send(error.toBody());
    if (error instanceof DomainError) {
      return reply
        .status(DOMAIN_ERROR_STATUS[error.kind])
        .send(errorBody(error.code, error.message, error.field, error.details));
    }
    if (error.validation) {
      const { field, message } = describeValidationError(error);
      return reply.status(400).send({ error: { code: 'invalid_input', message, field } });
    }
    const status = error.statusCode ?? 500;
    if (status < 500) {
      const code = errorCode(error);
      // The body as a whole is at fault: too large, or not of a type the route reads.
      const field =
        code === 'payload_too_large' || code === 'unsupported_media_type' ? { field: 'body' } : {};
      return reply.status(status).send({ error: { code, message: error.message, ...field } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url}` } }),
  );

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const failures: string[] = [];
    await Promise.all(
      options.readiness.map(async ({ name, check }) => {
        try {
          await check();
        } catch (error) {
          failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
    if (failures.length > 0) return reply.status(503).send({ status: 'unavailable', failures });
    return { status: 'ready' };
  });
  return app;
}

/**
 * Objects and arrays inside one another, at most: far more than any route's schema has (a task
 * body is 3 deep, an MCP call 5), few enough that no later recursive walk can run out of stack.
 */
export const MAX_INPUT_DEPTH = 32;

/**
 * ajv-formats' `uuid` also accepts a `urn:uuid:` prefix, which PostgreSQL's uuid type refuses;
 * every id route would pass such an id to a query and fail with a 500.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function newAjv(coerceTypes: false | 'array') {
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  addFormats(ajv);
  ajv.addFormat('uuid', UUID);
  return ajv;
}

/**
 * The first string or key containing U+0000, by its path ("tags.1", "" for the value itself), or
 * the top-level field under which the input nests deeper than MAX_INPUT_DEPTH. Iterative with an
 * explicit stack: a 30,000-deep body must get its 400, not overflow the call stack.
 */
function inputProblem(input: unknown): { field: string; reason: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: path, reason: 'must not contain NUL characters' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      return { field: path.split('.')[0] ?? '', reason: `nests deeper than ${MAX_INPUT_DEPTH} levels` };
    }
    // Reversed onto the stack, so fields are checked in the order the client sent them.
    for (const [key, item] of Object.entries(value).reverse()) {
      const itemPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { field: itemPath, reason: 'must not contain NUL characters' };
      stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The HTTP status of each kind of domain refusal; the domain itself knows nothing of HTTP. */
const DOMAIN_ERROR_STATUS: Record<DomainError['kind'], number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
};

/** Turns Ajv's first error into "field: reason", with the field named as the client sent it. */
function describeValidationError(error: FastifyError): { field: string; message: string } {
  const first = error.validation?.[0];
  const path = (first?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const missing =
    (first?.params as { missingProperty?: string; additionalProperty?: string } | undefined) ?? {};
  let field = path;
  let reason = first?.message ?? 'is invalid';
  if (missing.missingProperty) {
    field = path ? `${path}.${missing.missingProperty}` : missing.missingProperty;
    reason = 'is required';
  } else if (missing.additionalProperty) {
    field = path ? `${path}.${missing.additionalProperty}` : missing.additionalProperty;
    reason = 'is not a known field';
  } else if (first?.keyword === 'enum') {
    const allowed = (first.params as { allowedValues?: unknown[] }).allowedValues;
    reason = `must be one of ${allowed?.join(', ')}`;
  }
  const where = error.validationContext;
  const name = field || (where === 'body' ? 'body' : (where ?? 'request'));
  return { field: name, message: `${name}: ${reason}` };
}

function errorCode(error: FastifyError): string {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'payload_too_large';
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'unsupported_media_type';
  if (error.code?.startsWith('FST_ERR_CTP')) return 'invalid_body';
  if (error.statusCode === 429) return 'rate_limited';
  return 'bad_request';
}
