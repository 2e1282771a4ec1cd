import { defineLemma } from '../../src/lemma/types.js';
import { catapultRegion, DIVERGENT } from '../shared/catapult-region.js';

/*
 * Region versions of the one-step facts of k5-divergence-regime.ts (issue 23 item 6): the sampled lemmas' eta range and
 * box of starts u, v in [-1, 1]^3 as the region of states, their `where` (4 < eta lambda_0 < 8, lambda_0 >= 0.05) as
 * premises on the state. Each is decided box by box by the region prover, with a certificate.
 */
const region = catapultRegion(3, { min: 3, max: 30 });
const nearMinimizers = 'eta^2 * s^2 * f^2 <= eta * lambda - 3';

export default [
  defineLemma({
    id: 'k5-n3-region-lambda-grows-above-four-over-eta',
    title: 'n = 3, y = 0, over the box of states: if 4 < eta lambda < 8 then lambda_next >= lambda and eta lambda_next > 4',
    claim: 'K5',
    provenance: 'derived',
    description: `The one-step fact behind k5-n3-lambda-never-falls-above-four-over-eta, proved over u, v in [-1, 1]^3,
eta in [3, 30] wherever 4 < eta lambda < 8 (and lambda >= 0.05): lambda_next - lambda = eta s^2 f^2 (eta lambda - 4) and
eta lambda_next - 4 = (eta lambda - 4)(1 + eta^2 s^2 f^2), tight at f = 0 and as eta lambda -> 4.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: DIVERGENT },
    statement: ['lambda_next >= lambda', 'eta * lambda_next > 4'],
    expect: 'holds',
  }),
  defineLemma({
    id: 'k5-n3-region-loss-at-least-quadruples-near-minimizers',
    title: 'n = 3, y = 0, over the box of states: if 4 < eta lambda < 8 and eta^2 s^2 f^2 <= eta lambda - 3, then L_next >= 4 L',
    claim: 'K5',
    provenance: 'derived',
    description: `Region version of k5-n3-loss-at-least-quadruples-near-minimizers: L_next - 4 L = (f^2/2) (w - x - 1) (w - x + 3)
and the premise w <= x - 3 ties both factors (w - x + 3 <= 0, w - x - 1 <= -4).`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: [...DIVERGENT, nearMinimizers] },
    statement: 'L_next >= 4 * L',
    expect: 'holds',
  }),
  defineLemma({
    id: 'k5-n3-region-loss-at-least-4-01-times-is-false',
    title: 'Known false, a constant just past the truth: if 4 < eta lambda < 8 and eta^2 s^2 f^2 <= eta lambda - 3, then L_next >= 4.01 L',
    claim: 'K5',
    provenance: 'variant',
    description: `The factor 4 of k5-n3-region-loss-at-least-quadruples-near-minimizers is attained at w = x - 3
((1 - x + w)^2 = 4). The region prover must find an exact point of the box where the premises hold and L_next < 4.01 L.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: [...DIVERGENT, nearMinimizers] },
    statement: 'L_next >= 4.01 * L',
    expect: 'fails',
  }),
];
