import type { Hypotheses } from '../../src/lemma/types.js';

/**
 * The regime of the paper's phenomena: the irrelevant feature has the large scale (lambda1 = 1,
 * lambda2 small), a large step, a stable start (eta lambda1 alpha_0^2 < 2) and a small irrelevant
 * weight beta1_0 > 0. Progressive sharpening then carries eta S toward or past 2.
 * Draws: eta uniform, lambda2 and beta1_0 log-uniform, alpha_0 and beta2_0 uniform.
 */
export const eosRegime: Hypotheses = {
  hyper: { eta: { min: 1, max: 1.95 }, lambda1: 1, lambda2: { min: 1e-3, max: 1e-2, scale: 'log' } },
  init: { alpha: { min: 0.8, max: 1.1 }, beta1: { min: 1e-3, max: 5e-2, scale: 'log' }, beta2: { min: 0, max: 0.3 } },
  where: ['eta * lambda1 * alpha_0^2 < 2'],
};

/** Every theta and the whole hyperparameter range: for identities. */
export const everyTheta: Hypotheses = {
  hyper: { eta: { min: 0.001, max: 100 }, lambda1: { min: 0.0001, max: 100 }, lambda2: { min: 0.0001, max: 100 } },
  init: { alpha: 0, beta1: 0, beta2: 0 },
};
