import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // tests/integration needs the distributed stack: `npm run test:integration`.
    exclude: ['**/node_modules/**', 'web/**', 'data/**', '.infra/**', 'tests/integration/**'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
