import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/verification-reporter.ts', ['json', { outputFile: 'reports/vitest.json' }]],
  },
});
