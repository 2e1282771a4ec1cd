import { defineLemma } from '../../src/lemma/types.js';

const hyper = { eta: { min: 0.001, max: 100 }, y: { min: -10, max: 10 }, s: { min: 0.01, max: 10 } };
const init = { u1: 0, u2: 0, v1: 0, v2: 0 };
/** The minimizers r = 0 with u2 != 0: s (u1 v1 + u2 v2) = y solved for v2. */
const atMinimizer = { v2: '(y / s - u1 * v1) / u2' };

export default [
  defineLemma({
    id: 'k2-n2-minimizer-spectrum',
    title: 'n = 2: at a minimizer (r = 0) the Hessian eigenvalues are lambda (once) and 0 (three times)',
    claim: 'K2',
    provenance: 'derived',
    description: `H = grad f grad f^T + r Hess f, and r = 0 at a minimizer, so H = g g^T with g = grad f = s (v, u):
rank one with eigenvalue |g|^2 = s^2 (|u|^2 + |v|^2) = lambda, the NTK eigenvalue (docs/paper.md section 5: at a
minimizer lambda is the top Hessian eigenvalue). Stated as the characteristic polynomial det(mu I - H) =
mu^3 (mu - lambda), an identity of rational functions in mu, u1, u2, v1, y, s after substituting
v2 = (y/s - u1 v1)/u2 (every minimizer with u2 != 0), proved by expansion.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    assume: atMinimizer,
    statement: ['charpoly_H == mu^3 * (mu - lambda)', 'L == 0', 'r == 0'],
    expect: 'holds',
  }),
  defineLemma({
    id: 'k2-n2-minimizer-sharpness-is-lambda',
    title: 'n = 2: at a minimizer the sharpness S equals lambda',
    claim: 'K2',
    provenance: 'derived',
    description: `The largest root of mu^3 (mu - lambda) is lambda (>= 0), so S = lambda at every minimizer with u2 != 0
(k2-n2-minimizer-spectrum). Stated with S itself, the largest Hessian eigenvalue, for the prover.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    assume: atMinimizer,
    statement: 'S == lambda',
    expect: 'holds',
  }),
  defineLemma({
    id: 'k2-n2-sharpness-is-lambda-everywhere',
    title: 'Known false: S = lambda at every theta, not only at minimizers',
    claim: 'K2',
    provenance: 'variant',
    description: `Away from r = 0 the Hessian has the extra term r Hess f, with Hess f = s [[0, I], [I, 0]] (eigenvalues +-s),
which moves the top eigenvalue off lambda. The checker must refute the identity with a point.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: 'S == lambda',
    expect: 'fails',
  }),
];
