import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the real app (`npm start`, embedded mode) driven in headless Chromium.
 * Run from the repo root: `vitest run --config web/vitest.browser.config.ts`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['web/tests/**/*.browser.ts'],
    environment: 'node',
    globalSetup: ['web/tests/support/server.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
