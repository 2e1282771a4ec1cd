import { defineLemma } from '../../../src/lemma/types.js';
import { BAND, catapultRegion, LAZY } from '../../shared/catapult-region.js';

/*
 * Region versions of catapult-n3 one-step facts that the region prover leaves UNDECIDED (issue 23 item 6). They are
 * true; each description says why enclosures cannot settle the whole region and how much of its volume stays open
 * at the default budget of 20000 boxes (test/check/region-undecided.test.ts holds the prover to these numbers). This
 * folder is not a pack's catalogue: an UNDECIDED row would fail the catalogue's "as expected" check.
 */

export default [
  defineLemma({
    id: 'k3-n3-region-lazy-contraction',
    title: 'n = 3, y = 0, over the box of states: if eta lambda < 2 then L_next <= max((1 - eta lambda)^2, (1 - eta lambda/2)^4) L',
    claim: 'K3',
    provenance: 'derived',
    description: `The contraction of k3-n3-lazy-monotone-contraction at every state of u, v in [-1, 1]^3, eta in [0.1, 20] with
eta lambda < 2, lambda >= 0.05. UNDECIDED: the factor is attained on the whole set u = v where the second branch is
the max (eta lambda < 4 - 2 sqrt 2), a set of codimension 3 inside the region, and no enclosure of the max decides a box that
meets it; the boxes around it stay open. Measured at the default budget of 20000 boxes: 61.8% of the region's volume
stays open.`,
    hypotheses: catapultRegion(3, { min: 0.1, max: 20 }),
    quantifier: { kind: 'identity', when: LAZY },
    statement: 'L_next <= max((1 - eta * lambda)^2, (1 - eta * lambda / 2)^4) * L',
    expect: 'holds',
  }),
  defineLemma({
    id: 'k3-n3-region-stays-in-the-lazy-band',
    title: 'n = 3, y = 0, over the box of states: if eta lambda < 2 then eta lambda_next < 2',
    claim: 'K3',
    provenance: 'derived',
    description: `The third statement of k3-n3-lazy-monotone-contraction, one step at a time, over u, v in [-1, 1]^3,
eta in [0.1, 20]: 2 - eta lambda_next = (2 - eta lambda) + w (4 - eta lambda) > 0. UNDECIDED: the sum is tight where
eta lambda -> 2 and f -> 0 together, and it does not factor, so the premise's sign cannot be carried into it. Measured at the default budget of 20000 boxes: 58.6% of the
region's volume stays open.`,
    hypotheses: catapultRegion(3, { min: 0.1, max: 20 }),
    quantifier: { kind: 'identity', when: LAZY },
    statement: 'eta * lambda_next < 2',
    expect: 'holds',
  }),
  defineLemma({
    id: 'k4-n3-region-loss-falls-if-w-at-least-x-minus-two',
    title: 'n = 3, y = 0, over the box of states: if 2 < eta lambda < 4 and eta^2 s^2 f^2 >= eta lambda - 2, then L_next <= L',
    claim: 'K4',
    provenance: 'derived',
    description: `Region version of k4-n3-loss-falls-if-w-at-least-x-minus-two over u, v in [-1, 1]^3, eta in [1.5, 12]:
L_next - L = (f^2/2) (w - x) (w - x + 2); the premise gives w - x + 2 >= 0, and w - x < 0 holds because w <= x^2/4 < x
(Cauchy-Schwarz), which no premise states. UNDECIDED: w - x tends to 0 at u = v, eta lambda -> 4, where the boxes stay open. Measured at the
default budget of 20000 boxes: 99.9% of the region's volume stays open.`,
    hypotheses: catapultRegion(3, { min: 1.5, max: 12 }),
    quantifier: { kind: 'identity', when: [...BAND, 'eta^2 * s^2 * f^2 >= eta * lambda - 2'] },
    statement: 'L_next <= L',
    expect: 'holds',
  }),
];
