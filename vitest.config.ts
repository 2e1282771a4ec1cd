import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { CatalogueFirstSequencer } from './test/support/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One module graph per worker: each file re-importing mathjs, nerdamer and Z3 cost about 2 s.
    // No test mocks modules or changes globals another file reads.
    isolate: false,
    sequence: { sequencer: CatalogueFirstSequencer },
    // vitest's default is one worker fewer than the cores (1 here): the report is CPU-bound, so use them all.
    maxWorkers: availableParallelism(),
    // The verification tables and the summary line last, after vitest's own output and the JSON reporter's line.
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }], './test/verification-reporter.ts'],
  },
});
