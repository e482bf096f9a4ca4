/** The one error shape of the HTTP surface: `{ error: { code, message, field?, ...details } }`. */
export function errorBody(code: string, message: string, field?: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(field === undefined ? {} : { field }), ...details } };
}

/**
 * A refusal at the HTTP edge (routes, authentication); the server's error handler renders it.
 * Code below the edge throws the domain's errors instead (FieldError, NotFoundError, ConflictError).
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Extra members of the error body, e.g. the current resource on a version conflict. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody() {
    return errorBody(this.code, this.message, this.field, this.details);
  }
}

export const badRequest = (field: string, message: string) =>
  new HttpError(400, 'invalid_input', `${field}: ${message}`, field);
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const unauthorized = (message = 'missing or invalid bearer token') =>
  new HttpError(401, 'unauthorized', message);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new HttpError(409, code, message, undefined, details);
