import { describe, it, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import type { Outcome } from '../../src/check/outcome.js';

/**
 * No wall-clock limit decides an outcome: Z3 runs under a resource limit and shrinking under a count
 * of trajectory checks, so the same seed gives the same JSON on a quiet and on a loaded machine.
 * (The full check, the whole catalogue beside twelve busy loops, is in the README; here four busy
 * threads run beside a Z3 identity, a shrunk counterexample and an exact-heavy sampled lemma.)
 */
const model = deriveModel(minimalistModel);

function busy(n: number, ms: number): Worker[] {
  const src = `const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`;
  return Array.from({ length: n }, () => new Worker(src, { eval: true }));
}

async function run(): Promise<string> {
  const os: Outcome[] = [
    ...(await verifyFiles(model, ['lemmas/c10-gfs-sharpness-non-increasing.ts'], { seed: 5, only: 'c10-c-non-increasing-when-c-nonnegative' })),
    ...(await verifyFiles(model, ['test/fixtures/soundness/sampled.ts'], { seed: 5, only: 'sharpness-at-most-lambda1-alpha-squared' })),
    ...(await verifyFiles(model, ['lemmas/c6-sharpness-bound.ts'], { seed: 5, runs: 8, only: 'c6-sharpness-never-exceeds-two-over-eta' })),
  ];
  return JSON.stringify(os.map((o) => ({ ...o, timeMs: undefined })));
}

describe('verdicts do not depend on machine load', () => {
  it('the same seed gives byte-identical outcomes with four busy threads beside the check', async () => {
    const quiet = await run();
    const loops = busy(4, 120_000);
    try {
      const loaded = await run();
      expect(loaded).toBe(quiet);
    } finally {
      await Promise.all(loops.map((w) => w.terminate()));
    }
    expect(quiet).toMatch(/"kind":"PROVED"/);
    expect(quiet).toMatch(/"kind":"FALSIFIED"/);
  }, 600_000);

  it('no wall-clock limit is left in the decision path', () => {
    const prove = readFileSync('src/check/prove.ts', 'utf8');
    const verify = readFileSync('src/check/verify.ts', 'utf8');
    expect(prove).not.toMatch(/set\('timeout'/);
    expect(prove).toMatch(/set\('rlimit'/);
    expect(verify).not.toMatch(/interruptAfterTimeLimit|skipAllAfterTimeLimit/);
  });
});
