/**
 * The fused rung (src/check/fused-rung.ts): its decisions are rigorous (checked against exact rational arithmetic at
 * points where float64 alone would decide wrongly, and on random points near ties), dropping its error bounds is
 * caught, and on every trajectory lemma of every pack it gives the interval rung's trajectory result field by field
 * (counts, worst slack and margin with their steps and figures, violations); only which iterates needed exact
 * decisions may differ.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MathNode } from 'mathjs';
import { deriveModel, type DerivedModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadPack, packNames } from '../../src/model/pack.js';
import { lemmaFiles, loadLemmas } from '../../src/lemma/load.js';
import { quantifierKind } from '../../src/lemma/quantifiers/index.js';
import { compileLemma, type CompiledLemma } from '../../src/lemma/compile.js';
import { defineLemma } from '../../src/lemma/types.js';
import { shapeOf } from '../../src/symbolic/algebra.js';
import { constantToRational } from '../../src/symbolic/rational-function.js';
import { Rational } from '../../src/numeric/rational.js';
import { positiveDefinite } from '../../src/numeric/certified-eigen.js';
import { checkTrajectory } from '../../src/check/trajectory-check.js';
import { comparableResult } from '../support/trajectory-result.js';
import { CLAIM_STARTS, claimLemma } from '../support/claim.js';
import { drawGrids, gridToPoint } from '../../src/check/draw.js';
import { EXT, extIn, FUSED_ASSERT, FUSED_OPEN, fusedRung, IO_NEEDED_BELOW, IO_NEEDED_HI, IO_NEEDED_LO } from '../../src/check/fused-rung.js';
import { pairToNumber } from '../../src/numeric/extfloat.js';
import { mulberry32 } from '../../src/numeric/prng.js';

const model = deriveModel(minimalistModel);
const ASSERT = { does: 'assert' as const, until: Infinity };

const lemmaOf = (statement: string, m: DerivedModel = model): CompiledLemma =>
  compileLemma(
    defineLemma({
      id: 'fused-rung-test',
      title: 'fused rung test',
      claim: 'C6',
      provenance: 'variant',
      description: 'test',
      hypotheses: { hyper: { eta: { min: 1, max: 2 }, lambda1: { min: 0.5, max: 2 }, lambda2: { min: 1e-3, max: 1 } }, init: { alpha: { min: -2, max: 2 }, beta1: { min: -2, max: 2 }, beta2: { min: -2, max: 2 } } },
      quantifier: { kind: 'every-step' },
      statement,
      steps: 10,
      runs: 1,
      expect: 'holds',
    }),
    m,
    'fused-rung.test',
  );

/** Exact value of a tree at a rational point (test oracle: + - * / integer powers, constants as written). */
function exact(node: MathNode, env: Map<string, Rational>): Rational {
  const s = shapeOf(node);
  switch (s.kind) {
    case 'constant':
      return constantToRational(s.value);
    case 'symbol':
      return env.get(s.name)!;
    case 'powi':
      return exact(s.base, env).pow(s.k);
    case 'powr':
      throw new Error('powr');
    case 'op': {
      const a = s.args.map((x) => exact(x, env));
      if (s.op === 'neg') return a[0]!.neg();
      if (s.op === 'add') return a.reduce((x, y) => x.add(y));
      if (s.op === 'mul') return a.reduce((x, y) => x.mul(y));
      if (s.op === 'sub') return a[0]!.sub(a[1]!);
      if (s.op === 'div') return a[0]!.div(a[1]!);
      throw new Error(s.op);
    }
  }
}

/** The exact values of the doubles (eta, lambda1, lambda2) and (alpha, beta1, beta2). */
const exactEnv = (hyper: number[], th: number[]) =>
  new Map<string, Rational>([...model.hypers.map((h, i) => [h, Rational.fromDouble(hyper[i]!)] as const), ...model.params.map((p, i) => [p, Rational.fromDouble(th[i]!)] as const)]);

/** The rung at one point of the minimalist model: eta, lambda1, lambda2 and (alpha, beta1, beta2), t = 0. */
function settleAt(lemma: CompiledLemma, hyper: number[], th: number[], bounds = true, threshold = -Infinity, out?: { lo: Float64Array; hi: Float64Array }, thE?: number[]): number {
  const rung = fusedRung(model, lemma, ASSERT, { bounds })!;
  expect(rung, 'the rung is built').toBeDefined();
  const E = new Float64Array(2 * Math.max(1, lemma.fiSlots.size)).fill(NaN);
  model.hypers.forEach((h, i) => {
    const slot = lemma.fiSlots.get(h);
    if (slot !== undefined) E[2 * slot] = E[2 * slot + 1] = hyper[i]!;
  });
  rung.prepare(E);
  const nS = lemma.statements.length;
  const lo = out?.lo ?? new Float64Array(nS);
  const hi = out?.hi ?? new Float64Array(nS);
  // Repeated at one point, the bracket's power steps converge to the top eigenvector (prepare starts them afresh).
  let r = FUSED_OPEN;
  for (let i = 0; i < (Number.isFinite(threshold) ? 1 : 60) && r === FUSED_OPEN; i++) r = rung.settle(Float64Array.from(th), thE ? Float64Array.from(thE) : new Float64Array(3), 0, Float64Array.of(threshold, -Infinity, 0), lo, hi);
  return r;
}

describe('a lane value outside the double band enters as ldexp gives it', () => {
  it('extIn equals pairToNumber (normal, subnormal, zero, overflow) with error 0 for a normal result, the smallest subnormal else', () => {
    const rnd = mulberry32(77);
    let n = 0;
    for (let trial = 0; trial < 20000; trial++) {
      const m = (rnd() < 0.5 ? -1 : 1) * (trial % 97 === 0 ? 0 : trial % 89 === 0 ? 5e-324 * (1 + Math.floor(rnd() * 1000)) : (1 + rnd()) * 2 ** (Math.floor(rnd() * 200) - 100));
      const e = Math.floor(rnd() * 2400) - 1200;
      const ok = extIn(Float64Array.of(m), Float64Array.of(e), 0);
      const r = pairToNumber(m, e);
      if (!Number.isFinite(r)) {
        expect(ok, `${m} 2^${e}`).toBe(false);
        continue;
      }
      expect(ok).toBe(true);
      expect(Object.is(EXT[0], r), `${m} 2^${e}: ${EXT[0]} vs ${r}`).toBe(true);
      expect(EXT[1]).toBe(Math.abs(r) >= 2 ** -1022 ? 0 : Number.MIN_VALUE);
      n++;
    }
    expect(n).toBeGreaterThan(15000);
  });
});

describe('the fused rung decides only what exact arithmetic confirms', () => {
  it('a statement float64 gets wrong is left open; with the error bounds dropped it is asserted (the mutation a test must catch)', () => {
    // (alpha + 1e17) - 1e17 is 0 in float64 at alpha = 0.5 and 0.5 exactly: the statement is false.
    const lemma = lemmaOf('(alpha + 1e17) - 1e17 < alpha / 4');
    expect(settleAt(lemma, [1, 1, 0.1], [0.5, 0, 0])).toBe(FUSED_OPEN);
    expect(settleAt(lemma, [1, 1, 0.1], [0.5, 0, 0], false)).toBe(FUSED_ASSERT);
  });

  it('sharpness bounds within ulps of their ties: without the error bounds some are asserted where exact arithmetic refutes them, with them none', () => {
    // eta S <= 2 at beta1 = beta2 = 0: the tie at lambda1 alpha^2 = 2 / eta (lambda2 small), alpha moved by a few ulps.
    const lemma = lemmaOf('eta * S <= 2');
    const q = Rational.fromDouble;
    const rnd = mulberry32(2026);
    let wrong = 0;
    let asserted = 0;
    for (let trial = 0; trial < 4000 && wrong < 3; trial++) {
      const eta = 1 + rnd();
      const l1 = 0.5 + rnd();
      const a = Math.sqrt(2 / eta / l1) * (1 + (Math.floor(rnd() * 8) - 4) * 2 ** -52);
      const holdsExactly = () => {
        const x = Rational.of(2n).div(q(eta));
        const env = exactEnv([eta, l1, 0.01], [a, 0, 0]);
        return positiveDefinite(model.hessian.map((row, i) => row.map((h, j) => (i === j ? x.sub(exact(h, env)) : exact(h, env).neg()))));
      };
      if (settleAt(lemma, [eta, l1, 0.01], [a, 0, 0], false) === FUSED_ASSERT && !holdsExactly()) wrong++;
      if (settleAt(lemma, [eta, l1, 0.01], [a, 0, 0]) === FUSED_ASSERT) {
        asserted++;
        expect(holdsExactly(), `eta ${eta}, lambda1 ${l1}, alpha ${a}`).toBe(true);
      }
    }
    expect(wrong, 'points the unbounded rung asserts wrongly').toBeGreaterThan(0);
  });

  it('a priori bounds (exact constants, + - * only) and running bounds near ties: every assertion holds exactly, and some ties are asserted', () => {
    // Every constant an exact double, so the rung's first variant bounds errors a priori (the code shows it); the ties
    // are 2^-60 to 1 relative apart, below float64's resolution for many: without the bound about 1 in 200 of these
    // points is asserted where the statement is false. Uniform draws: fast-check's favourite values compute exactly.
    const stmt = 'alpha * beta2 - beta1^3 + lambda2 * alpha^2 * beta1 <= 1';
    const lemma = lemmaOf(stmt);
    const c = lemma.statements[0]!;
    const hyper = [1.5, 1, 0.25];
    const rung = fusedRung(model, lemma, ASSERT)!;
    const E = new Float64Array(2 * Math.max(1, lemma.fiSlots.size)).fill(NaN);
    model.hypers.forEach((h, i) => {
      const slot = lemma.fiSlots.get(h);
      if (slot !== undefined) E[2 * slot] = E[2 * slot + 1] = hyper[i]!;
    });
    rung.prepare(E);
    expect(rung.settle.toString(), 'the a priori variant is compiled').toContain('ap: {');
    const rnd = mulberry32(29);
    let asserted = 0;
    let assertedRunning = 0;
    for (let trial = 0; trial < 6000; trial++) {
      const alpha = 0.5 + 1.5 * rnd();
      const beta1 = 2 * rnd() - 1;
      const k = -60 + Math.floor(rnd() * 61);
      const base = (1 + beta1 ** 3 - 0.25 * alpha * alpha * beta1) / alpha;
      const beta2 = base * (1 + (k % 2 === 0 ? 1 : -1) * 2 ** k);
      // The same point as lane state with exponents: the running bounds (carried times 2^600) decide it.
      const rE = settleAt(lemma, hyper, [alpha / 2, beta1 / 2, beta2 / 2], true, -Infinity, undefined, [1, 1, 1]);
      if (rE === FUSED_ASSERT) assertedRunning++;
      if (settleAt(lemma, hyper, [alpha, beta1, beta2]) !== FUSED_ASSERT && rE !== FUSED_ASSERT) continue;
      asserted++;
      const env = exactEnv(hyper, [alpha, beta1, beta2]);
      expect(exact(c.rhsExact, env).lt(exact(c.lhsExact, env)), `alpha ${alpha}, beta1 ${beta1}, beta2 ${beta2}`).toBe(false);
    }
    expect(asserted).toBeGreaterThan(2000);
    expect(assertedRunning).toBeGreaterThan(2000);
  });

  it('a priori bounds through an underflow: a subnormal product scaled up keeps its rounding error in the bound', () => {
    // beta1 beta2 near 1e-320 is subnormal (spacing 2^-1074, a relative error up to 1e-4), and 1e300 lifts that error
    // to about 1e-24 beside 1e-20: the analysis's 2^-1022 per product is what covers it.
    const lemma = lemmaOf('1e300 * (beta1 * beta2) <= 1e-20');
    const c = lemma.statements[0]!;
    const hyper = [1.5, 1, 0.25];
    const rung = fusedRung(model, lemma, ASSERT)!;
    rung.prepare(new Float64Array(2 * Math.max(1, lemma.fiSlots.size)).fill(1));
    expect(rung.settle.toString(), 'the a priori variant is compiled').toContain('ap: {');
    const rnd = mulberry32(30);
    let asserted = 0;
    for (let trial = 0; trial < 4000; trial++) {
      const beta1 = 1e-160 * (1 + rnd());
      const beta2 = (1e-320 / beta1) * (1 + (rnd() < 0.5 ? 1 : -1) * 2 ** -(Math.floor(rnd() * 16)));
      if (settleAt(lemma, hyper, [1, beta1, beta2]) !== FUSED_ASSERT) continue;
      asserted++;
      const env = exactEnv(hyper, [1, beta1, beta2]);
      expect(exact(c.rhsExact, env).lt(exact(c.lhsExact, env)), `beta1 ${beta1}, beta2 ${beta2}`).toBe(false);
    }
    expect(asserted).toBeGreaterThan(500);
  });

  it('an extended parameter below 2^-401 enters as 0 within 2^-400: every assertion holds exactly, and only gaps beyond that are asserted', () => {
    // beta1 <= beta2 - 2^-380 with beta2 = 2^-380 + delta: it holds exactly where beta1 <= delta. beta1 = m 2^e lies in
    // [2^-440, 2^-401), below the lane kernels' double band (an extended value), so the rung reads it as 0 +- 2^-400:
    // a delta above that is asserted, one below it is left open. Dropping the 2^-400 (beta1 read as an exact 0)
    // asserts the small deltas too, where about half are false; the error bounds carried times 2^600 are checked the
    // same way (a bound not scaled back is too large to assert anything, one not scaled up too small to hold).
    const lemma = lemmaOf('beta1 <= beta2 - 2^-380');
    const c = lemma.statements[0]!;
    const hyper = [1.5, 1, 0.25];
    const rnd = mulberry32(31);
    let asserted = 0;
    let smallOpen = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const m = (rnd() < 0.5 ? -1 : 1) * (1 + rnd());
      const e = -440 + Math.floor(rnd() * 39);
      const k = 340 + Math.floor(rnd() * 100);
      const beta2 = 2 ** -380 + 2 ** -k;
      const r = settleAt(lemma, hyper, [1, m, beta2], true, -Infinity, undefined, [0, e, 0]);
      const env = exactEnv(hyper, [1, 0, beta2]);
      env.set('beta1', Rational.fromDouble(m).mul(Rational.of(1n, 2n ** BigInt(-e))));
      if (r === FUSED_ASSERT) {
        asserted++;
        expect(exact(c.rhsExact, env).lt(exact(c.lhsExact, env)), `beta1 ${m} 2^${e}, delta 2^-${k}`).toBe(false);
      } else if (k > 401) smallOpen++;
    }
    expect(asserted, 'deltas above 2^-400 asserted').toBeGreaterThan(1000);
    expect(smallOpen, 'deltas below 2^-401 left open').toBeGreaterThan(500);
  });

  it('random polynomial statements near their ties: every assertion holds exactly', () => {
    const stmt = 'alpha * beta2 - 0.1 * beta1^3 + eta * lambda2 * alpha^2 * beta1 <= 1';
    const lemma = lemmaOf(stmt);
    const c = lemma.statements[0]!;
    let asserted = 0;
    let assertedExtended = 0;
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: -60, max: 0 }), (alpha, beta1, k) => {
        // beta2 solves the statement with equality in float64, then moves by about 2^k of it: ties to 1e-18 apart.
        const base = (1 + 0.1 * beta1 ** 3 - 1.5 * 0.1 * alpha * alpha * beta1) / alpha;
        const beta2 = base * (1 + (k % 2 === 0 ? 1 : -1) * 2 ** k);
        // The same point as lane state with exponents (mantissa / 2, exponent 1): the general code, not the exact-double one.
        const r = settleAt(lemma, [1.5, 1, 0.1], [alpha, beta1, beta2]);
        const rE = settleAt(lemma, [1.5, 1, 0.1], [alpha / 2, beta1 / 2, beta2 / 2], true, -Infinity, undefined, [1, 1, 1]);
        if (r !== FUSED_ASSERT && rE !== FUSED_ASSERT) return true;
        asserted++;
        if (rE === FUSED_ASSERT) assertedExtended++;
        const env = exactEnv([1.5, 1, 0.1], [alpha, beta1, beta2]);
        return !exact(c.rhsExact, env).lt(exact(c.lhsExact, env));
      }),
      { numRuns: 400, seed: 25 },
    );
    expect(asserted).toBeGreaterThan(50);
    expect(assertedExtended).toBeGreaterThan(50);
  });

  it('random sharpness bounds near their ties: every assertion is confirmed by exact positive definiteness', () => {
    const lemma = lemmaOf('eta * S <= 2');
    let asserted = 0;
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1.5, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 1.2, noNaN: true }), (alpha, beta1, beta2) => {
        const hyper = [1.5, 1, 0.05];
        const env = exactEnv(hyper, [alpha, beta1, beta2]);
        if (settleAt(lemma, hyper, [alpha, beta1, beta2]) !== FUSED_ASSERT) return true;
        asserted++;
        const x = Rational.of(2n).div(Rational.fromDouble(1.5));
        const M = model.hessian.map((row, i) => row.map((h, j) => (i === j ? x.sub(exact(h, env)) : exact(h, env).neg())));
        return positiveDefinite(M);
      }),
      { numRuns: 300, seed: 26 },
    );
    expect(asserted).toBeGreaterThan(30);
  });
});

describe('a tightness value is shown below a bound only where it is (the steady loop then does not record it)', () => {
  const tightLemma = (statement: string, needed: string): CompiledLemma =>
    compileLemma(
      defineLemma({
        id: 'fused-rung-tightness-test',
        title: 'fused rung tightness test',
        claim: 'C6',
        provenance: 'variant',
        description: 'test',
        hypotheses: { hyper: { eta: { min: 1, max: 2 }, lambda1: { min: 0.5, max: 2 }, lambda2: { min: 1e-3, max: 1 } }, init: { alpha: { min: -2, max: 2 }, beta1: { min: -2, max: 2 }, beta2: { min: -2, max: 2 } } },
        quantifier: { kind: 'every-step' },
        constants: { delta: '1' },
        statement,
        tightness: { constant: 'delta', needed },
        steps: 10,
        runs: 1,
        expect: 'holds',
      }),
      model,
      'fused-rung.test',
    );

  /** io[IO_NEEDED_BELOW] at the point with bound NB, or -1 where the statements were not asserted. */
  function shownBelow(lemma: CompiledLemma, hyper: number[], th: number[], NB: number, bounds = true): number {
    const rung = fusedRung(model, lemma, ASSERT, { bounds })!;
    expect(rung.boundsNeeded).toBe(true);
    const E = new Float64Array(2 * Math.max(1, lemma.fiSlots.size)).fill(NaN);
    model.hypers.forEach((h, i) => {
      const slot = lemma.fiSlots.get(h);
      if (slot !== undefined) E[2 * slot] = E[2 * slot + 1] = hyper[i]!;
    });
    rung.prepare(E);
    const io = Float64Array.of(-Infinity, NB, NaN);
    const r = rung.settle(Float64Array.from(th), new Float64Array(3), 0, io, new Float64Array(1), new Float64Array(1));
    return r === FUSED_ASSERT ? io[IO_NEEDED_BELOW]! : -1;
  }

  it('eta S - 2 < NB within ulps of the tie: confirmed by exact positive definiteness of ((NB + 2) / eta) I - H; without the error bounds some are shown wrongly', () => {
    // At beta1 = beta2 = 0 (lambda2 small) S = lambda1 alpha^2: NB a few ulps either side of eta lambda1 alpha^2 - 2.
    const lemma = tightLemma('eta * S <= 100', 'eta * S - 2');
    const rnd = mulberry32(2027);
    let wrong = 0;
    let shown = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const eta = 1 + rnd();
      const l1 = 0.5 + rnd();
      const a = 0.5 + rnd();
      const v = eta * l1 * a * a - 2;
      const NB = v + (Math.floor(rnd() * 9) - 4) * 2 ** -52 * Math.abs(v);
      const below = () => {
        const x = Rational.fromDouble(NB).add(Rational.of(2n)).div(Rational.fromDouble(eta));
        const env = exactEnv([eta, l1, 0.01], [a, 0, 0]);
        return positiveDefinite(model.hessian.map((row, i) => row.map((h, j) => (i === j ? x.sub(exact(h, env)) : exact(h, env).neg()))));
      };
      if (wrong < 3 && shownBelow(lemma, [eta, l1, 0.01], [a, 0, 0], NB, false) === 1 && !below()) wrong++;
      const r = shownBelow(lemma, [eta, l1, 0.01], [a, 0, 0], NB);
      expect(r, 'the statement is asserted').not.toBe(-1);
      if (r === 1) {
        shown++;
        expect(below(), `eta ${eta}, lambda1 ${l1}, alpha ${a}, NB ${NB}`).toBe(true);
      }
    }
    expect(wrong, 'points the unbounded rung shows below wrongly').toBeGreaterThan(0);
    // Far from the tie it is shown: NB a millionth above the value.
    expect(shownBelow(lemma, [1.5, 1, 0.01], [1, 0, 0], 1.5 * 1 - 2 + 1e-6)).toBe(1);
    expect(shown).toBeGreaterThan(0);
  });

  it('a value free of S below NB near its tie: every answer 1 is confirmed exactly', () => {
    const needed = 'alpha^2 * beta1 - beta2 / 3';
    const lemma = tightLemma('alpha <= 100', needed);
    const node = lemma.tightness!.neededExact;
    let shown = 0;
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: -4, max: 4 }), (alpha, beta1, beta2, k) => {
        const v = alpha * alpha * beta1 - beta2 / 3;
        const NB = v + k * 2 ** -52 * Math.abs(v);
        if (shownBelow(lemma, [1.5, 1, 0.1], [alpha, beta1, beta2], NB) !== 1) return true;
        shown++;
        return exact(node, exactEnv([1.5, 1, 0.1], [alpha, beta1, beta2])).lt(Rational.fromDouble(NB));
      }),
      { numRuns: 400, seed: 28 },
    );
    expect(shown).toBeGreaterThan(50);
  });

  it('where eta S - 2 is not shown below the bound, its bracket holds the exact value (exact positive definiteness on either side)', () => {
    const lemma = tightLemma('eta * S <= 100', 'eta * S - 2');
    const rung = fusedRung(model, lemma, ASSERT)!;
    const hyper = [1.5, 1, 0.05];
    const E = new Float64Array(2 * Math.max(1, lemma.fiSlots.size)).fill(NaN);
    model.hypers.forEach((h, i) => {
      const slot = lemma.fiSlots.get(h);
      if (slot !== undefined) E[2 * slot] = E[2 * slot + 1] = hyper[i]!;
    });
    let bracketed = 0;
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1.5, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 1.2, noNaN: true }), (alpha, beta1, beta2) => {
        rung.prepare(E);
        const io = Float64Array.of(-Infinity, -Infinity, NaN, NaN, NaN);
        // Repeated at one point, the power steps converge to the top eigenvector (prepare starts them afresh).
        for (let i = 0; i < 60; i++) rung.settle(Float64Array.of(alpha, beta1, beta2), new Float64Array(3), 0, io, new Float64Array(1), new Float64Array(1));
        expect(io[IO_NEEDED_BELOW]).toBe(0);
        if (Number.isNaN(io[IO_NEEDED_LO]!)) return true;
        bracketed++;
        const env = exactEnv(hyper, [alpha, beta1, beta2]);
        const shifted = (x: Rational) => model.hessian.map((row, i) => row.map((h, j) => (i === j ? x.sub(exact(h, env)) : exact(h, env).neg())));
        const sAt = (v: number) => Rational.fromDouble(v).add(Rational.of(2n)).div(Rational.fromDouble(1.5));
        // S >= x iff x I - H is not positive definite; S < y where y I - H is.
        return !positiveDefinite(shifted(sAt(io[IO_NEEDED_LO]!))) && positiveDefinite(shifted(sAt(io[IO_NEEDED_HI]!)));
      }),
      { numRuns: 200, seed: 31 },
    );
    expect(bracketed).toBeGreaterThan(100);
  });

  it('a value the rung cannot bound (S inside abs) leaves recording to the interval rung; the statements are still settled', () => {
    const rung = fusedRung(model, tightLemma('eta * S <= 100', 'abs(S - 1)'), ASSERT)!;
    expect(rung).toBeDefined();
    expect(rung.boundsNeeded).toBe(false);
  });
});

describe('where a slack may be a new smallest, the fused rung brackets the exact slack', () => {
  // threshold Infinity: no slack is shown above it, so every asserted statement is bracketed.
  it('polynomial statements: lo <= exact slack <= hi, and the bracket is tight', () => {
    const lemma = lemmaOf('alpha * beta2 - 0.1 * beta1^3 + eta * lambda2 * alpha^2 * beta1 <= 1');
    const c = lemma.statements[0]!;
    const out = { lo: new Float64Array(1), hi: new Float64Array(1) };
    let bracketed = 0;
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (alpha, beta1, beta2) => {
        if (settleAt(lemma, [1.5, 1, 0.1], [alpha, beta1, beta2], true, Infinity, out) !== FUSED_ASSERT) return true;
        bracketed++;
        const env = exactEnv([1.5, 1, 0.1], [alpha, beta1, beta2]);
        const slack = exact(c.rhsExact, env).sub(exact(c.lhsExact, env));
        const [lo, hi] = [out.lo[0]!, out.hi[0]!];
        return Rational.fromDouble(lo).le(slack) && slack.le(Rational.fromDouble(hi)) && hi - lo <= 1e-12 * Math.abs(hi);
      }),
      { numRuns: 300, seed: 27 },
    );
    expect(bracketed).toBeGreaterThan(50);
  });

  it('sharpness bounds: exact S lies in [(R - hi) / c, (R - lo) / c] (exact positive definiteness on either side)', () => {
    const lemma = lemmaOf('1.5 * S <= 3.2');
    const out = { lo: new Float64Array(1), hi: new Float64Array(1) };
    const q = Rational.fromDouble;
    let bracketed = 0;
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1.5, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true }), fc.double({ min: 0, max: 1.2, noNaN: true }), (alpha, beta1, beta2) => {
        const hyper = [1.5, 1, 0.05];
        if (settleAt(lemma, hyper, [alpha, beta1, beta2], true, Infinity, out) !== FUSED_ASSERT) return true;
        bracketed++;
        const env = exactEnv(hyper, [alpha, beta1, beta2]);
        const shifted = (x: Rational) => model.hessian.map((row, i) => row.map((h, j) => (i === j ? x.sub(exact(h, env)) : exact(h, env).neg())));
        const c = Rational.of(3n, 2n);
        const R = Rational.of(16n, 5n);
        // slack >= lo: S <= (R - lo) / c, so (R - lo) / c + tiny is above S; slack <= hi: (R - hi) / c is not above S.
        const above = R.sub(q(out.lo[0]!)).div(c).add(Rational.of(1n, 10n ** 30n));
        const below = R.sub(q(out.hi[0]!)).div(c);
        return positiveDefinite(shifted(above)) && !positiveDefinite(shifted(below));
      }),
      { numRuns: 200, seed: 28 },
    );
    expect(bracketed).toBeGreaterThan(30);
  });
});

describe('progressive sharpening: a new smallest slack at every step, settled in the rung', () => {
  it("issue 25's claim: the same results with and without the rung, and the rung settles all but a few steady iterates", () => {
    const lemma = claimLemma(model, 'fused-rung.test.ts');
    let steady = 0;
    let fused = 0;
    for (const [eta, lambda2, beta1] of CLAIM_STARTS) {
      const hyper = { eta, lambda1: 1, lambda2 };
      const a = checkTrajectory(model, lemma, hyper, [1, beta1, 0], { arith: 'extended' });
      const b = checkTrajectory(model, lemma, hyper, [1, beta1, 0], { arith: 'extended', fused: false });
      expect(comparableResult(a)).toEqual(comparableResult(b));
      expect(a.worstSlack!.step, 'the worst slack is at the end of progressive sharpening, not at the start').toBeGreaterThan(100);
      steady += a.steadyIterates;
      fused += a.fusedIterates;
    }
    // Before the brackets, every iterate of progressive sharpening (a quarter here) went to the interval rung.
    expect(fused / steady).toBeGreaterThan(0.99);
  });
});

describe('with the fused rung the trajectory results are the interval rung\'s', () => {
  const shares: string[] = [];
  afterAll(() => console.log(`fused-rung share of iterates: ${shares.join(', ')}`));
  for (const packName of packNames()) {
    it(`every trajectory lemma of ${packName}`, async () => {
      const pack = loadPack(packName);
      const m = deriveModel(pack.spec);
      const loaded = await loadLemmas(lemmaFiles(pack.lemmaDir!), m);
      let lemmas = 0;
      let exactOnlyWithout = 0;
      let iterates = 0;
      let fused = 0;
      for (const l of loaded) {
        if (!l.ok || quantifierKind(l.lemma.quantifier.kind)?.mode !== 'trajectory') continue;
        const lemma = l.lemma;
        lemmas++;
        for (const g of drawGrids(lemma, 20261207, 2)) {
          const p = gridToPoint(lemma, g);
          const init = m.params.map((k) => p.init[k]!);
          const opts = { arith: 'extended' as const, steps: Math.min(1200, lemma.steps) };
          const a = checkTrajectory(m, lemma, p.hyper, init, opts);
          const b = checkTrajectory(m, lemma, p.hyper, init, { ...opts, fused: false });
          expect(comparableResult(a), `${lemma.id} at ${JSON.stringify(p)}`).toEqual(comparableResult(b));
          exactOnlyWithout += b.decidedExactly - a.decidedExactly;
          iterates += a.iterates;
          fused += a.fusedIterates;
        }
      }
      expect(lemmas).toBeGreaterThan(0);
      // The fused rung decides no fewer iterates in floats than the interval rung does.
      expect(exactOnlyWithout, 'iterates decided exactly without the fused rung and in floats with it').toBeGreaterThanOrEqual(0);
      shares.push(`${packName} ${fused}/${iterates}`);
      // Else this would compare the interval rung with itself.
      expect(fused / iterates, `${packName}: ${fused} of ${iterates} iterates settled by the fused rung`).toBeGreaterThan(0.05);
    }, 600_000);
  }
});
