import { defineLemma } from '../src/lemma/types.js';
import { stableHyper } from './c12-stable-set-invariant.js';
import { keptSet } from './c12-stable-set-kept.js';
import { entries, factors, r, u } from './c8-stable-phase-invariant.js';

/*
 * C9 (global convergence) on a box of starts past the catapult, for every t: every orbit from the box enters C12's
 * stable set I (reachability from boxes of starts, as c12-enters-the-stable-set-and-stays-from-a-box), I is kept by
 * every GD step, and on I the loss contracts, L_next <= (1 - s/2)^2 L with s = eta lambda2 (alpha^2 + beta2^2)
 * (c8-stable-phase-contraction-for-every-t's use certificate). The statement is claimed where the `when` premises, I's
 * relations, hold: a point where they hold is in I, where the use obligation decides it, so the boxes are asked only
 * to enter I. From the entry step N on, L_t <= (1 - s_min/2)^(2 (t - N)) L_N with s_min > 0 on I: L_t -> 0 linearly.
 */

const [, c] = factors.find(([name]) => name === 'contraction')!;
const { E11, E22, E12 } = entries(c);
const statement = `L_next <= ${c} * L`;
const relations = keptSet.map((e) => (typeof e === 'string' ? e : e.relation));

export default [
  defineLemma({
    id: 'c9-loss-contracts-after-entering-the-stable-set-from-a-box',
    title: 'C9 on a box past the catapult: every orbit enters the stable set, and from then on L_{t+1} <= (1 - eta lambda2 (alpha^2 + beta2^2)/2)^2 L_t',
    claim: 'C9',
    provenance: 'paper-claim',
    description: `Starts alpha in [1.02, 1.05], beta1 in [0.02, 0.06] (outside the stable set, whose bound is |beta1| <= 0.02),
beta2 in [0.88, 0.94], eta in [1.45, 1.55], lambda1 = 1, lambda2 in [0.003, 0.01]. PROVED means: every orbit from the
box enters the stable set I of c12-stays-in-the-stable-set-by-slack-certificates (each box's enclosure is inside I at
some step), I is kept by every step, and at every t where theta_t is in I the loss contracts by the factor above, which
is at most (1 - 0.00032)^2 on I: so L_t -> 0 at a linear rate from every start of the box, for every t. Not C9's
hypothesis box: those starts must cross the catapult first (README, "Not done yet").`,
    hypotheses: { hyper: stableHyper, init: { alpha: { min: 1.02, max: 1.05 }, beta1: { min: 0.02, max: 0.06 }, beta2: { min: 0.88, max: 0.94 } } },
    quantifier: {
      kind: 'invariant',
      invariant: keptSet,
      when: relations,
      reach: '32',
      use: [{ relation: statement, weight: `2*${E11}`, terms: [`(${E11}*${u} + ${E12}*${r})^2`, `(${E11}*${E22} - ${E12}^2)*${r}^2`] }],
    },
    statement: [statement],
    steps: 200,
    runs: 8,
    expect: 'holds',
  }),
];
