import { defineLemma } from '../src/lemma/types.js';
import { stableHyper } from './c12-stable-set-invariant.js';
import { keptSet } from './c12-stable-set-kept.js';

/*
 * C12's "enters and stays" for every t from boxes of starts outside the stable set I (lemmas/c12-stable-set-kept.ts:
 * |beta1| <= 0.02 is one of its relations, and these starts have beta1_0 >= 0.02). Reachability from boxes of starts
 * (check/box-reach.ts) encloses every orbit of a box and decides q_osc <= 2 at each step until the enclosure lies
 * inside I; I is kept by every GD step (its slack certificates) and implies the statement, so such a box is decided for
 * every t. q_osc <= 2 is C12's stable condition eta lambda1 alpha^2 <= 2, and with q_osc >= 0 it is exactly
 * beta1_next^2 <= beta1^2 (beta1_next = beta1 (1 - q_osc)); the statement is written without _next because the
 * enclosures of beta1 and beta1_next over a box lose their correlation.
 */

/** The row for starts alpha in [1.02, 1.05], beta1 in [0.02, beta1Max], beta2 in [0.88, 0.94] under a box budget. */
const entersFrom = (id: string, beta1Max: number, reach: string, title: string, description: string) =>
  defineLemma({
    id,
    title,
    claim: 'C12',
    provenance: 'paper-claim',
    description,
    hypotheses: { hyper: stableHyper, init: { alpha: { min: 1.02, max: 1.05 }, beta1: { min: 0.02, max: beta1Max }, beta2: { min: 0.88, max: 0.94 } } },
    quantifier: { kind: 'invariant', invariant: keptSet, reach },
    statement: ['q_osc <= 2'],
    steps: 200,
    runs: 8,
    expect: 'holds',
  });

export default [
  entersFrom(
    'c12-enters-the-stable-set-and-stays-from-a-box',
    0.06,
    '32',
    'C12 for every t: from starts outside the stable set (beta1_0 in [0.02, 0.06]), every orbit enters it and q_osc <= 2 at every step',
    `Starts alpha in [1.02, 1.05], beta1 in [0.02, 0.06], beta2 in [0.88, 0.94], eta in [1.45, 1.55], lambda2 in
[0.003, 0.01]: past the catapult (eta lambda1 alpha^2 <= 1.71) but with beta1 still above the stable set's bound 0.02.
Each box of starts is enclosed step by step, q_osc <= 2 decided on the enclosures, until it lies inside the stable set I
of c12-stays-in-the-stable-set-by-slack-certificates, which the step keeps and which implies the statement: PROVED for
every start of the box and every t when every box enters I.`,
  ),
  entersFrom(
    'c12-enters-the-stable-set-and-stays-from-a-wider-box',
    0.1,
    '64',
    'C12 for every t: from starts with beta1_0 in [0.02, 0.1], every orbit enters the stable set and q_osc <= 2 at every step',
    `c12-enters-the-stable-set-and-stays-from-a-box with beta1_0 up to 0.1. The enclosures of some boxes grow too
wide (wrapping, after about 60 steps) before they lie inside I, so under the box budget part of the volume is proved for
every t and the rest is checked by sampling: the row reports the proved share.`,
  ),
];
