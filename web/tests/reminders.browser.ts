import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ApiAs } from './support/api';
import {
  launchBrowser,
  openSession,
  screenshot,
  signUp,
  taskRow,
  uniqueEmail,
  waitForLive,
} from './support/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('a due reminder shows as a toast and in the notification centre', async () => {
  const { page, context, consoleErrors } = await openSession(browser);
  await signUp(page, uniqueEmail('reminder'));
  await waitForLive(page);
  const api = await ApiAs.of(page);
  const dueAt = new Date(Date.now() + 15_000).toISOString();
  await api.createTask({ title: 'Take the cake out', due_at: dueAt, reminders: ['PT0M'] });
  await taskRow(page, 'Take the cake out').waitFor();

  const toast = page.locator('.toast-reminder');
  await toast.waitFor({ timeout: 75_000 });
  await expect(toast.textContent()).resolves.toContain('Take the cake out');
  await screenshot(page, 'reminder-toast');

  const bell = page.getByRole('button', { name: /Notifications, 1 unread/ });
  await bell.click();
  const centre = page.getByRole('region', { name: 'Notification centre' });
  await centre.getByText('Take the cake out').first().waitFor();
  await screenshot(page, 'notification-centre');
  await centre.getByRole('button', { name: 'Mark all read' }).click();
  await page.getByRole('button', { name: /Notifications, 0 unread/ }).waitFor();

  expect(consoleErrors).toEqual([]);
  await context.close();
});
