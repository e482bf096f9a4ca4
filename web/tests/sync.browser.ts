import { expect } from 'vitest';
import { ApiAs } from './support/api';
import {
  eventually,
  screenshot,
  signIn,
  signUp,
  taskRow,
  test,
  uniqueEmail,
  waitForLive,
} from './support/browser';
import { hoursFromNow } from './support/dates';

declare global {
  interface Window {
    /** The app's sockets, kept by the reconnect test's init script so it can cut the connection. */
    testSockets: WebSocket[];
  }
}

test('two browsers of the same user stay in sync without reloading', async ({ openSession }) => {
  const email = uniqueEmail('sync');
  const laptop = await openSession();
  const phone = await openSession({ viewport: { width: 390, height: 844 } });
  await signUp(laptop.page, email);
  await signIn(phone.page, email);
  await Promise.all([waitForLive(laptop.page), waitForLive(phone.page)]);

  await laptop.page.getByRole('button', { name: '+ New task' }).click();
  const dialog = laptop.page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill('Book dentist');
  await dialog.getByRole('button', { name: 'Add task' }).click();
  await taskRow(phone.page, 'Book dentist').waitFor({ timeout: 10_000 });

  await taskRow(phone.page, 'Book dentist').getByRole('checkbox').check();
  await taskRow(laptop.page, 'Book dentist').waitFor({ state: 'detached', timeout: 10_000 });

  const api = await ApiAs.of(laptop.page);
  const task = await api.createTask({
    title: 'Renew passport',
    priority: 'urgent',
    due_at: hoursFromNow(72),
  });
  await Promise.all([
    taskRow(laptop.page, 'Renew passport').waitFor(),
    taskRow(phone.page, 'Renew passport').waitFor(),
  ]);
  await screenshot(phone.page, 'sync-phone');

  await taskRow(laptop.page, 'Renew passport').locator('.task-main').click();
  const edit = laptop.page.getByRole('dialog', { name: 'Edit task' });
  await edit.getByLabel('Title').fill('Renew passport and ID');
  await edit.getByRole('button', { name: 'Save' }).click();
  await taskRow(phone.page, 'Renew passport and ID').waitFor({ timeout: 10_000 });

  await taskRow(phone.page, 'Renew passport and ID')
    .getByRole('button', { name: /Delete/ })
    .click();
  await eventually(async () => (await api.getTask(task.id)).status === 404, 'the delayed DELETE', 12_000);
  await taskRow(laptop.page, 'Renew passport and ID').waitFor({ state: 'detached', timeout: 10_000 });
  await screenshot(laptop.page, 'sync-laptop');
});

test('another user sees none of my tasks', async ({ openSession }) => {
  const owner = await openSession();
  await signUp(owner.page, uniqueEmail('owner'));
  const ownerApi = await ApiAs.of(owner.page);
  const secret = await ownerApi.createTask({ title: 'Surprise party planning' });
  await taskRow(owner.page, 'Surprise party planning').waitFor();

  const stranger = await openSession();
  await signUp(stranger.page, uniqueEmail('stranger'));
  await waitForLive(stranger.page);
  await stranger.page.getByText('Nothing to do.').waitFor();
  await ownerApi.createTask({ title: 'Another secret' });
  await taskRow(owner.page, 'Another secret').waitFor();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await expect(stranger.page.locator('.task-row').count()).resolves.toBe(0);

  const strangerApi = await ApiAs.of(stranger.page);
  expect((await strangerApi.getTask(secret.id)).status).toBe(404);
  expect(await strangerApi.listTasks('q=Surprise')).toEqual([]);
  await screenshot(stranger.page, 'other-user-empty');
});

test('reconnects after the connection drops and catches up on what it missed', async ({ openSession }) => {
  const { page, context } = await openSession();
  // Keep a handle on the app's sockets so the test can cut the connection.
  await context.addInitScript(() => {
    const NativeWebSocket = window.WebSocket;
    const sockets: WebSocket[] = [];
    Object.assign(window, { testSockets: sockets });
    window.WebSocket = class extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
  await signUp(page, uniqueEmail('reconnect'));
  await waitForLive(page);
  const api = await ApiAs.of(page);
  await api.createTask({ title: 'Before the drop' });
  await taskRow(page, 'Before the drop').waitFor();

  await page.evaluate(() => window.testSockets.at(-1)?.close());
  await page.locator('.connection.offline').waitFor();
  await api.createTask({ title: 'Made while offline' });
  await waitForLive(page);
  await taskRow(page, 'Made while offline').waitFor({ timeout: 10_000 });
  const urls = await page.evaluate(() => window.testSockets.map((socket) => socket.url));
  expect(urls.at(-1)).toMatch(/[?&]since=\d+/);
});
