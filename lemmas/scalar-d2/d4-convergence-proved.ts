import { defineLemma } from '../../src/lemma/types.js';

/** Near-balanced starts below the minimizer curve, small steps: the set the orbit keeps (p <= 1 is never overshot). */
const hypotheses = {
  hyper: { eta: { min: 0.01, max: 0.1 } },
  init: { w1: { min: 0.6, max: 0.9 }, w2: { min: 0.6, max: 0.9 } },
};
/** w1, w2 >= 1/2 and 1/4 <= p <= 1 (w <= 2 follows and is stated for the region prover's box). */
const kept = ['w1 >= 0.5', 'w2 >= 0.5', 'w1 <= 2', 'w2 <= 2', 'p <= 1', 'p >= 0.25'];

export default [
  defineLemma({
    id: 'd4-loss-never-exceeds-its-bound-from-a-box-d2',
    title: 'From w_0 in [0.6, 0.9]^2 with eta <= 0.1, L(w_t) <= 0.29 at every t: proved by an inductive invariant (D = 2)',
    claim: 'D4',
    provenance: 'derived',
    description: `A claim for every start in the box and every t, proved rather than sampled. The invariant: w1, w2 >= 1/2 and
1/4 <= p <= 1. Why it is kept: p' - 1 = (p - 1)(1 - eta (w1^2 + w2^2) + eta^2 p (p - 1)) and eta (w1^2 + w2^2) <= 0.1 x 4.25
on the set, so p moves toward 1 without overshooting; below p = 1 both weights grow. On the set L = (1 - p)^2 / 2 <= 9/32.
The three one-step obligations (initiation, consecution, use) are decided by the region prover and Z3.`,
    hypotheses,
    quantifier: { kind: 'invariant', invariant: kept },
    statement: 'L <= 0.29',
    steps: 200,
    runs: 8,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd4-gd-reaches-small-loss-from-a-box-and-stays-d2',
    title: 'From w_0 in [0.6, 0.9]^2 with eta in [0.01, 0.1], GD reaches p >= 0.99 within a proved number of steps and L <= 5e-5 from then on (D = 2)',
    claim: 'D4',
    provenance: 'derived',
    description: `Convergence for every start in the box, not a finite-horizon proxy: 1 - p is a ranking function. On the kept set
(d4-loss-never-exceeds-its-bound-from-a-box-d2) outside the target p >= 0.99, 1 - p contracts by at least 1 - 0.4 eta per
step (w1^2 + w2^2 >= 2p >= 1/2) and is at least 1/100, so every orbit is in the target within N steps, N the least
with 0.64 (1 - 0.004)^N < 0.01 (the row prints it); there L = (1 - p)^2 / 2 <= 5e-5, and the set with p >= 0.99 is kept.`,
    hypotheses,
    quantifier: { kind: 'leads-to', from: kept, to: 'p >= 0.99', ranking: '1 - p', factor: '1 - 0.4 * eta', floor: '0.01' },
    statement: 'L <= 0.00005',
    steps: 400,
    runs: 8,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd4-loss-below-4e-5-once-p-reaches-0-99-d2',
    title: 'False variant: once p >= 0.99, L <= 4e-5 (the constant just past the truth, 5e-5)',
    claim: 'D4',
    provenance: 'variant',
    description: `At p = 0.99 the loss is exactly 5e-5, and p = 0.99 is in the target set: the use obligation fails at an exact
point of the set, so the lemma is FALSIFIED with that witness.`,
    hypotheses,
    quantifier: { kind: 'leads-to', from: kept, to: 'p >= 0.99', ranking: '1 - p', factor: '1 - 0.4 * eta', floor: '0.01' },
    statement: 'L <= 0.00004',
    steps: 400,
    runs: 8,
    expect: 'fails',
  }),
];
