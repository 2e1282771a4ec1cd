import { describe, it, expect } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import type { Outcome } from '../../src/check/outcome.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { GRID, gridToPoint, mapDraw } from '../../src/check/draw.js';
import { drawSatisfiesHypotheses } from '../../src/check/verify.js';
import { nextDown } from '../../src/numeric/float-interval.js';

/**
 * Lemmas with known truth on every decision path (issue 12): each must get exactly the outcome
 * listed. These fail if the float filter regains a tolerance band, if a definedness condition leaks
 * from one conjunct to another, if hypotheses are decided in float, or if a vacuous identity is PROVED.
 */
const model = deriveModel(minimalistModel);

async function outcomes(file: string): Promise<Map<string, Outcome>> {
  const os = await verifyFiles(model, [file], { seed: 11 });
  return new Map(os.map((o) => [o.id, o]));
}

describe('identities: scoped definedness, premises, vacuity and S', async () => {
  const o = await outcomes('test/fixtures/soundness/identities.ts');
  const want: Record<string, Outcome['kind']> = {
    'sqrt-conjunct-does-not-restrict-its-neighbour': 'FALSIFIED',
    'sqrt-is-non-negative-where-defined': 'PROVED',
    'reciprocal-premise-implies-sign': 'PROVED',
    'reciprocal-premise-does-not-imply-sign': 'FALSIFIED',
    'division-identity-where-defined': 'PROVED',
    'statement-under-an-impossible-premise': 'VACUOUS',
    'statement-never-defined': 'VACUOUS',
    'sharpness-at-least-a-diagonal-entry': 'PROVED',
    'sharpness-at-most-another-diagonal-entry': 'FALSIFIED',
  };
  for (const [id, kind] of Object.entries(want))
    it(`${id}: ${kind}`, () => {
      expect(o.get(id)?.kind, o.get(id)?.detail).toBe(kind);
    });

  it('a refutation names a point inside the hypotheses, re-checked exactly', () => {
    const w = o.get('sqrt-conjunct-does-not-restrict-its-neighbour')!.counterexample!.witness!;
    expect(Number(w.alpha)).toBeLessThan(0);
    expect(o.get('sqrt-conjunct-does-not-restrict-its-neighbour')!.detail).toMatch(/confirmed by exact evaluation/);
    const eta = Number(o.get('reciprocal-premise-does-not-imply-sign')!.counterexample!.witness!.eta);
    expect(eta).toBeGreaterThanOrEqual(0.01);
    expect(eta).toBeLessThanOrEqual(2);
  });

  it('every PROVED outcome carries a certificate: the SMT-LIB2 query, or the expanded sides', () => {
    const z3 = o.get('sqrt-is-non-negative-where-defined')!;
    expect(z3.established).toBe('proved-z3');
    expect(z3.certificate).toMatch(/\(assert/);
    expect(z3.certificate).toMatch(/\(check-sat\)\s*$/);
    expect(o.get('division-identity-where-defined')!.certificate).toMatch(/lhs = .*alpha/);
  });
});

describe('sampled lemmas: the float filter, where, along, events, triggers, partial terms and S', async () => {
  const o = await outcomes('test/fixtures/soundness/sampled.ts');
  const want: Record<string, Outcome['kind']> = {
    'float-rounds-a-positive-difference-to-zero': 'FALSIFIED',
    'a-positive-difference-below-float-resolution': 'VERIFIED',
    'where-relation-excludes-its-float-boundary': 'VACUOUS',
    'drawn-start-stays-inside-its-decimal-range': 'VERIFIED',
    'along-hypothesis-false-below-float-resolution': 'VACUOUS',
    'event-false-below-float-resolution': 'VACUOUS',
    'trigger-false-below-float-resolution': 'VACUOUS',
    'premise-false-below-float-resolution': 'VACUOUS',
    'sharpness-at-least-lambda1-alpha-squared': 'VERIFIED',
    'sharpness-at-most-lambda1-alpha-squared': 'FALSIFIED',
    'sqrt-statement-tested-only-where-defined': 'VERIFIED',
    'sqrt-statement-never-defined': 'VACUOUS',
  };
  for (const [id, kind] of Object.entries(want))
    it(`${id}: ${kind}`, () => {
      expect(o.get(id)?.kind, o.get(id)?.detail).toBe(kind);
    });

  it('draws stay inside the exact decimal ranges (the grid ends map to the doubles inside), and a point outside is refused', async () => {
    const r = o.get('drawn-start-stays-inside-its-decimal-range')!;
    expect(r.kind).toBe('VERIFIED');
    expect(r.trajectories).toBeGreaterThan(0);
    expect(o.get('where-relation-excludes-its-float-boundary')!.skippedDraws).toBeGreaterThan(0);
    const [l] = await loadLemmas(['test/fixtures/soundness/sampled.ts'], model);
    const lemma = (l as Extract<typeof l, { ok: true }>).lemma;
    const d = lemma.hyperDraws.find((x) => x.name === 'lambda2')!.draw as { min: number; max: number };
    // The grid's last point is the largest double inside [min, max] as written: 0.01 is above 1/100.
    expect(mapDraw(d, GRID)).toBe(nextDown(0.01));
    const inside = gridToPoint(lemma, [...lemma.hyperDraws, ...lemma.initDraws].map(() => GRID));
    expect(drawSatisfiesHypotheses(lemma, model, inside)).toBe(true);
    expect(drawSatisfiesHypotheses(lemma, model, { ...inside, hyper: { ...inside.hyper, lambda2: 0.01 } })).toBe(false);
  });

  it('S >= lambda1 alpha^2 is decided exactly where the enclosure of S straddles the bound (no UNDECIDED iterate)', () => {
    const r = o.get('sharpness-at-least-lambda1-alpha-squared')!;
    expect(r.undecided).toBe(0);
    expect(r.decidedExactly).toBeGreaterThan(0);
  });

  it('undefined statement evaluations are counted, not tested', () => {
    expect(o.get('sqrt-statement-tested-only-where-defined')!.undefinedIterates).toBeGreaterThan(0);
  });
});

describe('a computed orbit stalled at a float rounding fixed point', async () => {
  const [o] = await verifyFiles(model, ['test/fixtures/soundness/stalled.ts'], { seed: 11 });
  it('is flagged, and the one-step claim is still decided for exact GD (L_next < L, not L_next == L)', () => {
    expect(o!.kind, o!.detail).toBe('VERIFIED');
    expect(o!.stalledTrajectories).toBe(1);
    expect(o!.firstStall!.step).toBe(1);
    expect(o!.detail).toMatch(/stalled at a float rounding fixed point/);
    // The margin comes from the exact step (about 1e-32), not from the stalled float values (0).
    expect(o!.worstSlack!.value).toBeGreaterThan(0);
    expect(o!.worstSlack!.value).toBeLessThan(1e-30);
  });
});
