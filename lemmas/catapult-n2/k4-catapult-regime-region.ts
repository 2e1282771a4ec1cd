import { defineLemma } from '../../src/lemma/types.js';
import { BAND, catapultRegion } from '../shared/catapult-region.js';

/*
 * Region versions of the one-step facts of k4-catapult-regime.ts (issue 23 item 6): the sampled lemmas' eta range and
 * box of starts u, v in [-1, 1]^2 as the region of states, the catapult band 2 < eta lambda < 4 (their `where` on the
 * start) as premises on the state. Each is decided box by box by the region prover, with a certificate.
 */
const region = catapultRegion(2, { min: 1.5, max: 12 });

export default [
  defineLemma({
    id: 'k4-n2-region-lambda-falls-in-the-band',
    title: 'n = 2, y = 0, over the box of states: if 2 < eta lambda < 4 then lambda_next <= lambda and eta lambda_next < 4',
    claim: 'K4',
    provenance: 'derived',
    description: `The one-step fact behind k4-n2-catapult-lambda-falls-and-stays-below-four-over-eta, proved over u, v in
[-1, 1]^2, eta in [1.5, 12] wherever 2 < eta lambda < 4 (and lambda >= 0.05, as the sampled starts):
lambda - lambda_next = eta s^2 f^2 (4 - eta lambda) and 4 - eta lambda_next = (4 - eta lambda)(1 + eta^2 s^2 f^2). Both are
tight (at f = 0, and as eta lambda -> 4); the factored rung sees the squares and ties 4 - eta lambda to the premise.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: BAND },
    statement: ['lambda_next <= lambda', 'eta * lambda_next < 4'],
    expect: 'holds',
  }),
  defineLemma({
    id: 'k4-n2-region-loss-rises-iff-w-below-x-minus-two',
    title: 'n = 2, y = 0, over the box of states: if 2 < eta lambda < 4, f != 0 and eta^2 s^2 f^2 < eta lambda - 2, then L_next > L',
    claim: 'K4',
    provenance: 'derived',
    description: `Region version of k4-n2-loss-rises-iff-w-below-x-minus-two: L_next - L = (f^2/2) (w - x) (w - x + 2); the
premises give f^2 > 0 and w - x + 2 < 0, hence w - x < -2: every factor's sign is tied to a premise.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: [...BAND, 'f^2 > 0', 'eta^2 * s^2 * f^2 < eta * lambda - 2'] },
    statement: 'L_next > L',
    expect: 'holds',
  }),
  defineLemma({
    id: 'k4-n2-region-loss-falls-if-w-at-least-x-minus-two-hundredths-past-is-false',
    title: 'Known false, a constant just past the truth: if 2 < eta lambda < 4 and eta^2 s^2 f^2 >= eta lambda - 2.01, then L_next <= L',
    claim: 'K4',
    provenance: 'variant',
    description: `The threshold x - 2 of k4-n2-loss-falls-if-w-at-least-x-minus-two is exact: for x - 2.01 <= w < x - 2 the loss
rises (|1 - x + w| > 1). The region prover must find an exact point of the box where the premises hold and L_next > L.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: [...BAND, 'eta^2 * s^2 * f^2 >= eta * lambda - 2.01'] },
    statement: 'L_next <= L',
    expect: 'fails',
  }),
  defineLemma({
    id: 'k4-n2-region-eta-lambda-next-below-3-99-is-false',
    title: 'Known false, a constant just past the truth: if 2 < eta lambda < 4 then eta lambda_next < 3.99',
    claim: 'K4',
    provenance: 'variant',
    description: `eta lambda_next = x - w (4 - x) comes as close to 4 as x does where f is small: the bound 4 of
k4-n2-region-lambda-falls-in-the-band cannot be lowered. A point with eta lambda_next >= 3.99 lies in a shell of relative
width 0.25% of the band, which the box centres miss; the witness search after the region prover finds one.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: BAND },
    statement: 'eta * lambda_next < 3.99',
    expect: 'fails',
  }),
];
