import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@todo/platform/db/connect';
import { afterAll, describe, expect, it } from 'vitest';
import { startPrivatePostgres } from '../../runtime/src/private-postgres.js';
import { ApiClient } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { AppProcess, freePort } from '../support/process.js';

describe('crash between commit and publish (embedded)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'todo-crash-'));
  let app: AppProcess;
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 right after writes were acknowledged, restart: every event is delivered, none twice', {
    timeout: 240_000,
  }, async () => {
    app = new AppProcess({ DATA_DIR: dataDir }, await freePort(), await freePort());
    await app.start();
    const user = await new ApiClient(app.url).signup('UTC');
    const tasks: { id: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const { body } = await user.post('/api/tasks', {
        title: `Recurring ${i}`,
        due_at: '2099-01-01T10:00:00Z',
        recurrence: 'FREQ=DAILY',
      });
      tasks.push(body);
    }
    await eventually(async () => {
      const { body } = await user.get('/api/tasks?limit=200');
      expect(body.items).toHaveLength(12);
    });

    // Complete them all at once; crash the moment the first completion is acknowledged.
    const acknowledged: string[] = [];
    const completions = tasks.map((task) =>
      user.post(`/api/tasks/${task.id}/complete`).then(
        (response) => response.status === 200 && acknowledged.push(task.id),
        () => undefined,
      ),
    );
    await Promise.race(completions);
    await app.kill();
    await Promise.allSettled(completions);
    expect(acknowledged.length).toBeGreaterThan(0);

    // While it is down: acknowledged writes are committed, and some of their events never left.
    // (Its server outlived it; opening the data directory's server stops that orphan first.)
    const server = await startPrivatePostgres({ dataDir });
    const db = openDatabase({ url: server.url() });
    const unsent = await db.selectFrom('outbox').select('id').where('published_at', 'is', null).execute();
    await db.destroy();
    await server.stop();
    expect(unsent.length).toBeGreaterThan(0);

    await app.start();
    const { body: page } = await eventually(async () => {
      const response = await user.get('/api/tasks?limit=200');
      const seriesSizes = tasks.map(
        (task) => response.body.items.filter((t: { series_id: string }) => t.series_id === task.id).length,
      );
      for (const [index, task] of tasks.entries()) {
        const completed =
          response.body.items.find((t: { id: string }) => t.id === task.id)?.status === 'completed';
        // Every committed completion got its next occurrence, exactly one.
        expect(seriesSizes[index]).toBe(completed ? 2 : 1);
      }
      return response;
    }, 60_000);
    for (const id of acknowledged) {
      expect(page.items.find((t: { id: string }) => t.id === id)?.status).toBe('completed');
    }
    await eventually(async () => {
      const response = await fetch(app.metricsUrl);
      expect(await response.text()).toMatch(/^outbox_backlog 0$/m);
    }, 30_000);
  });
});
