import { defineLemma } from '../../src/lemma/types.js';

export default [
  defineLemma({
    id: 'd3-phi-non-increasing-when-eta-phi0-at-most-2-d3',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 2, then phi(w_{t+1}) <= phi(w_t) at every step (D = 3)',
    claim: 'D3',
    provenance: 'paper-claim',
    description: `The GFS-sharpness decrease of Kreisler, Nacson, Soudry, Carmon (ICML 2023); docs/paper.md section 5, with our hypotheses: p_0 = w1 ... w3 in (0, 1) (up to
the sign flips of an even number of weights, which L and GD commute with, this is "positive weights, loss below 1/2")
and eta phi(w_0) <= 2. The paper's exact theorem text was not reachable (docs/evidence/scalar/notes.md). Evidence: float64
(docs/evidence/scalar/e1.py, e3.py: 4000 + 6000 starts, 400-1000 steps) and 50-digit GD (docs/evidence/scalar/verify_mp.py), no
rise. Without 0 < p_0 < 1 it is FALSIFIED (d3-phi-non-increasing-without-product-condition-d3). Balanced starts (|w1| = |w2|) are excluded by the last hypothesis: on a fully balanced start phi = D at every step (w_i^2 + c = 1), so the claim holds there with equality, between two roots that are rational with denominators of hundreds of bits; the checker cannot decide that equality and would report those iterates UNDECIDED. An imbalance never closes under GD (w_i'^2 - w_j'^2 is (w_i^2 - w_j^2) times a factor), so the excluded set is invariant.`,
    hypotheses: {
      hyper: { eta: { min: 0.2, max: 0.66 } },
      init: { w1: { min: 0.1, max: 1.5 }, w2: { min: 0.1, max: 1.5 }, w3: { min: 0.1, max: 1.5 } },
      where: ['p_0 < 1', 'eta * phi_0 <= 2', 'abs(w1_0^2 - w2_0^2) >= 1/1000'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 40,
    runs: 16,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-when-eta-phi0-at-most-2-sqrt2-d3',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 2 sqrt(2), then phi(w_{t+1}) <= phi(w_t) at every step (D = 3)',
    claim: 'D3',
    provenance: 'paper-claim',
    description: `The decrease in the edge-of-stability range 2 < eta phi_0 <= 2 sqrt(2) (written eta^2 phi_0^2 <= 8). The
constant is tight for D = 2 (lemmas/scalar-d2); for D = 3 it is not: float64 scans (docs/evidence/scalar/e3.py, 6000
starts per K with eta phi_0 in [0.97 K, K], 1000 steps) found no rise up to K = 3.0 and the first rises at
K = 3.2 (d3-phi-non-increasing-above-the-threshold-d3). Evidence, not proof. Balanced starts (|w1| = |w2|) are excluded by the last hypothesis: on a fully balanced start phi = D at every step (w_i^2 + c = 1), so the claim holds there with equality, between two roots that are rational with denominators of hundreds of bits; the checker cannot decide that equality and would report those iterates UNDECIDED. An imbalance never closes under GD (w_i'^2 - w_j'^2 is (w_i^2 - w_j^2) times a factor), so the excluded set is invariant.`,
    hypotheses: {
      hyper: { eta: { min: 0.2, max: 0.94 } },
      init: { w1: { min: 0.1, max: 1.5 }, w2: { min: 0.1, max: 1.5 }, w3: { min: 0.1, max: 1.5 } },
      where: ['p_0 < 1', 'eta * phi_0 > 2', 'eta^2 * phi_0^2 <= 8', 'abs(w1_0^2 - w2_0^2) >= 1/1000'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 40,
    runs: 16,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-without-product-condition-d3',
    title: 'Known false: eta phi(w_0) <= 2 alone (here p_0 > 1) keeps phi non-increasing (D = 3)',
    claim: 'D3',
    provenance: 'variant',
    description: `Far from the minimizers the gradient is large although eta phi_0 < 2: the first step multiplies some
imbalance by a factor below -1 (d1-exact-gd-change-of-the-invariants-d3). 50 digits (docs/evidence/scalar/cex.py):
w_0 = (1.5, 1.6, 1.4), eta = 0.55, eta phi_0 = 1.700, p_0 = 3.36: phi rises from 3.0915 to 3.7356 at t = 0 and GD diverges.`,
    hypotheses: {
      hyper: { eta: { min: 0.54, max: 0.56 } },
      init: { w1: { min: 1.48, max: 1.52 }, w2: { min: 1.58, max: 1.62 }, w3: { min: 1.38, max: 1.42 } },
      where: ['eta * phi_0 <= 2'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-above-the-threshold-d3',
    title: 'Known false: 0 < p_0 < 1 and eta phi(w_0) <= 3.5 keep phi non-increasing (D = 3)',
    claim: 'D3',
    provenance: 'variant',
    description: `Above the numerically found threshold (between 3.0 and 3.2 for D = 3): a start with one
tiny weight. 50 digits (docs/evidence/scalar/cex.py): w_0 = (0.3111, 0.0111, 4.7967), eta = 0.3217, p_0 = 0.0166, eta phi_0 = 3.194: phi rises from 9.92798 to 10.07839 at t = 0.`,
    hypotheses: {
      hyper: { eta: { min: 0.3212, max: 0.3222 } },
      init: { w1: { min: 0.3106, max: 0.3116 }, w2: { min: 0.0106, max: 0.0116 }, w3: { min: 4.7962, max: 4.7972 } },
      where: ['p_0 < 1', 'eta * phi_0 <= 3.5'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-when-eta-s0-at-most-2-d3',
    title: 'Known false: the condition on the sharpness, 0 < p_0 < 1 and eta S(w_0) <= 2, keeps phi non-increasing (D = 3)',
    claim: 'D3',
    provenance: 'variant',
    description: `The classical condition on the current sharpness S instead of phi: from small weights S_0 is far below
phi_0. 50 digits (docs/evidence/scalar/cex.py): w_0 = (0.5, 0.4, 0.3), eta = 2, eta S_0 = 0.976, eta phi_0 = 6.013: phi rises from 3.0000475 to 3.0082281 at t = 2.`,
    hypotheses: {
      hyper: { eta: { min: 1.98, max: 2 } },
      init: { w1: { min: 0.495, max: 0.505 }, w2: { min: 0.395, max: 0.405 }, w3: { min: 0.295, max: 0.305 } },
      where: ['p_0 < 1'],
    },
    quantifier: { kind: 'every-step', when: 'eta * S_0 <= 2' },
    statement: 'phi_next <= phi',
    steps: 6,
    runs: 10,
    expect: 'fails',
  }),
];
