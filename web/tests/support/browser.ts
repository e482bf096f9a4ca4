import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { test as base, expect, inject } from 'vitest';
import { SCREENSHOTS_DIR } from './paths';

/** Debian's Chromium with the flags this machine needs (no downloads, no background traffic). */
function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: false,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const baseUrl = () => inject('baseUrl');

export const TIME_ZONE = 'Europe/Berlin';

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Errors the page logged or threw; every test ends by checking there are none. */
  consoleErrors: string[];
}

export interface SessionOptions {
  viewport?: { width: number; height: number };
}

export async function openSession(browser: Browser, options: SessionOptions = {}): Promise<Session> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    timezoneId: TIME_ZONE,
    locale: 'en-GB',
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    // The browser itself logs every 4xx answer; the app's handling of those is what is tested.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  return { context, page, consoleErrors };
}

/**
 * The browser tests' fixture: one Chromium per test file, closed after the file, and
 * `openSession`, whose sessions end with the test — every page must have logged no error, and
 * their contexts are closed.
 */
export const test = base
  // biome-ignore lint/correctness/noEmptyPattern: Vitest reads a fixture's dependencies from this pattern; the browser has none
  .extend('browser', { scope: 'file' }, async ({}, { onCleanup }) => {
    const browser = await launchBrowser();
    onCleanup(() => browser.close());
    return browser;
  })
  .extend('openSession', async ({ browser }, { onCleanup }) => {
    const sessions: Session[] = [];
    onCleanup(async () => {
      try {
        for (const session of sessions) expect(session.consoleErrors).toEqual([]);
      } finally {
        await Promise.all(sessions.map((session) => session.context.close()));
      }
    });
    return async (options?: SessionOptions) => {
      const session = await openSession(browser, options);
      sessions.push(session);
      return session;
    };
  });

export function uniqueEmail(label: string): string {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;
}

export const PASSWORD = 'correct horse battery';

export async function signUp(page: Page, email: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'New here? Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await page.getByRole('button', { name: '+ New task' }).waitFor();
}

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: '+ New task' }).waitFor();
}

export async function waitForLive(page: Page): Promise<void> {
  await page.locator('.connection.live').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS_DIR}/${name}.png` });
}

export function taskRow(page: Page, title: string) {
  return page.locator('.task-row', { has: page.locator('.task-title', { hasText: title }) });
}

/** Polls `check` until it returns true (for effects that arrive asynchronously). */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for: ${what}`);
}

/** Controls on the page without an accessible name (label, aria-label(ledby), text or title). */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]')]
      .filter((element) => element.offsetParent !== null || element.getClientRects().length > 0)
      .filter((element) => {
        const labelled = 'labels' in element && (element as HTMLInputElement).labels?.length;
        const text =
          element.tagName === 'BUTTON' || element.tagName === 'A' ? element.textContent?.trim() : '';
        return !(
          labelled ||
          text ||
          element.getAttribute('aria-label') ||
          element.getAttribute('aria-labelledby') ||
          element.title
        );
      })
      .map((element) => element.outerHTML.slice(0, 120)),
  );
}
