import { defineConfig } from 'vitest/config';

/**
 * `npm run test:ownership`: `npm run stack` started as its own process and killed; checks that no
 * process of the run outlives it. Needs the stack's fixed ports, so not alongside test:integration.
 */
export default defineConfig({
  test: {
    include: ['tests/ownership/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
  },
});
