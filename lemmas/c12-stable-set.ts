import { defineLemma } from '../src/lemma/types.js';
import { eosRegime } from './shared/regimes.js';

export default [
  defineLemma({
    id: 'c12-enters-and-stays-in-the-stable-set',
    title: 'Once eta S_GFS(theta_t) < 2: eta lambda1 alpha^2 <= 2 and |beta1| is non-increasing at every later step',
    claim: 'C12',
    provenance: 'paper-claim',
    description: `The stable set of Damian et al. (S <= 2/eta and the gradient orthogonal to the top eigenvector) meets
this model's minimizers in {beta1 = 0, eta lambda1 alpha^2 <= 2}: there the top eigenvector is e_beta1 and
g_beta1 = lambda1 alpha^2 beta1 = 0. Our statement: from the first time the gradient-flow solution is stable, the
beta1-mode stays stable (q_t <= 2) and the iterates approach that set monotonically in beta1 (equivalent by
c3-beta1-contracts-if-stable). The stronger "eta S_t <= 2" is false (c12-sharpness-below-threshold-after-gfs-event):
the O(beta1^2) coupling can lift S just above 2/eta after the event.`,
    hypotheses: eosRegime,
    quantifier: { kind: 'eventually', event: 'eta * S_GFS < 2', from: 'T_event' },
    statement: ['q_osc <= 2', 'beta1_next^2 <= beta1^2'],
    steps: 3000,
    runs: 120,
    expect: 'holds',
  }),
  defineLemma({
    id: 'c12-sharpness-below-threshold-after-gfs-event',
    title: 'First statement, false: once eta S_GFS(theta_t) < 2, eta S_t <= 2 at every later step',
    claim: 'C12',
    provenance: 'variant',
    description: `Found FALSIFIED by the main job (budget x3): eta = 1.555, lambda2 = 1e-3, theta_0 = (0.926, 1e-3, 0.0237)
gives eta S = 2.0044 at step 2226, after eta S_GFS fell below 2. The failing region is thin, so the hypotheses are
that one start (the values the main job printed): a claim false at one admissible point is false.`,
    hypotheses: {
      hyper: { eta: 1.5552127838134764, lambda1: 1, lambda2: 0.0010000351352774624 },
      init: { alpha: 0.9260892868041992, beta1: 0.0010000000000000002, beta2: 0.023701858520507813 },
    },
    quantifier: { kind: 'eventually', event: 'eta * S_GFS < 2', from: 'T_event' },
    statement: 'eta * S <= 2',
    steps: 3000,
    runs: 1,
    expect: 'fails',
  }),
  defineLemma({
    id: 'c12-gradient-nearly-orthogonal-to-top-eigenvector',
    title: 'First statement, false: 200 steps after that time the gradient has at most 10% of its norm along beta1',
    claim: 'C12',
    provenance: 'variant',
    description: `Damian et al.'s orthogonality read relative to the gradient's size. Near the stable set the top
eigenvector is e_beta1 (eigenvalue lambda1 alpha^2), so the component of the gradient along it is g_beta1; the claim
|g_beta1| <= 0.1 |g| is written squared to stay rational (decided exactly). Near the end the beta1 mode decays at
rate |1 - eta S|, which can be as slow as the relevant mode, so the gradient can point along the top eigenvector
(exploration: |g.u|/|g| up to 1.0). Expected FALSIFIED.`,
    hypotheses: eosRegime,
    quantifier: { kind: 'eventually', event: 'eta * S_GFS < 2', from: 'T_event + 200' },
    statement: 'g_beta1^2 <= 0.01 * (g_alpha^2 + g_beta1^2 + g_beta2^2)',
    steps: 3000,
    runs: 40,
    expect: 'fails',
  }),
];
