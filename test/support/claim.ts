import type { DerivedModel } from '../../src/symbolic/derive.js';
import { compileLemma, type CompiledLemma } from '../../src/lemma/compile.js';
import { defineLemma, type LemmaSpec } from '../../src/lemma/types.js';

/** Issue 25's hypotheses: eta in [1.3, 1.5], lambda1 = 1, lambda2 in [1e-3, 1e-2] (log), start (1, b1, 0), b1 in [1e-4, 1e-1] (log). */
export const CLAIM_HYPOTHESES = {
  hyper: { eta: { min: 1.3, max: 1.5 }, lambda1: 1, lambda2: { min: 1e-3, max: 1e-2, scale: 'log' as const } },
  init: { alpha: 1, beta1: { min: 1e-4, max: 1e-1, scale: 'log' as const }, beta2: 0 },
};

/** Starts of the claim [eta, lambda2, beta1]: progressive sharpening to the edge of stability, beta1 then far below the double range. */
export const CLAIM_STARTS = [
  [1.447, 0.003, 0.001],
  [1.32, 0.008, 0.05],
  [1.4, 0.001, 0.0002],
] as const;

/**
 * Issue 25's claim "eta S_t <= 3.2 for t <= 4000" (true) on the minimalist model, or a variant of it: `over` replaces
 * fields of the definition (the statement, the quantifier, the horizon).
 */
export function claimLemma(model: DerivedModel, file: string, over: Partial<LemmaSpec> = {}): CompiledLemma {
  return compileLemma(
    defineLemma({
      id: 'issue-25-claim', title: 't', claim: 'C6', provenance: 'variant', description: 'd', hypotheses: CLAIM_HYPOTHESES,
      quantifier: { kind: 'every-step' }, statement: 'eta * S <= 3.2', steps: 4000, runs: 4, expect: 'holds',
      ...over,
    } as LemmaSpec),
    model,
    file,
  );
}
