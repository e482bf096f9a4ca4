import type { FastifyRequest } from 'fastify';

/**
 * Where links the app hands out (in e-mails, calendar subscriptions) point: PUBLIC_URL when set,
 * otherwise the origin this request came to (its Host, or X-Forwarded-Host/-Proto from a trusted
 * proxy) — which the client chose, so deployments should set PUBLIC_URL.
 */
export const publicBaseOf = (request: FastifyRequest, publicUrl: string | undefined): string =>
  publicUrl ?? `${request.protocol}://${request.host}`;
