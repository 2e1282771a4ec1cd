import { defineLemma } from '../../src/lemma/types.js';
import { catapultRegion, LAZY } from '../shared/catapult-region.js';

/*
 * Region versions of the one-step facts of k3-lazy-regime.ts (issue 23 item 6): the sampled lemma's eta range and its
 * box of starts u, v in [-1, 1]^3 as the region of states, its `where` (eta lambda_0 < 2, lambda_0 >= 0.05) as
 * premises on the state. Each is decided box by box by the region prover, with a certificate.
 */
const region = catapultRegion(3, { min: 0.1, max: 20 });

export default [
  defineLemma({
    id: 'k3-n3-region-lambda-never-grows-in-the-lazy-band',
    title: 'n = 3, y = 0, over the box of states: if eta lambda < 2 then lambda_next <= lambda',
    claim: 'K3',
    provenance: 'derived',
    description: `The one-step fact behind "lambda never grows" of k3-n3-lazy-monotone-contraction, proved over u, v in
[-1, 1]^3, eta in [0.1, 20] wherever eta lambda < 2 and lambda >= 0.05: lambda - lambda_next = eta s^2 f^2 (4 - eta lambda).
Tight wherever f = 0; the factored rung sees the square f^2 and ties 4 - eta lambda to the premise eta lambda < 2
(4 - eta lambda > 2 there).`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: LAZY },
    statement: 'lambda_next <= lambda',
    expect: 'holds',
  }),
  defineLemma({
    id: 'k3-n3-region-lambda-next-above-lambda-times-0-999-is-false',
    title: 'Known false, a constant just past the truth: if eta lambda < 2 then lambda_next <= 0.999 lambda',
    claim: 'K3',
    provenance: 'variant',
    description: `lambda_next = lambda exactly where f = 0 (k3-n3-region-lambda-never-grows-in-the-lazy-band is tight there),
so no factor below 1 holds. The region prover must find an exact point of the box where the premises hold and
lambda_next > 0.999 lambda.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: LAZY },
    statement: 'lambda_next <= 0.999 * lambda',
    expect: 'fails',
  }),
  defineLemma({
    id: 'k3-n3-region-contraction-factor-times-0-999-is-false',
    title: 'Known false, a constant just past the truth: if eta lambda < 2 then L_next <= 0.999 max((1 - eta lambda)^2, (1 - eta lambda/2)^4) L',
    claim: 'K3',
    provenance: 'variant',
    description: `The contraction factor of k3-n3-lazy-monotone-contraction is attained at u = v (w = x^2/4) wherever the second
branch is the max (x below 4 - 2 sqrt 2): 0.999 times it fails there. The region prover must find such a point.`,
    hypotheses: region,
    quantifier: { kind: 'identity', when: LAZY },
    statement: 'L_next <= 0.999 * max((1 - eta * lambda)^2, (1 - eta * lambda / 2)^4) * L',
    expect: 'fails',
  }),
];
