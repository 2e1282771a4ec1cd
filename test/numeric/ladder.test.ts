/**
 * The decision ladder as data (src/numeric/ladder.ts), and its consumers reading it: check/decide.ts walks
 * LADDER.sampled; the true-orbit re-run (check/certify.ts), the certified summary, the certified orbit's
 * defaults and the region prover take their precisions and budgets from their rows. Each consumer is run with
 * its row changed and nothing else: what it uses (the passes' precisions, the width rule, the box budget, the
 * certificate's numbers) follows the row.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bitsOf, doublings, LADDER, RUNGS, scheduleOf, type Ladder, type LadderStep } from '../../src/numeric/ladder.js';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadPack } from '../../src/model/pack.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { defineLemma, type Draw, type LemmaSpec } from '../../src/lemma/types.js';
import { certifyViolation } from '../../src/check/certify.js';
import { certifiedOrbit } from '../../src/dynamics/certified-orbit.js';
import { certifiedSummary } from '../../src/dynamics/certified-summary.js';
import { encloseOnBox, proveRegion } from '../../src/check/region-prove.js';
import { Rational } from '../../src/numeric/rational.js';
import { withRow } from '../support/ladder.js';

describe('the decision ladder', () => {
  it('every consumer names known rungs, in the order cheap to dear, each with its precisions', () => {
    for (const steps of Object.values(LADDER) as (readonly LadderStep[])[]) {
      expect(steps.length).toBeGreaterThan(0);
      for (const s of steps) {
        expect(RUNGS[s.rung].id).toBe(s.rung);
        expect(s.bits.length).toBeGreaterThan(0);
        // Within a rung the precision only rises.
        for (let i = 1; i < s.bits.length; i++) expect(s.bits[i]!).toBeGreaterThan(s.bits[i - 1]!);
      }
    }
    expect(LADDER.sampled.map((s) => s.rung)).toEqual(['float', 'double-double', 'extended', 'rounded', 'sylvester', 'exact-rational']);
    expect(() => bitsOf('regionProver', 'float')).toThrow(RangeError);
  });

  it('decide.ts walks its row and keeps no precisions of its own', () => {
    const decide = readFileSync(new URL('../../src/check/decide.ts', import.meta.url), 'utf8');
    expect(decide).toMatch(/for \(const step of LADDER\.sampled\)/);
    expect(decide).not.toMatch(/const (ROUNDED_BITS|ENCLOSURE_BITS)/);
  });

  it("a caller's own ends give doublings between them, the last at least the first", () => {
    expect(doublings(128, 2048)).toEqual([128, 256, 512, 1024, 2048]);
    expect(doublings(96, 500)).toEqual([96, 192, 384, 500]);
    expect(scheduleOf([40, 72], undefined, undefined)).toEqual([40, 72]);
    expect(scheduleOf([40, 72], 24)).toEqual([24, 48, 72]);
    expect(scheduleOf([40, 72], undefined, 100)).toEqual([40, 80, 100]);
    expect(scheduleOf([40, 72], 300, 100)).toEqual([300]);
  });
});

describe('the certified orbit reads its rows', () => {
  const model = deriveModel(minimalistModel);
  const hyper = { eta: 1.9, lambda1: 1, lambda2: 1e-3 };
  /** A visitor that asks for more precision at every pass: the orbit walks its whole schedule. */
  const always = () => ({ visit: () => 'refine' as const });
  const passBits = () => certifiedOrbit(model, hyper, [0.95, 0.01, 0.1], 1, { visitor: always }).passes.map((p) => p.bits);

  it("with no precisions named, an orbit's passes are the row LADDER.certifiedOrbit, whatever it holds", () => {
    expect(passBits()).toEqual(bitsOf('certifiedOrbit', 'dyadic'));
    withRow('certifiedOrbit', [{ rung: 'dyadic', bits: [40, 72, 100], relWidthBits: 64 }], () => expect(passBits()).toEqual([40, 72, 100]));
  });

  it('the width rule is the row\'s: 2^-relWidthBits relative width that 40 bits cannot reach sends every pass on to the last', () => {
    const ends = () => certifiedOrbit(model, hyper, [0.95, 0.01, 0.1], 3).passes.map((p) => [p.bits, p.end]);
    withRow('certifiedOrbit', [{ rung: 'dyadic', bits: [40, 72, 200], relWidthBits: 16 }], () =>
      expect(ends()).toEqual([[40, 'completed']]),
    );
    withRow('certifiedOrbit', [{ rung: 'dyadic', bits: [40, 72, 200], relWidthBits: 60 }], () =>
      expect(ends()).toEqual([
        [40, 'too-wide'],
        [72, 'completed'],
      ]),
    );
  });

  it("check/certify.ts re-runs a counterexample at its row's precisions and width rule (LADDER.certify)", () => {
    // The scalar-d3 counterexample of test/check/certify.test.ts: certified at the row's first precision.
    const d3 = deriveModel(loadPack('scalar-d3').spec);
    const init = { w1: 0.1, w2: 803.5, w3: 803.5 };
    const spec: LemmaSpec = defineLemma({
      id: 'ladder-certify', title: 'ladder', claim: 'D3', provenance: 'variant', description: 'ladder.test.ts',
      hypotheses: { hyper: { eta: 1e-14 }, init }, runs: 1, expect: 'fails', quantifier: { kind: 'at-end' }, statement: 'phi <= 1', steps: 2,
    });
    const lemma = compileLemma(spec, d3, 'ladder.test.ts');
    const ce = { hyper: { eta: 1e-14 }, init, step: 2, statement: '', lhs: null, rhs: null, confirmedExactly: true, what: '', seed: 1, path: '0', command: '', trueOrbit: null };
    const text = () => certifyViolation(d3, lemma, ce).text;
    expect(text()).toBe(`violated on the true orbit at step 2 (certified, ${bitsOf('certify', 'dyadic')[0]} bits)`);
    withRow('certify', [{ rung: 'dyadic', bits: [160, 320], relWidthBits: 16 }], () => expect(text()).toBe('violated on the true orbit at step 2 (certified, 160 bits)'));
    // The state at step 2 is a box, not a point: 2^-200 relative width is out of reach at 160 bits.
    withRow('certify', [{ rung: 'dyadic', bits: [160, 320], relWidthBits: 200 }], () => expect(text()).toBe('violated on the true orbit at step 2 (certified, 320 bits)'));
  });

  it("trajectory --certified passes through its row, and its decisions refine up to the row's decisionBits (LADDER.certifiedSummary)", () => {
    // The fixture of test/dynamics/certified-summary.test.ts: "eta phi > 2" is undecided at every precision.
    const pack = loadPack('scalar-d2');
    const d2 = deriveModel(pack.spec);
    const passes = () => certifiedSummary(d2, { eta: 1 }, [1, 1], 5, { roles: pack.roles }).passes.map((p) => p.bits);
    const row = LADDER.certifiedSummary[0]!;
    expect(passes()).toEqual(doublings(row.bits[0]!, row.decisionBits!));
    withRow('certifiedSummary', [{ rung: 'dyadic', bits: [96, 160, 320, 640], relWidthBits: 64, decisionBits: 320 }], () => expect(passes()).toEqual([96, 160, 320]));
    withRow('certifiedSummary', [{ rung: 'dyadic', bits: [96, 160, 320, 640], relWidthBits: 64 }], () => expect(passes()).toEqual([96, 160, 320, 640]));
  });
});

describe('the region prover reads its row (LADDER.regionProver)', () => {
  const model = deriveModel(minimalistModel);
  const hyper: Record<string, Draw> = { eta: 1.25, lambda1: 1, lambda2: 0.005 };
  const params: Record<string, Draw> = { alpha: { min: 0.8, max: 1.1 }, beta1: { min: -0.05, max: 0.05 }, beta2: { min: 0, max: 0.3 } };
  const lemma = (statement: string, p = params) =>
    compileLemma(
      { id: 'ladder-region', title: 'ladder', claim: 'C6', provenance: 'variant', description: 'ladder.test.ts', expect: 'holds', hypotheses: { hyper, params: p }, quantifier: { kind: 'identity' }, statement },
      model,
      'ladder.test.ts',
    );
  const row = (o: Partial<Ladder['regionProver'][number]>): Ladder['regionProver'] => [{ ...LADDER.regionProver[0]!, ...o }];

  it('its precision and its box budget', () => {
    const proved = () => proveRegion(model, lemma('beta1 / beta1 >= 0.5', { ...params, beta1: { min: 0.01, max: 0.05 } }));
    const p = proved();
    expect(p.status).toBe('proved');
    expect('detail' in p && p.detail).toMatch(new RegExp(`dyadic enclosures at ${bitsOf('regionProver', 'dyadic')[0]} bits`));
    withRow('regionProver', row({ bits: [96] }), () => {
      const q = proved();
      expect('detail' in q && q.detail).toMatch(/dyadic enclosures at 96 bits/);
    });
    // The row's budget is what the option would set: the same result, byte for byte.
    const tight = lemma('alpha^2 - 2 * alpha + 1 + beta1^2 >= 0');
    const nine = JSON.stringify(proveRegion(model, tight, { maxBoxes: 9 }));
    withRow('regionProver', row({ maxBoxes: 9 }), () => expect(JSON.stringify(proveRegion(model, tight))).toBe(nine));
    expect(JSON.parse(nine).boxes).toBe(9);
  });

  it("the certificate's sharpness bounds have the row's significant bits, the Rayleigh vector the row's grid", () => {
    const box = { alpha: [1, 1.1], beta1: [0.01, 0.02], beta2: [0.1, 0.2], eta: [1.25, 1.25], lambda1: [1, 1], lambda2: [0.005, 0.005] } as const;
    const rbox = Object.fromEntries(Object.entries(box).map(([k, [lo, hi]]) => [k, [Rational.fromDecimalString(String(lo)), Rational.fromDecimalString(String(hi))]])) as Record<string, [Rational, Rational]>;
    const bound = () => {
      const e = encloseOnBox(model, lemma('S >= 0.9 * lambda1 * alpha^2'), rbox);
      if (typeof e === 'string') throw new Error(e);
      return e.sharpness.S!;
    };
    /** Significant bits of a dyadic rational (odd part of the numerator), and the exponent of its denominator. */
    const sig = (q: Rational) => {
      let m = BigInt(q.toString().split('/')[0]!.replace('-', ''));
      while (m > 0n && m % 2n === 0n) m /= 2n;
      return m.toString(2).length;
    };
    const denBits = (q: Rational) => BigInt(q.toString().split('/')[1] ?? '1').toString(2).length - 1;
    const d = bound();
    // Measured with the default row (48 and 24): both bounds use more than 12 bits, the vector more than 2^-8.
    expect(Math.max(sig(d.lo), sig(d.hi))).toBeGreaterThan(12);
    expect(Math.max(sig(d.lo), sig(d.hi))).toBeLessThanOrEqual(LADDER.regionProver[0]!.certificateBits);
    expect(Math.max(...d.v.map(denBits))).toBeGreaterThan(8);
    withRow('regionProver', row({ certificateBits: 12, vectorBits: 8 }), () => {
      const b = bound();
      expect(Math.max(sig(b.lo), sig(b.hi))).toBeLessThanOrEqual(12);
      expect(Math.max(...b.v.map(denBits))).toBeLessThanOrEqual(8);
      expect(b.lo.le(b.hi)).toBe(true);
    });
  });
});
