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
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://' })),
  MAIL_FROM: Type.String({ default: 'Todo Chatbot <reminders@todo.localhost>' }),
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
});

export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the configuration; throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false });
  if (config.TODO_MODE === 'distributed') {
    const missing = (['DATABASE_URL', 'JWT_SECRET'] as const).filter((name) => !config[name]);
    if (missing.length > 0) {
      throw new Error(`config: distributed mode requires ${missing.join(', ')}`);
    }
  }
  return config;
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
