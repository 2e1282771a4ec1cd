/**
 * Flow-limit lemmas decided on the rigorous enclosure of the limit (check/flow-check.ts): a true claim
 * is VERIFIED with established interval-or-exact (never float), a false one FALSIFIED exactly and
 * re-established at the true flow limit (certify.ts), and a claim about an implicit quantity at the
 * limit, which has no enclosure there, is never decided in float64 (its statement is undecided at every limit: VACUOUS with that diagnosis).
 */
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { verifyLemma } from '../../src/check/verify.js';
import type { LemmaSpec } from '../../src/lemma/types.js';

const minimalist = deriveModel(loadPack('minimalist').spec);
const scalarD3 = deriveModel(loadPack('scalar-d3').spec);

const base = {
  title: 'flow limit',
  claim: 'C4',
  provenance: 'derived',
  description: 'test',
  hypotheses: {
    hyper: { eta: 1, lambda1: 1, lambda2: { min: 0.05, max: 1 } },
    init: { alpha: { min: 0.5, max: 2 }, beta1: { min: -0.5, max: 0.5 }, beta2: { min: -1, max: 1 } },
  },
  quantifier: { kind: 'flow-limit' },
  runs: 6,
} as const;

describe('flow-limit lemmas on the enclosed limit', () => {
  it('S_flow = S_GFS_0 to 1e-12 relative: VERIFIED, established interval-or-exact', async () => {
    const lemma = compileLemma({ ...base, id: 'flow-s-gfs', statement: ['abs(S_flow - S_GFS_0) <= 1e-12 * S_GFS_0', 'abs(C_flow - C_0) <= 1e-12'], expect: 'holds' } as unknown as LemmaSpec, minimalist, 'flow-limit.test.ts');
    const o = await verifyLemma(minimalist, lemma, { seed: 3 });
    expect(o.kind).toBe('VERIFIED');
    expect(o.established).toBe('interval-or-exact');
  });

  it('S_flow = S_0 (false): FALSIFIED exactly, and certified at the true flow limit', async () => {
    const lemma = compileLemma({ ...base, id: 'flow-s-start', statement: 'abs(S_flow - S_0) <= 1e-8 * S_0', expect: 'fails' } as unknown as LemmaSpec, minimalist, 'flow-limit.test.ts');
    const o = await verifyLemma(minimalist, lemma, { seed: 3 });
    expect(o.kind).toBe('FALSIFIED');
    expect(o.established).toBe('exact');
    expect(o.counterexample?.trueOrbit?.certified).toBe(true);
  });

  it('an implicit quantity at the limit (c_flow) has no enclosure: undecided at every limit, never decided in float64', async () => {
    const lemma = compileLemma(
      {
        id: 'flow-implicit',
        title: 'implicit at the limit',
        claim: 'D2',
        provenance: 'derived',
        description: 'test',
        hypotheses: { hyper: { eta: 1 }, init: { w1: { min: 0.6, max: 1.4 }, w2: { min: 0.6, max: 1.4 }, w3: { min: 0.6, max: 1.4 } } },
        quantifier: { kind: 'flow-limit' },
        statement: 'abs(c_flow) <= 1e-8',
        runs: 2,
        expect: 'holds',
      } as unknown as LemmaSpec,
      scalarD3,
      'flow-limit.test.ts',
    );
    const o = await verifyLemma(scalarD3, lemma, { seed: 3 });
    // Never tested (its one comparison undecided at every limit): VACUOUS with the undecided diagnosis, never a float pass.
    expect(o.kind).toBe('VACUOUS');
    expect(o.detail).toMatch(/could not be decided/);
    expect(o.established).not.toBe('float');
  });
});
