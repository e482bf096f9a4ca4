import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The broker-outage test stops Kafka; afterwards the sidecars' pub/sub circuit breakers take up to
 * 30 s to close again. It runs last, whatever the order vitest's timing cache would pick, so the
 * other files never start against a recovering broker.
 */
class OutageLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const isOutage = (file: TestSpecification) => Number(file.moduleId.includes('broker-outage'));
    return [...files].sort((a, b) => isOutage(a) - isOutage(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

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
    sequence: { sequencer: OutageLast },
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
