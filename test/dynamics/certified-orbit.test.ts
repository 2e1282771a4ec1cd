/**
 * The certified orbit (src/dynamics/certified-orbit.ts): on runs R1-R3 of PAPER.md section 3 it
 * encloses every tabulated figure (each enclosure lies inside the rounding interval of the table's
 * last digit, and every per-step decision behind a count or a first step is decided, none
 * undecided); a comparison its enclosure cannot separate is undecided, never a verdict; and a start
 * at which the computed float64 orbit is stuck at a rounding fixed point is certified to keep moving.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { runGD } from '../../src/dynamics/gd.js';
import { ExactGD } from '../../src/dynamics/exact-step.js';
import { parse } from '../../src/symbolic/mathjs.js';
import { Rational } from '../../src/numeric/rational.js';
import { disjoint, DyadicArith, DyadicInterval, dyadicFromDouble, type Decision } from '../../src/numeric/dyadic.js';
import { readFileSync } from 'node:fs';
import type { ModelSpec } from '../../src/model/spec.js';
import { nextDown } from '../../src/numeric/float-interval.js';
import { projectionSlope } from '../../src/dynamics/projection-slope.js';
import { mulberry32 } from '../support/prng.js';
import { positiveDefiniteShift } from '../../src/numeric/dyadic-eigen.js';
import { NotCertifiable } from '../../src/symbolic/dyadic-eval.js';
import {
  certifiedOrbit,
  CertifiedStatement,
  decideOnOrbit,
  encloseAt,
  encloseStep,
  hessianEnclosure,
  sharpnessEnclosure,
  type Box,
  type CertifiedOrbit,
  type OrbitVisitor,
  type StatementDecision,
} from '../../src/dynamics/certified-orbit.js';

const model = deriveModel(minimalistModel);

/** PAPER.md section 3, as tabulated (the table's digits are the reference; "40-digit run" is its provenance). */
const REF = {
  R1: { eta: 1.9, lambda2: 1e-3, init: [1, 0.01, 0], steps: 4000, maxEtaS: '2.23184', argmax: 549, firstUnstable: 140, lossIncreases: 160, finalEtaS: '1.99534', minLog10Beta1: '-20.5' },
  R2: { eta: 1.5, lambda2: 1e-3, init: [1, 0.01, 0], steps: 6000, maxEtaS: '2.39818', argmax: 1487, firstUnstable: 575, lossIncreases: 25, finalEtaS: '1.80888', minLog10Beta1: '-493' },
  R3: { eta: 1.5, lambda2: 1e-4, init: [1, 0.001, 0], steps: 40000, maxEtaS: '2.39876', argmax: 14820, firstUnstable: 5740, lossIncreases: 32, finalEtaS: '1.81062', minLog10Beta1: '-3071.5' },
} as const;

/** The rounding interval of a tabulated decimal: value +- half a unit of its last digit. */
function roundingInterval(text: string): [Rational, Rational] {
  const decimals = text.includes('.') ? text.split('.')[1]!.length : 0;
  const half = Rational.of(5n, 10n ** BigInt(decimals + 1));
  const v = Rational.fromDecimalString(text);
  return [v.sub(half), v.add(half)];
}

const inside = (I: DyadicInterval, [a, b]: [Rational, Rational]) => a.le(I.lo.toRational()) && I.hi.toRational().le(b);

/** x >= 10^c for x > 0 and a rational c = p/q, exactly: x^q against 10^p. */
function atLeastPow10(x: Rational, c: Rational): boolean {
  const q = Number(c.den);
  const p = c.num;
  const lhs = x.pow(q);
  const rhs = p >= 0n ? Rational.fromBigInt(10n ** p) : Rational.of(1n, 10n ** -p);
  return lhs.ge(rhs);
}

const statement = (text: string) => {
  const m = /^(.*?)(<=|>=|<|>|==)(.*)$/.exec(text)!;
  return new CertifiedStatement(model, [{ lhs: parse(m[1]!), rel: m[2] as '<', rhs: parse(m[3]!) }]);
};

interface RunCheck extends OrbitVisitor {
  firstUnstable: number | null;
  unstableUndecided: number;
  lossIncreases: number;
  lossUndecided: number;
  cRises: number;
  cUndecided: number;
  /** Steps t != argmax where S_t < S_argmax.lo was not certified. */
  notBelowMax: number[];
  minAbsBeta1: [Rational, Rational] | null;
  finalS?: DyadicInterval;
}

describe.each(Object.entries(REF))('certified orbit of %s encloses PAPER.md section 3', (name, r) => {
  const hyper = { eta: r.eta, lambda1: 1, lambda2: r.lambda2 };
  const eta = DyadicInterval.fromDouble(r.eta);
  let candidate = -1;
  let Smax: DyadicInterval;
  let orbit: CertifiedOrbit<RunCheck>;
  let v: RunCheck;
  let A: DyadicArith;
  const unstable = statement('eta * lambda1 * alpha^2 > 2');
  const lossUp = statement('L_next > L');
  const cRises = statement('C_next > C');
  let hyperBox: Box;
  beforeAll(() => {
    // Where to look for the maximum of eta S: the computed orbit's argmax (a candidate only: the certified
    // pass below proves S_t < S_argmax at every other step, so a wrong candidate would fail the test).
    let best = -Infinity;
    runGD(model, hyper, [...r.init], { steps: r.steps }, (s) => {
      if (s.etaS > best) {
        best = s.etaS;
        candidate = s.t;
      }
    });
    const peak = encloseAt(model, hyper, r.init, [candidate], { sharpness: true });
    hyperBox = peak.orbit.hyper;
    Smax = peak.records.get(candidate)!.quantities.S as DyadicInterval;

    const visitor = (): RunCheck => {
      let prev: Box | undefined;
      const v: RunCheck = {
        firstUnstable: null,
        unstableUndecided: 0,
        lossIncreases: 0,
        lossUndecided: 0,
        cRises: 0,
        cUndecided: 0,
        notBelowMax: [],
        minAbsBeta1: null,
        visit(t, box, A) {
          const h = hyperBox;
          const u = unstable.decide({ t, theta: box, hyper: h, A });
          if (u === 'undecided') v.unstableUndecided++;
          if (u === true && v.firstUnstable === null) v.firstUnstable = t;
          if (prev) {
            const at = { t: t - 1, theta: prev, next: box, hyper: h, A };
            const l = lossUp.decide(at);
            if (l === true) v.lossIncreases++;
            if (l === 'undecided') v.lossUndecided++;
            const c = cRises.decide(at);
            if (c === true) v.cRises++;
            if (c === 'undecided') v.cUndecided++;
          }
          if (t !== candidate && !positiveDefiniteShift(hessianEnclosure(model, box, h, A), 3, Smax.lo, A)) v.notBelowMax.push(t);
          const b = A.abs(box[1]!);
          const m: [Rational, Rational] = [b.lo.toRational(), b.hi.toRational()];
          if (!v.minAbsBeta1) v.minAbsBeta1 = m;
          else v.minAbsBeta1 = [m[0].lt(v.minAbsBeta1[0]) ? m[0] : v.minAbsBeta1[0], m[1].lt(v.minAbsBeta1[1]) ? m[1] : v.minAbsBeta1[1]];
          if (t === r.steps) v.finalS = sharpnessEnclosure(model, box, h, A);
          prev = box;
          // An undecided step asks for more precision (none happens at the precision the widths need).
          if (u === 'undecided' || v.lossUndecided + v.cUndecided > 0) return 'refine';
        },
      };
      return v;
    };
    orbit = certifiedOrbit(model, hyper, r.init, r.steps, { visitor });
    v = orbit.visitor!;
    A = new DyadicArith(orbit.bits);
    console.log(
      `${name}: certified at ${orbit.bits} bits (passes ${orbit.passes.map((p) => `${p.bits}:${p.end}@${p.reached}`).join(' ')}), widest relative enclosure 2^${orbit.widest.log2RelWidth.toFixed(1)} (${orbit.widest.param}, step ${orbit.widest.step}); ` +
        `max eta S ${A.mul(eta, Smax).toString(9)} at ${candidate}; final eta S ${A.mul(eta, v.finalS!).toString(9)}; min |beta1| ${Math.log10(2) * v.minAbsBeta1![0].log2Abs()}`,
    );
  });

  it('is certified to the end at a precision within the limit', () => {
    expect(orbit.status).toBe('certified');
    expect(orbit.steps).toBe(r.steps);
    expect(orbit.widest.log2RelWidth).toBeLessThan(-64);
  });

  it('max eta S: its step, and the value to the table digits', () => {
    expect(candidate).toBe(r.argmax);
    expect(v.notBelowMax).toEqual([]);
    expect(inside(new DyadicArith(256).mul(eta, Smax), roundingInterval(r.maxEtaS))).toBe(true);
  });

  it('first step with eta lambda1 alpha^2 > 2, decided at every step', () => {
    expect(v.unstableUndecided).toBe(0);
    expect(v.firstUnstable).toBe(r.firstUnstable);
  });

  it('loss increases (every step decided) and C never rises', () => {
    expect(v.lossUndecided).toBe(0);
    expect(v.lossIncreases).toBe(r.lossIncreases);
    expect(v.cUndecided).toBe(0);
    expect(v.cRises).toBe(0);
  });

  it('final eta S and min log10 |beta1| to the table digits', () => {
    expect(inside(A.mul(eta, v.finalS!), roundingInterval(r.finalEtaS))).toBe(true);
    const [a, b] = roundingInterval(r.minLog10Beta1);
    // The minimum over t of |beta1_t| lies in [min of lower ends, min of upper ends].
    const [mlo, mhi] = v.minAbsBeta1!;
    expect(atLeastPow10(mlo, a)).toBe(true);
    expect(atLeastPow10(mhi, b)).toBe(false);
  });
});

describe('certified decisions', () => {
  const hyper = { eta: 1.9, lambda1: 1, lambda2: 1e-3 };
  const init = [1, 0.01, 0];

  it('an enclosure that cannot separate a comparison is undecided, never a verdict', () => {
    const { orbit, records } = encloseAt(model, hyper, init, [0, 50]);
    const A = new DyadicArith(orbit.bits);
    // alpha < alpha is false, but two copies of one wide enclosure overlap: interval arithmetic cannot tell.
    const self = statement('alpha < alpha');
    expect(self.decide({ t: 0, theta: records.get(0)!.box, hyper: orbit.hyper, A })).toBe(false);
    const box50 = records.get(50)!.box;
    expect(box50[0]!.isPoint()).toBe(false);
    expect(self.decide({ t: 50, theta: box50, hyper: orbit.hyper, A })).toBe('undecided');
    // A constant inside the enclosure: equally undecided (the true value lies on one side, unknown which).
    const mid = box50[0]!.mid(A.bits);
    const inner = new CertifiedStatement(model, [{ lhs: parse('alpha'), rel: '<=', rhs: parse('alpha_0') }]);
    expect(inner.decide({ t: 50, theta: box50, theta0: [DyadicInterval.point(mid), box50[1]!, box50[2]!], hyper: orbit.hyper, A })).toBe('undecided');
    // The same statements, well separated, are decided.
    expect(statement('alpha < alpha + 1e-30').decide({ t: 50, theta: box50, hyper: orbit.hyper, A })).toBe(true);
    expect(statement('alpha > alpha + 1e-30').decide({ t: 50, theta: box50, hyper: orbit.hyper, A })).toBe(false);
  });

  it('a precision too low for a claim gives undecided, never a verdict; more bits decide it', () => {
    // alpha_t < alpha_t + 1e-12 holds, but a 24-bit enclosure of alpha is far wider than 1e-12.
    const s = statement('alpha < alpha + 1e-12');
    const low = decideOnOrbit(model, hyper, init, 100, s, { startBits: 24, maxBits: 24, relWidthBits: 8 });
    expect(low.decision).toBe('undecided');
    const high = decideOnOrbit(model, hyper, init, 100, s, { startBits: 24, maxBits: 1024, relWidthBits: 8 });
    expect(high.decision).toBe(true);
    expect(high.orbit.bits).toBeGreaterThan(24);
    expect(high.orbit.passes.some((p) => p.end === 'refine')).toBe(true);
  });

  it('a decided one-step claim agrees with exact rational GD', () => {
    // Exact iterates roughly triple in length per step (the map is cubic): compare a few steps only.
    const s = statement('L_next < L');
    const g = new ExactGD(model, hyper);
    let th = init.map((x) => Rational.fromDouble(x));
    for (let t = 0; t < 5; t++) {
      const d = decideOnOrbit(model, hyper, init, t, s);
      const L = (x: Rational[]) => g.eval(model.loss, x);
      expect(d.decision).toBe(L(g.next(th)).lt(L(th)));
      th = g.next(th);
    }
  });

  it('undefined terms are undefined; quantities without a certified enclosure are refused', () => {
    const { orbit, records } = encloseAt(model, hyper, init, [0]);
    const A = new DyadicArith(orbit.bits);
    // beta2_0 = 0 exactly, so 1/beta2 is undefined there.
    expect(statement('1 / beta2 > 0').decide({ t: 0, theta: records.get(0)!.box, hyper: orbit.hyper, A })).toBe('undefined');
    expect(() => statement('exp(L) < 2')).toThrow(NotCertifiable);
    // Logs are enclosed (double precision, any magnitude): log L at this start is decided, log(beta2) with beta2_0 = 0 is undefined.
    expect(statement('log(L) < 100').decide({ t: 0, theta: records.get(0)!.box, hyper: orbit.hyper, A })).toBe(true);
    expect(statement('log(beta2) < 0').decide({ t: 0, theta: records.get(0)!.box, hyper: orbit.hyper, A })).toBe('undefined');
    expect(() => statement('nosuch < 0')).toThrow(/not supported by the certified evaluator/);
  });

  it('the certified orbit contains exact rational GD', () => {
    const g = new ExactGD(model, hyper);
    let th = init.map((x) => Rational.fromDouble(x));
    const steps = [1, 3, 6];
    const opts = { startBits: 128, maxBits: 128 };
    const centered = encloseAt(model, hyper, init, steps, { ...opts, quantities: { L: model.loss } }).records;
    const naive = encloseAt(model, hyper, init, steps, { ...opts, form: 'naive' }).records;
    for (let t = 1; t <= 6; t++) {
      th = g.next(th);
      const rec = centered.get(t);
      if (!rec) continue;
      rec.box.forEach((b, i) => expect(b.contains(th[i]!)).toBe(true));
      naive.get(t)!.box.forEach((b, i) => expect(b.contains(th[i]!)).toBe(true));
      expect((rec.quantities.L as DyadicInterval).contains(g.eval(model.loss, th))).toBe(true);
    }
    // The centered form is the tighter one (the naive form adds the widths of beta1 and eta alpha^2 beta1).
    expect(centered.get(6)!.box[1]!.relWidthLog2()).toBeLessThan(naive.get(6)!.box[1]!.relWidthLog2() - 4);
  });
});

describe('a computed orbit stalled at a float64 rounding fixed point', () => {
  // eta = 1, lambda2 = 0.1 from (1, 0.01, 0): beta1 is exactly 0 from step 1 on (its factor 1 - eta alpha_0^2
  // vanishes), and near the minimizer the float64 steps of alpha and beta2 fall below half an ulp, so the
  // computed orbit stops changing, while exact GD still moves (more slowly every step).
  const hyper = { eta: 1, lambda1: 1, lambda2: 0.1 };
  let stall = -1;
  let stalled: number[] = [];
  let prev: number[] | undefined;
  runGD(model, hyper, [1, 0.01, 0], { steps: 5000, arith: 'float64' }, (s) => {
    if (prev && s.theta.every((x, i) => Object.is(x, prev![i]))) {
      stall = s.t - 1;
      stalled = prev;
      return false;
    }
    prev = s.theta;
  });

  it('the computed orbit repeats an iterate bit for bit, and it is not a fixed point of exact GD', () => {
    expect(stall).toBeGreaterThan(0);
    expect(new ExactGD(model, hyper).isFixedPoint(stalled.map((x) => Rational.fromDouble(x)))).toBe(false);
    // From the stalled point (beta1 = 0 exactly, a start in its own right), both computed arithmetics stand still.
    for (const arith of ['float64', 'extended'] as const) {
      const seen: number[][] = [];
      runGD(model, hyper, stalled, { steps: 20, arith }, (s) => void seen.push(s.theta));
      expect(seen.every((th) => th.every((x, i) => Object.is(x, stalled[i])))).toBe(true);
    }
  });

  it('from that start the true orbit is certified to keep moving: consecutive enclosures are disjoint and L falls', () => {
    const falls = statement('L_next < L');
    const hyperBox = model.hypers.map((k) => DyadicInterval.fromDouble(hyper[k as keyof typeof hyper]));
    const moving: boolean[] = [];
    const decisions: StatementDecision[] = [];
    const orbit = certifiedOrbit(model, hyper, stalled, 300, {
      visitor: () => {
        let last: Box | undefined;
        moving.length = 0;
        decisions.length = 0;
        return {
          visit(t, box, A) {
            let d: StatementDecision | undefined;
            if (last) {
              moving.push(box.some((b, i) => disjoint(b, last![i]!)));
              decisions.push((d = falls.decide({ t: t - 1, theta: last, next: box, hyper: hyperBox, A })));
            }
            last = box;
            // The true steps shrink geometrically (by about 0.78 here): ask for more bits when they fall below the enclosures.
            if (moving.includes(false) || d === 'undecided') return 'refine';
          },
        };
      },
    });
    expect(orbit.status).toBe('certified');
    expect(orbit.bits).toBeGreaterThan(128);
    expect(moving.length).toBe(300);
    expect(moving.every((x) => x)).toBe(true);
    expect(decisions.every((d: StatementDecision | Decision) => d === true)).toBe(true);
  });

  it('along the original run, the true orbit moves through and past the computed stall', () => {
    const steps = [stall, stall + 1, stall + 100, stall + 101];
    const { records } = encloseAt(model, hyper, [1, 0.01, 0], steps);
    const box = (t: number) => records.get(t)!.box;
    expect(box(stall).some((b, i) => disjoint(b, box(stall + 1)[i]!))).toBe(true);
    expect(box(stall + 100).some((b, i) => disjoint(b, box(stall + 101)[i]!))).toBe(true);
    // Not an underflow artifact: beta1 is exactly 0 on the true orbit too.
    expect(box(stall)[1]!.isPoint() && box(stall)[1]!.lo.m === 0n).toBe(true);
  });
});

describe('projected GD: the mean-value form through the projection (issue 24, item 3)', () => {
  const fixture = (name: string) => deriveModel(JSON.parse(readFileSync(`test/fixtures/projected/${name}.json`, 'utf8')) as ModelSpec);
  const half = fixture('halfspace');
  const boxModel = fixture('box');
  const R1 = { eta: 1.9, lambda1: 1, lambda2: 1e-3 };
  const hyperBox = [1.9, 1, 1e-3].map((x) => DyadicInterval.fromDouble(x));

  it('both projections have slopes (else the orbit would fall back to the naive form)', () => {
    expect(projectionSlope(half)).not.toBeNull();
    expect(projectionSlope(boxModel)).not.toBeNull();
    expect(projectionSlope(model)).toBeNull();
  });

  it.each([
    ['halfspace', half],
    ['box', boxModel],
  ] as const)('one step from a box contains exact projected GD at every corner and sampled point, on either side of the constraint and across it (%s)', (_name, m) => {
    const rnd = mulberry32(24_3);
    const exact = new ExactGD(m, R1);
    const A = new DyadicArith(128);
    // Whether the exact step's projection acted at a point: the half-space's constraint holds with equality, or alpha sits at the box's bound.
    const projected = (y: Rational[]) => (m === half ? y[0]!.add(y[2]!.mul(Rational.of(1n, 2n))).eq(Rational.of(6n, 5n)) : y[0]!.eq(Rational.fromDouble(nextDown(1.05))));
    const cases = { active: 0, inactive: 0, across: 0 };
    for (let trial = 0; trial < 60; trial++) {
      const centre = [0.9 + 0.25 * rnd(), 0.1 * (rnd() - 0.5), m === half ? 0.5 * rnd() + 0.2 : 0.3 * rnd()];
      const radius = 2 ** -[30, 12, 6][trial % 3]!;
      const box = centre.map((c) => new DyadicInterval(dyadicFromDouble(c - radius * Math.abs(c)), dyadicFromDouble(c + radius * Math.abs(c))));
      const out = encloseStep(m, box, hyperBox, A);
      const points: number[][] = [];
      for (let k = 0; k < 8; k++) points.push(centre.map((c, i) => ((k >> i) & 1 ? c + radius * Math.abs(c) : c - radius * Math.abs(c))));
      for (let k = 0; k < 8; k++) points.push(centre.map((c) => c + radius * Math.abs(c) * (2 * rnd() - 1)));
      const acted = points.map((p) => {
        const y = exact.next(p.map((x) => Rational.fromDouble(x)));
        y.forEach((v, i) => expect(out[i]!.contains(v), `trial ${trial}, point ${p}, param ${i}`).toBe(true));
        return projected(y);
      });
      cases[acted.every((x) => x) ? 'active' : acted.some((x) => x) ? 'across' : 'inactive']++;
    }
    // Not vacuous: the projection acts at every point of some boxes, at none of others, and at some points of a few.
    expect(cases.active).toBeGreaterThan(5);
    expect(cases.inactive).toBeGreaterThan(5);
    expect(cases.across).toBeGreaterThan(0);
  });

  it('the half-space orbit from (0.95, 0.01, 0.1) stays narrow at 128 bits through 3000 steps; the naive form is too wide by step 60', () => {
    const init = [0.95, 0.01, 0.1];
    const centered = certifiedOrbit(half, R1, init, 3000, { startBits: 128, maxBits: 128, relWidthBits: 16 });
    expect(centered.status).toBe('certified');
    expect(centered.signLost).toBeNull();
    expect(centered.widest.log2RelWidth).toBeLessThan(-90);
    const naive = certifiedOrbit(half, R1, init, 3000, { startBits: 128, maxBits: 2048, relWidthBits: 16, form: 'naive' });
    expect(naive.passes[0]).toMatchObject({ bits: 128, end: 'too-wide' });
    expect(naive.passes[0]!.reached).toBeLessThan(60);
    // At 2048 bits the naive enclosure of beta1 comes to hold 0, then overflows the exponent range: the cause a report names.
    expect(naive.status).toBe('exponent-range');
    expect(naive.signLost).toEqual({ step: 963, param: 'beta1' });
    expect(naive.steps).toBe(1623);
  });
});
