import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // tests/integration, tests/ownership, tests/containers and tests/cluster need the distributed stack
    // (`npm run test:integration`, `test:ownership`, `test:containers`, `test:cluster`); the deploy drift test
    // needs helm (`npm run check:deploy` builds it and runs the test).
    exclude: [
      '**/node_modules/**',
      'web/**',
      'data/**',
      '.infra/**',
      'tests/integration/**',
      'tests/ownership/**',
      'tests/containers/**',
      'tests/cluster/**',
      'scripts/check-deploy/**',
    ],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
