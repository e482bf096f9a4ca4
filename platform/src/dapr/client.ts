import { DependencyUnavailable } from '../dependency-unavailable.js';
import { DAPR_TOKEN_HEADER } from '../http/internal-only.js';
import { traceHeaders } from '../telemetry/tracing.js';

/**
 * Answers that mean "not reachable right now" rather than "this request is wrong": gateway and
 * availability statuses, and Dapr's ERR_DIRECT_INVOKE (the target app did not answer: down,
 * restarting, or its circuit breaker is open). An app's own 500 passes through with its own body.
 */
const UNAVAILABLE_STATUSES = new Set([429, 502, 503, 504]);
const isUnavailable = (status: number, body: string) =>
  UNAVAILABLE_STATUSES.has(status) || body.includes('ERR_DIRECT_INVOKE');

/** The loopback HTTP API of this process's Dapr sidecar. */
export class DaprClient {
  readonly baseUrl: string;

  constructor(
    httpPort: number,
    /** DAPR_API_TOKEN: the sidecar refuses every API call but its health checks without it. */
    private readonly apiToken?: string,
  ) {
    this.baseUrl = `http://127.0.0.1:${httpPort}`;
  }

  fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const { json, ...rest } = init;
    return fetch(`${this.baseUrl}${path}`, {
      ...rest,
      headers: {
        // The sidecar continues the active trace (its spans join it, and it passes it on).
        ...traceHeaders(),
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.apiToken ? { [DAPR_TOKEN_HEADER]: this.apiToken } : {}),
        ...(rest.headers as Record<string, string> | undefined),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      signal: rest.signal ?? AbortSignal.timeout(30_000),
    });
  }

  /**
   * Throws with the sidecar's own error text when the answer is not 2xx: DependencyUnavailable
   * when the sidecar or the service behind it could not be reached, a plain Error otherwise.
   */
  async ok(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const what = `dapr ${init.method ?? 'GET'} ${path}`;
    const response = await this.fetch(path, init).catch((error: unknown) => {
      throw new DependencyUnavailable(`${what}: sidecar unreachable (${String(error)})`);
    });
    if (!response.ok) {
      const body = await response.text();
      const message = `${what}: ${response.status} ${body}`;
      throw isUnavailable(response.status, body) ? new DependencyUnavailable(message) : new Error(message);
    }
    return response;
  }

  /** For /readyz: the sidecar's components are loaded and its APIs answer. */
  async healthy(): Promise<void> {
    const response = await this.fetch('/v1.0/healthz/outbound', { signal: AbortSignal.timeout(2000) }).catch(
      (error: unknown) => {
        throw new Error(`sidecar unreachable at ${this.baseUrl} (${String(error)})`);
      },
    );
    if (!response.ok) throw new Error(`sidecar not ready (${response.status})`);
  }
}
