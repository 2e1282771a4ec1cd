import { defineLemma } from '../../src/lemma/types.js';

/*
 * The paper's setting of the analysis: target y = 0, s = 1/sqrt(3) (the double nearest). Starts u, v with entries
 * in [-1, 1]; eta is drawn wide and the regime is selected by eta lambda_0 (`where`), so draws outside it are skipped.
 */
const s = 0.5773502691896258;
const init = { u1: { min: -1, max: 1 }, u2: { min: -1, max: 1 }, u3: { min: -1, max: 1 }, v1: { min: -1, max: 1 }, v2: { min: -1, max: 1 }, v3: { min: -1, max: 1 } };
const lazy = {
  hyper: { eta: { min: 0.1, max: 20, scale: 'log' as const }, y: 0, s },
  init,
  where: ['eta * lambda_0 < 2', 'lambda_0 >= 0.05'],
};

export default [
  defineLemma({
    id: 'k3-n3-lazy-monotone-contraction',
    title: 'n = 3, y = 0, eta lambda_0 < 2: every step L contracts by max((1 - eta lambda)^2, (1 - eta lambda/2)^4), lambda never grows, eta lambda < 2',
    claim: 'K3',
    provenance: 'paper-claim',
    description: `The lazy regime of Lewkowycz et al. (2020) (docs/paper.md section 5) made exact for n = 3. With y = 0 write
x = eta lambda and w = eta^2 s^2 f^2 (k1-n3-one-step-update-of-lambda): r_next / r = 1 - x + w and x_next = x - w (4 - x),
with 0 <= w <= x^2/4 (|f| <= lambda / (2 s), Cauchy-Schwarz). For 0 <= x < 2, 1 - x + w lies in [1 - x, (1 - x/2)^2],
so |r_next| <= max(|1 - x|, (1 - x/2)^2) |r| < |r|: both ends are attained (w = 0, and u = v where w = x^2/4), so the
constant is the tight one. x_next <= x since x < 4, and x_next >= x (1 - x/2)^2 >= 0, so 0 <= eta lambda < 2 is kept
and the step is repeated: monotone linear convergence at every n, not only for wide networks. The lower end
lambda_0 >= 0.05 only keeps the draws away from u = v = 0. Sampled check of the three one-step facts along the
trajectories (the derivation is the proof; the checker confirms it iterate by iterate, exactly where needed).`,
    hypotheses: lazy,
    quantifier: { kind: 'every-step' },
    statement: [
      'L_next <= max((1 - eta * lambda)^2, (1 - eta * lambda / 2)^4) * L',
      'lambda_next <= lambda',
      'eta * lambda < 2',
    ],
    steps: 30,
    runs: 30,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k3-n3-lazy-ntk-stays-within-one-percent',
    title: 'Wide-network statement, false at n = 3: in the lazy regime lambda_t >= 0.99 lambda_0 (the kernel barely moves)',
    claim: 'K3',
    provenance: 'variant',
    description: `For wide networks the lazy phase keeps the NTK constant up to O(1/n): lambda_next - lambda =
-eta f^2 (4 - eta lambda)/n. At n = 3 with f_0 = O(1) the drop is O(1): x_1 = x_0 - w_0 (4 - x_0) can be as small
as x_0 (1 - x_0/2)^2 (u = v). The checker must find a start where lambda falls below 0.99 lambda_0.`,
    hypotheses: lazy,
    quantifier: { kind: 'every-step' },
    statement: 'lambda >= 0.99 * lambda_0',
    steps: 30,
    runs: 20,
    expect: 'fails',
  }),
  defineLemma({
    id: 'k3-n3-lazy-monotone-with-nonzero-target',
    title: 'Known false at n = 3: with a target |y| <= 1, eta lambda_0 < 2 still gives a loss that never rises',
    claim: 'K3',
    provenance: 'variant',
    description: `With y != 0, r_next / r = 1 - eta lambda + eta^2 s^2 r f (k1-n3-one-step-update-of-f). When f lies between 0
and y, r f < 0 and the factor can fall below -1 although eta lambda < 2: the O(1/n) term is not small at n = 3. Numerical
exploration (scaled variables, 4e5 starts): the loss rose at some step for 0.6% of lazy starts with eta s |y| in
[0.2, 0.4] and for 35% with eta s |y| >= 0.4. The checker must find such a start.`,
    hypotheses: { ...lazy, hyper: { ...lazy.hyper, y: { min: -1, max: 1 } } },
    quantifier: { kind: 'every-step' },
    statement: 'L_next <= L',
    steps: 50,
    runs: 40,
    expect: 'fails',
  }),
];
