import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { packNames } from '../../src/model/pack.js';
import { CLAIM_STARTS, claimLemma } from '../support/claim.js';
import { checkTrajectory, type TrajectoryResult } from '../../src/check/trajectory-check.js';
import { packDraws } from '../support/pack-draws.js';

/**
 * The fused rung's lane loop (check/fused-rung.ts, FusedRun) steps and settles runs of iterates in one generated
 * function, the steady loop adding their evidence at once. It must be the lane step and settle iterate by iterate:
 * the same result in every field, which rung and path decided each iterate included.
 */

function whole(r: TrajectoryResult): unknown {
  const { worstMargin, violation, ...rest } = r;
  return {
    ...rest,
    worstMargin: worstMargin && { value: worstMargin.value, step: worstMargin.step, figure: worstMargin.figure() },
    violation: violation && { ...violation, figures: violation.figures() },
  };
}

describe('the fused lane loop is the lane step and settle at every iterate', () => {
  it("issue 25's claim, and a time-dependent statement with a when premise", () => {
    const model = deriveModel(minimalistModel);
    const claim = claimLemma(model, 'fused-loop.test.ts');
    const timed = claimLemma(model, 'fused-loop.test.ts', {
      id: 'timed', quantifier: { kind: 'every-step', when: 'beta1^2 < 1e-6' }, statement: 'eta * S <= 3 + 100 / (t + 100)', steps: 3000,
    });
    let fused = 0;
    for (const lemma of [claim, timed])
      for (const [eta, lambda2, beta1] of CLAIM_STARTS) {
        const hyper = { eta, lambda1: 1, lambda2 };
        const a = checkTrajectory(model, lemma, hyper, [1, beta1, 0], { arith: 'extended' });
        const b = checkTrajectory(model, lemma, hyper, [1, beta1, 0], { arith: 'extended', fusedLoop: false });
        expect(whole(a), `${lemma.id} at eta ${eta}`).toEqual(whole(b));
        fused += a.fusedIterates;
      }
    expect(fused).toBeGreaterThan(10_000);
  });

  for (const packName of packNames()) {
    it(`every trajectory lemma of ${packName}, in both arithmetics`, async () => {
      const { model, draws } = await packDraws(packName, 20261209, 2);
      expect(draws.length).toBeGreaterThan(0);
      for (const { lemma, hyper, init } of draws)
        for (const arith of ['extended', 'float64'] as const) {
          const opts = { arith, steps: Math.min(1200, lemma.steps) };
          const a = checkTrajectory(model, lemma, hyper, init, opts);
          const b = checkTrajectory(model, lemma, hyper, init, { ...opts, fusedLoop: false });
          expect(whole(a), `${lemma.id} (${arith}) at ${JSON.stringify({ hyper, init })}`).toEqual(whole(b));
        }
    }, 600_000);
  }
});
