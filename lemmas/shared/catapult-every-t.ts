import { defineLemma } from '../../src/lemma/types.js';

/*
 * K3's lazy-regime contraction for every t, for the uv model at width n (y = 0): each row a `kind: invariant` over
 * I = {eta lambda <= 1.9}. With x = eta lambda and w = eta^2 s^2 f^2 one GD step gives r_next = r (1 - x + w)
 * (k1-nN-one-step-update-of-f) and x_next = x - w (4 - x) (k1-nN-lambda-change-at-zero-target), so I is kept:
 * 1.9 - x_next = (1.9 - x) + w (4 - x), both terms >= 0 on I. The paper's factor max((1 - x)^2, (1 - x/2)^4) is written
 * as two rows split by the sign of t = 1 - x + w, each statement polynomial, with a use certificate
 * (L_next = t^2 L):
 *   t >= 0: (1 - x/2)^4 L - L_next = L (b - t)(b + t), b = (1 - x/2)^2, and b - t = x^2/4 - w
 *           = eta^2 s^4 |u - v|^2 |u + v|^2 / 4 (Cauchy-Schwarz made exact: (|u|^2 + |v|^2)^2 - 4 (u.v)^2);
 *   t <= 0: (1 - x)^2 L - L_next = L w (2 x - 2 - w) = L w (-2 t) + L w^2, both terms >= 0 where t <= 0.
 * Together: L_next <= max((1 - x)^2, (1 - x/2)^4) L at every step, and lambda never grows.
 */

export interface LazyPack {
  /** Width n: parameters u1..un, v1..vn. */
  n: number;
  /** The double nearest 1/sqrt(n), as the pack's other K3 lemmas fix it. */
  s: number;
}

export function lazyEveryT({ n, s }: LazyPack) {
  const idx = Array.from({ length: n }, (_, i) => i + 1);
  const init = Object.fromEntries(idx.flatMap((i) => [`u${i}`, `v${i}`]).map((p) => [p, { min: -1, max: 1 }]));
  const sq = (op: '-' | '+') => `(${idx.map((i) => `(u${i} ${op} v${i})^2`).join(' + ')})`;
  const w = 'eta^2*s^2*f^2';
  const t = `(1 - eta*lambda + ${w})`;
  const hypotheses = {
    hyper: { eta: { min: 0.1, max: 20, scale: 'log' as const }, y: 0, s },
    init,
    where: ['eta * lambda_0 <= 1.9', 'lambda_0 >= 0.05'],
  };
  const invariant = [{ relation: 'eta * lambda <= 1.9', kept: ['1.9 - eta * lambda', `${w}*(4 - eta*lambda)`] }];
  const row = (id: string, title: string, description: string, when: string, statement: string, terms: string[]) =>
    defineLemma({
      id,
      title,
      claim: 'K3',
      provenance: 'paper-claim',
      description,
      hypotheses,
      quantifier: { kind: 'invariant', invariant, when: [when], use: [{ relation: statement, terms }] },
      statement: [statement],
      steps: 30,
      runs: 30,
      expect: 'holds',
    });
  return [
    row(
      `k3-n${n}-lazy-loss-contracts-where-the-residual-keeps-its-sign-for-every-t`,
      `n = ${n}, y = 0, eta lambda_0 <= 1.9: at every step where r keeps its sign (1 - eta lambda + eta^2 s^2 f^2 >= 0), L_next <= (1 - eta lambda/2)^4 L, for every t`,
      `K3's contraction (k3-n${n}-lazy-monotone-contraction) for every t, its (1 - x/2)^4 branch: I = {eta lambda <= 1.9} is kept
(the kernel never grows), and where t = 1 - x + w >= 0, (1 - x/2)^4 L - L_next = L (b - t)(b + t) with b - t =
eta^2 s^4 |u - v|^2 |u + v|^2 / 4 (lemmas/shared/catapult-every-t.ts). With the other branch, L_next <= max((1 - x)^2,
(1 - x/2)^4) L at every step: monotone linear convergence from every start of the regime.`,
      `${t} >= 0`,
      'L_next <= (1 - eta*lambda/2)^4 * L',
      [`L*(eta^2*s^4*${sq('-')}*${sq('+')}/4)*((1 - eta*lambda/2)^2 + ${t})`],
    ),
    row(
      `k3-n${n}-lazy-loss-contracts-where-the-residual-flips-for-every-t`,
      `n = ${n}, y = 0, eta lambda_0 <= 1.9: at every step where r changes sign (1 - eta lambda + eta^2 s^2 f^2 <= 0), L_next <= (1 - eta lambda)^2 L, for every t`,
      `K3's contraction for every t, its (1 - x)^2 branch: where t = 1 - x + w <= 0, (1 - x)^2 L - L_next = L w (2 x - 2 - w)
= L w (-2 t) + L w^2, both terms >= 0 there (lemmas/shared/catapult-every-t.ts).`,
      `${t} <= 0`,
      'L_next <= (1 - eta*lambda)^2 * L',
      // -2 t written as a sum: a product's factors are claimed one by one, and a factor -2 would fail alone.
      [`L*(${w})*(2*eta*lambda - 2 - 2*${w})`, `L*(${w})^2`],
    ),
    defineLemma({
      id: `k3-n${n}-lazy-loss-contracts-by-the-fifth-power-for-every-t`,
      title: `False variant, n = ${n}: where r keeps its sign, L_next <= (1 - eta lambda/2)^5 L`,
      claim: 'K3',
      provenance: 'variant',
      description: `The (1 - x/2)^4 branch with one more factor: at u = v (w = x^2/4) the step gives exactly
L_next = (1 - x/2)^4 L, above (1 - x/2)^5 L for 0 < x < 2, so the invariant's use obligation fails at an exact point.`,
      hypotheses,
      quantifier: { kind: 'invariant', invariant, when: [`${t} >= 0`] },
      statement: ['L_next <= (1 - eta*lambda/2)^5 * L'],
      steps: 30,
      runs: 30,
      expect: 'fails',
    }),
  ];
}

/**
 * K4's mechanism for every t: from starts in the catapult band 2 < eta lambda_0 < 4, lambda never grows and
 * eta lambda < 4 at every step. I = {eta lambda <= eta lambda_0} reads the start value lambda_0, a variable of its own
 * in the one-step claims (with the band's `where` relations over it as premises): eta lambda_0 - x_next =
 * (eta lambda_0 - x) + w (4 - x), and 4 - x > 0 on I since x <= eta lambda_0 < 4.
 */
export function catapultKernelEveryT({ n, s }: LazyPack) {
  const idx = Array.from({ length: n }, (_, i) => i + 1);
  const init = Object.fromEntries(idx.flatMap((i) => [`u${i}`, `v${i}`]).map((p) => [p, { min: -1, max: 1 }]));
  const w = 'eta^2*s^2*f^2';
  return [
    defineLemma({
      id: `k4-n${n}-catapult-lambda-never-grows-for-every-t`,
      title: `n = ${n}, y = 0, 2 < eta lambda_0 < 4: lambda_next <= lambda and eta lambda < 4 at every step, for every t`,
      claim: 'K4',
      provenance: 'paper-claim',
      description: `k4-n${n}-catapult-lambda-falls-and-stays-below-four-over-eta for every t, by the inductive invariant
eta lambda <= eta lambda_0 (a start value: lemmas/shared/catapult-every-t.ts): lambda - lambda_next = eta s^2 f^2 (4 - eta lambda)
(k1-n${n}-lambda-change-at-zero-target) is >= 0 there because eta lambda <= eta lambda_0 < 4.`,
      hypotheses: { hyper: { eta: { min: 1.5, max: 12, scale: 'log' as const }, y: 0, s }, init, where: ['eta * lambda_0 > 2', 'eta * lambda_0 < 4', 'lambda_0 >= 0.05'] },
      quantifier: {
        kind: 'invariant',
        invariant: [{ relation: 'eta * lambda <= eta * lambda_0', kept: ['eta * lambda_0 - eta * lambda', `${w}*(4 - eta*lambda)`] }],
        use: [{ relation: 'lambda_next <= lambda', terms: [`eta*s^2*f^2*(4 - eta*lambda)`] }],
      },
      statement: ['lambda_next <= lambda', 'eta * lambda < 4'],
      steps: 60,
      runs: 30,
      expect: 'holds',
    }),
    defineLemma({
      id: `k4-n${n}-catapult-kernel-below-three-and-a-half-over-eta`,
      title: `False variant, n = ${n}: eta lambda < 3.5 at every step of the catapult band`,
      claim: 'K4',
      provenance: 'variant',
      description: `The same invariant with 3.5 for 4: its use obligation fails at a point of I, with eta lambda_0 a variable there,
so the induction does not refute it and samples; a start with eta lambda_0 in (3.5, 4) fails at step 0.`,
      hypotheses: { hyper: { eta: { min: 1.5, max: 12, scale: 'log' as const }, y: 0, s }, init, where: ['eta * lambda_0 > 2', 'eta * lambda_0 < 4', 'lambda_0 >= 0.05'] },
      quantifier: { kind: 'invariant', invariant: [{ relation: 'eta * lambda <= eta * lambda_0', kept: ['eta * lambda_0 - eta * lambda', `${w}*(4 - eta*lambda)`] }] },
      statement: ['eta * lambda < 3.5'],
      steps: 60,
      runs: 30,
      expect: 'fails',
    }),
  ];
}
