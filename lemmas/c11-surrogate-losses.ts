import { defineLemma } from '../src/lemma/types.js';
import { eosRegime } from './shared/regimes.js';

export default [
  defineLemma({
    id: 'c11-relevant-loss-never-exceeds-its-start',
    title: 'L_conv(theta_t) <= L_conv(theta_0) along the whole trajectory, EoS included',
    claim: 'C11',
    provenance: 'variant',
    description: `Our first statement that the convergent part is not destabilized by the catapult: although L_conv
can rise by a factor 4.7 in one EoS step (exploration), we claimed it never exceeds its initial value. FALSE: with
200 runs the checker finds starts where L_conv rises at step 1 (shrunk: eta = 1, lambda2 = 1e-3, theta_0 = (0.8,
0.0482, 0.298), by 1.3e-9 relative, confirmed exactly). There lambda1 alpha beta1^2 > lambda2 beta2 (1 - alpha
beta2), so the first step shrinks alpha and with it alpha beta2. Kept as a known-false statement; found by the
main job at budget x6 before the test budget was raised.`,
    hypotheses: eosRegime,
    quantifier: { kind: 'every-step' },
    statement: 'L_conv <= L_conv_0',
    steps: 3000,
    runs: 200,
    expect: 'fails',
  }),
  defineLemma({
    id: 'c11-alpha-squared-bounded-by-initial-gfs-sharpness',
    title: 'lambda1 alpha_t^2 <= S_GFS(theta_0) at every step',
    claim: 'C11',
    provenance: 'paper-claim',
    description: `The a-priori bound that drives C6 and the envelope below: alpha never overshoots the alpha of the
gradient-flow limit of the start. Exploration: max lambda1 alpha_t^2 / S_GFS_0 = 0.99964.`,
    hypotheses: eosRegime,
    quantifier: { kind: 'every-step' },
    statement: 'lambda1 * alpha^2 <= S_GFS_0',
    steps: 3000,
    runs: 1200,
    expect: 'holds',
  }),
  defineLemma({
    id: 'c11-oscillatory-loss-envelope',
    title: 'L_osc(theta_t) <= 1/2 S_GFS(theta_0) (S_GFS(theta_0)/lambda1 - C_t)',
    claim: 'C11',
    provenance: 'paper-claim',
    description: `An explicit envelope for the oscillatory part: beta1^2 = alpha^2 - beta2^2 - C <= alpha^2 - C, and
lambda1 alpha^2 <= S_GFS_0 (c11-alpha-squared-bounded-by-initial-gfs-sharpness), so
L_osc = lambda1 alpha^2 beta1^2 / 2 <= S_GFS_0 (S_GFS_0/lambda1 - C_t)/2. Not tight: the report's slack shows how loose.`,
    hypotheses: eosRegime,
    quantifier: { kind: 'every-step' },
    statement: 'L_osc <= 1/2 * S_GFS_0 * (S_GFS_0 / lambda1 - C)',
    steps: 3000,
    runs: 1200,
    expect: 'holds',
  }),
];
