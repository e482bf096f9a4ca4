/**
 * What the domain and the services' write paths refuse, as a machine code and a sentence. They know
 * nothing of transports: each edge maps them — HTTP in platform/http/server.ts (400, 404, 409), the
 * assistant's tools into a ToolError — so REST, MCP and chat report a refusal the same way.
 */
export abstract class DomainError extends Error {
  /** Which kind of refusal, for the edges to map (HTTP: 400, 404, 409). */
  abstract readonly kind: 'invalid_input' | 'not_found' | 'conflict';
  abstract readonly code: string;
  /** Extra members of the error body, e.g. the current task on a version conflict. */
  readonly details?: Record<string, unknown>;
  /** The offending input field, when one is to blame. */
  readonly field?: string;
}

/** A rejected input field. */
export class FieldError extends DomainError {
  readonly kind = 'invalid_input';
  readonly code = 'invalid_input';

  constructor(
    override readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'FieldError';
  }
}

/** The thing does not exist, or belongs to someone else (the caller cannot tell which). */
export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'not_found';

  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** The request is valid but the current state refuses it (a stale version, a series that ended). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';

  constructor(
    readonly code: string,
    message: string,
    override readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}
