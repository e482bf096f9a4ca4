import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.js';
import type { HttpServer } from './server.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The header Dapr puts its app API token (APP_API_TOKEN) in, on every call it makes to the app. */
export const DAPR_TOKEN_HEADER = 'dapr-api-token';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Restricts every route of the encapsulating plugin to the app's own sidecar (or the local job
 * scheduler, or an operator's command inside the pod): the caller must be on the same host AND
 * present the app API token in `dapr-api-token`. The address alone proves nothing — any proxy on
 * the host, the local gateway included, forwards from outside — so a request without the token
 * is 401 and one with another token 403, whatever its address.
 */
export function internalOnly(app: HttpServer, { token, what }: { token: string; what: string }): void {
  const expected = digest(token);
  app.addHook('onRequest', async (request) => {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) {
      throw new HttpError(403, 'forbidden', `${what} is only reachable from the same host`);
    }
    const given = request.headers[DAPR_TOKEN_HEADER];
    if (typeof given !== 'string' || given === '') {
      throw new HttpError(401, 'unauthorized', `${what} requires the app API token (${DAPR_TOKEN_HEADER})`);
    }
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (!timingSafeEqual(digest(given), expected)) {
      throw new HttpError(403, 'forbidden', `${what}: the ${DAPR_TOKEN_HEADER} is not this app's token`);
    }
  });
}
