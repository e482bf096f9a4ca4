import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { OFFLINE_CACHE } from '../src/lib/offline';
import { ApiAs } from './support/api';
import { screenshot, signUp, taskRow, test, uniqueEmail } from './support/browser';

/** What Lighthouse's installability audit reads: the manifest the page links, resolved. */
async function linkedManifest(page: Page) {
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const url = new URL(href ?? '', page.url());
  const response = await page.request.get(url.href);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  return { url, manifest: await response.json() };
}

/** The icon's real pixel size, decoded by the browser (a mislabelled file fails the install). */
function decodedSize(page: Page, src: string): Promise<string> {
  return page.evaluate(async (href) => {
    const bitmap = await createImageBitmap(await (await fetch(href)).blob());
    return `${bitmap.width}x${bitmap.height}`;
  }, src);
}

async function controlledByWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  // The first visit is claimed by the new worker; a reload is then certainly under its control.
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
}

test('the app installs: a valid manifest, real icons and an active service worker for its scope', async ({
  openSession,
}) => {
  const { page } = await openSession();
  await signUp(page, uniqueEmail('install'));
  await controlledByWorker(page);

  const { url, manifest } = await linkedManifest(page);
  expect(manifest).toMatchObject({ name: 'Todo Chatbot', short_name: 'Todo', display: 'standalone' });
  const startUrl = new URL(manifest.start_url, url);
  const scope = new URL(manifest.scope, url);
  expect(startUrl.href.startsWith(scope.href)).toBe(true);
  expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(manifest.theme_color);
  const icons = manifest.icons as { src: string; sizes: string; type: string; purpose: string }[];
  for (const size of ['192x192', '512x512']) {
    expect(icons.some((icon) => icon.sizes === size && icon.purpose.includes('any'))).toBe(true);
  }
  expect(icons.some((icon) => icon.purpose.includes('maskable'))).toBe(true);
  for (const icon of icons) {
    expect(icon.type).toBe('image/png');
    expect(await decodedSize(page, new URL(icon.src, url).href)).toBe(icon.sizes);
  }

  const registration = await page.evaluate(async () => {
    const found = await navigator.serviceWorker.getRegistration();
    return { scope: found?.scope, active: found?.active?.state };
  });
  expect(registration).toEqual({ scope: scope.href, active: 'activated' });
});

test('offline it opens with the last tasks seen, read-only, says so, and is live again when back', async ({
  openSession,
}) => {
  const { page, context } = await openSession();
  await signUp(page, uniqueEmail('offline'));
  const api = await ApiAs.of(page);
  await api.createTask({ title: 'Buy stamps', tags: ['errands'] });
  await api.createTask({ title: 'Call the plumber', priority: 'high' });
  await api.request('POST', '/api/lists', { name: 'Errands' });
  const sidebarList = page
    .getByRole('navigation', { name: 'Views and lists' })
    .locator('.sidebar-list', { hasText: 'Errands' });
  await controlledByWorker(page);
  await taskRow(page, 'Buy stamps').waitFor();
  await taskRow(page, 'Call the plumber').waitFor();
  await sidebarList.waitFor();
  await expect(page.locator('.offline-banner').count()).resolves.toBe(0);

  await context.setOffline(true);
  await page.reload();
  const banner = page.locator('.offline-banner');
  await banner.waitFor();
  expect(await banner.textContent()).toMatch(/offline.*as they were at .*Read-only/s);
  await taskRow(page, 'Buy stamps').waitFor();
  await taskRow(page, 'Call the plumber').waitFor();
  // The sidebar opens on its last copy too: lists, filters and view counts.
  await sidebarList.waitFor();
  await screenshot(page, 'offline-desktop');

  // A change is refused with a reason, and nothing reaches the server.
  await page.keyboard.press('n');
  const dialog = page.getByRole('dialog', { name: 'New task' });
  await dialog.getByLabel('Title').fill('Written while offline');
  await dialog.getByRole('button', { name: 'Add task' }).click();
  await dialog.getByText('You are offline: nothing was changed').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'offline-phone');

  await context.setOffline(false);
  await banner.waitFor({ state: 'detached' });
  await page.locator('.connection.live').waitFor();
  expect((await api.listTasks('')).map((task) => task.title).sort()).toEqual([
    'Buy stamps',
    'Call the plumber',
  ]);
});

test('signing out drops the offline copy, so the next account on this browser never sees it', async ({
  openSession,
}) => {
  const { page } = await openSession();
  await signUp(page, uniqueEmail('copy'));
  await (await ApiAs.of(page)).createTask({ title: 'Private note' });
  await controlledByWorker(page);
  await taskRow(page, 'Private note').waitFor();
  const copies = () =>
    page.evaluate(async (name) => {
      const cache = await caches.open(name);
      return (await cache.keys()).map((request) => new URL(request.url).pathname);
    }, OFFLINE_CACHE);
  expect(await copies()).toContain('/api/tasks');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await expect.poll(copies).toEqual([]);
});
