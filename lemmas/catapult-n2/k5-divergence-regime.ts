import { defineLemma } from '../../src/lemma/types.js';

/*
 * y = 0, s = 1/sqrt(2), u, v entries in [-1, 1], eta lambda_0 > 4 selected by `where`. A diverging run would end
 * at the checker's divergence rule (a parameter beyond 1e100 or L not finite), which FALSIFIES any trajectory lemma;
 * the hypothesis along 'L <= 1e30' ends each check before that (past 1e30 the claim is not about the run), and
 * the divergence itself is stated as "L reaches 1e10 within K steps" (a within window, which the along hypothesis
 * does not cut short: L passes 1e10 before 1e30, the cubic growth f_next ~ eta^2 s^2 f^3 takes it from 1e10 to at
 * most ~1e30 in one step).
 */
const s = 0.7071067811865476;
const init = { u1: { min: -1, max: 1 }, u2: { min: -1, max: 1 }, v1: { min: -1, max: 1 }, v2: { min: -1, max: 1 } };
const divergent = {
  hyper: { eta: { min: 3, max: 30, scale: 'log' as const }, y: 0, s },
  init,
  where: ['eta * lambda_0 > 4', 'eta * lambda_0 < 8', 'lambda_0 >= 0.05'],
  along: ['L <= 1e30'],
};

export default [
  defineLemma({
    id: 'k5-n2-lambda-never-falls-above-four-over-eta',
    title: 'n = 2, y = 0, eta lambda_0 > 4: lambda never falls, so eta lambda >= eta lambda_0 > 4 at every step',
    claim: 'K5',
    provenance: 'paper-claim',
    description: `lambda_next - lambda = eta s^2 f^2 (eta lambda - 4) >= 0 when eta lambda >= 4
(k1-n2-lambda-change-at-zero-target): by induction x_t = eta lambda_t >= x_0 > 4 for every t. Every minimizer the run
could approach has sharpness lambda (K2) with eta lambda > 4 > 2, so it is unstable; with
k5-n2-loss-at-least-quadruples-near-minimizers this excludes convergence at every n. Sampled check up to L = 1e30.`,
    hypotheses: divergent,
    quantifier: { kind: 'every-step' },
    statement: ['lambda_next >= lambda', 'eta * lambda > 4'],
    steps: 80,
    runs: 50,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k5-n2-loss-at-least-quadruples-near-minimizers',
    title: 'n = 2, y = 0, eta lambda > 4: where eta^2 s^2 f^2 <= eta lambda - 3, L_next >= 4 L',
    claim: 'K5',
    provenance: 'paper-claim',
    description: `r_next / r = 1 - x + w (x = eta lambda, w = eta^2 s^2 f^2); w <= x - 3 gives 1 - x + w <= -2, so
|r_next| >= 2 |r|. Near a minimizer w -> 0 while x >= x_0 > 4 (k5-n2-lambda-never-falls-above-four-over-eta), so the
loss cannot converge to 0: the repulsion factor 4 is the tight one at w = x - 3. The constant 3 is the largest
margin giving factor 2 in |r|. Checked at every iterate where the premise holds.`,
    hypotheses: divergent,
    quantifier: { kind: 'every-step', when: 'eta^2 * s^2 * f^2 <= eta * lambda - 3' },
    statement: 'L_next >= 4 * L',
    steps: 80,
    runs: 50,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k5-n2-loss-reaches-1e10-within-k-steps',
    title: 'n = 2, y = 0, 4.1 <= eta lambda_0 < 8, eta^2 s^2 f_0^2 >= 0.01: L reaches 1e10 within K = 40 steps',
    claim: 'K5',
    provenance: 'paper-claim',
    description: `Divergence in finite time. Exploration with the scale-free map over 4e5 starts drawn like these
(docs/evidence/catapult/notes.md): L passed 1e20 at most at step 21 for x_0 > 4, 13 for x_0 > 4.1. K = 40 leaves room for
starts the exploration missed. The lower bound on w_0 = eta^2 s^2 f_0^2 is needed: the first version without it was
FALSIFIED by the guided search at u = (1, -1), v = (-1, -1), eta = 3, where f_0 = 0 exactly (GD stays on the unstable
minimizer set f = 0, L_t = 0 for ever); w_0 >= 0.01 is the bound of the exploration. Caveat: as for the catapult time
(k4-n2-catapult-crosses-two-within-k-steps) the bound is not uniform in exact arithmetic (w_0 = x_0 - 1 gives f_1 = 0:
an exact unstable minimizer), it holds for the computed orbits sampled. Trigger, window
and statement are decided rigorously at each iterate (outward-rounded intervals, exact where they do not separate).`,
    hypotheses: { ...divergent, where: ['eta * lambda_0 >= 4.1', 'eta * lambda_0 < 8', 'lambda_0 >= 0.05', 'eta^2 * s^2 * f_0^2 >= 0.01'] },
    quantifier: { kind: 'within', trigger: 't == 0', within: '40' },
    statement: 'L >= 1e10',
    steps: 41,
    runs: 60,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k5-n2-divergence-with-nonzero-target',
    title: 'Known false at n = 2: with a target |y| <= 1, eta lambda_0 in (4, 5) still makes L reach 1e10 within 40 steps',
    claim: 'K5',
    provenance: 'variant',
    description: `With y != 0, lambda_next - lambda = -4 eta s^2 r f + eta^2 s^2 r^2 lambda (k1-n2-one-step-update-of-lambda) can
be negative above 4/eta (r f > 0 large), and GD can fall back into the catapult band and converge. Exploration: 18-22%
of the starts with 4 <= x_0 < 4.5 and eta s |y| in [0.1, 0.4] converged. The threshold 4 is exact only at y = 0; the
checker must find a start that does not blow up.`,
    hypotheses: { ...divergent, hyper: { ...divergent.hyper, y: { min: -1, max: 1 } }, where: ['eta * lambda_0 > 4', 'eta * lambda_0 < 5', 'lambda_0 >= 0.05'] },
    quantifier: { kind: 'within', trigger: 't == 0', within: '40' },
    statement: 'L >= 1e10',
    steps: 41,
    runs: 120,
    expect: 'fails',
  }),
];
