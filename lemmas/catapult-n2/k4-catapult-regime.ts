import { defineLemma } from '../../src/lemma/types.js';

/*
 * y = 0, s = 1/sqrt(2), u, v entries in [-1, 1]; the catapult band 2 < eta lambda_0 < 4 selected by `where`.
 * Scale-free variables (k1-n2-one-step-update-of-lambda): x = eta lambda, w = eta^2 s^2 f^2 in [0, x^2/4];
 * r_next / r = 1 - x + w, x_next = x - w (4 - x).
 */
const s = 0.7071067811865476;
const init = { u1: { min: -1, max: 1 }, u2: { min: -1, max: 1 }, v1: { min: -1, max: 1 }, v2: { min: -1, max: 1 } };
const band = ['eta * lambda_0 > 2', 'eta * lambda_0 < 4', 'lambda_0 >= 0.05'];
const catapult = { hyper: { eta: { min: 1.5, max: 12, scale: 'log' as const }, y: 0, s }, init, where: band };
/** Away from the ends of the band and from f_0 = 0, for the time bound. */
const timed = {
  ...catapult,
  where: ['eta * lambda_0 >= 2.2', 'eta * lambda_0 <= 3.8', 'lambda_0 >= 0.05', 'eta^2 * s^2 * f_0^2 >= 0.01'],
};
const contraction = 'L_next <= max((1 - eta * lambda)^2, (1 - eta * lambda / 2)^4) * L';

export default [
  defineLemma({
    id: 'k4-n2-catapult-lambda-falls-and-stays-below-four-over-eta',
    title: 'n = 2, y = 0, 2 < eta lambda_0 < 4: lambda never grows, so eta lambda < 4 at every step',
    claim: 'K4',
    provenance: 'paper-claim',
    description: `The mechanism of the catapult (Lewkowycz et al. 2020, docs/paper.md section 5): lambda_next - lambda =
eta s^2 f^2 (eta lambda - 4) (k1-n2-lambda-change-at-zero-target) is <= 0 while eta lambda < 4, so by induction
eta lambda_t <= eta lambda_0 < 4 for every t, at every n. Sampled check along the trajectories.`,
    hypotheses: catapult,
    quantifier: { kind: 'every-step' },
    statement: ['lambda_next <= lambda', 'eta * lambda < 4'],
    steps: 60,
    runs: 30,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k4-n2-catapult-converges-once-below-two',
    title: 'n = 2, y = 0, 2 < eta lambda_0 < 4: from the first step with eta lambda < 2 on, eta lambda stays < 2 and L contracts linearly',
    claim: 'K4',
    provenance: 'paper-claim',
    description: `"lambda falls until eta lambda < 2, then convergence": once x = eta lambda < 2 the lazy analysis of
k3-n2-lazy-monotone-contraction applies (x stays in [0, 2), |r_next| <= max(|1 - x|, (1 - x/2)^2) |r|). The event
always comes in exact arithmetic: while x >= 2 the loss cannot converge (|1 - x + w| -> x - 1 >= 1 as w -> 0) and the
total decrease sum w_t (4 - x_t) is then unbounded, so x crosses 2. The limit can be far below 2/eta at n = 2
(k4-n2-catapult-ends-near-two-over-eta).`,
    hypotheses: catapult,
    quantifier: { kind: 'after-event', event: 'eta * lambda < 2' },
    statement: ['eta * lambda < 2', contraction],
    steps: 60,
    runs: 25,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k4-n2-loss-rises-iff-w-below-x-minus-two',
    title: 'n = 2, y = 0, 2 < eta lambda < 4: the loss rises in one step iff eta^2 s^2 f^2 < eta lambda - 2',
    claim: 'K4',
    provenance: 'paper-claim',
    description: `The catapult's loss spike, exactly: |r_next / r| = |1 - x + w| > 1 iff w < x - 2 or w > x, and w <= x^2/4
< x for x < 4. For wide networks w_0 = eta^2 f_0^2 / n is O(1/n) and the first step always rises; at n = 2 it need not
(k4-n2-catapult-loss-rises-at-some-step). Checked at every iterate of the catapult trajectories where 2 < x < 4 and
f != 0, this lemma the rising direction, the next one the other.`,
    hypotheses: catapult,
    quantifier: { kind: 'every-step', when: ['eta * lambda > 2', 'eta * lambda < 4', 'f^2 > 0', 'eta^2 * s^2 * f^2 < eta * lambda - 2'] },
    statement: 'L_next > L',
    steps: 60,
    runs: 40,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k4-n2-loss-falls-if-w-at-least-x-minus-two',
    title: 'n = 2, y = 0, 2 < eta lambda < 4: if eta^2 s^2 f^2 >= eta lambda - 2 the loss does not rise in one step',
    claim: 'K4',
    provenance: 'paper-claim',
    description: `The catapult's loss spike, exactly: |r_next / r| = |1 - x + w| > 1 iff w < x - 2 or w > x, and w <= x^2/4
< x for x < 4. For wide networks w_0 = eta^2 f_0^2 / n is O(1/n) and the first step always rises; at n = 2 it need not
(k4-n2-catapult-loss-rises-at-some-step). Checked at every iterate of the catapult trajectories where 2 < x < 4 and
f != 0, this lemma the non-rising direction (k4-n2-loss-rises-iff-w-below-x-minus-two the other).`,
    hypotheses: catapult,
    quantifier: { kind: 'every-step', when: ['eta * lambda > 2', 'eta * lambda < 4', 'eta^2 * s^2 * f^2 >= eta * lambda - 2'] },
    statement: 'L_next <= L',
    steps: 60,
    runs: 40,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k4-n2-catapult-crosses-two-within-k-steps',
    title: 'n = 2, y = 0, 2.2 <= eta lambda_0 <= 3.8, eta^2 s^2 f_0^2 >= 0.01: eta lambda < 2 within K = 700 steps',
    claim: 'K4',
    provenance: 'paper-claim',
    description: `The time the catapult takes. Exploration with the scale-free map over 4e5 starts drawn like these
(numpy exploration recorded in docs/evidence/catapult/notes.md): the first step with x < 2 came at most at step 606
(2.2 <= x_0 <= 3.8, w_0 >= 0.01); K = 700. Caveat, found by that exploration: the time is not bounded uniformly in exact
arithmetic. A start with w_0 close to x_0 - 1 lands next to the unstable minimizer set f = 0 while x > 2 (r_1 / r_0 =
1 - x_0 + w_0 = 0), and the catapult restarts from |f_1| as small as the start allows; the sampled bound holds for the
computed orbits of the draws. Trigger, window and
statement are decided rigorously at each iterate (outward-rounded intervals, exact where they do not separate).`,
    hypotheses: timed,
    quantifier: { kind: 'within', trigger: 't == 0', within: '700' },
    statement: 'eta * lambda < 2',
    steps: 701,
    runs: 30,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k4-n2-catapult-loss-rises-at-some-step',
    title: 'Wide-network statement, false at n = 2: for 2 < eta lambda_0 < 4 the loss exceeds L_0 at some step',
    claim: 'K4',
    provenance: 'variant',
    description: `The paper's catapult spike. At n = 2, w_0 = eta^2 s^2 f_0^2 can be as large as x_0^2/4; when
w_0 >= x_0 - 2 the first step lowers the loss (k4-n2-loss-rises-iff-w-below-x-minus-two) and can take x below 2 at
once (x_1 = x_0 - w_0 (4 - x_0)), after which the loss only falls. The checker must find such a start.`,
    hypotheses: catapult,
    quantifier: { kind: 'within', trigger: 't == 0', within: '300' },
    statement: 'L > L_0',
    steps: 301,
    runs: 40,
    expect: 'fails',
  }),
  defineLemma({
    id: 'k4-n2-catapult-ends-near-two-over-eta',
    title: 'Wide-network picture, false at n = 2: when the catapult ends, eta lambda is still above 1.5',
    claim: 'K4',
    provenance: 'variant',
    description: `For wide networks lambda falls slowly (by O(w) per step) and the catapult stops just below 2/eta. At
n = 2 one step can remove O(1) of x: x_1 = x_0 - w_0 (4 - x_0) with w_0 up to x_0^2/4 (x_0 = 2.5 gives x_1 = 0.16).
Checked after the first step with eta lambda < 2; the checker must find eta lambda < 1.5 there.`,
    hypotheses: catapult,
    quantifier: { kind: 'after-event', event: 'eta * lambda < 2' },
    statement: 'eta * lambda >= 1.5',
    steps: 100,
    runs: 30,
    expect: 'fails',
  }),
  defineLemma({
    id: 'k4-n2-catapult-with-nonzero-target-converges',
    title: 'Known false at n = 2: with a target |y| <= 1 the catapult band 2 < eta lambda_0 < 3 still crosses eta lambda < 2 within 700 steps',
    claim: 'K4',
    provenance: 'variant',
    description: `A minimizer r = 0 needs |f| = |y| <= lambda / (2 s), i.e. eta lambda >= 2 eta s |y|, and is stable only for
eta lambda < 2: with eta s |y| > 1 (eta > sqrt(2)/|y| at n = 2, harmless for wide networks where s = 1/sqrt(n)) there is
no stable minimizer and GD cannot converge. Exploration: for 2 <= x_0 < 2.5 and eta s |y| >= 0.4, 17% of the starts
diverged. The checker must find a start that does not cross (or diverges: divergence inside the hypotheses falsifies).`,
    hypotheses: {
      ...catapult,
      hyper: { ...catapult.hyper, y: { min: -1, max: 1 } },
      where: ['eta * lambda_0 > 2', 'eta * lambda_0 < 3', 'lambda_0 >= 0.05'],
    },
    quantifier: { kind: 'within', trigger: 't == 0', within: '700' },
    statement: 'eta * lambda < 2',
    steps: 701,
    runs: 40,
    expect: 'fails',
  }),
];
