import type { DerivedModel } from '../src/symbolic/derive.js';
import { GDBatch, type BatchArith } from '../src/dynamics/batch.js';

/**
 * The batch every throughput figure and `npm run profile` run: N lanes with per-lane eta and start
 * from a fixed generator, shared lambdas, so the bench and the profile measure the same work.
 */
export function benchBatch(model: DerivedModel, N: number, arith: BatchArith, shared = false): GDBatch {
  let s = 12345;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const eta = Float64Array.from({ length: N }, () => 1 + 0.9 * rnd());
  const inits = Array.from({ length: N }, () => [0.8 + 0.3 * rnd(), 1e-3 + 0.05 * rnd(), 0.3 * rnd()]);
  return new GDBatch(model, N, { eta, lambda1: 1, lambda2: 1e-3 }, (j) => inits[j]!, arith, shared);
}
