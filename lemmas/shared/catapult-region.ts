import { defineLemma, type Draw, type Hypotheses, type LemmaSpec } from '../../src/lemma/types.js';

/*
 * The region versions of the catapult packs' one-step facts (issue 23 item 6), shared by catapult-n2 and -n3: the
 * sampled lemmas' hyperparameters and their box of starts u, v in [-1, 1]^n as the region of states
 * (hypotheses.params), the sampled lemmas' `where` on the start restated as premises on the state. The region
 * prover (src/check/region-prove.ts) decides such a lemma box by box and writes a certificate that
 * `eos-check check-certificate` re-checks. The lemmas of both packs are written once here for a given n (their
 * ids, titles and descriptions name it): each pack's k3/k4/k5 region file exports one group of
 * catapultRegionLemmas(n). Scale-free variables: x = eta lambda, w = eta^2 s^2 f^2 (y = 0); r_next / r = 1 - x + w,
 * x_next = x - w (4 - x).
 */

/** s = 1/sqrt(n), the double nearest, as the sampled lemmas fix it. */
export const S_OF_N: Record<number, number> = { 2: 0.7071067811865476, 3: 0.5773502691896258 };

/** The box u, v in [-1, 1]^n. */
export function unitBox(n: number): Record<string, Draw> {
  const out: Record<string, Draw> = {};
  for (const p of ['u', 'v']) for (let i = 1; i <= n; i++) out[`${p}${i}`] = { min: -1, max: 1 };
  return out;
}

/** The region: eta in [lo, hi], y = 0, s = 1/sqrt(n), u, v in [-1, 1]^n. */
export function catapultRegion(n: number, eta: { min: number; max: number }): Hypotheses {
  return { hyper: { eta, y: 0, s: S_OF_N[n]! }, params: unitBox(n) };
}

/** The lazy band of k3 (eta lambda < 2, lambda >= 0.05 keeps away from u = v = 0, as the sampled starts). */
export const LAZY = ['eta * lambda < 2', 'lambda >= 0.05'];
/** The catapult band of k4. */
export const BAND = ['eta * lambda > 2', 'eta * lambda < 4', 'lambda >= 0.05'];
/** The divergent band of k5 (eta lambda < 8 as the sampled starts). */
export const DIVERGENT = ['eta * lambda > 4', 'eta * lambda < 8', 'lambda >= 0.05'];

interface RegionFields {
  id: string;
  title: string;
  claim: string;
  provenance: LemmaSpec['provenance'];
  description: string;
  statement: string | string[];
  expect: LemmaSpec['expect'];
}

/** An identity over the region under the premises `when` (the fields in the order every lemma file writes them). */
function regionLemma(region: Hypotheses, when: string[], f: RegionFields): LemmaSpec {
  const { id, title, claim, provenance, description, statement, expect } = f;
  return defineLemma({ id, title, claim, provenance, description, hypotheses: region, quantifier: { kind: 'identity', when }, statement, expect });
}

/**
 * The region versions of the one-step facts of k3-lazy-regime.ts, k4-catapult-regime.ts and k5-divergence-regime.ts
 * for n = 2 or 3: each group's sampled eta range and box of starts u, v in [-1, 1]^n as the region of states, their
 * `where` on the start (LAZY, BAND, DIVERGENT) as premises on the state. Each pack's k3/k4/k5 region file exports
 * one group.
 */
export function catapultRegionLemmas(n: number): { k3: LemmaSpec[]; k4: LemmaSpec[]; k5: LemmaSpec[] } {
  const lazy = catapultRegion(n, { min: 0.1, max: 20 });
  const band = catapultRegion(n, { min: 1.5, max: 12 });
  const divergent = catapultRegion(n, { min: 3, max: 30 });
  const nearMinimizers = 'eta^2 * s^2 * f^2 <= eta * lambda - 3';
  return {
    k3: [
      regionLemma(lazy, LAZY, {
        id: `k3-n${n}-region-lambda-never-grows-in-the-lazy-band`,
        title: `n = ${n}, y = 0, over the box of states: if eta lambda < 2 then lambda_next <= lambda`,
        claim: 'K3',
        provenance: 'derived',
        description: `The one-step fact behind "lambda never grows" of k3-n${n}-lazy-monotone-contraction, proved over u, v in
[-1, 1]^${n}, eta in [0.1, 20] wherever eta lambda < 2 and lambda >= 0.05: lambda - lambda_next = eta s^2 f^2 (4 - eta lambda).
Tight wherever f = 0; the factored rung sees the square f^2 and ties 4 - eta lambda to the premise eta lambda < 2
(4 - eta lambda > 2 there).`,
        statement: 'lambda_next <= lambda',
        expect: 'holds',
      }),
      regionLemma(lazy, LAZY, {
        id: `k3-n${n}-region-lambda-next-above-lambda-times-0-999-is-false`,
        title: 'Known false, a constant just past the truth: if eta lambda < 2 then lambda_next <= 0.999 lambda',
        claim: 'K3',
        provenance: 'variant',
        description: `lambda_next = lambda exactly where f = 0 (k3-n${n}-region-lambda-never-grows-in-the-lazy-band is tight there),
so no factor below 1 holds. The region prover must find an exact point of the box where the premises hold and
lambda_next > 0.999 lambda.`,
        statement: 'lambda_next <= 0.999 * lambda',
        expect: 'fails',
      }),
      regionLemma(lazy, LAZY, {
        id: `k3-n${n}-region-contraction-factor-times-0-999-is-false`,
        title: 'Known false, a constant just past the truth: if eta lambda < 2 then L_next <= 0.999 max((1 - eta lambda)^2, (1 - eta lambda/2)^4) L',
        claim: 'K3',
        provenance: 'variant',
        description: `The contraction factor of k3-n${n}-lazy-monotone-contraction is attained at u = v (w = x^2/4) wherever the second
branch is the max (x below 4 - 2 sqrt 2): 0.999 times it fails there. The region prover must find such a point.`,
        statement: 'L_next <= 0.999 * max((1 - eta * lambda)^2, (1 - eta * lambda / 2)^4) * L',
        expect: 'fails',
      }),
    ],
    k4: [
      regionLemma(band, BAND, {
        id: `k4-n${n}-region-lambda-falls-in-the-band`,
        title: `n = ${n}, y = 0, over the box of states: if 2 < eta lambda < 4 then lambda_next <= lambda and eta lambda_next < 4`,
        claim: 'K4',
        provenance: 'derived',
        description: `The one-step fact behind k4-n${n}-catapult-lambda-falls-and-stays-below-four-over-eta, proved over u, v in
[-1, 1]^${n}, eta in [1.5, 12] wherever 2 < eta lambda < 4 (and lambda >= 0.05, as the sampled starts):
lambda - lambda_next = eta s^2 f^2 (4 - eta lambda) and 4 - eta lambda_next = (4 - eta lambda)(1 + eta^2 s^2 f^2). Both are
tight (at f = 0, and as eta lambda -> 4); the factored rung sees the squares and ties 4 - eta lambda to the premise.`,
        statement: ['lambda_next <= lambda', 'eta * lambda_next < 4'],
        expect: 'holds',
      }),
      regionLemma(band, [...BAND, 'f^2 > 0', 'eta^2 * s^2 * f^2 < eta * lambda - 2'], {
        id: `k4-n${n}-region-loss-rises-iff-w-below-x-minus-two`,
        title: `n = ${n}, y = 0, over the box of states: if 2 < eta lambda < 4, f != 0 and eta^2 s^2 f^2 < eta lambda - 2, then L_next > L`,
        claim: 'K4',
        provenance: 'derived',
        description: `Region version of k4-n${n}-loss-rises-iff-w-below-x-minus-two: L_next - L = (f^2/2) (w - x) (w - x + 2); the
premises give f^2 > 0 and w - x + 2 < 0, hence w - x < -2: every factor's sign is tied to a premise.`,
        statement: 'L_next > L',
        expect: 'holds',
      }),
      regionLemma(band, [...BAND, 'eta^2 * s^2 * f^2 >= eta * lambda - 2.01'], {
        id: `k4-n${n}-region-loss-falls-if-w-at-least-x-minus-two-hundredths-past-is-false`,
        title: 'Known false, a constant just past the truth: if 2 < eta lambda < 4 and eta^2 s^2 f^2 >= eta lambda - 2.01, then L_next <= L',
        claim: 'K4',
        provenance: 'variant',
        description: `The threshold x - 2 of k4-n${n}-loss-falls-if-w-at-least-x-minus-two is exact: for x - 2.01 <= w < x - 2 the loss
rises (|1 - x + w| > 1). The region prover must find an exact point of the box where the premises hold and L_next > L.`,
        statement: 'L_next <= L',
        expect: 'fails',
      }),
      regionLemma(band, BAND, {
        id: `k4-n${n}-region-eta-lambda-next-below-3-99-is-false`,
        title: 'Known false, a constant just past the truth: if 2 < eta lambda < 4 then eta lambda_next < 3.99',
        claim: 'K4',
        provenance: 'variant',
        description: `eta lambda_next = x - w (4 - x) comes as close to 4 as x does where f is small: the bound 4 of
k4-n${n}-region-lambda-falls-in-the-band cannot be lowered. A point with eta lambda_next >= 3.99 lies in a shell of relative
width 0.25% of the band, which the box centres miss; the witness search after the region prover finds one.`,
        statement: 'eta * lambda_next < 3.99',
        expect: 'fails',
      }),
    ],
    k5: [
      regionLemma(divergent, DIVERGENT, {
        id: `k5-n${n}-region-lambda-grows-above-four-over-eta`,
        title: `n = ${n}, y = 0, over the box of states: if 4 < eta lambda < 8 then lambda_next >= lambda and eta lambda_next > 4`,
        claim: 'K5',
        provenance: 'derived',
        description: `The one-step fact behind k5-n${n}-lambda-never-falls-above-four-over-eta, proved over u, v in [-1, 1]^${n},
eta in [3, 30] wherever 4 < eta lambda < 8 (and lambda >= 0.05): lambda_next - lambda = eta s^2 f^2 (eta lambda - 4) and
eta lambda_next - 4 = (eta lambda - 4)(1 + eta^2 s^2 f^2), tight at f = 0 and as eta lambda -> 4.`,
        statement: ['lambda_next >= lambda', 'eta * lambda_next > 4'],
        expect: 'holds',
      }),
      regionLemma(divergent, [...DIVERGENT, nearMinimizers], {
        id: `k5-n${n}-region-loss-at-least-quadruples-near-minimizers`,
        title: `n = ${n}, y = 0, over the box of states: if 4 < eta lambda < 8 and eta^2 s^2 f^2 <= eta lambda - 3, then L_next >= 4 L`,
        claim: 'K5',
        provenance: 'derived',
        description: `Region version of k5-n${n}-loss-at-least-quadruples-near-minimizers: L_next - 4 L = (f^2/2) (w - x - 1) (w - x + 3)
and the premise w <= x - 3 ties both factors (w - x + 3 <= 0, w - x - 1 <= -4).`,
        statement: 'L_next >= 4 * L',
        expect: 'holds',
      }),
      regionLemma(divergent, [...DIVERGENT, nearMinimizers], {
        id: `k5-n${n}-region-loss-at-least-4-01-times-is-false`,
        title: 'Known false, a constant just past the truth: if 4 < eta lambda < 8 and eta^2 s^2 f^2 <= eta lambda - 3, then L_next >= 4.01 L',
        claim: 'K5',
        provenance: 'variant',
        description: `The factor 4 of k5-n${n}-region-loss-at-least-quadruples-near-minimizers is attained at w = x - 3
((1 - x + w)^2 = 4). The region prover must find an exact point of the box where the premises hold and L_next < 4.01 L.`,
        statement: 'L_next >= 4.01 * L',
        expect: 'fails',
      }),
    ],
  };
}

/**
 * The catapult packs' true one-step facts the region prover leaves UNDECIDED (lemmas/region-undecided/, outside the
 * catalogues), written once for a width n; `open` is each lemma's measured open share of the region's volume at the
 * default budget, as the pack's file states it (test/check/region-undecided.test.ts holds the prover to it).
 */
export function undecidedRegionLemmas(n: number, open: { contraction: string; band: string; falls: string }): LemmaSpec[] {
  return [
    defineLemma({
      id: `k3-n${n}-region-lazy-contraction`,
      title: `n = ${n}, y = 0, over the box of states: if eta lambda < 2 then L_next <= max((1 - eta lambda)^2, (1 - eta lambda/2)^4) L`,
      claim: 'K3',
      provenance: 'derived',
      description: `The contraction of k3-n${n}-lazy-monotone-contraction at every state of u, v in [-1, 1]^${n}, eta in [0.1, 20] with
eta lambda < 2, lambda >= 0.05. UNDECIDED: the factor is attained on the whole set u = v where the second branch is
the max (eta lambda < 4 - 2 sqrt 2), a set of codimension ${n} inside the region, and no enclosure of the max decides a box that
meets it; the boxes around it stay open. Measured at the default budget of 20000 boxes: ${open.contraction} of the region's volume
stays open.`,
      hypotheses: catapultRegion(n, { min: 0.1, max: 20 }),
      quantifier: { kind: 'identity', when: LAZY },
      statement: 'L_next <= max((1 - eta * lambda)^2, (1 - eta * lambda / 2)^4) * L',
      expect: 'holds',
    }),
    defineLemma({
      id: `k3-n${n}-region-stays-in-the-lazy-band`,
      title: `n = ${n}, y = 0, over the box of states: if eta lambda < 2 then eta lambda_next < 2`,
      claim: 'K3',
      provenance: 'derived',
      description: `The third statement of k3-n${n}-lazy-monotone-contraction, one step at a time, over u, v in [-1, 1]^${n},
eta in [0.1, 20]: 2 - eta lambda_next = (2 - eta lambda) + w (4 - eta lambda) > 0. UNDECIDED: the sum is tight where
eta lambda -> 2 and f -> 0 together, and it does not factor, so the premise's sign cannot be carried into it. Measured at the default budget of 20000 boxes: ${open.band} of the
region's volume stays open.`,
      hypotheses: catapultRegion(n, { min: 0.1, max: 20 }),
      quantifier: { kind: 'identity', when: LAZY },
      statement: 'eta * lambda_next < 2',
      expect: 'holds',
    }),
    defineLemma({
      id: `k4-n${n}-region-loss-falls-if-w-at-least-x-minus-two`,
      title: `n = ${n}, y = 0, over the box of states: if 2 < eta lambda < 4 and eta^2 s^2 f^2 >= eta lambda - 2, then L_next <= L`,
      claim: 'K4',
      provenance: 'derived',
      description: `Region version of k4-n${n}-loss-falls-if-w-at-least-x-minus-two over u, v in [-1, 1]^${n}, eta in [1.5, 12]:
L_next - L = (f^2/2) (w - x) (w - x + 2); the premise gives w - x + 2 >= 0, and w - x < 0 holds because w <= x^2/4 < x
(Cauchy-Schwarz), which no premise states. UNDECIDED: w - x tends to 0 at u = v, eta lambda -> 4, where the boxes stay open. Measured at the
default budget of 20000 boxes: ${open.falls} of the region's volume stays open.`,
      hypotheses: catapultRegion(n, { min: 1.5, max: 12 }),
      quantifier: { kind: 'identity', when: [...BAND, 'eta^2 * s^2 * f^2 >= eta * lambda - 2'] },
      statement: 'L_next <= L',
      expect: 'holds',
    }),
  ];
}
