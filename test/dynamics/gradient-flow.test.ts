import { describe, expect, it } from 'vitest';
import { gradientFlowLimit, integrate, type VectorField } from '../../src/dynamics/gradient-flow.js';
import { mulberry32 } from '../support/prng.js';

describe('integrate (Dormand-Prince 5(4))', () => {
  it('y\' = -k y matches exp(-k t) to 1e-9', () => {
    const k = 2.5;
    const y0 = [1, -3, 0.25];
    const f: VectorField = (y, out) => {
      for (let i = 0; i < y.length; i++) out[i] = -k * y[i];
    };
    for (const T of [0.1, 1, 4, 20]) {
      const r = integrate(f, y0, { tMax: T });
      expect(r.status).toBe('tMax');
      expect(r.t).toBe(T);
      for (let i = 0; i < y0.length; i++) expect(Math.abs(r.y[i] - y0[i] * Math.exp(-k * T))).toBeLessThan(1e-9);
    }
  });

  it('2-D rotation y\' = A y matches the exact rotation to 1e-9', () => {
    const w = 1.7;
    const f: VectorField = (y, out) => {
      out[0] = -w * y[1];
      out[1] = w * y[0];
    };
    const y0 = [0.6, -1.1];
    for (const T of [0.5, 3, 10, 50]) {
      const r = integrate(f, y0, { tMax: T });
      expect(r.status).toBe('tMax');
      const c = Math.cos(w * T), s = Math.sin(w * T);
      expect(Math.abs(r.y[0] - (c * y0[0] - s * y0[1]))).toBeLessThan(1e-9);
      expect(Math.abs(r.y[1] - (s * y0[0] + c * y0[1]))).toBeLessThan(1e-9);
    }
  });

  it('honours stop and maxSteps', () => {
    const f: VectorField = (y, out) => {
      out[0] = -y[0];
    };
    const r = integrate(f, [1], { tMax: 100, stop: (_t, y) => y[0] < 0.5 });
    expect(r.status).toBe('stopped');
    expect(r.y[0]).toBeLessThan(0.5);
    expect(r.t).toBeGreaterThan(Math.log(2));
    const m = integrate(f, [1], { tMax: 100, maxSteps: 3 });
    expect(m.status).toBe('maxSteps');
    expect(m.steps + m.rejected).toBe(3);
  });

  it('reports a non-finite vector field as nonFinite', () => {
    const nan: VectorField = (_y, out) => out.fill(Number.NaN);
    const r = integrate(nan, [1, 2], { tMax: 1 });
    expect(r.status).toBe('nonFinite');

    // Finite at the start, NaN beyond y = 2 (reached at t = 1): the steps retreat until they collapse.
    const wall: VectorField = (y, out) => {
      out[0] = y[0] < 2 ? 1 : Number.NaN;
    };
    const w = integrate(wall, [1], { tMax: 10 });
    expect(w.status).toBe('nonFinite');
    expect(Number.isFinite(w.y[0])).toBe(true);
    expect(w.y[0]).toBeLessThanOrEqual(2);
    expect(w.t).toBeCloseTo(1, 6);

    // Finite-time blow-up of y' = y^2 at t = 1.
    const blow = integrate((y, out) => { out[0] = y[0] * y[0]; }, [1], { tMax: 2 });
    expect(blow.status).toBe('nonFinite');
    expect(blow.t).toBeLessThan(1);

    // Non-finite start.
    expect(integrate((_y, out) => { out[0] = 0; }, [Number.NaN], { tMax: 1 }).status).toBe('nonFinite');
    // gradientFlowLimit passes it through.
    expect(gradientFlowLimit(nan, [1, 2]).status).toBe('nonFinite');
  });
});

describe('gradientFlowLimit on L(a,b1,b2) = 1/2 l1 a^2 b1^2 + 1/2 l2 (a b2 - 1)^2', () => {
  it('conserves C = a^2 - b1^2 - b2^2 and converges to b1 = 0, a b2 = 1, a^2 - 1/a^2 = C (50 seeded starts)', () => {
    const rand = mulberry32(20250101);
    const l1 = 1;
    let worstC = 0, worstB1 = 0, worstR = 0, worstLimit = 0, maxT = 0, totalSteps = 0;
    const started = performance.now();
    for (let trial = 0; trial < 50; trial++) {
      const a0 = 0.5 + 1.5 * rand();
      const b10 = -0.5 + rand();
      const b20 = -1 + 2 * rand();
      const l2 = 10 ** (-3 + 3 * rand());
      const grad: VectorField = (y, out) => {
        const a = y[0], b1 = y[1], b2 = y[2];
        const r = a * b2 - 1;
        out[0] = l1 * a * b1 * b1 + l2 * b2 * r;
        out[1] = l1 * a * a * b1;
        out[2] = l2 * a * r;
      };
      const C = (y: ArrayLike<number>) => y[0] * y[0] - y[1] * y[1] - y[2] * y[2];
      const theta0 = [a0, b10, b20];
      const res = gradientFlowLimit(grad, theta0);
      const ctx = `trial ${trial}: theta0=${theta0.join(',')} l2=${l2} status=${res.status} t=${res.t}`;
      expect(res.status, ctx).toBe('stopped');
      expect(res.gradNorm, ctx).toBeLessThan(1e-12 * 10);
      const [a, b1, b2] = res.y;
      const dC = Math.abs(C(res.y) - C(theta0));
      const limitErr = Math.abs(a * a - 1 / (a * a) - C(theta0));
      expect(dC, ctx).toBeLessThanOrEqual(1e-8);
      expect(Math.abs(b1), ctx).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(a * b2 - 1), ctx).toBeLessThanOrEqual(1e-6);
      expect(limitErr, ctx).toBeLessThanOrEqual(1e-6);
      worstC = Math.max(worstC, dC);
      worstB1 = Math.max(worstB1, Math.abs(b1));
      worstR = Math.max(worstR, Math.abs(a * b2 - 1));
      worstLimit = Math.max(worstLimit, limitErr);
      maxT = Math.max(maxT, res.t);
      totalSteps += res.steps + res.rejected;
    }
    const ms = performance.now() - started;
    console.log(
      `gradient-flow 50 starts: ${ms.toFixed(0)} ms, ${totalSteps} step attempts, max t ${maxT.toExponential(2)}, ` +
        `max |dC| ${worstC.toExponential(2)}, max |b1| ${worstB1.toExponential(2)}, ` +
        `max |a b2 - 1| ${worstR.toExponential(2)}, max |a^2 - 1/a^2 - C| ${worstLimit.toExponential(2)}`,
    );
  });

  it('reaches the limit when the small curvature is 1e-4 (t ~ 1e5)', () => {
    // Quadratic with Hessian eigenvalues 1 and 1e-4: the fast mode must not cap the late steps at O(1e-2).
    const grad: VectorField = (y, out) => {
      out[0] = y[0];
      out[1] = 1e-4 * y[1];
    };
    const res = gradientFlowLimit(grad, [1, 1]);
    expect(res.status).toBe('stopped');
    expect(res.t).toBeGreaterThan(1e5);
    expect(res.gradNorm).toBeLessThan(1e-12);
    expect(Math.abs(res.y[1] - Math.exp(-1e-4 * res.t))).toBeLessThan(1e-9);
    expect(res.steps).toBeLessThan(200_000);
  });
});
