import { defineLemma } from '../../src/lemma/types.js';

/** Every start and step size of the box (p_0 = w1_0 w2_0 in [0.25, 0.36]). */
const hypotheses = { hyper: { eta: { min: 0.09, max: 0.1 } }, init: { w1: { min: 0.5, max: 0.6 }, w2: { min: 0.5, max: 0.6 } } };

export default [
  defineLemma({
    id: 'd4-within-10-percent-of-the-minimizers-from-step-20-on-boxes-d2',
    title: 'From w_0 in [0.5, 0.6]^2 with eta in [0.09, 0.1], p = w1 w2 >= 0.9 at every step t = 20..40 (D = 2)',
    claim: 'D4',
    provenance: 'derived',
    description: `Progress toward convergence with a step count, for EVERY start and step size of the box, up to T = 40 only:
by step 20 every orbit is within 10% of the minimizer curve p = 1 and stays there through step 40. Reachability from
boxes of starts (check/box-reach.ts, every-step with reach) encloses every orbit from the box, box by box, and decides
p >= 0.9 on the enclosures at every step t = 20..40; PROVED means the whole volume was decided (up to T = 40, nothing
beyond). Float64 orbits (this file's false variant, its certified counterexample) put the slowest start, w = (0.5, 0.5)
with eta = 0.09, at p = 0.935 at step 20. The horizon 40 is where the boxes stop deciding cheaply: past about step 50
the hulls of the enclosures, spread along the minimizer curve, straddle 0.9 on the corner boxes (at T = 60 with 64
boxes, 25/32 of the volume is proved). The margins are ours.`,
    hypotheses,
    quantifier: { kind: 'every-step', when: 't >= 20', reach: '64' },
    statement: 'p >= 0.9',
    steps: 40,
    runs: 8,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd4-within-10-percent-of-the-minimizers-from-step-10-refuted-on-boxes-d2',
    title: 'False: from the same box, p >= 0.9 already at every step t = 10..40 (D = 2)',
    claim: 'D4',
    provenance: 'variant',
    description: `The same claim ten steps earlier. At step 10 the orbits have climbed only to p of about 0.7: the enclosure of
every orbit from a top box of the hypothesis box lies below 0.9 at step 10 while the premise t >= 10 certainly holds,
so the box is refuted at an exact double start inside it, certified on its true orbit (check/certify.ts).`,
    hypotheses,
    quantifier: { kind: 'every-step', when: 't >= 10', reach: '64' },
    statement: 'p >= 0.9',
    steps: 40,
    runs: 8,
    expect: 'fails',
  }),
];
