/**
 * The validated gradient-flow enclosure (src/dynamics/flow-enclosure.ts) against closed forms: a flow
 * with an explicit solution at finite times, and the limits the catalogue's flow-limit lemmas derive
 * (minimalist: C conserved and the minimizer (a, 0, 1/a) with a^2 - 1/a^2 = C; scalar D = 2: w1^2 - w2^2
 * conserved and w1 w2 = 1; catapult n = 2: the sharpness lambda_GFS of the start). Each closed form
 * must lie in the enclosure; the enclosures must also be narrow (a test that cannot fail is no test).
 */
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { encloseFlowAt, encloseFlowLimit, sharpnessOverBox, type FlowLimitBox } from '../../src/dynamics/flow-enclosure.js';
import { conservedQuadratics, nullspace, sumOfSquares } from '../../src/dynamics/flow-structure.js';
import { Rational } from '../../src/numeric/rational.js';

const minimalist = deriveModel(loadPack('minimalist').spec);
const scalarD2 = deriveModel(loadPack('scalar-d2').spec);
const catapultN2 = deriveModel(loadPack('catapult-n2').spec);
const catapultN3 = deriveModel(loadPack('catapult-n3').spec);

/** x within the interval, allowing `ulps` relative rounding of the float closed form. */
function contains(iv: { lo: number; hi: number }, x: number, ulps = 4): boolean {
  const slack = ulps * 2.220446049250313e-16 * Math.abs(x);
  return iv.lo <= x + slack && x - slack <= iv.hi;
}

describe('validated flow enclosure at a finite time', () => {
  // L = 1/2 (x - 1)^2 + 1/2 k (y + 2)^2: theta(t) = target + (theta_0 - target) e^(-diag(1, k) t).
  const linear = deriveModel({ name: 'linear-flow', params: ['x', 'y'], hypers: ['eta', 'k'], loss: '1/2 * (x - 1)^2 + 1/2 * k * (y + 2)^2' });
  for (const T of [0.5, 3, 20]) {
    it(`holds the exact solution at t = ${T}, with a small radius`, () => {
      const b = encloseFlowAt(linear, { eta: 1, k: 3 }, [0.25, 1.5], T);
      if (typeof b === 'string') throw new Error(b);
      expect(b.t).toBe(T);
      const exact = [1 + (0.25 - 1) * Math.exp(-T), -2 + (1.5 + 2) * Math.exp(-3 * T)];
      const dist = Math.hypot(b.center[0]! - exact[0]!, b.center[1]! - exact[1]!);
      // The float closed form is itself within a few ulps of the truth.
      expect(dist).toBeLessThanOrEqual(b.r + 1e-15);
      expect(b.r).toBeLessThan(1e-12);
    });
  }

  it('an expanding flow (a saddle direction) grows its radius by the logarithmic norm, and still holds the solution', () => {
    // L = 1/2 x^2 - 1/2 y^2: y(t) = y_0 e^t.
    const saddle = deriveModel({ name: 'saddle-flow', params: ['x', 'y'], hypers: ['eta'], loss: '1/2 * x^2 - 1/2 * y^2' });
    const b = encloseFlowAt(saddle, { eta: 1 }, [1, 1e-3], 5);
    if (typeof b === 'string') throw new Error(b);
    const exact = [Math.exp(-5), 1e-3 * Math.exp(5)];
    expect(Math.hypot(b.center[0]! - exact[0]!, b.center[1]! - exact[1]!)).toBeLessThanOrEqual(b.r + 1e-15);
    expect(b.r).toBeLessThan(1e-11);
  });
});

describe('validated flow enclosure: each part of the bound is needed', () => {
  const linear = deriveModel({ name: 'linear-flow', params: ['x', 'y'], hypers: ['eta', 'k'], loss: '1/2 * (x - 1)^2 + 1/2 * k * (y + 2)^2' });
  it('long steps (a loose remainder target): the Lagrange remainder widens the ball enough to hold the exact solution', () => {
    const b = encloseFlowAt(linear, { eta: 1, k: 3 }, [0.25, 1.5], 4, { order: 3, localTol: 1e-4 });
    if (typeof b === 'string') throw new Error(b);
    const exact = [1 + (0.25 - 1) * Math.exp(-4), -2 + (1.5 + 2) * Math.exp(-12)];
    const dist = Math.hypot(b.center[0]! - exact[0]!, b.center[1]! - exact[1]!);
    // The center is off by the truncation error; only the remainder term makes the radius cover it.
    expect(dist).toBeGreaterThan(1e-9);
    expect(dist).toBeLessThanOrEqual(b.r);
  });

  it('a ball of starts on a saddle: the radius grows by exp(t nu) and holds the solution from the ball\'s edge', () => {
    const saddle = deriveModel({ name: 'saddle-flow', params: ['x', 'y'], hypers: ['eta'], loss: '1/2 * x^2 - 1/2 * y^2' });
    const r0 = 1e-6;
    const b = encloseFlowAt(saddle, { eta: 1 }, [1, 1e-3], 5, { radius0: r0 });
    if (typeof b === 'string') throw new Error(b);
    // The start (1, 1e-3 + r0) lies on the ball: its solution is (e^-5, (1e-3 + r0) e^5).
    const edge = [Math.exp(-5), (1e-3 + r0) * Math.exp(5)];
    expect(Math.hypot(b.center[0]! - edge[0]!, b.center[1]! - edge[1]!)).toBeLessThanOrEqual(b.r);
    expect(b.r).toBeLessThan(r0 * Math.exp(5) * 1.01);
  });
});

describe('model structure', () => {
  it('reads the minimalist loss as a weighted sum of squares and finds C as its only conserved quadratic form', () => {
    const s = sumOfSquares(minimalist);
    expect('why' in s).toBe(false);
    const q = conservedQuadratics(minimalist);
    expect(q).toHaveLength(1);
    // Up to a factor: -alpha^2 + beta1^2 + beta2^2.
    const c = new Map(q[0]!.coef.map((e) => [`${e.i}${e.j}`, e.c.toNumber()]));
    expect([...c.entries()].sort()).toEqual([['00', -1], ['11', 1], ['22', 1]]);
  });

  it('refuses a loss that is not a sum of squares', () => {
    const m = deriveModel({ name: 'not-sos', params: ['x'], hypers: ['eta'], loss: 'x^4 - x^2' });
    expect('why' in sumOfSquares(m)).toBe(true);
    expect(encloseFlowLimit(m, { eta: 1 }, [0.5]).ok).toBe(false);
  });

  it('nullspace: every returned vector solves the system', () => {
    const q = (a: number) => Rational.fromInt(a);
    const rows = [[q(1), q(2), q(3)], [q(2), q(4), q(6)], [q(0), q(1), q(1)]];
    const ns = nullspace(rows, 3);
    expect(ns).toHaveLength(1);
    for (const row of rows) expect(row.reduce((s, x, i) => s.add(x.mul(ns[0]![i]!)), Rational.ZERO).isZero()).toBe(true);
  });
});

describe('gradient-flow limits', () => {
  const limit = (r: ReturnType<typeof encloseFlowLimit>): FlowLimitBox => {
    if (!r.ok) throw new Error(r.why);
    return r;
  };

  for (const [lambda2, start] of [[0.1, [1.2, 0.3, -0.5]], [0.001, [0.6, -0.4, 0.9]], [1, [2, 0.5, 1]]] as const) {
    it(`minimalist, lambda2 = ${lambda2}: the limit is the minimizer on C = C_0 and S there is S_GFS`, () => {
      const hyper = { eta: 1, lambda1: 1, lambda2 };
      const r = limit(encloseFlowLimit(minimalist, hyper, start));
      expect(r.width).toBeLessThan(1e-12);
      const C = start[0] ** 2 - start[1] ** 2 - start[2] ** 2;
      const a = Math.sqrt((C + Math.sqrt(C * C + 4)) / 2);
      expect(contains(r.box[0]!, a, 8)).toBe(true);
      expect(contains(r.box[1]!, 0)).toBe(true);
      expect(contains(r.box[2]!, 1 / a, 8)).toBe(true);
      const S = sharpnessOverBox(minimalist, hyper, r.box)!;
      const sGfs = Math.max((C + Math.sqrt(C * C + 4)) / 2, lambda2 * Math.sqrt(C * C + 4));
      expect(contains(S, sGfs, 16)).toBe(true);
      expect(S.hi - S.lo).toBeLessThan(1e-11);
    });
  }

  it('scalar D = 2 from a start with w2 < 0: the flow crosses p = 0 and ends at w1 w2 = 1 with w1^2 - w2^2 kept', () => {
    const r = limit(encloseFlowLimit(scalarD2, { eta: 1 }, [1.5, -1.2]));
    const d = 1.5 ** 2 - 1.2 ** 2;
    // s1^2 - s2^2 = d, s1 s2 = 1: s2^2 = (-d + sqrt(d^2 + 4)) / 2.
    const s2 = Math.sqrt((-d + Math.sqrt(d * d + 4)) / 2);
    expect(contains(r.box[0]!, 1 / s2, 8)).toBe(true);
    expect(contains(r.box[1]!, s2, 8)).toBe(true);
  });

  it('catapult n = 2: S at the limit is lambda_GFS of the start', () => {
    const s = 0.7071067811865476;
    const hyper = { eta: 1, y: 0.3, s };
    const th = [0.5, -0.3, 0.8, 0.2];
    const r = limit(encloseFlowLimit(catapultN2, hyper, th));
    expect(r.by).toBe('krawczyk');
    const P = ((th[0]! + th[2]!) ** 2 + (th[1]! + th[3]!) ** 2) * ((th[0]! - th[2]!) ** 2 + (th[1]! - th[3]!) ** 2);
    const lambdaGfs = Math.sqrt(4 * s * s * 0.3 * 0.3 + s ** 4 * P);
    expect(contains(sharpnessOverBox(catapultN2, hyper, r.box)!, lambdaGfs, 16)).toBe(true);
  });

  // The draw of k6-n3-flow-limit-sharpness-is-lambda-gfs at the default seed that was UNDECIDED: nine
  // conserved forms for five places, and taken in catalogue order they made Krawczyk's system
  // ill-conditioned (cond ~7600), its box stuck at 1.4e-11 wide while the ball only grew on the
  // minimizer manifold, for all 200000 steps (58 s).
  const n3Hyper = { eta: 1, y: -0.29264068603515625, s: 0.5773502691896258 };
  const n3Start = [-0.9999828338623047, 0.7800388336181641, -0.9411830902099609, -0.9999980926513672, 0.8337974548339844, -0.9999923706054688];

  it('catapult n = 3 (a regression): the limit is enclosed narrowly and early, and S there is lambda_GFS of the start', () => {
    const r = limit(encloseFlowLimit(catapultN3, n3Hyper, n3Start));
    expect(r.by).toBe('krawczyk');
    expect(r.width).toBeLessThan(1e-13);
    expect(r.steps).toBeLessThan(1000);
    const [u1, u2, u3, v1, v2, v3] = n3Start as [number, number, number, number, number, number];
    const P = ((u1 + v1) ** 2 + (u2 + v2) ** 2 + (u3 + v3) ** 2) * ((u1 - v1) ** 2 + (u2 - v2) ** 2 + (u3 - v3) ** 2);
    const { s, y } = n3Hyper;
    expect(contains(sharpnessOverBox(catapultN3, n3Hyper, r.box)!, Math.sqrt(4 * s * s * y * y + s ** 4 * P), 16)).toBe(true);
  });

  it('gives up early, by a count, when integrating on cannot help (a tolerance under the rounding floor)', () => {
    const r = encloseFlowLimit(catapultN3, n3Hyper, n3Start, { width: 2 ** -60 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.why).toMatch(/no progress in the \d+ validated steps since step \d+/);
    expect(r.steps).toBeLessThan(5000);
    // Patience counts steps: a larger one runs longer before giving up.
    const p = encloseFlowLimit(catapultN3, n3Hyper, n3Start, { width: 2 ** -60, patience: 4096 });
    expect(!p.ok && p.steps > r.steps).toBe(true);
  });

  it('stops by its step budget, never by a clock, and says so', () => {
    const r = encloseFlowLimit(minimalist, { eta: 1, lambda1: 1, lambda2: 0.001 }, [0.6, -0.4, 0.9], { maxSteps: 5 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toMatch(/within 5 validated steps/);
  });

  it('is deterministic: the same start gives the same box bit for bit', () => {
    const a = limit(encloseFlowLimit(catapultN2, { eta: 1, y: -0.2, s: 0.7071067811865476 }, [0.9, 0.1, -0.4, 0.6]));
    const b = limit(encloseFlowLimit(catapultN2, { eta: 1, y: -0.2, s: 0.7071067811865476 }, [0.9, 0.1, -0.4, 0.6]));
    expect(b.box).toEqual(a.box);
    expect(b.steps).toBe(a.steps);
  });
});
