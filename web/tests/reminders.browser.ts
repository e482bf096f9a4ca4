import { expect } from 'vitest';
import { ApiAs } from './support/api';
import { screenshot, signUp, taskRow, test, uniqueEmail, waitForLive } from './support/browser';

test('a due reminder shows as a toast and in the notification centre', async ({ openSession }) => {
  const { page } = await openSession();
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
});
