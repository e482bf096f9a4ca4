import { HttpError } from './errors.js';
import type { HttpServer } from './server.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Restricts every route of the encapsulating plugin to callers on the same host: the local job
 * scheduler, the Dapr sidecar, an operator's command run inside the pod. Never the ingress.
 */
export function localOnly(app: HttpServer, what: string): void {
  app.addHook('onRequest', async (request) => {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) {
      throw new HttpError(403, 'forbidden', `${what} is only reachable from the same host`);
    }
  });
}
