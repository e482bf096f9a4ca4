import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { Task, TaskList } from '../src/api/types';
import { ApiAs } from './support/api';
import {
  eventually,
  openSession,
  type Session,
  screenshot,
  signIn,
  signUp,
  taskRow,
  test,
  uniqueEmail,
  unnamedControls,
  waitForLive,
} from './support/browser';
import { daysFromToday } from './support/dates';

// Issue 17's web app: the sidebar's views and lists, subtasks inline, moving tasks between lists.
let session: Session;
let page: Page;
let api: ApiAs;
const email = uniqueEmail('lists');

test.beforeAll(async ({ browser }) => {
  session = await openSession(browser);
  page = session.page;
  await signUp(page, email);
  await waitForLive(page);
  api = await ApiAs.of(page);
});
test.afterAll(async () => {
  expect(session.consoleErrors).toEqual([]);
  await session.context.close();
});

const sidebar = () => page.getByRole('navigation', { name: 'Views and lists' });
const sidebarItem = (name: string) => sidebar().getByRole('button', { name, exact: false }).first();
const countOf = async (name: string) =>
  Number(
    await sidebar()
      .locator('.sidebar-item', { hasText: name })
      .first()
      .locator('.sidebar-count')
      .textContent(),
  );
const heading = () => page.locator('.pane-heading h1').textContent();
const lists = async () => (await api.request<{ items: TaskList[] }>('GET', '/api/lists')).body.items;

describe.sequential('lists, views and subtasks', () => {
  test('creates a list from the sidebar with the keyboard and adds a task to it', async () => {
    const input = sidebar().getByLabel('New list name');
    await input.fill('Work');
    await input.press('Enter');
    await eventually(async () => (await heading()) === 'Work', 'the new list to open');
    expect(await countOf('Work')).toBe(0);

    // Shortcuts stay out of a text field: leave it as a keyboard user would, then "n".
    await input.press('Escape');
    await input.evaluate((element) => (element as HTMLInputElement).blur());
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await dialog.waitFor();
    // A task added while a list is open goes to that list.
    expect(await dialog.getByLabel('List').inputValue()).toBe((await lists())[0]?.id);
    await dialog.getByLabel('Title').fill('Write the report');
    await dialog.getByRole('button', { name: 'Add task' }).click();
    await taskRow(page, 'Write the report').waitFor();
    await eventually(async () => (await countOf('Work')) === 1, 'the list count to become 1');
    expect(await unnamedControls(page)).toEqual([]);
  });

  test('adds subtasks inline, shows the parent’s progress and asks before completing them', async () => {
    const row = taskRow(page, 'Write the report');
    await row.getByRole('button', { name: 'Show subtasks of “Write the report”' }).click();
    const add = row.getByLabel('Add a subtask to “Write the report”');
    for (const title of ['Outline', 'Draft', 'Proofread']) {
      await add.fill(title);
      await add.press('Enter');
      await row.locator('.subtask', { hasText: title }).waitFor();
    }
    await eventually(
      async () => (await row.locator('.subtask-toggle').textContent()) === '0/3',
      'progress 0/3',
    );
    // The subtask's box changes once the server answered: clicked, not checked at once.
    await row.getByLabel('Complete “Outline”').click();
    await eventually(
      async () => (await row.locator('.subtask-toggle').textContent()) === '1/3',
      'progress 1/3',
    );
    await expect(row.locator('progress.subtask-progress').getAttribute('value')).resolves.toBe('1');
    await screenshot(page, 'subtasks-desktop');

    await row.getByLabel('Complete “Write the report”').click();
    const question = page.getByRole('dialog', { name: 'Complete its subtasks too?' });
    await question.waitFor();
    await screenshot(page, 'complete-parent-question');
    await question.getByRole('button', { name: 'Complete all' }).click();
    await eventually(async () => {
      const [parent] = await api.listTasks('q=report&parent=none');
      const subtasks = parent ? await api.listTasks(`parent=${parent.id}`) : [];
      return parent?.status === 'completed' && subtasks.every((task) => task.status === 'completed');
    }, 'the parent and its subtasks to be completed');
  });

  test('Today and Upcoming show what is due, Upcoming by day, with counts', async () => {
    await api.createTask({ title: 'Pay the invoice', due_at: daysFromToday(0), all_day: true });
    await api.createTask({ title: 'Dentist', due_at: daysFromToday(3), all_day: true });
    await api.createTask({ title: 'Next month', due_at: daysFromToday(30), all_day: true });

    await sidebarItem('Today').click();
    await eventually(async () => (await heading()) === 'Today', 'the Today view');
    await taskRow(page, 'Pay the invoice').waitFor();
    expect(await page.locator('.task-row .task-title').allTextContents()).toEqual(['Pay the invoice']);
    await eventually(async () => (await countOf('Today')) === 1, 'the Today count');

    await sidebarItem('Upcoming').click();
    await taskRow(page, 'Dentist').waitFor();
    expect(await page.locator('.task-row .task-title').allTextContents()).toEqual([
      'Pay the invoice',
      'Dentist',
    ]);
    expect(await page.locator('.day-heading').count()).toBe(2);
    expect(await countOf('Upcoming')).toBe(2);
    await screenshot(page, 'upcoming-desktop');
  });

  test('moves a task between lists from the dialog (keyboard) and by dragging it to a list', async () => {
    await sidebarItem('Inbox').click();
    await taskRow(page, 'Dentist').waitFor();
    const inboxBefore = await countOf('Inbox');

    await taskRow(page, 'Dentist').getByRole('button', { name: 'Edit “Dentist”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    await dialog.getByLabel('List').selectOption({ label: 'Work' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => (await countOf('Inbox')) === inboxBefore - 1, 'the Inbox count to drop');
    await eventually(
      async () => (await page.locator('.task-row', { hasText: 'Dentist' }).count()) === 0,
      'Dentist to leave the Inbox',
    );

    await taskRow(page, 'Next month').dragTo(sidebar().locator('.sidebar-list', { hasText: 'Work' }));
    await eventually(async () => {
      const [moved] = await api.listTasks('q=month');
      return moved?.list_id === (await lists())[0]?.id;
    }, 'the dragged task to be in Work');
    await sidebarItem('Work').click();
    await taskRow(page, 'Next month').waitFor();
    await taskRow(page, 'Dentist').waitFor();
    await screenshot(page, 'list-desktop');
  });

  test('reorders a list with Alt+↑/↓ and by dragging a row onto another', async () => {
    // The Work list is open, in the user's order (the sort a list opens with).
    expect(await page.getByLabel('Sort').inputValue()).toBe('position');
    const shown = () => page.locator('.task-row .task-title').allTextContents();
    const stored = async () =>
      (await api.listTasks(`list=${(await lists())[0]?.id}&status=open&parent=none&sort=position`)).map(
        (task) => task.title,
      );
    expect(await shown()).toEqual(['Dentist', 'Next month']);
    await page.getByRole('button', { name: 'Edit “Next month”' }).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await eventually(async () => (await stored()).join() === 'Next month,Dentist', 'Next month to move up');
    await eventually(async () => (await shown()).join() === 'Next month,Dentist', 'the list to show it');

    await taskRow(page, 'Dentist').dragTo(taskRow(page, 'Next month'));
    await eventually(async () => (await stored()).join() === 'Dentist,Next month', 'Dentist dropped first');
    await eventually(async () => (await shown()).join() === 'Dentist,Next month', 'the list to show it');
  });

  test('shows lists created elsewhere live, and asks what to do with a deleted list’s tasks', async () => {
    await api.request('POST', '/api/lists', { name: 'Shopping' });
    await sidebar().locator('.sidebar-list', { hasText: 'Shopping' }).waitFor();

    await sidebar().getByRole('button', { name: 'Delete list “Work”' }).click();
    const question = page.getByRole('dialog', { name: 'Delete “Work”?' });
    await question.waitFor();
    await question.getByRole('button', { name: 'Move to Inbox' }).click();
    await eventually(async () => (await lists()).every((list) => list.name !== 'Work'), 'Work to be deleted');
    const [dentist] = await api.listTasks('q=dentist');
    expect((dentist as Task).list_id).toBeNull();
    await eventually(async () => (await heading()) === 'All tasks', 'the view to fall back to All tasks');
  });

  test('saves the current filters as a saved filter with a count', async () => {
    await sidebarItem('Upcoming').click();
    await page.getByRole('button', { name: 'Save as filter' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save as filter' });
    await dialog.getByLabel('Name').fill('This week');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(async () => (await heading()) === 'This week', 'the saved filter to open');
    await eventually(async () => (await countOf('This week')) === 2, 'the filter count');
    await taskRow(page, 'Dentist').waitFor();
  });

  test('works at phone size: the sidebar is a strip above the tasks', async ({ openSession }) => {
    const phone = await openSession({ viewport: { width: 390, height: 844 } });
    await signIn(phone.page, email);
    const strip = phone.page.getByRole('navigation', { name: 'Views and lists' });
    await strip.getByRole('button', { name: 'Today' }).click();
    await phone.page.locator('.task-row', { hasText: 'Pay the invoice' }).waitFor();
    await screenshot(phone.page, 'today-phone');
    await strip.getByRole('button', { name: 'Upcoming' }).click();
    await phone.page.locator('.day-heading').first().waitFor();
    await screenshot(phone.page, 'upcoming-phone');
    expect(await unnamedControls(phone.page)).toEqual([]);
  });
});
