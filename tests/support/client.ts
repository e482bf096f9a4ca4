/** A tiny JSON client for the HTTP API, as a user's program would call it. */
export interface Response<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    public token?: string,
    /** Sent with every request (the app API token of an internal caller). */
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...this.defaultHeaders,
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (metrics, HTML): keep the text.
    }
    return { status: response.status, body: parsed as T, headers: response.headers } satisfies Response<T>;
  }

  get = <T = any>(path: string, headers?: Record<string, string>) =>
    this.request<T>('GET', path, undefined, headers);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>('POST', path, body ?? {}, headers);
  patch = <T = any>(path: string, body: unknown, headers?: Record<string, string>) =>
    this.request<T>('PATCH', path, body, headers);
  delete = <T = any>(path: string, headers?: Record<string, string>) =>
    this.request<T>('DELETE', path, undefined, headers);

  /** Every item of a paginated listing (`{ items, next_cursor }`), following the cursors. */
  async getAll<T = any>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: Response<{ items: T[]; next_cursor: string | null }> = await this.get(
        `${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (page.status !== 200) throw new Error(`GET ${path}: ${page.status} ${JSON.stringify(page.body)}`);
      items.push(...page.body.items);
      cursor = page.body.next_cursor;
    } while (cursor);
    return items;
  }

  /** Signs up a new user with a unique address and keeps its token. */
  async signup(timezone = 'Europe/Berlin'): Promise<ApiClient> {
    const email = `user-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const { status, body } = await this.post('/api/auth/signup', {
      email,
      password: 'correct horse',
      timezone,
    });
    if (status !== 201) throw new Error(`signup failed: ${status} ${JSON.stringify(body)}`);
    return new ApiClient(this.baseUrl, body.token);
  }
}
