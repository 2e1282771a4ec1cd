import { describe, it, expect } from 'vitest';
import { phasesOf, PhaseTracker } from '../../src/dynamics/phases.js';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { runGD } from '../../src/dynamics/gd.js';
import { loadPack } from '../../src/model/pack.js';

const REFERENCE_RUNS = loadPack('minimalist').referenceRuns;

describe('phasesOf on hand-made series', () => {
  it('PS until eta S first reaches 2, EoS until eta S_GFS stays below 2, then convergence', () => {
    const etaS = [1.5, 1.8, 2.0, 2.2, 1.7, 2.1, 1.9, 1.9, 1.95];
    const gfs = [2.4, 2.4, 2.4, 2.3, 2.3, 2.1, 1.9, 1.9, 1.9];
    const p = phasesOf(etaS, gfs);
    expect(p.eosStart).toBe(2); // >= 2 counts: the threshold itself is the edge
    expect(p.convergenceStart).toBe(6);
    expect(p.endCriterion).toBe('gfs');
    expect(p.phases).toEqual([
      { name: 'PS', from: 0, to: 2 },
      { name: 'EoS', from: 2, to: 6 },
      { name: 'convergence', from: 6, to: 8 },
    ]);
  });

  it('a run that never reaches eta S = 2 is PS throughout', () => {
    const p = phasesOf([1.2, 1.5, 1.9, 1.99], [1.99, 1.99, 1.99, 1.99]);
    expect(p.eosStart).toBeNull();
    expect(p.convergenceStart).toBeNull();
    expect(p.phases).toEqual([{ name: 'PS', from: 0, to: 3 }]);
  });

  it('a run that ends while eta S_GFS >= 2 has no convergence phase', () => {
    const p = phasesOf([1.9, 2.1, 1.95, 2.05], [2.3, 2.3, 2.2, 2.2]);
    expect(p.convergenceStart).toBeNull();
    expect(p.phases).toEqual([
      { name: 'PS', from: 0, to: 1 },
      { name: 'EoS', from: 1, to: 3 },
    ]);
  });

  it('a rise of S_GFS back above 2 moves the convergence start to after the last such step', () => {
    // "for the rest of the run", not "the first time": C (hence S_GFS) may rise again for some starts.
    const p = phasesOf([1.9, 2.1, 1.9, 1.9, 1.9, 1.9], [2.2, 2.1, 1.99, 2.01, 1.98, 1.98]);
    expect(p.convergenceStart).toBe(4);
  });

  it('starting at the edge gives no PS phase; a NaN S_GFS is not evidence of stability', () => {
    const p = phasesOf([2.5, 2.0, 1.9, 1.9], [2.5, NaN, 1.9, 1.9]);
    expect(p.phases.map((x) => x.name)).toEqual(['EoS', 'convergence']);
    expect(p.convergenceStart).toBe(2);
  });

  it('without S_GFS the EoS ends after the last step with eta S >= 2', () => {
    const p = phasesOf([1.9, 2.1, 1.9, 2.0, 1.8, 1.8]);
    expect(p.endCriterion).toBe('S');
    expect(p.convergenceStart).toBe(4);
  });

  it('convergence never starts before EoS even when S_GFS was below 2 all along', () => {
    const p = phasesOf([1.9, 2.01, 1.9], [1.95, 1.95, 1.95]);
    expect(p.eosStart).toBe(1);
    expect(p.convergenceStart).toBe(1);
    expect(p.phases.map((x) => x.name)).toEqual(['PS', 'convergence']);
  });

  it('rejects steps out of order and mismatched lengths; an empty run has no phases', () => {
    const t = new PhaseTracker();
    t.add(0, 1, 1);
    expect(() => t.add(0, 1, 1)).toThrow(/increase/);
    expect(() => phasesOf([1, 2], [1])).toThrow(/eta G/);
    expect(phasesOf([]).phases).toEqual([]);
  });
});

describe('phases of the reference runs of docs/paper.md', () => {
  const model = deriveModel(minimalistModel);
  // EoS starts at the first unstable step of docs/paper.md section 3 (140, 575, 5740): there eta S = eta lambda1 alpha^2
  // up to beta1^2 terms. The EoS ends just after the catapult (max eta S at 549, 1487, 14820) and after the last
  // loss increase, so the shaded convergence phase is monotone, as the paper describes it.
  const expected: Record<string, { eos: number; conv: number }> = { R1: { eos: 140, conv: 2087 }, R2: { eos: 575, conv: 1499 }, R3: { eos: 5740, conv: 14835 } };
  for (const run of REFERENCE_RUNS) {
    it(`${run.name}: PS, EoS and convergence at the expected steps, and the loss never rises during convergence`, () => {
      const tr = new PhaseTracker();
      let lastLossRise = -1;
      let prev = Infinity;
      runGD(model, run.hyper, run.init, { steps: run.steps }, (s) => {
        tr.add(s.t, s.etaS, run.hyper.eta! * s.q.S_GFS!);
        if (s.L > prev) lastLossRise = s.t;
        prev = s.L;
      });
      const p = tr.finish();
      expect(p.eosStart).toBe(expected[run.name]!.eos);
      expect(p.convergenceStart).toBe(expected[run.name]!.conv);
      expect(p.phases.map((x) => x.name)).toEqual(['PS', 'EoS', 'convergence']);
      expect(lastLossRise).toBeLessThan(p.convergenceStart!);
    });
  }
});
