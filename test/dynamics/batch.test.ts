import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { GradientDescent, runGD } from '../../src/dynamics/gd.js';
import { ReferenceGD } from '../support/reference-gd.js';
import { GDBatch, makeTop3 } from '../../src/dynamics/batch.js';
import { topEigenvalue3 } from '../../src/numeric/eigen3.js';
import { symmetricEigen } from '../../src/numeric/symmetric-eigen.js';
import type { ExtFloat } from '../../src/numeric/extfloat.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { mulberry32 } from '../support/prng.js';

const model = deriveModel(minimalistModel);

/** Relative to the spectral radius: both methods are accurate to a few ulps of ||H||, not of a tiny eigenvalue. */
function relErr(a: number, b: number, scale: number): number {
  return Math.abs(a - b) / Math.max(scale, Number.MIN_VALUE);
}

describe('sharpness by Newton on det(xI - H) from an upper bound', () => {
  const top3 = makeTop3();
  const spectral = (a: number[]) => Math.max(...symmetricEigen([[a[0]!, a[1]!, a[2]!], [a[1]!, a[3]!, a[4]!], [a[2]!, a[4]!, a[5]!]]).values.map(Math.abs));

  /** Q diag(l) Q^T for a random rotation Q. */
  function withSpectrum(rnd: () => number, l: [number, number, number]): number[] {
    const q = [rnd() - 0.5, rnd() - 0.5, rnd() - 0.5, rnd() - 0.5];
    const n = Math.hypot(...q);
    const [w, x, y, z] = q.map((v) => v / n) as [number, number, number, number];
    const R = [
      [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
      [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
      [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
    ];
    const A = (i: number, j: number) => l.reduce((s, li, k) => s + li * R[i]![k]! * R[j]![k]!, 0);
    return [A(0, 0), A(0, 1), A(0, 2), A(1, 1), A(1, 2), A(2, 2)];
  }

  it('agrees with topEigenvalue3 to 1e-13 on random, negative-definite, near-degenerate and diagonal matrices, cold and warm', () => {
    const rnd = mulberry32(31);
    const stats = new Float64Array(2);
    let worst = 0;
    const cases: number[][] = [];
    for (let k = 0; k < 3000; k++) {
      const s = 10 ** (6 * rnd() - 3);
      const kind = k % 6;
      if (kind === 0) cases.push(Array.from({ length: 6 }, () => (rnd() - 0.5) * s));
      else if (kind === 1) cases.push(withSpectrum(rnd, [-s * rnd(), -s * rnd(), -s * (1 + rnd())])); // negative definite
      else if (kind === 2) cases.push(withSpectrum(rnd, [s, s * (1 - 10 ** (-16 * rnd())), -s * rnd()])); // near-double top
      else if (kind === 3) cases.push(withSpectrum(rnd, [s, s, s * (1 - 1e-12 * rnd())])); // nearly a multiple of I
      else if (kind === 4) cases.push([s * rnd(), 0, 0, -s * rnd(), 0, s * (rnd() - 0.5)]); // diagonal
      else cases.push(withSpectrum(rnd, [-1e-9 * s, -s, -s * rnd()])); // top eigenvalue tiny against ||H||
    }
    for (const a of cases) {
      const ref = topEigenvalue3(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!);
      const cold = new Float64Array(7).fill(NaN);
      const got = top3(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, cold, stats);
      worst = Math.max(worst, relErr(got, ref, spectral(a)));
      // Warm: from the same matrix slightly perturbed, as along a trajectory.
      const b = a.map((v) => v * (1 + 1e-3 * (rnd() - 0.5)));
      const warm = new Float64Array(7).fill(NaN);
      top3(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, warm, stats);
      const got2 = top3(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, warm, stats);
      worst = Math.max(worst, relErr(got2, ref, spectral(a)));
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('agrees with topEigenvalue3 to 1e-13 along trajectories (R1 and random starts), mostly without the fallback', () => {
    const rnd = mulberry32(32);
    const stats = new Float64Array(2);
    let worst = 0;
    let evals = 0;
    const H = new Float64Array(9);
    for (let r = 0; r < 6; r++) {
      const hyper = r === 0 ? { eta: 1.9, lambda1: 1, lambda2: 1e-3 } : { eta: 1 + rnd(), lambda1: 1, lambda2: 10 ** (-4 + 3 * rnd()) };
      const init = r === 0 ? [1, 0.01, 0] : [0.7 + 0.5 * rnd(), 0.1 * rnd(), 0.5 * rnd()];
      const gd = new GradientDescent(model, hyper, init, 'float64');
      const warm = new Float64Array(7).fill(NaN);
      for (let t = 0; t < 1500; t++) {
        model.kernels.hessian((gd as any).th, (gd as any).h, H);
        const ref = topEigenvalue3(H[0]!, H[1]!, H[2]!, H[4]!, H[5]!, H[8]!);
        const got = top3(H[0]!, H[1]!, H[2]!, H[4]!, H[5]!, H[8]!, warm, stats);
        worst = Math.max(worst, relErr(got, ref, Math.abs(ref)));
        evals++;
        if (gd.advance().kind !== 'completed') break;
      }
    }
    expect(worst).toBeLessThan(1e-13);
    expect(stats[1]).toBeLessThan(0.01 * evals);
  });
});

describe('batch GD (float64) equals GradientDescent lane by lane', () => {
  it('per-lane hypers: theta bit for bit at every step, sharpness to 1e-13', () => {
    const N = 5;
    const rnd = mulberry32(41);
    const eta = Array.from({ length: N }, () => 1 + 0.9 * rnd());
    const lambda2 = Array.from({ length: N }, () => 10 ** (-4 + 2 * rnd()));
    const inits = Array.from({ length: N }, () => [0.8 + 0.3 * rnd(), 0.001 + 0.05 * rnd(), 0.3 * rnd()]);
    const batch = new GDBatch(model, N, { eta, lambda1: 1, lambda2 }, (j) => inits[j]!);
    const gds = inits.map((init, j) => new GradientDescent(model, { eta: eta[j]!, lambda1: 1, lambda2: lambda2[j]! }, init, 'float64'));
    const refs = inits.map((init, j) => new ReferenceGD(model, { eta: eta[j]!, lambda1: 1, lambda2: lambda2[j]! }, init, 'float64'));
    const { th, warm } = batch.arrays;
    for (let t = 0; t < 800; t++) {
      batch.run(1);
      for (let j = 0; j < N; j++) {
        const S = gds[j]!.observe().S;
        gds[j]!.advance();
        refs[j]!.advance();
        // warm[lane] is the sharpness of the last observed iterate: t + 1 after run(1).
        const s1 = gds[j]!.observe();
        expect(relErr(warm[j]!, s1.S, Math.abs(s1.S))).toBeLessThan(1e-13);
        void S;
        for (let i = 0; i < 3; i++) expect(Object.is(th[i * N + j], s1.theta[i]) && Object.is(th[i * N + j], refs[j]!.th[i])).toBe(true);
      }
    }
  });

  it('records max eta*S with its step, final eta*S and loss like runGD', () => {
    const hyper = { eta: 1.9, lambda1: 1, lambda2: 1e-3 };
    const batch = new GDBatch(model, 2, hyper, () => [1, 0.01, 0]);
    batch.run(2000);
    batch.run(2000); // a second call continues the same trajectories
    let max = -Infinity;
    let arg = -1;
    let last = { etaS: NaN, L: NaN };
    runGD(model, hyper, [1, 0.01, 0], { steps: 4000, arith: 'float64' }, (s) => {
      if (s.etaS > max) {
        max = s.etaS;
        arg = s.t;
      }
      last = s;
    });
    const r = batch.result(1);
    expect(r.t).toBe(4000);
    expect(relErr(r.maxEtaS, max, max)).toBeLessThan(1e-13);
    expect(r.argmaxEtaS).toBe(arg);
    expect(relErr(r.finalEtaS, last.etaS, last.etaS)).toBeLessThan(1e-13);
    expect(r.finalLoss).toBe(last.L);
    expect(r.diverged).toBeNull();
    expect(r.underflow).toBeNull();
    // docs/paper.md R1: max eta*S = 2.23184 at step 549
    expect(Math.abs(r.maxEtaS - 2.23184)).toBeLessThan(1e-4);
  });

  it('flags divergence with the step and parameter of GradientDescent, and the float64 underflow of R3', () => {
    const batch = new GDBatch(model, 3, { eta: [1.5, 1.5, 1.9], lambda1: 1, lambda2: [1e-4, 1e-4, 1e-3] }, (j) => (j === 2 ? [3, 0.5, 0.2] : [1, 0.001, 0]));
    batch.run(3000);
    const div = runGD(model, { eta: 1.9, lambda1: 1, lambda2: 1e-3 }, [3, 0.5, 0.2], { steps: 3000, arith: 'float64' }, () => {});
    expect(div.termination.kind).toBe('diverged');
    const d = batch.result(2).diverged!;
    expect(d).not.toBeNull();
    expect(d.step).toBe((div.termination as any).step);
    expect(d.what).toBe((div.termination as any).what);
    const u = batch.result(0).underflow!;
    // test/dynamics/reference-runs.test.ts: R3 in float64 underflows in beta1 (at step 1045).
    expect(u.param).toBe('beta1');
    const ref = runGD(model, { eta: 1.5, lambda1: 1, lambda2: 1e-4 }, [1, 0.001, 0], { steps: 3000, arith: 'float64' }, () => {});
    expect(u.step).toBe(ref.underflow!.step);
    expect(batch.result(1).underflow!.step).toBe(u.step);
  });

  it('other parameter counts take the general eigensolver', () => {
    const spec: ModelSpec = {
      name: 'batch-four',
      params: ['alpha', 'beta1', 'beta2', 'beta3'],
      hypers: ['eta', 'lambda1', 'lambda2', 'lambda3'],
      loss: '1/2 * lambda1 * (alpha * beta1)^2 + 1/2 * lambda2 * (alpha * beta2 - 1)^2 + 1/2 * lambda3 * (alpha * beta3)^2',
    };
    const m4 = deriveModel(spec);
    const hyper = { eta: 0.5, lambda1: 1, lambda2: 0.01, lambda3: 0.5 };
    const b = new GDBatch(m4, 1, hyper, () => [1, 0.1, 0, 0.2]);
    b.run(50);
    let max = -Infinity;
    let theta: number[] = [];
    runGD(m4, hyper, [1, 0.1, 0, 0.2], { steps: 50, arith: 'float64' }, (s) => {
      max = Math.max(max, s.etaS);
      theta = s.theta;
    });
    expect(b.theta(0)).toEqual(theta);
    expect(b.result(0).maxEtaS).toBe(max);
  });
});

describe('batch GD (extended) equals GradientDescent extended bit for bit', () => {
  it('R3 (beta1 down to 1e-3071) and R2: the final state, mantissa and exponent, and the records', () => {
    const runs = [
      { hyper: { eta: 1.5, lambda1: 1, lambda2: 1e-4 }, init: [1, 0.001, 0], steps: 40000, maxEtaS: 2.39876, argmax: 14820 },
      { hyper: { eta: 1.5, lambda1: 1, lambda2: 1e-3 }, init: [1, 0.01, 0], steps: 6000, maxEtaS: 2.39818, argmax: 1487 },
    ];
    for (const r of runs) {
      const b = new GDBatch(model, 1, r.hyper, () => r.init, 'extended');
      b.run(r.steps);
      const gd = new ReferenceGD(model, r.hyper, r.init, 'extended');
      const one = new GradientDescent(model, r.hyper, r.init, 'extended');
      for (let t = 0; t < r.steps; t++) {
        gd.advance();
        one.advance();
      }
      const ref = gd.thExt;
      const { th, thE } = b.arrays;
      ref.forEach((x, i) => {
        expect(Object.is(th[i], x.m)).toBe(true);
        expect(Object.is(thE[i], x.e)).toBe(true);
      });
      const res = b.result(0);
      expect(Math.abs(res.maxEtaS - r.maxEtaS)).toBeLessThan(1e-4);
      expect(res.argmaxEtaS).toBe(r.argmax);
      expect(relErr(res.finalEtaS, one.observe().etaS, 2)).toBeLessThan(1e-13);
      expect(res.underflow).toBeNull();
    }
  });

  it('random starts including divergent ones: every step equal to ExtArith', () => {
    const rnd = mulberry32(43);
    const N = 6;
    const eta = Array.from({ length: N }, () => 0.5 + 1.5 * rnd());
    const inits = Array.from({ length: N }, (_, j) => [j === 5 ? 5 : 0.5 + rnd(), (rnd() - 0.5) * 1e-5, rnd() - 0.5]);
    const b = new GDBatch(model, N, { eta, lambda1: 1, lambda2: 1e-3 }, (j) => inits[j]!, 'extended');
    const gds = inits.map((init, j) => new ReferenceGD(model, { eta: eta[j]!, lambda1: 1, lambda2: 1e-3 }, init, 'extended'));
    const done = new Array<boolean>(N).fill(false);
    const { th, thE } = b.arrays;
    for (let t = 0; t < 400; t++) {
      b.run(1);
      gds.forEach((gd, j) => {
        if (done[j]) return;
        const r = gd.advance();
        if (r.kind === 'diverged') {
          done[j] = true;
          expect(b.result(j).diverged!.step).toBe(r.step);
          return;
        }
        gd.thExt.forEach((x, i) => {
          expect(Object.is(th[i * N + j], x.m) && Object.is(thE[i * N + j], x.e)).toBe(true);
        });
      });
    }
    expect(done[5]).toBe(true);
  });
});

describe('worker pool', () => {
  it.each(['float64', 'extended'] as const)('two workers on a SharedArrayBuffer give exactly the single-thread batch (%s)', async (arith) => {
    const { BatchPool } = await import('../../src/dynamics/batch-pool.js');
    const rnd = mulberry32(44);
    const N = 101;
    const eta = Array.from({ length: N }, () => 1 + 0.9 * rnd());
    const inits = Array.from({ length: N }, () => [0.8 + 0.3 * rnd(), 0.001 + 0.05 * rnd(), 0.3 * rnd()]);
    const shared = new GDBatch(model, N, { eta, lambda1: 1, lambda2: 1e-3 }, (j) => inits[j]!, arith, true);
    const local = new GDBatch(model, N, { eta, lambda1: 1, lambda2: 1e-3 }, (j) => inits[j]!, arith);
    const pool = await BatchPool.create(shared, 2);
    try {
      const r = await pool.run(500);
      await pool.run(500);
      expect(r.workers).toHaveLength(2);
      expect(r.workers.reduce((s, w) => s + w.lanes, 0)).toBe(N);
    } finally {
      await pool.close();
    }
    local.run(500);
    local.run(500);
    expect(Array.from(new Float64Array(shared.buffer))).toEqual(Array.from(new Float64Array(local.buffer)));
  });
});
