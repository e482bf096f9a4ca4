import { screenshot, signUp, taskRow, test, uniqueEmail, waitForLive } from './support/browser';

test('the assistant adds a task, shows what it did, and the list follows', async ({ openSession }) => {
  const { page } = await openSession();
  await signUp(page, uniqueEmail('chat'));
  await waitForLive(page);

  await page.getByLabel('Message the assistant').fill('Add a task to buy bread tomorrow at 10am');
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = page
    .locator('.message.from-assistant')
    .filter({ hasNot: page.locator('.typing') })
    .last();
  await reply.waitFor({ timeout: 60_000 });
  await page.locator('.action-chip').first().waitFor({ timeout: 60_000 });
  await taskRow(page, 'bread').waitFor({ timeout: 10_000 });
  await screenshot(page, 'chat');

  // The conversation survives a reload.
  await page.reload();
  await page.locator('.message.from-user', { hasText: 'buy bread' }).waitFor();
});
