import { defineConfig } from 'vitest/config';

/** `npm run test:cluster` (scripts/infra/cluster-test.sh): the chart on a real Kubernetes (tests/cluster). */
export default defineConfig({
  test: {
    include: ['tests/cluster/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 1_800_000,
  },
});
