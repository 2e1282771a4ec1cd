import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores (1 here): the report is CPU-bound, so use them all.
    maxWorkers: availableParallelism(),
    reporters: ['default', './test/verification-reporter.ts', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
