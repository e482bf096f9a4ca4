/** The loopback HTTP API of this process's Dapr sidecar. */
export class DaprClient {
  readonly baseUrl: string;

  constructor(httpPort: number) {
    this.baseUrl = `http://127.0.0.1:${httpPort}`;
  }

  fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const { json, ...rest } = init;
    return fetch(`${this.baseUrl}${path}`, {
      ...rest,
      ...(json === undefined
        ? {}
        : { body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...rest.headers } }),
      signal: rest.signal ?? AbortSignal.timeout(30_000),
    });
  }

  /** Throws with the sidecar's own error text when the answer is not 2xx. */
  async ok(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const response = await this.fetch(path, init);
    if (!response.ok) {
      throw new Error(`dapr ${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
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
