import { defineLemma } from '../src/lemma/types.js';

/** The closed forms that every later argument uses, checked against the engine's own derivatives. */
export default [
  defineLemma({
    id: 'c1-gradient-formula',
    title: 'The gradient of L is (l1 a b1^2 + l2 b2 (a b2 - 1), l1 a^2 b1, l2 a (a b2 - 1))',
    claim: 'C1',
    provenance: 'derived',
    description: `docs/paper.md section 2 states the gradient in closed form. g_<param> is the derivative of the
loss computed by the engine (mathjs, cross-checked against nerdamer). Proved by expanding both sides to polynomials.`,
    hypotheses: { hyper: { eta: { min: 0.01, max: 10 }, lambda1: { min: 0.001, max: 10 }, lambda2: { min: 0.001, max: 10 } }, init: { alpha: 0, beta1: 0, beta2: 0 } },
    quantifier: { kind: 'identity' },
    statement: [
      'g_alpha == lambda1 * alpha * beta1^2 + lambda2 * beta2 * (alpha * beta2 - 1)',
      'g_beta1 == lambda1 * alpha^2 * beta1',
      'g_beta2 == lambda2 * alpha * (alpha * beta2 - 1)',
    ],
    expect: 'holds',
  }),
  defineLemma({
    id: 'c1-hessian-formula',
    title: 'The Hessian of L has the closed form of docs/paper.md section 2',
    claim: 'C1',
    provenance: 'derived',
    description: `All six distinct entries of the symmetric Hessian, in the order (alpha, beta1, beta2).
Proved by polynomial expansion; the symmetry H_beta1_alpha = H_alpha_beta1 is part of the statement.`,
    hypotheses: { hyper: { eta: { min: 0.01, max: 10 }, lambda1: { min: 0.001, max: 10 }, lambda2: { min: 0.001, max: 10 } }, init: { alpha: 0, beta1: 0, beta2: 0 } },
    quantifier: { kind: 'identity' },
    statement: [
      'H_alpha_alpha == lambda1 * beta1^2 + lambda2 * beta2^2',
      'H_alpha_beta1 == 2 * lambda1 * alpha * beta1',
      'H_alpha_beta2 == lambda2 * (2 * alpha * beta2 - 1)',
      'H_beta1_beta1 == lambda1 * alpha^2',
      'H_beta1_beta2 == 0',
      'H_beta2_beta2 == lambda2 * alpha^2',
      'H_beta1_alpha == H_alpha_beta1',
      'H_beta2_alpha == H_alpha_beta2',
    ],
    expect: 'holds',
  }),
  defineLemma({
    id: 'c1-loss-split',
    title: 'L = L_osc + L_conv',
    claim: 'C1',
    provenance: 'derived',
    description: 'The split of docs/paper.md section 2 into the oscillatory (irrelevant feature) and convergent (relevant feature) parts.',
    hypotheses: { hyper: { eta: { min: 0.01, max: 10 }, lambda1: { min: 0.001, max: 10 }, lambda2: { min: 0.001, max: 10 } }, init: { alpha: 0, beta1: 0, beta2: 0 } },
    quantifier: { kind: 'identity' },
    statement: 'L == L_osc + L_conv',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c1-wrong-gradient-is-refuted',
    title: 'Known false: dL/dalpha = l1 a b1^2 + l2 b2 (a b2 + 1) (a sign error)',
    claim: 'C1',
    provenance: 'variant',
    description: 'A deliberately wrong gradient (sign error in the residual): the prover must refute it with a witness point.',
    hypotheses: { hyper: { eta: { min: 0.01, max: 10 }, lambda1: { min: 0.001, max: 10 }, lambda2: { min: 0.001, max: 10 } }, init: { alpha: 0, beta1: 0, beta2: 0 } },
    quantifier: { kind: 'identity' },
    statement: 'g_alpha == lambda1 * alpha * beta1^2 + lambda2 * beta2 * (alpha * beta2 + 1)',
    expect: 'fails',
  }),
];
