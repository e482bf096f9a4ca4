import { expect } from 'vitest';
import { baseUrl, PASSWORD, screenshot, signIn, signUp, test, uniqueEmail } from './support/browser';

test('signs up with the browser time zone, signs out and signs back in', async ({ openSession }) => {
  const { page } = await openSession();
  const email = uniqueEmail('signup');
  await page.goto('/');
  await page.getByRole('button', { name: 'New here? Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await expect(page.getByText('Time zone: Europe/Berlin').isVisible()).resolves.toBe(true);
  await screenshot(page, 'sign-up');
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByText('Nothing to do.').waitFor();
  await screenshot(page, 'empty-list');

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Time zone').inputValue()).resolves.toBe('Europe/Berlin');
  const emailsBefore = await page.getByLabel('Email me my reminders').isChecked();
  await page.getByLabel('Email me my reminders').click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').waitFor();

  await signIn(page, email);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('Email me my reminders').isChecked()).resolves.toBe(!emailsBefore);
});

test('signing out ends the session on the server: the old cookie no longer works anywhere', async ({
  openSession,
}) => {
  const { page, context } = await openSession();
  const email = uniqueEmail('signout');
  await signUp(page, email);
  const session = (await context.cookies()).find(({ name }) => name === 'todo_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  // Nothing a script could steal: the token lives only in the HttpOnly cookie.
  await expect(page.evaluate(() => JSON.stringify({ ...localStorage }))).resolves.not.toContain('ey');
  await expect(page.evaluate(() => document.cookie)).resolves.not.toContain('todo_session');
  const asBearer = () =>
    fetch(`${baseUrl()}/api/me`, { headers: { Authorization: `Bearer ${session?.value}` } });
  expect((await asBearer()).status).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect((await context.cookies()).map(({ name }) => name)).not.toContain('todo_session');
  expect((await asBearer()).status).toBe(401);
  // A copy of the cookie put back (as a thief would) does not sign anyone in either.
  await context.addCookies([{ ...(session as NonNullable<typeof session>) }]);
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
});
