import { defineConfig } from 'vitest/config';

/**
 * `npm run test:integration`: the distributed mode against the real programs — PostgreSQL, Kafka,
 * the Dapr scheduler and one daprd per service — started once for the run by the global setup.
 */
export default defineConfig({
  test: {
    include: ['tests/integration/**/*.test.ts'],
    globalSetup: ['tests/integration/stack-setup.ts'],
    // One stack, shared: files run one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
