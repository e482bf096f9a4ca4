import { expect } from 'vitest';
import { ApiAs } from './support/api';
import { eventually, signUp, test, uniqueEmail, waitForLive } from './support/browser';
import { hoursFromNow } from './support/dates';

test('loads further pages as the list is scrolled', async ({ openSession }) => {
  const { page } = await openSession({
    viewport: { width: 1280, height: 600 },
  });
  await signUp(page, uniqueEmail('paging'));
  await waitForLive(page);
  const api = await ApiAs.of(page);
  for (let index = 1; index <= 45; index++) {
    await api.createTask({ title: `Chore ${String(index).padStart(2, '0')}`, due_at: hoursFromNow(index) });
  }
  await page.reload();
  const rows = page.locator('.task-row');
  await rows.first().waitFor();
  expect(await rows.count()).toBeLessThan(45);
  await eventually(async () => {
    await page.mouse.wheel(0, 5000);
    return (await rows.count()) === 45;
  }, 'every page to load while scrolling');
  await expect(rows.last().locator('.task-title').textContent()).resolves.toBe('Chore 45');
});
