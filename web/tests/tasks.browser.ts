import type { Browser, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { Task } from '../src/api/types';
import { ApiAs } from './support/api';
import {
  eventually,
  openSession,
  type Session,
  screenshot,
  signUp,
  taskRow,
  test,
  uniqueEmail,
  unnamedControls,
  waitForLive,
} from './support/browser';
import { hoursFromNow, nextWeekday } from './support/dates';

// One signed-in session for the whole file: the tests below build on each other's tasks.
let browser: Browser;
let session: Session;
let page: Page;
let api: ApiAs;

test.beforeAll(async ({ browser: launched }) => {
  browser = launched;
  session = await openSession(browser);
  page = session.page;
  await signUp(page, uniqueEmail('tasks'));
  await waitForLive(page);
  api = await ApiAs.of(page);
});
test.afterAll(async () => {
  expect(session.consoleErrors).toEqual([]);
  await session.context.close();
});

const rowTitles = () => page.locator('.task-row .task-title').allTextContents();

describe.sequential('tasks', () => {
  test('creates a weekly task with a reminder and previews its dates', async () => {
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await dialog.waitFor();
    await dialog.getByLabel('Title').fill('Water the plants');
    await dialog.getByLabel('Priority').selectOption('high');
    await dialog.getByLabel('Due date').fill(nextWeekday(1));
    await dialog.getByLabel('Time', { exact: true }).fill('09:00');
    await dialog.getByLabel('Tags').fill('home');
    await dialog.getByLabel('Tags').press('Enter');
    await dialog.getByLabel('30 min before').check();
    await dialog.getByRole('combobox', { name: 'Repeat' }).selectOption('weekly');
    await dialog.getByRole('button', { name: 'Wed', exact: true }).click();
    await dialog.getByText('weekly on Mon, Wed').waitFor();
    const preview = await dialog.locator('.occurrences').textContent();
    expect(preview).toMatch(/Mon.*Wed.*Mon/);
    await screenshot(page, 'create-recurring-task');
    expect(await unnamedControls(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add task' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = taskRow(page, 'Water the plants');
    await row.waitFor();
    await expect(row.locator('.recurrence-badge').textContent()).resolves.toContain('weekly on Mon, Wed');
    await expect(row.locator('.reminder-badge').textContent()).resolves.toContain('30 min before');
    await expect(row.locator('.due').textContent()).resolves.toMatch(/9:00/);
    const [saved] = await api.listTasks('q=Water');
    expect(saved?.recurrence).toMatch(/FREQ=WEEKLY/);
    expect(saved?.reminders).toEqual(['PT30M']);
  });

  test('searches, filters and sorts', async () => {
    await api.createTask({
      title: 'Buy milk',
      priority: 'low',
      tags: ['groceries'],
      due_at: hoursFromNow(30),
    });
    await api.createTask({
      title: 'File taxes',
      priority: 'urgent',
      tags: ['finance'],
      due_at: hoursFromNow(-26),
    });
    await api.createTask({
      title: 'Call mom',
      priority: 'medium',
      tags: ['family'],
      due_at: hoursFromNow(50),
    });
    await eventually(async () => (await rowTitles()).length === 4, 'the tasks created elsewhere to appear');

    await page.keyboard.press('/');
    await page.getByLabel('Search tasks').pressSequentially('milk');
    await eventually(async () => (await rowTitles()).join() === 'Buy milk', 'search to keep only "Buy milk"');
    await page.getByLabel('Search tasks').fill('');
    await eventually(async () => (await rowTitles()).length === 4, 'clearing the search');

    await page.getByLabel('Priority', { exact: true }).selectOption('urgent');
    await eventually(async () => (await rowTitles()).join() === 'File taxes', 'the urgent filter');
    await page.getByLabel('Priority', { exact: true }).selectOption('');

    await page.getByLabel('Tag', { exact: true }).selectOption('groceries');
    await eventually(async () => (await rowTitles()).join() === 'Buy milk', 'the tag filter');
    await page.getByLabel('Tag', { exact: true }).selectOption('');

    await page.getByLabel('Due', { exact: true }).selectOption('overdue');
    await eventually(async () => (await rowTitles()).join() === 'File taxes', 'the overdue filter');
    await expect(taskRow(page, 'File taxes').locator('.due.overdue').isVisible()).resolves.toBe(true);
    await page.getByLabel('Due', { exact: true }).selectOption('');

    await page.getByLabel('Sort').selectOption('title');
    await eventually(
      async () => (await rowTitles()).join() === 'Buy milk,Call mom,File taxes,Water the plants',
      'sorting by title',
    );
    await page.getByLabel('Sort').selectOption('priority');
    await eventually(async () => (await rowTitles())[0] === 'File taxes', 'sorting by priority');
    await screenshot(page, 'task-list');
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByLabel('Sort').selectOption('due');
  });

  test('edits a task in the dialog and closes dialogs with Esc', async () => {
    await taskRow(page, 'Buy milk').locator('.task-main').click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await taskRow(page, 'Buy milk').locator('.task-main').click();
    await dialog.getByLabel('Title').fill('Buy oat milk');
    await dialog.getByLabel('Priority').selectOption('high');
    await dialog.getByLabel('Description').fill('The barista kind');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = taskRow(page, 'Buy oat milk');
    await row.waitFor();
    await expect(row.locator('.priority-badge').textContent()).resolves.toBe('high');
  });

  test('shows a version conflict and overwrites with my changes', async () => {
    await taskRow(page, 'Call mom').locator('.task-main').click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await dialog.waitFor();
    const [theirs] = await api.listTasks('q=Call');
    const changed = await api.request<Task>(
      'PATCH',
      `/api/tasks/${theirs!.id}`,
      { title: 'Call mom and dad' },
      { 'If-Match': String(theirs!.version) },
    );
    expect(changed.status).toBe(200);

    await dialog.getByLabel('Description').fill('Ask about the holidays');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('This task was changed elsewhere').waitFor();
    await screenshot(page, 'edit-conflict');
    await dialog.getByRole('button', { name: 'Overwrite with mine' }).click();
    await dialog.waitFor({ state: 'detached' });

    const { body: merged } = await api.getTask(theirs!.id);
    expect(merged.title).toBe('Call mom and dad');
    expect(merged.description).toBe('Ask about the holidays');
    await taskRow(page, 'Call mom and dad').waitFor();
  });

  test('completing a recurring task brings in its next occurrence', async () => {
    const row = taskRow(page, 'Water the plants');
    const firstDue = await row.locator('.due').getAttribute('title');
    await row.getByRole('checkbox').check();
    await page.getByText('Completed “Water the plants”').waitFor();
    await eventually(
      async () => {
        const due = await taskRow(page, 'Water the plants')
          .locator('.due')
          .getAttribute('title', { timeout: 500 })
          .catch(() => null);
        return due !== null && due !== firstDue;
      },
      'the next occurrence to appear in the list',
      30_000,
    );
    await expect(taskRow(page, 'Water the plants').count()).resolves.toBe(1);
    const series = await api.listTasks('q=Water');
    expect(series.map((task) => task.status).sort()).toEqual(['completed', 'open']);
    await screenshot(page, 'next-occurrence');
  });

  test('deletes with an undo window', async () => {
    await taskRow(page, 'Buy oat milk')
      .getByRole('button', { name: /Delete/ })
      .click();
    await taskRow(page, 'Buy oat milk').waitFor({ state: 'detached' });
    await page
      .locator('.toast', { hasText: 'Deleted “Buy oat milk”' })
      .getByRole('button', { name: 'Undo' })
      .click();
    await taskRow(page, 'Buy oat milk').waitFor();

    const [milk] = await api.listTasks('q=oat');
    await taskRow(page, 'Buy oat milk')
      .getByRole('button', { name: /Delete/ })
      .click();
    await eventually(async () => (await api.getTask(milk!.id)).status === 404, 'the delayed DELETE', 12_000);
    await expect(taskRow(page, 'Buy oat milk').count()).resolves.toBe(0);
  });

  test('fits a 390 px wide phone screen', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      timezoneId: 'Europe/Berlin',
      storageState: await session.context.storageState(),
      baseURL: await page.evaluate(() => location.origin),
    });
    const phonePage = await phone.newPage();
    await phonePage.goto('/');
    await taskRow(phonePage, 'Water the plants').waitFor();
    const overflow = await phonePage.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phonePage, 'phone-list');
    await phonePage.keyboard.press('n');
    const dialog = phonePage.getByRole('dialog', { name: 'New task' });
    await dialog.getByLabel('Due date').fill(nextWeekday(3));
    await dialog.getByRole('combobox', { name: 'Repeat' }).selectOption('custom');
    expect(await dialog.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await screenshot(phonePage, 'phone-new-task');
    await phonePage.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await phonePage.getByRole('button', { name: 'Assistant' }).click();
    await phonePage.getByLabel('Message the assistant').waitFor();
    await screenshot(phonePage, 'phone-chat');
    await phone.close();
  });
});
