import { defineLemma } from '../src/lemma/types.js';
import { everyTheta, eosRegime } from './shared/regimes.js';

export default [
  defineLemma({
    id: 'c10-lagrange-identity-for-the-change-of-c',
    title: 'alpha^2 (C_t - C_{t+1}) = eta^2 [ C_t (g_beta1^2 + g_beta2^2) + (beta1 g_beta2 - beta2 g_beta1)^2 ]',
    claim: 'C10',
    provenance: 'derived',
    description: `The certificate behind C10. alpha g_alpha = beta1 g_beta1 + beta2 g_beta2 (check by expanding), so by
Lagrange's identity alpha^2 (g_beta1^2 + g_beta2^2) - alpha^2 g_alpha^2 = C (g_beta1^2 + g_beta2^2) + (beta1 g_beta2 -
beta2 g_beta1)^2; combine with c4-exact-gd-change-of-c. Proved by polynomial expansion.`,
    hypotheses: everyTheta,
    quantifier: { kind: 'identity' },
    statement: [
      'alpha * g_alpha == beta1 * g_beta1 + beta2 * g_beta2',
      'alpha^2 * (C - C_next) == eta^2 * (C * (g_beta1^2 + g_beta2^2) + (beta1 * g_beta2 - beta2 * g_beta1)^2)',
    ],
    expect: 'holds',
  }),
  defineLemma({
    id: 'c10-c-non-increasing-when-c-nonnegative',
    title: 'If C_t >= 0 then C_{t+1} <= C_t, for every theta and every eta',
    claim: 'C10',
    provenance: 'paper-claim',
    description: `Our explicit hypothesis for "GFS sharpness does not increase along GD": C_t = alpha^2 - beta1^2 - beta2^2 >= 0.
Follows from c10-lagrange-identity-for-the-change-of-c (the right side is >= 0 when C >= 0; alpha = 0 with C >= 0
forces beta = 0, a fixed point). Proved by Z3 over the reals, for eta in (0, 100], no step-size restriction needed.
This does NOT give S_GFS_next <= S_GFS by itself: lambda1 (C + sqrt(C^2+4))/2 is increasing in C, but
lambda2 sqrt(C^2+4) depends on |C| only, and C_next can be negative. With C >= 0 and C_next <= C,
S_GFS_next <= S_GFS holds iff lambda2 sqrt(C_next^2+4) <= S_GFS; in particular when C_next >= -C, or when
lambda2 sqrt(C_next^2+4) <= lambda1 (S_GFS >= lambda1 for C >= 0). Counterexample otherwise:
c10-gfs-sharpness-non-increasing-when-c-nonnegative-lambda2-near-lambda1.`,
    hypotheses: everyTheta,
    quantifier: { kind: 'identity', when: 'C >= 0' },
    statement: 'C_next <= C',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c10-gfs-sharpness-non-increasing-when-c-nonnegative-lambda2-near-lambda1',
    title: 'If C_t >= 0 then S_GFS(theta_{t+1}) <= S_GFS(theta_t), for lambda1, lambda2 near 1, eta near 0.1',
    claim: 'C10',
    provenance: 'variant',
    description: `The corollary once drawn from c10-c-non-increasing-when-c-nonnegative ("S_GFS is increasing in C"). False
where the lambda2 branch is the max and C_next < -C: lambda1 = lambda2 = 1, eta = 0.1, theta = (1, 0.6, 0.8) gives
C = 0, C_next = -9/2500, S_GFS = 2 < sqrt(4 + 81/6250000) = S_GFS_next. As an identity over everyTheta (and even at
fixed eta = 0.1, lambda1 = lambda2 = 1) Z3 times out, hence this sampled form: starts with C_0 in about
[2e-4, 1e-3], where the first step takes C below -C_0. (The float start (1, 0.6, 0.8) itself has exact C = -4.4e-17.)`,
    hypotheses: {
      hyper: { eta: { min: 0.09, max: 0.11 }, lambda1: { min: 0.9, max: 1.1 }, lambda2: { min: 0.9, max: 1.1 } },
      init: { alpha: { min: 1.0001, max: 1.0005 }, beta1: 0.6, beta2: 0.8 },
    },
    quantifier: { kind: 'every-step', when: 'C >= 0' },
    statement: 'S_GFS_next <= S_GFS',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }),
  defineLemma({
    id: 'c10-gfs-sharpness-non-increasing-along-gd',
    title: 'Along GD, S_GFS(theta_{t+1}) <= S_GFS(theta_t) at every step with C_t >= 0',
    claim: 'C10',
    provenance: 'paper-claim',
    description: `The trajectory form of c10-c-non-increasing-when-c-nonnegative, on S_GFS itself (a square root: decided
by certified interval enclosures near the boundary). Near convergence the change is below float64 resolution,
so most iterates there are decided in exact arithmetic. Evidence, not a consequence of the C lemma: here
lambda2 <= lambda1/100, so a step from C >= 0 can raise S_GFS only if lambda2 sqrt(C_next^2+4) > S_GFS >= lambda1,
i.e. |C_next| > 99.98; nothing proved keeps C_next above that (at theta = (3, 2, 0), eta = 1.95, lambda2 = 1e-2,
not a start here, C = 5 and C_next = -679.45, and S_GFS rises from 5.19 to 6.79).`,
    hypotheses: eosRegime,
    quantifier: { kind: 'every-step', when: 'C >= 0' },
    statement: 'S_GFS_next <= S_GFS',
    steps: 1500,
    runs: 80,
    expect: 'holds',
  }),
  defineLemma({
    id: 'c10-c-never-rises-for-every-start',
    title: 'Known false: C_{t+1} <= C_t at every step, for every start',
    claim: 'C10',
    provenance: 'variant',
    description: `docs/paper.md section 2: random starts with eta in [0.5, 2], lambda1 = 1, lambda2 in [1e-4, 1e-1] give steps
where C rises. Starts here include C_0 < 0 (alpha small), outside the hypothesis of c10-c-non-increasing-when-c-nonnegative.`,
    hypotheses: {
      hyper: { eta: { min: 0.5, max: 2 }, lambda1: 1, lambda2: { min: 1e-4, max: 1e-1, scale: 'log' } },
      init: { alpha: { min: 0.05, max: 1 }, beta1: { min: -1, max: 1 }, beta2: { min: -1.5, max: 1.5 } },
    },
    quantifier: { kind: 'every-step' },
    statement: 'C_next <= C',
    steps: 200,
    runs: 40,
    expect: 'fails',
  }),
];
