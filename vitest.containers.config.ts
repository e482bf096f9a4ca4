import { defineConfig } from 'vitest/config';

/** `npm run test:containers`: the smoke test through the containers stack (tests/containers). */
export default defineConfig({
  test: {
    include: ['tests/containers/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
  },
});
