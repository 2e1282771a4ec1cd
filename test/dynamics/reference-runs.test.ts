import { describe, it, expect } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadPack } from '../../src/model/pack.js';
import { runGD } from '../../src/dynamics/gd.js';
import { Summarizer, type TrajectorySummary } from '../../src/dynamics/summary.js';
import { ExactGD } from '../../src/dynamics/exact-step.js';

/** docs/paper.md section 3 (a 40-digit run with unbounded exponent). */
const REF = {
  R1: { eta: 1.9, lambda2: 1e-3, init: [1, 0.01, 0], steps: 4000, maxEtaS: 2.23184, argmax: 549, firstUnstable: 140, lossIncreases: 160, finalEtaS: 1.99534, minLog10Beta1: -20.5 },
  R2: { eta: 1.5, lambda2: 1e-3, init: [1, 0.01, 0], steps: 6000, maxEtaS: 2.39818, argmax: 1487, firstUnstable: 575, lossIncreases: 25, finalEtaS: 1.80888, minLog10Beta1: -493 },
  R3: { eta: 1.5, lambda2: 1e-4, init: [1, 0.001, 0], steps: 40000, maxEtaS: 2.39876, argmax: 14820, firstUnstable: 5740, lossIncreases: 32, finalEtaS: 1.81062, minLog10Beta1: -3071.5 },
} as const;

const model = deriveModel(minimalistModel);
const pack = loadPack('minimalist');

function summarize(r: (typeof REF)[keyof typeof REF], arith: 'extended' | 'float64'): TrajectorySummary {
  const hyper = { eta: r.eta, lambda1: 1, lambda2: r.lambda2 };
  const s = new Summarizer(model.params, r.eta, pack.roles, { gd: new ExactGD(model, hyper), invariant: model.quantities.get('C') });
  const res = runGD(model, hyper, [...r.init], { steps: r.steps, arith }, (st) => s.add(st));
  return s.finish(res, arith);
}

describe.each(Object.entries(REF))('reference run %s in extended arithmetic', (_name, r) => {
  const s = summarize(r, 'extended');
  it('reproduces max eta*S to 1e-4 and its step to 1%', () => {
    expect(Math.abs(s.maxEtaS - r.maxEtaS)).toBeLessThan(1e-4);
    expect(Math.abs(s.argmaxEtaS - r.argmax)).toBeLessThanOrEqual(Math.ceil(0.01 * r.argmax));
  });
  it('reproduces final eta*S to 1e-4', () => {
    expect(Math.abs(s.finalEtaS - r.finalEtaS)).toBeLessThan(1e-4);
  });
  it('reproduces the first unstable step, the loss increases and min log10|beta1|', () => {
    expect(s.firstUnstableStep).toBe(r.firstUnstable);
    expect(s.lossIncreases).toBe(r.lossIncreases);
    expect(Math.abs(s.minLog10AbsTheta.beta1! - r.minLog10Beta1)).toBeLessThan(0.5);
  });
  it('never diverges or underflows, and C never rises', () => {
    expect(s.diverged).toBeNull();
    expect(s.underflow).toBe(false);
    expect(s.cIncreases).toBe(0);
  });
  it('stays within rounding of the exact GD map at every sampled step', () => {
    expect(s.maxStepDefect!.value).toBeLessThan(2e-15);
  });
});

describe('float64 is not faithful on R3', () => {
  it('flags the underflow of beta1 and converges to the wrong sharpness', () => {
    const s = summarize(REF.R3, 'float64');
    expect(s.underflow).toBe(true);
    expect(s.underflowDetail!.param).toBe('beta1');
    // docs/paper.md: in float64 the catapult never comes and eta*S settles at 2.427 > 2.
    expect(s.finalEtaS).toBeGreaterThan(2.4);
    expect(s.maxEtaS - REF.R3.maxEtaS).toBeGreaterThan(0.02);
    // the computed orbit is far from a true GD orbit: beta1 is stuck at a subnormal
    expect(s.maxStepDefect!.value).toBeGreaterThan(0.1);
  });
});
