import { defineConfig } from 'vitest/config';

// The deploy checks run on their own: no database or broker from the root globalSetup.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['scripts/check-deploy/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
