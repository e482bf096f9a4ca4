import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { wallClockIn, wallClockToInstant } from '../src/lib/time';
import { ApiAs } from './support/api';
import {
  openSession,
  type Session,
  screenshot,
  signUp,
  TIME_ZONE,
  taskRow,
  test,
  uniqueEmail,
  unnamedControls,
  waitForLive,
} from './support/browser';

let session: Session;
let page: Page;
let api: ApiAs;

test.beforeAll(async ({ browser }) => {
  session = await openSession(browser);
  page = session.page;
  await signUp(page, uniqueEmail('quick-add'));
  await waitForLive(page);
  api = await ApiAs.of(page);
});
test.afterAll(async () => {
  expect(session.consoleErrors).toEqual([]);
  await session.context.close();
});

/** The next 1st of a month at 09:00 in the test zone, as an instant: where "every 1st at 9am" starts. */
function nextFirstAtNine(): Date {
  const now = new Date();
  const today = wallClockIn(now, TIME_ZONE);
  const thisMonth = wallClockToInstant(
    { year: today.year, month: today.month, day: 1, hour: 9, minute: 0 },
    TIME_ZONE,
  );
  if (thisMonth > now) return thisMonth;
  const next =
    today.month === 12 ? { year: today.year + 1, month: 1 } : { year: today.year, month: today.month + 1 };
  return wallClockToInstant({ ...next, day: 1, hour: 9, minute: 0 }, TIME_ZONE);
}

describe.sequential('quick add', () => {
  test('shows what a typed line will create, and Enter creates exactly that', async () => {
    const box = page.getByRole('textbox', { name: 'Quick add' });
    await box.pressSequentially('Pay rent every 1st at 9am #home p1', { delay: 15 });
    const preview = page.getByRole('definition');
    const field = (name: string) => page.locator(`.quick-add-preview [data-field="${name}"] dd`);
    await field('title')
      .filter({ hasText: /^Pay rent$/ })
      .waitFor();
    const due = nextFirstAtNine();
    // The page's locale is en-GB: "Friday, 1 January 2027 at 09:00".
    const full = due.toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: TIME_ZONE });
    await expect(field('due').textContent()).resolves.toContain(`(${full})`);
    await expect(field('repeat').textContent()).resolves.toMatch(/monthly/i);
    await expect(field('priority').textContent()).resolves.toBe('urgent');
    await expect(field('tags').textContent()).resolves.toBe('#home');
    await expect(field('reminders').textContent()).resolves.toBe('none');
    expect(await preview.count()).toBe(6);
    // Nothing is written while typing.
    expect(await api.listTasks('limit=10')).toEqual([]);
    await screenshot(page, 'quick-add-preview');
    expect(await unnamedControls(page)).toEqual([]);

    await box.press('Enter');
    const row = taskRow(page, 'Pay rent');
    await row.waitFor();
    await expect(box.inputValue()).resolves.toBe('');
    await expect(row.locator('.recurrence-badge').textContent()).resolves.toMatch(/monthly/i);
    await expect(row.locator('.priority-badge').textContent()).resolves.toBe('urgent');
    await expect(row.locator('.tag').allTextContents()).resolves.toEqual(['#home']);
    await screenshot(page, 'quick-add-created');

    const [saved, ...others] = await api.listTasks('limit=10');
    expect(others).toEqual([]);
    expect(saved).toMatchObject({
      title: 'Pay rent',
      due_at: due.toISOString(),
      all_day: false,
      recurrence: 'FREQ=MONTHLY;BYMONTHDAY=1',
      priority: 'urgent',
      tags: ['home'],
      reminders: [],
      status: 'open',
    });
  });

  test('says why a line with no task in it cannot be added, and adds nothing on Enter', async () => {
    const box = page.getByRole('textbox', { name: 'Quick add' });
    await box.fill('tomorrow at 9 #home');
    await page.locator('.quick-add-error').filter({ hasText: 'names no task' }).waitFor();
    await box.press('Enter');
    await page.locator('.quick-add-error').filter({ hasText: 'names no task' }).waitFor();
    expect(await api.listTasks('limit=10')).toHaveLength(1);
    await box.press('Escape');
    await expect(box.inputValue()).resolves.toBe('');
  });
});
