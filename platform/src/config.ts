import { envSchema } from 'env-schema';
import { type Static, Type } from 'typebox';

/** A string enum whose validation error lists the allowed values once. */
function oneOf<const T extends readonly string[]>(values: T, defaultValue: T[number]) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: values, default: defaultValue });
}

/**
 * Every setting the product reads, validated once at start-up so that a typo fails loudly with the
 * variable's name instead of surfacing later as a strange runtime error.
 */
const ConfigSchema = Type.Object({
  TODO_MODE: oneOf(['embedded', 'distributed'] as const, 'embedded'),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /**
   * The token the Dapr sidecar sends in `dapr-api-token` on every call to the app; internal routes
   * (subscriptions, job callbacks, /internal/*) refuse calls without it. Generated into DATA_DIR
   * when unset in embedded mode; required in distributed mode.
   */
  APP_API_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** The token the app sends its sidecar in `dapr-api-token` (daprd refuses calls without it). */
  DAPR_API_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** `/metrics` listens here (on HOST), on a listener of its own, never on the public port; 0 picks one. */
  METRICS_PORT: Type.Integer({ default: 9464, minimum: 0, maximum: 65535 }),

  JWT_TTL: Type.String({ default: '7d', pattern: '^[0-9]+[smhd]$' }),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  LOGIN_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 10, minimum: 1 }),
  /** Chat messages one user may send per minute; each turn parses text and scores tasks. */
  CHAT_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 30, minimum: 1 }),
  /** Across every client: bounds a distributed guessing attack on one account. */
  LOGIN_ACCOUNT_RATE_LIMIT_PER_HOUR: Type.Integer({ default: 100, minimum: 1 }),
  /**
   * Which proxies' X-Forwarded-For to believe for the client address: empty (none: the socket's
   * peer is the client), `true`, a hop count, or addresses/CIDRs/`loopback` comma-separated.
   */
  TRUST_PROXY: Type.String({ default: '', maxLength: 1000 }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 65_536, minimum: 1024 }),
  /** Headers and body of a request must arrive within this (slow senders are cut off). */
  REQUEST_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  /** A connection silent both ways this long is closed (open WebSockets are kept by heartbeats). */
  IDLE_TIMEOUT_MS: Type.Integer({ default: 60_000, minimum: 1000 }),
  /** Live-sync sockets one account may hold open in one process; the next is closed with 1008. */
  WS_MAX_PER_USER: Type.Integer({ default: 20, minimum: 1 }),
  /** `/mcp` requests (a batch counts once) per account per minute. */
  MCP_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 120, minimum: 1 }),
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ default: 'Todo Chatbot <reminders@todo.localhost>' }),
  /** Verification e-mails one account may cause per hour (`POST /api/me/verify-email`). */
  EMAIL_VERIFICATION_PER_HOUR: Type.Integer({ default: 5, minimum: 1 }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  OPENAI_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  OPENAI_BASE_URL: Type.String({ default: 'https://api.openai.com/v1', pattern: '^https?://' }),
  OPENAI_MODEL: Type.String({ default: 'gpt-4o-mini' }),
  /** Per call to the LLM provider; past it the chat answers that the model is unavailable. */
  OPENAI_TIMEOUT_MS: Type.Integer({ default: 20_000, minimum: 100 }),
  DAPR_HTTP_PORT: Type.Integer({ default: 3500, minimum: 1, maximum: 65535 }),
  /** Live-sync heartbeat and dead-socket check; clients treat long silence as a broken socket. */
  WS_HEARTBEAT_MS: Type.Integer({ default: 25_000, minimum: 50 }),
  /**
   * Pages allowed to open `/ws`, comma-separated origins: the app's own origin (the request's Host,
   * and PUBLIC_URL's) always is; clients that send no Origin (programs) are not browsers.
   */
  WS_ALLOWED_ORIGINS: Type.String({ default: '', maxLength: 2000 }),
  /**
   * Tracing is on when set: spans go to this Zipkin-compatible endpoint (Zipkin's
   * `http://host:9411/api/v2/spans`, or an OpenTelemetry Collector's zipkin receiver). Off by default.
   */
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 2000 })),
});

export type Config = Static<typeof ConfigSchema>;

/**
 * Development values published in this repository (compose.yaml, deploy/dapr/*\/secrets.json):
 * fine on a laptop, never in a deployment, so distributed mode refuses to start with them.
 */
const PUBLISHED_JWT_SECRETS = new Set(['dev-only-jwt-secret-change-me-0123456789abcdef']);
const PUBLISHED_DATABASE_PASSWORDS = new Set(['todo-dev-only']);

/** What a distributed service process must be given; a one-shot command may need less. */
const SERVICE_NEEDS = ['DATABASE_URL', 'JWT_SECRET', 'APP_API_TOKEN', 'DAPR_API_TOKEN'] as const;

/**
 * Reads and validates the configuration; throws one error naming every bad variable. `needs`:
 * the settings distributed mode must have (a migration needs only the database).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  needs: readonly (typeof SERVICE_NEEDS)[number][] = SERVICE_NEEDS,
): Config {
  const config = envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false });
  if (config.TODO_MODE === 'distributed') {
    const missing = needs.filter((name) => !config[name]);
    if (missing.length > 0) {
      throw new Error(`config: distributed mode requires ${missing.join(', ')}`);
    }
    const published = [
      ...(PUBLISHED_JWT_SECRETS.has(config.JWT_SECRET ?? '') ? ['JWT_SECRET'] : []),
      ...(PUBLISHED_DATABASE_PASSWORDS.has(databasePassword(config.DATABASE_URL ?? ''))
        ? ['DATABASE_URL']
        : []),
    ];
    if (published.length > 0) {
      throw new Error(
        `config: ${published.join(' and ')} ${published.length > 1 ? 'hold' : 'holds'} a development value ` +
          'published in this repository; distributed mode needs secrets of its own ' +
          '(e.g. `openssl rand -base64 48` for JWT_SECRET, a new database password)',
      );
    }
  }
  return config;
}

function databasePassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** TRUST_PROXY as Fastify's `trustProxy` option. */
export function trustProxyOf(config: Pick<Config, 'TRUST_PROXY'>): TrustProxy {
  const value = config.TRUST_PROXY.trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (!/^[0-9]+$/.test(value)) return value;
  const hops = Number(value);
  return (_address, hop) => hop < hops;
}

/** Whose X-Forwarded-For to believe: nobody, everybody, these addresses, or the first `n` hops. */
export type TrustProxy = boolean | string | ((address: string, hop: number) => boolean);
