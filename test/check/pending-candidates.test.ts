import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { packNames } from '../../src/model/pack.js';
import { checkTrajectory } from '../../src/check/trajectory-check.js';
import { CandidateQueue, PENDING_CANDIDATES } from '../../src/check/candidate-queue.js';
import { packDraws } from '../support/pack-draws.js';
import { comparableResult } from '../support/trajectory-result.js';
import { CLAIM_STARTS, claimLemma } from '../support/claim.js';

/**
 * The steady loop keeps the iterates whose slack may be a new smallest pending (check/candidate-queue.ts):
 * a later iterate drops those whose every figure lies above every figure it can get, a full queue flushes its
 * oldest. Which iterates are flushed changes with the queue's length, the trajectory result must not.
 */

describe('the pending candidates drop only what a later iterate is shown below', () => {
  const queue = (ranges: [number, number][], capacity = 8) => {
    const q = new CandidateQueue(1, 1, capacity);
    ranges.forEach(([lo, hi], t) => {
      const c = q.push();
      c.t = t;
      c.figLo = lo;
      c.figHi = hi;
      q.pushed(c);
    });
    return q;
  };
  const pending = (q: CandidateQueue) => Array.from({ length: q.count }, (_, i) => q.at(i).t);

  it('a candidate stays while any of its figures may lie below the later bound, in order; figHi is the smallest upper bound left', () => {
    const q = queue([[1, 2], [0.5, 3], [2.5, 4], [0.9, 1.1], [3, 3.5]]);
    expect(q.figHi).toBe(1.1);
    q.dropAbove(1);
    // [1, 2]: its figure may be 1, not above 1; [0.5, 3] and [0.9, 1.1] overlap 1; [2.5, 4] and [3, 3.5] lie above.
    expect(pending(q)).toEqual([0, 1, 3]);
    expect(q.figHi).toBe(1.1);
    q.dropAbove(0.95);
    expect(pending(q)).toEqual([1, 3]);
    expect(q.figHi).toBe(1.1);
    q.dropAbove(0.7);
    expect(pending(q)).toEqual([1]);
    expect(q.figHi).toBe(3);
    q.dropAbove(0.1);
    expect(pending(q)).toEqual([]);
    expect(q.figHi).toBe(Infinity);
  });

  it('flushed candidates leave the front; slots are reused, none lost', () => {
    const q = queue([[1, 2], [0.5, 3], [0.4, 0.6], [0.3, 0.35]], 4);
    const slots = new Set(Array.from({ length: 4 }, (_, i) => q.at(i)));
    q.shift(1);
    expect(pending(q)).toEqual([1, 2, 3]);
    expect(q.figHi).toBe(0.35);
    q.shift(2);
    expect(pending(q)).toEqual([3]);
    const c = q.push();
    expect(slots.has(c)).toBe(true);
    expect(new Set(Array.from({ length: 4 }, (_, i) => q.at(i)))).toEqual(slots);
    expect(() => new CandidateQueue(1, 1, 0)).toThrow(/pending candidates/);
  });
});

describe('the trajectory result does not depend on how many candidates wait', () => {
  it("issue 25's claim (progressive sharpening, then the edge of stability): 1, 2 and the default give the same results", () => {
    const model = deriveModel(minimalistModel);
    const lemma = claimLemma(model, 'pending-candidates.test.ts');
    for (const [eta, lambda2, beta1] of CLAIM_STARTS) {
      const hyper = { eta, lambda1: 1, lambda2 };
      const one = checkTrajectory(model, lemma, hyper, [1, beta1, 0], { arith: 'extended', pendingCandidates: 1 });
      for (const k of [2, PENDING_CANDIDATES]) {
        const r = checkTrajectory(model, lemma, hyper, [1, beta1, 0], { arith: 'extended', pendingCandidates: k });
        expect(comparableResult(r), `${k} pending at eta ${eta}`).toEqual(comparableResult(one));
      }
      expect(one.worstSlack!.step).toBeGreaterThan(100);
    }
  });

  for (const packName of packNames()) {
    it(`every trajectory lemma of ${packName}: 1, 3 and the default give the same results`, async () => {
      const { model, draws } = await packDraws(packName, 20261208, 2);
      expect(draws.length).toBeGreaterThan(0);
      for (const { lemma, hyper, init } of draws) {
        const opts = { arith: 'extended' as const, steps: Math.min(1200, lemma.steps) };
        const one = checkTrajectory(model, lemma, hyper, init, { ...opts, pendingCandidates: 1 });
        for (const k of [3, PENDING_CANDIDATES]) {
          const r = checkTrajectory(model, lemma, hyper, init, { ...opts, pendingCandidates: k });
          expect(comparableResult(r), `${lemma.id} at ${JSON.stringify({ hyper, init })}, ${k} pending`).toEqual(comparableResult(one));
        }
      }
    }, 600_000);
  }
});
