import { defineLemma } from '../src/lemma/types.js';

/** A box of starts already in the stable regime (eta lambda1 alpha_0^2 <= 1.45, beta1_0 small), as after C12's event. */
const stableBox = {
  hyper: { eta: { min: 1.5, max: 1.6 }, lambda1: 1, lambda2: 0.01 },
  init: { alpha: { min: 0.9, max: 0.95 }, beta1: { min: 0.001, max: 0.002 }, beta2: { min: 0.9, max: 1 } },
};

export default [
  defineLemma({
    id: 'c12-stays-in-the-stable-set-from-a-box-by-reachability',
    title: 'From a box of stable starts: eta lambda1 alpha^2 <= 2 and |beta1| non-increasing at every step, decided for every start of the box',
    claim: 'C12',
    provenance: 'paper-claim',
    description: `C12's statement (c12-enters-and-stays-in-the-stable-set) for every start of a box already past the event, not for
sampled ones: reachability from boxes of starts (check/box-reach.ts) encloses every orbit from the box and decides the
statement on the enclosures at every step. The set q_osc <= 2 implies the statement (its use obligation: beta1_next =
beta1 (1 - q_osc), as c3-beta1-contracts-if-stable), so a step whose enclosure has q_osc <= 2 is decided even where the
enclosures of beta1 and beta1_next, which lose their correlation, cannot be compared. The set is not kept by the step
(alpha grows toward the minimizer curve; its consecution obligation fails), so this proves the claim through the horizon,
not for every t: the row says so and is sampled as well.`,
    hypotheses: stableBox,
    quantifier: { kind: 'invariant', invariant: ['q_osc <= 2'], reach: '16' },
    statement: ['q_osc <= 2', 'beta1_next^2 <= beta1^2'],
    steps: 200,
    runs: 40,
    expect: 'holds',
  }),
];
