import { describe, it, expect } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { runCell } from '../../src/sweep/cell.js';
import { classify, isConverged } from '../../src/sweep/classify.js';
import type { SweepSpec } from '../../src/sweep/grid.js';

const model = deriveModel(minimalistModel);

/** A one-cell grid at (eta, lambda2) with lambda1 = 1. */
function one(eta: number, lambda2: number, init: number[], steps: number, arith: 'extended' | 'float64' = 'extended'): SweepSpec {
  return {
    model: { name: model.spec.name, hash: model.hash, params: model.params, hypers: model.hypers },
    x: { name: 'eta', min: eta, max: eta, count: 1, scale: 'linear' },
    y: { name: 'lambda2', min: lambda2, max: lambda2, count: 1, scale: 'linear' },
    hyper: { lambda1: 1 },
    init,
    steps,
    arith,
    tol: 1e-8,
    catapult: 10,
  };
}

describe('sweep classification', () => {
  it('run R1 of docs/paper.md is eos, with its reference max eta*S and loss increases', () => {
    const r = runCell(model, one(1.9, 1e-3, [1, 0.01, 0], 4000), 0);
    expect(r.class).toBe('eos');
    expect(r.converged).toBe(true);
    expect(r.maxEtaSMinus2).toBeCloseTo(0.23184, 4);
    expect(r.argmaxEtaS).toBe(549);
    expect(r.lossIncreases).toBe(160);
    expect(r.finalEtaS).toBeCloseTo(1.99534, 4);
    // Its EoS cycles lift the loss to 8.9 L_0: below the catapult factor 10.
    expect(10 ** r.log10MaxLossRatio).toBeCloseTo(8.94, 1);
  });

  it('run R2 of docs/paper.md is a catapult (the loss rises to 40 L_0 at step ~1490, then converges)', () => {
    const r = runCell(model, one(1.5, 1e-3, [1, 0.01, 0], 6000), 0);
    expect(r.class).toBe('catapult');
    expect(r.converged).toBe(true);
    expect(r.maxEtaSMinus2).toBeCloseTo(0.39818, 4);
    expect(10 ** r.log10MaxLossRatio).toBeGreaterThan(39);
    expect(r.finalEtaS).toBeCloseTo(1.80888, 4);
  });

  it('a small eta is stable; a slow one is not-converged; a huge eta diverges', () => {
    const s = runCell(model, one(1, 1e-2, [1, 0.01, 0], 2000), 0);
    expect(s.class).toBe('stable');
    expect(s.maxEtaSMinus2).toBeLessThan(0);
    expect(s.log10MaxLossRatio).toBe(0);
    expect(s.converged).toBe(true);
    const n = runCell(model, one(0.5, 1e-3, [1, 0.01, 0], 2000), 0);
    expect(n.class).toBe('not-converged');
    expect(n.converged).toBe(false);
    expect(n.maxEtaSMinus2).toBeLessThan(0);
    const d = runCell(model, one(50, 1e-3, [1, 0.5, 0], 100), 0);
    expect(d.class).toBe('divergence');
    expect(d.converged).toBe(false);
    expect(d.divergedAt).toBe(5);
    expect(d.steps).toBe(5);
  });

  it('float64 cells record underflow (run R3: beta1 leaves the double range at step 1045)', () => {
    const r = runCell(model, one(1.5, 1e-4, [1, 0.001, 0], 1100, 'float64'), 0);
    expect(r.underflow).toBe(true);
    expect(runCell(model, one(1.5, 1e-4, [1, 0.001, 0], 1100), 0).underflow).toBe(false);
  });

  it('a cell that entered EoS and had not converged by the last step is eos, with converged = false (issue 22 item 13)', () => {
    // Small curvature lambda2 = 1e-4: eta*S passes 2 at step ~2650 and the loss is still 1e-4.8, far above 1e-8 L_0, at step 3000.
    const r = runCell(model, one(2, 1e-4, [1, 0.01, 0], 3000), 0);
    expect(r.maxEtaSMinus2).toBeGreaterThan(0.05);
    expect(r.argmaxEtaS).toBeGreaterThan(2000);
    expect(10 ** r.log10MaxLossRatio).toBeLessThan(10);
    expect(r.class).toBe('eos');
    expect(r.converged).toBe(false);
    // Its neighbour at eta = 2.3 lifts the loss to ~270 L_0: a catapult, not converged either.
    const c = runCell(model, one(2.3, 1e-4, [1, 0.01, 0], 6000), 0);
    expect(c.log10MaxLossRatio).toBeGreaterThan(2);
    expect(c.class).toBe('catapult');
    expect(c.converged).toBe(false);
  });

  it('the order of the rules: divergence, catapult, eos, not-converged, stable; converged is told apart', () => {
    const base = { diverged: false, log10L0: -3, log10LT: -12, log10MaxLossRatio: 0, maxEtaS: 1.9 };
    expect(classify(base, 1e-8, 10)).toBe('stable');
    expect(classify({ ...base, maxEtaS: 2 }, 1e-8, 10)).toBe('eos');
    expect(classify({ ...base, maxEtaS: 2, log10MaxLossRatio: 1.01 }, 1e-8, 10)).toBe('catapult');
    expect(classify({ ...base, maxEtaS: 2, log10MaxLossRatio: 0.5 }, 1e-8, 1)).toBe('catapult');
    expect(classify({ ...base, log10LT: -10.9 }, 1e-8, 10)).toBe('not-converged');
    expect(classify({ ...base, log10LT: -11 }, 1e-8, 10)).toBe('stable');
    expect(classify({ ...base, diverged: true }, 1e-8, 10)).toBe('divergence');
    expect(classify({ ...base, diverged: true, maxEtaS: 3, log10MaxLossRatio: 5 }, 1e-8, 10)).toBe('divergence');
    // Not converged: the edge and the loss rise still decide; only a run below the edge throughout is not-converged.
    const slow = { ...base, log10LT: -4 };
    expect(classify({ ...slow, maxEtaS: 2.1 }, 1e-8, 10)).toBe('eos');
    expect(classify({ ...slow, maxEtaS: 2 }, 1e-8, 10)).toBe('eos');
    expect(classify({ ...slow, maxEtaS: 2.1, log10MaxLossRatio: 2 }, 1e-8, 10)).toBe('catapult');
    expect(classify({ ...slow, maxEtaS: 1.9999 }, 1e-8, 10)).toBe('not-converged');
    expect(isConverged(slow, 1e-8)).toBe(false);
    expect(isConverged(base, 1e-8)).toBe(true);
    expect(isConverged({ ...base, diverged: true }, 1e-8)).toBe(false);
    // A start at a minimizer (L_0 = 0) converged only if L stays 0.
    expect(classify({ ...base, log10L0: -Infinity, log10LT: -Infinity }, 1e-8, 10)).toBe('stable');
    expect(classify({ ...base, log10L0: -Infinity, log10LT: -30 }, 1e-8, 10)).toBe('not-converged');
    expect(isConverged({ ...base, log10L0: -Infinity, log10LT: -30 }, 1e-8)).toBe(false);
  });
});
