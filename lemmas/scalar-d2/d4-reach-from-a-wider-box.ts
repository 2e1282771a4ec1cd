import { defineLemma } from '../../src/lemma/types.js';

/** The set d4-loss-never-exceeds-its-bound-from-a-box-d2 proves kept: w1, w2 >= 1/2 and 1/4 <= p <= 1 (w <= 2 for the region prover's box). */
const kept = ['w1 >= 0.5', 'w2 >= 0.5', 'w1 <= 2', 'w2 <= 2', 'p <= 1', 'p >= 0.25'];

export default [
  defineLemma({
    id: 'd4-loss-below-half-from-a-wider-box-by-reachability-d2',
    title: 'From w_0 in [0.4, 0.9]^2 with eta in [0.05, 0.1], L(w_t) <= 1/2 at every t: the orbits enter the kept set (D = 2)',
    claim: 'D4',
    provenance: 'derived',
    description: `A claim for every start and every t whose starts are NOT all in an invariant set: w_0 = 0.4 has w < 1/2 and
p = 0.16 < 1/4. Reachability from boxes of starts (check/box-reach.ts) encloses every orbit from the hypothesis box, box by
box, until the enclosure lies inside the set of d4-loss-never-exceeds-its-bound-from-a-box-d2 (entered within about 20
steps: p grows toward 1 without overshooting), deciding L <= 1/2 at every step before; the set is proved kept by the step
and to imply L <= 9/32 (consecution and use, without initiation). PROVED means every box of the hypothesis volume entered
the set.`,
    hypotheses: { hyper: { eta: { min: 0.05, max: 0.1 } }, init: { w1: { min: 0.4, max: 0.9 }, w2: { min: 0.4, max: 0.9 } } },
    quantifier: { kind: 'invariant', invariant: kept, reach: '64' },
    statement: 'L <= 0.5',
    steps: 200,
    runs: 8,
    expect: 'holds',
  }),
];
