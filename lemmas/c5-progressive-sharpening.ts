import { defineLemma } from '../src/lemma/types.js';
import { eosRegime } from './shared/regimes.js';

/*
 * Why rho: alpha_{t+1} - alpha_t = -eta g_alpha = eta (lambda2 beta2 (1 - alpha beta2) - lambda1 alpha beta1^2):
 * the relevant residual pushes alpha up, the irrelevant weight pulls it down. While beta1 is negligible,
 * S = lambda1 alpha^2 + O(beta1^2), so S rises with alpha. "beta1 negligible" is made precise as
 * lambda1 alpha beta1^2 <= rho lambda2 beta2 (1 - alpha beta2): the pull is at most a fraction rho of the push.
 * Exploration (scratch runs in the EoS regime) found S decreasing at phase-I steps with rho up to 0.31,
 * and never (beyond float noise, which the exact check settles) with rho <= 0.1.
 */
const phaseOne = ['eta * S < 2', 'alpha > 0', 'beta2 > 0', 'alpha * beta2 < 1', 'lambda1 * alpha * beta1^2 <= 0.1 * lambda2 * beta2 * (1 - alpha * beta2)'];

export default [
  defineLemma({
    id: 'c5-sharpness-rises-in-phase-one',
    title: 'Progressive sharpening: in phase I (eta S < 2, beta1 negligible, residual positive) S_{t+1} >= S_t',
    claim: 'C5',
    provenance: 'paper-claim',
    description: `Reconstruction of the paper's progressive-sharpening claim. Phase I: eta S_t < 2, alpha, beta2 > 0,
alpha beta2 < 1 (the relevant residual 1 - alpha beta2 is positive, so it pushes alpha up), and the pull of the
irrelevant weight on alpha is at most 0.1 of that push. Then one GD step does not decrease the sharpness.
S_next is the certified top eigenvalue at the next computed iterate.`,
    hypotheses: eosRegime,
    quantifier: { kind: 'every-step', when: phaseOne },
    statement: 'S_next >= S',
    steps: 3000,
    runs: 80,
    expect: 'holds',
  }),
  defineLemma({
    id: 'c5-relevant-residual-shrinks-in-phase-one',
    title: 'In phase I the relevant loss L_conv decreases at every step',
    claim: 'C5',
    provenance: 'paper-claim',
    description: 'The other half of progressive sharpening: while S rises, the relevant residual shrinks. Same phase-I premise as c5-sharpness-rises-in-phase-one.',
    hypotheses: eosRegime,
    quantifier: { kind: 'every-step', when: phaseOne },
    statement: 'L_conv_next <= L_conv',
    steps: 3000,
    runs: 80,
    expect: 'holds',
  }),
  defineLemma({
    id: 'c5-sharpness-rises-whenever-alpha-grows',
    title: 'First statement, false: S_{t+1} >= S_t whenever eta S < 2 and alpha grows',
    claim: 'C5',
    provenance: 'variant',
    description: `Progressive sharpening stated without "beta1 negligible": when the irrelevant weight is not small,
the shrinking coupling term 2 lambda1 alpha beta1 lowers S although alpha grows. Kept as the falsified first statement
next to c5-sharpness-rises-in-phase-one.`,
    hypotheses: {
      ...eosRegime,
      init: { ...eosRegime.init, beta1: { min: 1e-2, max: 2e-1, scale: 'log' } },
    },
    quantifier: { kind: 'every-step', when: ['eta * S < 2', 'alpha > 0', 'g_alpha < 0'] },
    statement: 'S_next >= S',
    steps: 1000,
    runs: 40,
    expect: 'fails',
  }),
];
