import { describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.js';
import { ApiClient } from '../support/client.js';
import { freePort } from '../support/process.js';

describe('tracing into a backend that is down', () => {
  it('the app serves as usual and stops cleanly, dropping the spans it could not send', async () => {
    // Zipkin's exporter pointed at a loopback port nothing listens on: every export is refused.
    const app = await startTestApp({
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${await freePort()}/api/v2/spans`,
      LOG_LEVEL: 'silent',
    });
    let closed = false;
    try {
      const user = await new ApiClient(app.url).signup();
      const created = await user.post('/api/tasks', { title: 'Traced, backend down' });
      expect(created.status).toBe(201);
      expect((await user.get(`/api/tasks/${created.body.id}`)).body.title).toBe('Traced, backend down');
      // Stopping flushes the buffered spans; the refused flush must not make the stop fail.
      await expect(app.close()).resolves.toBeUndefined();
      closed = true;
    } finally {
      if (!closed) await app.close().catch(() => undefined);
    }
  });
});
