import { defineLemma } from '../../src/lemma/types.js';

export default [
  defineLemma({
    id: 'd3-phi-non-increasing-when-eta-phi0-at-most-2-d2',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 2, then phi(w_{t+1}) <= phi(w_t) at every step (D = 2)',
    claim: 'D3',
    provenance: 'paper-claim',
    description: `The GFS-sharpness decrease of Kreisler, Nacson, Soudry, Carmon (ICML 2023) with our hypotheses: the product
p_0 = w1 w2 in (0, 1) (up to the sign symmetry w -> -w of L and of GD, this is "both weights positive, loss below
1/2") and eta phi(w_0) <= 2. The paper's exact theorem text was not reachable (docs/evidence/scalar/notes.md). Why these
hypotheses: by d1-exact-gd-change-of-the-invariant-d2 a step raises phi = sqrt((w1^2 - w2^2)^2 + 4) iff
eta |p_t - 1| > sqrt(2); at t = 0, |p_0 - 1| < 1 and eta <= 2/phi_0 <= 1 give eta |p_0 - 1| < 1. Dropping 0 < p_0 < 1
is FALSIFIED (d3-phi-non-increasing-without-product-condition-d2). Evidence for every t: 50-digit GD
(docs/evidence/scalar/verify_mp.py, 120 starts, 800 steps, eta phi_0 in [1, 2]) and float64 (8000 starts, 1000 steps), no
rise. Balanced starts (|w1| = |w2|) are excluded by the last hypothesis: on a fully balanced start phi = D at every step (w_i^2 + c = 1), so the claim holds there with equality, between two roots that are rational with denominators of hundreds of bits; the checker cannot decide that equality and would report those iterates UNDECIDED. An imbalance never closes under GD (w_i'^2 - w_j'^2 is (w_i^2 - w_j^2) times a factor), so the excluded set is invariant.`,
    hypotheses: {
      hyper: { eta: { min: 0.3, max: 1 } },
      init: { w1: { min: 0.05, max: 1.6 }, w2: { min: 0.05, max: 1.6 } },
      where: ['p_0 < 1', 'eta * phi_0 <= 2', 'abs(w1_0^2 - w2_0^2) >= 1/1000'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 40,
    runs: 16,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-when-eta-phi0-at-most-2-sqrt2-d2',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 2 sqrt(2), then phi(w_{t+1}) <= phi(w_t) at every step (D = 2)',
    claim: 'D3',
    provenance: 'paper-claim',
    description: `The same decrease past the classical step size, in the edge-of-stability range 2 < eta phi_0 <= 2 sqrt(2)
(written eta^2 phi_0^2 <= 8, exact). The constant 2 sqrt(2) is tight for D = 2: near w = 0 (p_0 -> 0, phi_0 -> 2)
the first step raises phi iff eta (1 - p_0) > sqrt(2), i.e. about eta phi_0 > 2 sqrt(2); see
d3-phi-non-increasing-slightly-above-2-sqrt2-d2. That later steps keep eta |p_t - 1| <= sqrt(2) is evidence, not
proof: 50-digit GD, 120 starts, 800 steps, eta phi_0 in [2, 2 sqrt 2], no rise; float64, 6000 starts with eta phi_0 in
[0.97 K, K], K = 2.6 ... 2.83, 1000 steps, no rise; at K = 2.9, 208 of 6000 rose. Balanced starts (|w1| = |w2|) are excluded by the last hypothesis: on a fully balanced start phi = D at every step (w_i^2 + c = 1), so the claim holds there with equality, between two roots that are rational with denominators of hundreds of bits; the checker cannot decide that equality and would report those iterates UNDECIDED. An imbalance never closes under GD (w_i'^2 - w_j'^2 is (w_i^2 - w_j^2) times a factor), so the excluded set is invariant.`,
    hypotheses: {
      hyper: { eta: { min: 1, max: 1.4142 } },
      init: { w1: { min: 0.02, max: 1.2 }, w2: { min: 0.02, max: 1.2 } },
      where: ['p_0 < 1', 'eta^2 * phi_0^2 <= 8', 'abs(w1_0^2 - w2_0^2) >= 1/1000'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 40,
    runs: 16,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-without-product-condition-d2',
    title: 'Known false: eta phi(w_0) <= 2 alone (here p_0 > 1) keeps phi non-increasing (D = 2)',
    claim: 'D3',
    provenance: 'variant',
    description: `phi is the sharpness of the flow's limit, not of the current point: far from the minimizers (p_0 = 4)
the gradient is large and eta |p_0 - 1| > sqrt(2) although eta phi_0 < 2, so the first step multiplies the imbalance
by |1 - eta^2 (p_0 - 1)^2| > 1 (d1-exact-gd-change-of-the-invariant-d2). 50 digits: w_0 = (2, 2.05), eta = 0.9,
eta phi_0 = 1.809, phi rises from 2.0102 to 2.4264 at t = 0 and GD diverges.`,
    hypotheses: {
      hyper: { eta: { min: 0.8, max: 0.95 } },
      init: { w1: { min: 1.9, max: 2.1 }, w2: { min: 1.9, max: 2.1 } },
      where: ['eta * phi_0 <= 2'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-slightly-above-2-sqrt2-d2',
    title: 'Known false: 0 < p_0 < 1 and eta phi(w_0) <= 2.95 keep phi non-increasing (D = 2)',
    claim: 'D3',
    provenance: 'variant',
    description: `Just past the constant of d3-phi-non-increasing-when-eta-phi0-at-most-2-sqrt2-d2: small weights (phi_0 near
2) and eta near 1.45 give eta (1 - p_0) > sqrt(2) at t = 0. 50 digits: w_0 = (0.1, 0.2), eta = 1.45,
eta phi_0 = 2.9003, phi rises from 2.000224987 to 2.000233728 at t = 0.`,
    hypotheses: {
      hyper: { eta: { min: 1.44, max: 1.46 } },
      init: { w1: { min: 0.05, max: 0.15 }, w2: { min: 0.15, max: 0.25 } },
      where: ['p_0 < 1', 'eta * phi_0 <= 2.95'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-when-eta-s0-at-most-2-d2',
    title: 'Known false: the condition on the sharpness, 0 < p_0 < 1 and eta S(w_0) <= 2, keeps phi non-increasing (D = 2)',
    claim: 'D3',
    provenance: 'variant',
    description: `The classical condition on the current sharpness S (top Hessian eigenvalue) instead of phi: from small
weights S_0 is far below phi_0 (progressive sharpening lies ahead), so eta S_0 <= 2 allows eta phi_0 near 4.
50 digits: w_0 = (0.5, 0.2), eta = 2, eta S_0 = 1.904, eta phi_0 = 4.022, phi rises from 2.01099 to 2.05457 at t = 0;
also w_0 = (0.5, 0.2), eta = 1.6 (eta S_0 = 1.523): 2.01099 to 2.01267.`,
    hypotheses: {
      hyper: { eta: { min: 1.5, max: 2 } },
      init: { w1: { min: 0.4, max: 0.6 }, w2: { min: 0.1, max: 0.3 } },
      where: ['p_0 < 1'],
    },
    quantifier: { kind: 'every-step', when: 'eta * S_0 <= 2' },
    statement: 'phi_next <= phi',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }),
];
