import { defineLemma } from '../src/lemma/types.js';

const hyper = { eta: { min: 0.01, max: 10 }, lambda1: { min: 0.001, max: 10 }, lambda2: { min: 0.001, max: 10 } };

export default [
  defineLemma({
    id: 'c2-minimizer-spectrum',
    title: 'At a global minimizer (beta1 = 0, alpha beta2 = 1) the Hessian eigenvalues are l1 a^2, 0, l2 (a^2 + b2^2)',
    claim: 'C2',
    provenance: 'derived',
    description: `The global minimizers are beta1 = 0, alpha beta2 = 1 (docs/paper.md section 2). Substituting
beta2 = 1/alpha, the characteristic polynomial det(mu I - H) factors as
mu (mu - lambda1 alpha^2)(mu - lambda2 (alpha^2 + beta2^2)); proved as an identity of rational functions in mu, alpha
and the hyperparameters. The second form uses alpha^2 + beta2^2 = (alpha^4 + 1)/alpha^2.`,
    hypotheses: { hyper, init: { alpha: 0, beta1: 0, beta2: 0 } },
    quantifier: { kind: 'identity' },
    assume: { beta1: '0', beta2: '1 / alpha' },
    statement: [
      'charpoly_H == mu * (mu - lambda1 * alpha^2) * (mu - lambda2 * (alpha^2 + beta2^2))',
      'lambda2 * (alpha^2 + beta2^2) == lambda2 * (alpha^4 + 1) / alpha^2',
      'L == 0',
      'g_alpha == 0',
      'g_beta1 == 0',
      'g_beta2 == 0',
    ],
    expect: 'holds',
  }),
  defineLemma({
    id: 'c2-minimizer-sharpness-is-s-gfs',
    title: 'At a global minimizer the sharpness max(l1 a^2, l2 (a^2 + b2^2)) equals S_GFS',
    claim: 'C2',
    provenance: 'derived',
    description: `With beta1 = 0 and beta2 = 1/alpha, C = alpha^2 - 1/alpha^2 and sqrt(C^2 + 4) = alpha^2 + 1/alpha^2,
so lambda1 (C + sqrt(C^2 + 4))/2 = lambda1 alpha^2 and lambda2 sqrt(C^2 + 4) = lambda2 (alpha^2 + beta2^2): the
closed-form S_GFS is the largest eigenvalue found in c2-minimizer-spectrum (the third eigenvalue is 0).
The square root is not rational, so Z3 proves it (sqrt as s >= 0, s^2 = C^2 + 4).`,
    hypotheses: { hyper, init: { alpha: 0, beta1: 0, beta2: 0 } },
    quantifier: { kind: 'identity' },
    assume: { beta1: '0', beta2: '1 / alpha' },
    statement: 'S_GFS == max(lambda1 * alpha^2, lambda2 * (alpha^2 + beta2^2))',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c2-sharpness-at-least-the-beta-diagonal-entries',
    title: 'For every theta, S >= lambda1 alpha^2 and S >= lambda2 alpha^2 (the beta1 and beta2 diagonal entries of H)',
    claim: 'C2',
    provenance: 'derived',
    description: `A diagonal entry of a symmetric matrix is a Rayleigh quotient (of a unit coordinate vector), so it is at
most the largest eigenvalue: H_beta1_beta1 = lambda1 alpha^2 and H_beta2_beta2 = lambda2 alpha^2. At a minimizer the
first is attained (c2-minimizer-spectrum). Proved by Z3 with S encoded as the value for which sI - H is positive
semidefinite and singular (Sylvester's criterion), so for every theta, not only at minimizers.`,
    hypotheses: { hyper, init: { alpha: 0, beta1: 0, beta2: 0 } },
    quantifier: { kind: 'identity' },
    statement: ['S >= lambda1 * alpha^2', 'S >= lambda2 * alpha^2'],
    expect: 'holds',
  }),
  defineLemma({
    id: 'c2-sharpness-at-most-the-trace-of-h',
    title: 'Known false: S <= trace(H) for every theta',
    claim: 'C2',
    provenance: 'variant',
    description: `The trace is the sum of the eigenvalues, which bounds the largest one only when the others are
non-negative; away from the minimizers H has a negative eigenvalue, so the bound fails. The checker must refute it
with a point inside the hypotheses.`,
    hypotheses: { hyper, init: { alpha: 0, beta1: 0, beta2: 0 } },
    quantifier: { kind: 'identity' },
    statement: 'S <= H_alpha_alpha + H_beta1_beta1 + H_beta2_beta2',
    expect: 'fails',
  }),
];
