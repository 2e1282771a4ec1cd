import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { compileLemma, type CompiledLemma } from '../../src/lemma/compile.js';
import { LemmaError } from '../../src/lemma/errors.js';
import type { Draw, LemmaSpec } from '../../src/lemma/types.js';
import { encloseOnBox, PAUSED, proveRegion, startRegion, UNPROVABLE, type RegionResult, type RegionSearch } from '../../src/check/region-prove.js';
import { exactPointTruth } from '../../src/check/prove.js';
import { lemmaDefinition, verifyLemma } from '../../src/check/verify.js';
import { definitionEntries } from '../../src/report/definition.js';
import { ESTABLISHED } from '../../src/report/table.js';
import { Rational } from '../../src/numeric/rational.js';
import { Interval, isub } from '../../src/numeric/interval.js';
import { evalInterval } from '../../src/symbolic/interval-eval.js';
import { compareTopEigenvalue } from '../../src/numeric/sylvester.js';
import { DyadicArith, DyadicInterval, mulRounded } from '../../src/numeric/dyadic.js';
import { constantToRational } from '../../src/symbolic/rational-function.js';
import { checkCertificate } from '../../src/certificate/check.js';

// Issue 23 items 2-3: identity lemmas over a bounded region of theta, decided box by box.

const model = deriveModel(minimalistModel);

/** Six free variables: three parameters and three hyperparameters. */
const HYPER6: Record<string, Draw> = { eta: { min: 1, max: 1.5 }, lambda1: { min: 0.5, max: 1 }, lambda2: { min: 0.001, max: 0.01 } };
/** Fixed hyperparameters: three free variables (the parameters). */
const HYPER3: Record<string, Draw> = { eta: 1.25, lambda1: 1, lambda2: 0.005 };
const PARAMS: Record<string, Draw> = { alpha: { min: 0.8, max: 1.1 }, beta1: { min: -0.05, max: 0.05 }, beta2: { min: 0, max: 0.3 } };

function spec(statement: string | string[], o: { when?: string[]; hyper?: Record<string, Draw>; params?: Record<string, Draw> | null; kind?: string; id?: string; assume?: Record<string, string> } = {}): LemmaSpec {
  return {
    id: o.id ?? 'region-test',
    title: 'a region claim',
    claim: 'C6',
    provenance: 'variant',
    description: 'test',
    expect: 'holds',
    hypotheses: { hyper: o.hyper ?? HYPER6, ...(o.params === null ? {} : { params: o.params ?? PARAMS }), ...(o.kind && o.kind !== 'identity' ? { init: { alpha: 1, beta1: 0.01, beta2: 0.1 } } : {}) },
    quantifier: { kind: (o.kind ?? 'identity') as 'identity', ...(o.when ? { when: o.when } : {}) },
    statement,
    ...(o.assume ? { assume: o.assume } : {}),
  };
}

function lemma(statement: string | string[], o: Parameters<typeof spec>[1] = {}): CompiledLemma {
  return compileLemma(spec(statement, o), model, 'region-test.ts');
}

/** The witness is inside the region as written (decimal ends) and the claim fails there by exact evaluation. */
function checkWitness(l: CompiledLemma, r: Extract<RegionResult, { status: 'falsified' }>): void {
  const pt = new Map(Object.entries(r.witness).map(([k, v]) => [k, Rational.fromDecimalString(v)]));
  for (const d of [...l.hyperDraws, ...l.paramDraws]) {
    const x = pt.get(d.name)!;
    if ('fixed' in d.draw) expect(x.eq(constantToRational(d.draw.fixed)), d.name).toBe(true);
    else expect(x.ge(constantToRational(d.draw.min)) && x.le(constantToRational(d.draw.max)), `${d.name} = ${x}`).toBe(true);
  }
  const exact = exactPointTruth(model, l);
  expect(exact.premises(pt)).toBe(true);
  expect(exact.statement(l.statements.findIndex((s) => s.text === r.statement), pt)).toBe(false);
}

describe('hypotheses.params: the region of an identity', () => {
  it('compiles to paramDraws (fixed values allowed; omitted parameters unbounded)', () => {
    const l = lemma('alpha >= 0', { params: { alpha: { min: 0.8, max: 1.1 }, beta2: 0.1 } });
    expect(l.paramDraws).toEqual([
      { name: 'alpha', draw: { min: 0.8, max: 1.1 } },
      { name: 'beta2', draw: { fixed: 0.1 } },
    ]);
    expect(lemma('alpha >= 0', { params: null }).paramDraws).toEqual([]);
  });

  it('is refused on a lemma that is not an identity, and names the field', () => {
    expect(() => lemma('alpha >= 0', { kind: 'every-step' })).toThrow(LemmaError);
    try {
      lemma('alpha >= 0', { kind: 'every-step' });
    } catch (e) {
      const p = (e as LemmaError).problems;
      expect(p.some((x) => x.field === 'hypotheses.params' && /only identities read params/.test(x.detail))).toBe(true);
    }
  });

  it('reports an unknown parameter with the nearest name, and a bad range', () => {
    try {
      lemma('alpha >= 0', { params: { alpah: { min: 0, max: 1 }, beta1: { min: 2, max: 1 } } });
      expect.unreachable();
    } catch (e) {
      const p = (e as LemmaError).problems;
      expect(p).toContainEqual(expect.objectContaining({ field: 'hypotheses.params.alpah', detail: expect.stringContaining('did you mean "alpha"') }));
      expect(p).toContainEqual(expect.objectContaining({ field: 'hypotheses.params.beta1', detail: expect.stringContaining('empty range') }));
    }
  });

  it('the row definition shows the region instead of "every theta"', () => {
    const theta = (s: LemmaSpec) => definitionEntries(lemmaDefinition(s)!).find((e) => e.label === 'theta')!.text;
    expect(theta(spec('alpha >= 0', { params: { alpha: { min: 0.8, max: 1.1 }, beta1: { min: -0.05, max: 0.05 }, beta2: 0.1 } }))).toBe('alpha in [0.8, 1.1], beta1 in [-0.05, 0.05], beta2 = 0.1');
    expect(theta(spec('alpha >= 0', { params: null }))).toBe('every theta');
    expect(ESTABLISHED['proved-region']).toMatch(/region/);
  });
});

describe('the region prover: true and false claims for each feature', () => {
  // [feature, statement, premises, hyperparameters, parameters, outcome]
  const cases: [string, string, string[] | undefined, Record<string, Draw>, Record<string, Draw>, RegionResult['status']][] = [
    ['S', 'S >= 0.9 * lambda1 * alpha^2', undefined, HYPER6, PARAMS, 'proved'],
    // S = lambda1 alpha^2 exactly where beta1 = 0: a constant just past the truth.
    ['S', 'S >= 1.0001 * lambda1 * alpha^2', undefined, HYPER6, PARAMS, 'falsified'],
    ['S_next', 'S_next >= S - 0.05', undefined, HYPER3, PARAMS, 'proved'],
    // With beta2 >= 0.05 the premise means g_alpha >= 0: lambda1 alpha beta1^2 >= lambda2 beta2 (1 - alpha beta2), exactly.
    ['a premise on next-step quantities', 'lambda1 * alpha * beta1^2 >= 0.5 * lambda2 * beta2 * (1 - alpha * beta2)', ['alpha_next^2 <= alpha^2'], HYPER3, { ...PARAMS, beta2: { min: 0.05, max: 0.3 } }, 'proved'],
    ['a premise on next-step quantities', 'lambda1 * alpha * beta1^2 >= 1.01 * lambda2 * beta2 * (1 - alpha * beta2)', ['alpha_next^2 <= alpha^2'], HYPER3, { ...PARAMS, beta2: { min: 0.05, max: 0.3 } }, 'falsified'],
    // sqrt(L) is smallest at the corner alpha = 1.1, beta1 = 0, beta2 = 0.3, lambda2 = 0.001: 0.014983...
    ['sqrt', 'sqrt(L) >= 0.0149', undefined, HYPER6, PARAMS, 'proved'],
    ['sqrt', 'sqrt(L) >= 0.0151', undefined, HYPER6, PARAMS, 'falsified'],
    // max(L_osc, L_conv) / L >= 1/2, with equality where the two parts are equal.
    ['max', 'max(L_osc, L_conv) >= 0.4 * L', undefined, HYPER3, PARAMS, 'proved'],
    ['max', 'max(L_osc, L_conv) >= 0.5001 * L', undefined, HYPER3, PARAMS, 'falsified'],
    ['division', 'L_conv / L >= 0.1', undefined, HYPER6, PARAMS, 'proved'],
    ['division', 'L_conv / L >= 0.5', undefined, HYPER6, PARAMS, 'falsified'],
    ['an impossible premise', 'alpha > 5', ['L < 0'], HYPER6, PARAMS, 'vacuous'],
  ];
  for (const [feature, statement, when, hyper, params, want] of cases)
    it(`${feature}: ${statement}${when ? ` when ${when.join(', ')}` : ''} -> ${want}`, () => {
      const l = lemma(statement, { when, hyper, params });
      const r = proveRegion(model, l);
      expect(r.status, 'detail' in r ? r.detail : r.status === 'not-applicable' ? r.reason : '').toBe(want);
      if (r.status === 'falsified') checkWitness(l, r);
      if (r.status === 'proved' || r.status === 'vacuous') {
        // The certificate is plain JSON, and the independent checker (src/certificate/) accepts it.
        const cert = JSON.parse(JSON.stringify(r.certificate));
        expect(cert).toEqual(r.certificate);
        const c = checkCertificate(cert);
        expect(c.failures).toEqual([]);
        expect(c.ok).toBe(true);
        expect(c.leaves).toBe(r.certificate.boxes);
      }
    });

  it('a search run in slices (an async caller yields between them) gives the same result and certificate', () => {
    const cases = [
      lemma('S_next >= S - 0.05', { hyper: HYPER3, params: PARAMS }),
      lemma('max(L_osc, L_conv) >= 0.5001 * L', { hyper: HYPER3, params: PARAMS }),
      lemma('beta1 / beta1 >= 0.5', { hyper: HYPER3, params: { ...PARAMS, beta1: { min: 0, max: 0.05 } } }),
    ];
    let paused = 0;
    for (const l of cases) {
      const whole = proveRegion(model, l, { maxBoxes: 300 });
      for (const slice of [1, 7]) {
        const search = startRegion(model, l, { maxBoxes: 300 }) as RegionSearch;
        let pauses = 0;
        const to = (stop: boolean) => {
          for (;;) {
            const r = search.run(stop, slice);
            if (r !== PAUSED) return r;
            pauses++;
          }
        };
        // As identity-decision.ts runs it: first up to the first box left undecided, then on.
        let r = to(true);
        if (r === UNPROVABLE) r = to(false);
        expect(r).toEqual(whole);
        const boxes = 'boxes' in whole ? whole.boxes : 0;
        if (boxes > slice + 1) expect(pauses).toBeGreaterThan(0);
        paused += pauses;
      }
    }
    expect(paused).toBeGreaterThan(0);
  });

  it('a statement undefined on part of the region is asserted only where it is defined, never refuted there', () => {
    // beta1 / beta1 is undefined at beta1 = 0 only: boxes touching 0 stay undecided (the term may be
    // undefined there); the others are proved; 0 is never a counterexample.
    const r = proveRegion(model, lemma('beta1 / beta1 >= 0.5', { hyper: HYPER3, params: { ...PARAMS, beta1: { min: 0, max: 0.05 } } }), { maxBoxes: 200 });
    expect(r.status).toBe('undecided');
    if (r.status === 'undecided') {
      expect(r.worst!.box.beta1![0]).toBe('0');
      expect(r.undecidedFraction).toBeLessThan(0.2);
    }
    expect(proveRegion(model, lemma('beta1 / beta1 >= 0.5', { hyper: HYPER3, params: { ...PARAMS, beta1: { min: 0.01, max: 0.05 } } })).status).toBe('proved');
  });
});

describe('the region prover: outcomes, budget and determinism', () => {
  it('the same verdict and byte-identical certificate twice', () => {
    const l = lemma('S_next >= S - 0.05', { hyper: HYPER3 });
    const a = proveRegion(model, l);
    const b = proveRegion(model, lemma('S_next >= S - 0.05', { hyper: HYPER3 }));
    expect(a.status).toBe('proved');
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  // True, with equality at alpha = 1, beta1 = 0, inside the region: rhs - lhs = (alpha - 1)^2 + beta1^2, written
  // expanded, is irreducible over Q (so the factored rung sees one factor of unknown sign), and on any box that
  // contains the zero the natural and centered enclosures dip below 0 by O(width^2) (natural: -2 w). No budget
  // decides the boxes around (1, 0); they are the undecided share, whatever else the prover learns.
  const TIGHT = 'alpha^2 - 2 * alpha + 1 + beta1^2 >= 0';

  it('UNDECIDED within the box budget: the undecided share of the volume and the worst box', () => {
    const r = proveRegion(model, lemma(TIGHT), { maxBoxes: 60 });
    expect(r.status).toBe('undecided');
    if (r.status !== 'undecided') return;
    expect(r.boxes).toBeLessThanOrEqual(60);
    expect(r.undecidedFraction).toBeGreaterThan(0);
    expect(r.undecidedFraction).toBeLessThanOrEqual(1);
    expect(r.worst?.comparison).toBe(TIGHT);
    expect(Object.keys(r.worst!.box)).toEqual(['alpha', 'beta1', 'beta2', 'eta', 'lambda1', 'lambda2']);
    // Measured: 20.3% of the volume undecided at 60 boxes (the boxes near alpha = 1, beta1 = 0 not yet small).
    expect(r.undecidedFraction).toBeGreaterThan(0.05);
    expect(r.detail).toMatch(/of the region's volume; worst box/);
    // The same count of boxes gives the same answer, whatever the machine's load.
    expect(JSON.stringify(proveRegion(model, lemma(TIGHT), { maxBoxes: 60 }))).toBe(JSON.stringify(r));
  });

  it('a fixed hyperparameter is a zero-width dimension, outside the volume', () => {
    const r = proveRegion(model, lemma(TIGHT, { hyper: HYPER3 }), { maxBoxes: 9 });
    expect(r.status).toBe('undecided');
    if (r.status === 'undecided') expect(r.worst!.box.eta).toEqual(['5/4', '5/4']);
  });

  it('declines what it cannot represent, with the reason', () => {
    const why = (l: CompiledLemma) => {
      const r = proveRegion(model, l);
      return r.status === 'not-applicable' ? r.reason : r.status;
    };
    expect(why(lemma('alpha >= 0', { params: { alpha: { min: 0, max: 1 } } }))).toMatch(/beta1, beta2 have no range/);
    expect(why(lemma('L == L_osc + L_conv'))).toMatch(/an equation/);
    expect(why(lemma('alpha >= 0', { assume: { beta1: '0' } }))).toMatch(/assume/);
    expect(why(lemma('charpoly_H >= 0'))).toMatch(/mu/);
  });

  // Its time and boxes per second are a bench figure (bench/region.ts, bench/lemmas/six-variable-region.ts).
  it('a 6-variable one-step inequality (3 parameters, 3 hyperparameters): PROVED', () => {
    expect(proveRegion(model, lemma('L_next <= 2 * L')).status).toBe('proved');
  });
});

describe('the enclosures contain the exact values (a dropped outward rounding fails here)', () => {
  // Points and tiny boxes where rounding happens at every operation: an enclosure rounded the wrong way
  // misses the exact value.
  const statements = ['L_next - 2 * L <= beta1 / (alpha + 3)', 'lambda1 * alpha * beta2 >= 0', 'S_next >= S - 0.05'];
  const l = lemma(statements, { hyper: { eta: { min: 1, max: 1.5 }, lambda1: { min: 0.5, max: 1 }, lambda2: { min: 0.001, max: 0.01 } } });
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const ranges: Record<string, [number, number]> = { alpha: [0.8, 1.1], beta1: [-0.05, 0.05], beta2: [0, 0.3], eta: [1, 1.5], lambda1: [0.5, 1], lambda2: [0.001, 0.01] };
  // Dyadic coordinates with 100-bit mantissas: exact inputs, so every product of the programs exceeds 128 bits and
  // is rounded, and the only slack an enclosure has is its outward rounding.
  const coord = (a: number, b: number) => Rational.of((BigInt(Math.round((a + rnd() * (b - a)) * 2 ** 40)) << 60n) + (BigInt(Math.floor(rnd() * 2 ** 52)) << 8n) + 1n, 1n << 100n);
  const points = Array.from({ length: 24 }, () => Object.fromEntries(Object.entries(ranges).map(([k, [a, b]]) => [k, coord(a, b)])));

  const exactMargin = (pt: Record<string, Rational>, k: number): Rational => {
    const env = new Map(Object.entries(pt).map(([n, v]) => [n, Interval.point(v)]));
    const d = isub(evalInterval(l.statements[k]!.rhsExact, env), evalInterval(l.statements[k]!.lhsExact, env));
    expect(d.isPoint()).toBe(true);
    return d.lo;
  };
  const hessianAt = (pt: Record<string, Rational>, next: boolean): Rational[][] => {
    const env = new Map(Object.entries(pt).map(([n, v]) => [n, Interval.point(v)]));
    if (next) {
      const th = model.step.map((s) => evalInterval(s, env).lo);
      model.params.forEach((p, i) => env.set(p, Interval.point(th[i]!)));
    }
    return model.hessian.map((row) => row.map((h) => evalInterval(h, env).lo));
  };

  /** Violations of containment: rhs - lhs (statements 0 and 1) at points and at the corners of tiny boxes, and S, S_next at points. */
  function violations(): number {
    let bad = 0;
    const inside = (x: Rational, [lo, hi]: [Rational, Rational]) => lo.le(x) && x.le(hi);
    for (const pt of points) {
      const e = encloseOnBox(model, l, Object.fromEntries(Object.entries(pt).map(([k, v]) => [k, [v, v]])));
      if (typeof e === 'string') throw new Error(e);
      for (const k of [0, 1]) {
        const n = e.statements[k]!.natural;
        if (typeof n === 'string' || !inside(exactMargin(pt, k), n)) bad++;
      }
      for (const [s, next] of [['S', false], ['S_next', true]] as const) {
        const b = e.sharpness[s]!;
        const H = hessianAt(pt, next);
        if (!b || compareTopEigenvalue(H, b.lo) < 0 || compareTopEigenvalue(H, b.hi) > 0) bad++;
      }
      // A tiny box around the point: the natural and the centered forms at its corners and centre.
      const w = Rational.of(1n, 1n << 100n);
      const box = Object.fromEntries(Object.entries(pt).map(([k, v]) => [k, [v.sub(w), v.add(w)] as [Rational, Rational]]));
      const t = encloseOnBox(model, l, box);
      if (typeof t === 'string') throw new Error(t);
      for (const k of [0, 1]) {
        const { natural, centered } = t.statements[k]!;
        expect(centered).not.toBeNull();
        for (const corner of [0, 63, 21, 42]) {
          const q = Object.fromEntries(Object.entries(box).map(([n, [a, b]], i) => [n, corner === 21 ? pt[n]! : (corner >> i) & 1 ? b : a]));
          const m = exactMargin(q, k);
          if (typeof natural === 'string' || !inside(m, natural)) bad++;
          if (!centered || !inside(m, centered)) bad++;
        }
      }
    }
    return bad;
  }

  it('at points and tiny boxes: natural and centered rhs - lhs, and S, S_next by Sylvester', () => {
    expect(violations()).toBe(0);
  });

  it('mutation: products rounded inward at the lower end are caught', () => {
    const proto = DyadicArith.prototype as unknown as { mul: (a: DyadicInterval, b: DyadicInterval) => DyadicInterval };
    const mul = proto.mul;
    proto.mul = function (this: DyadicArith, a: DyadicInterval, b: DyadicInterval): DyadicInterval {
      const r = mul.call(this, a, b);
      // The lower end rounded up instead of down, where the operands are nonnegative (the "drop" of one rounding).
      if (a.lo.m >= 0n && b.lo.m >= 0n) return new DyadicInterval(mulRounded(a.lo, b.lo, this.bits, true), r.hi);
      return r;
    };
    try {
      expect(violations()).toBeGreaterThan(0);
    } finally {
      proto.mul = mul;
    }
    expect(violations()).toBe(0);
  });
});

describe('verify: region proofs in the identity path', () => {
  const opts = { seed: 7 };
  it('PROVED by the region prover, with the certificate in the row', async () => {
    const o = await verifyLemma(model, lemma('L_conv / L >= 0.1', { id: 'region-division' }), opts);
    expect(o.kind).toBe('PROVED');
    expect(o.established).toBe('proved-region');
    expect(o.regionCertificate?.format).toBe('eos-check-region/1');
    expect(o.certificate).toMatch(/regionCertificate/);
  });

  it('FALSIFIED with an exact witness inside the region', async () => {
    const o = await verifyLemma(model, lemma('S >= 1.0001 * lambda1 * alpha^2'), opts);
    expect(o.kind).toBe('FALSIFIED');
    expect(o.established).toBe('proved-region');
    expect(o.regionCertificate).toBeNull();
    expect(o.counterexample?.witness?.beta1).toBe('0');
  });

  it('a partly bounded region goes to Z3 with the ranges as premises: its witness is inside them', async () => {
    const o = await verifyLemma(model, lemma('alpha * beta2 >= 0.081', { params: { alpha: { min: 0.8, max: 1.1 }, beta2: 0.1 } }), opts);
    expect(o.kind).toBe('FALSIFIED');
    expect(o.established).toBe('proved-z3');
    const w = o.counterexample!.witness!;
    expect(Rational.fromDecimalString(w.beta2!).eq(Rational.of(1n, 10n))).toBe(true);
    const a = Rational.fromDecimalString(w.alpha!);
    expect(a.ge(Rational.of(4n, 5n)) && a.le(Rational.of(11n, 10n))).toBe(true);
    // Without the ranges the claim is false far outside them too; with them, true claims are proved over the region only.
    const p = await verifyLemma(model, lemma('alpha^2 >= 0.64', { params: { alpha: { min: 0.8, max: 1.1 } } }), opts);
    expect(p.kind).toBe('PROVED');
    expect(p.regionCertificate).toBeNull();
  });

  it('what the region prover leaves undecided goes to Z3, over the region', async () => {
    // Equality at alpha = 1, beta1 = 0, inside the region, and irreducible over Q: no box around that point is
    // decided by any rung (see TIGHT above), so the region prover stops at its budget with boxes undecided; Z3's
    // nonlinear arithmetic proves it over the ranges. (S >= lambda1 alpha^2, once here, is now PROVED by the
    // Rayleigh rung: S >= e2^T H e2 exactly.)
    const o = await verifyLemma(model, lemma('alpha^2 - 2 * alpha + 1 + beta1^2 >= 0', { hyper: HYPER3 }), opts);
    expect(o.kind).toBe('PROVED');
    expect(o.established).toBe('proved-z3');
    expect(o.regionCertificate).toBeNull();
  }, 120_000);
});
