/**
 * A rejected input field. Carries the HTTP-facing shape (status, code, field) so that every edge —
 * REST, MCP, chat — reports it the same way without the domain knowing about HTTP.
 */
export class FieldError extends Error {
  readonly statusCode = 400;
  readonly code = 'invalid_input';
  readonly expose = true;

  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'FieldError';
  }
}
