import { defineLemma } from '../../src/lemma/types.js';

export default [
  defineLemma({
    id: 'd3-phi-non-increasing-when-eta-phi0-at-most-2-d4',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 2, then phi(w_{t+1}) <= phi(w_t) at every step (D = 4)',
    claim: 'D3',
    provenance: 'paper-claim',
    description: `The GFS-sharpness decrease of Kreisler, Nacson, Soudry, Carmon (ICML 2023); docs/paper.md section 5, with our hypotheses: p_0 = w1 ... w4 in (0, 1) (up to
the sign flips of an even number of weights, which L and GD commute with, this is "positive weights, loss below 1/2")
and eta phi(w_0) <= 2. The paper's exact theorem text was not reachable (docs/evidence/scalar/notes.md). Evidence: float64
(docs/evidence/scalar/e1.py, e3.py: 4000 + 6000 starts, 400-1000 steps) and 50-digit GD (docs/evidence/scalar/verify_mp.py), no
rise. Without 0 < p_0 < 1 it is FALSIFIED (d3-phi-non-increasing-without-product-condition-d4). Balanced starts (|w1| = |w2|) are excluded by the last hypothesis: on a fully balanced start phi = D at every step (w_i^2 + c = 1), so the claim holds there with equality, between two roots that are rational with denominators of hundreds of bits; the checker cannot decide that equality and would report those iterates UNDECIDED. An imbalance never closes under GD (w_i'^2 - w_j'^2 is (w_i^2 - w_j^2) times a factor), so the excluded set is invariant.`,
    hypotheses: {
      hyper: { eta: { min: 0.15, max: 0.5 } },
      init: { w1: { min: 0.1, max: 1.5 }, w2: { min: 0.1, max: 1.5 }, w3: { min: 0.1, max: 1.5 }, w4: { min: 0.1, max: 1.5 } },
      where: ['p_0 < 1', 'eta * phi_0 <= 2', 'abs(w1_0^2 - w2_0^2) >= 1/1000'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 40,
    runs: 16,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-when-eta-phi0-at-most-2-sqrt2-d4',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 2 sqrt(2), then phi(w_{t+1}) <= phi(w_t) at every step (D = 4)',
    claim: 'D3',
    provenance: 'paper-claim',
    description: `The decrease in the edge-of-stability range 2 < eta phi_0 <= 2 sqrt(2) (written eta^2 phi_0^2 <= 8). The
constant is tight for D = 2 (lemmas/scalar-d2); for D = 4 it is not: float64 scans (docs/evidence/scalar/e3.py, 6000
starts per K with eta phi_0 in [0.97 K, K], 1000 steps) found no rise up to K = 3.0 (uniform starts: 3.5) and the first rises at
K = 3.5 (log-uniform starts) (d3-phi-non-increasing-above-the-threshold-d4). Evidence, not proof. Balanced starts (|w1| = |w2|) are excluded by the last hypothesis: on a fully balanced start phi = D at every step (w_i^2 + c = 1), so the claim holds there with equality, between two roots that are rational with denominators of hundreds of bits; the checker cannot decide that equality and would report those iterates UNDECIDED. An imbalance never closes under GD (w_i'^2 - w_j'^2 is (w_i^2 - w_j^2) times a factor), so the excluded set is invariant.`,
    hypotheses: {
      hyper: { eta: { min: 0.15, max: 0.71 } },
      init: { w1: { min: 0.1, max: 1.5 }, w2: { min: 0.1, max: 1.5 }, w3: { min: 0.1, max: 1.5 }, w4: { min: 0.1, max: 1.5 } },
      where: ['p_0 < 1', 'eta * phi_0 > 2', 'eta^2 * phi_0^2 <= 8', 'abs(w1_0^2 - w2_0^2) >= 1/1000'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 40,
    runs: 16,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-without-product-condition-d4',
    title: 'Known false: eta phi(w_0) <= 2 alone (here p_0 > 1) keeps phi non-increasing (D = 4)',
    claim: 'D3',
    provenance: 'variant',
    description: `Far from the minimizers the gradient is large although eta phi_0 < 2: the first step multiplies some
imbalance by a factor below -1 (d1-exact-gd-change-of-the-invariants-d4). 50 digits (docs/evidence/scalar/cex.py):
w_0 = (1.5, 1.6, 1.4, 1.45), eta = 0.3, eta phi_0 = 1.227, p_0 = 4.87: phi rises from 4.0893 to 13.0778 at t = 0.`,
    hypotheses: {
      hyper: { eta: { min: 0.29, max: 0.31 } },
      init: { w1: { min: 1.48, max: 1.52 }, w2: { min: 1.58, max: 1.62 }, w3: { min: 1.38, max: 1.42 }, w4: { min: 1.43, max: 1.47 } },
      where: ['eta * phi_0 <= 2'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }),
  defineLemma({
    id: 'd3-phi-non-increasing-above-the-threshold-d4',
    title: 'Known false: 0 < p_0 < 1 and eta phi(w_0) <= 4.1 keep phi non-increasing (D = 4)',
    claim: 'D3',
    provenance: 'variant',
    description: `Above the numerically found threshold (between 3.0 (uniform starts: 3.5) and 3.5 (log-uniform starts) for D = 4): a start with one
tiny weight. 50 digits (docs/evidence/scalar/cex.py): w_0 = (1.9599, 0.0113, 0.4271, 1.9463), eta = 0.4447, p_0 = 0.0184, eta phi_0 = 3.999: phi rises from 8.99250 to 9.38795 at t = 0.`,
    hypotheses: {
      hyper: { eta: { min: 0.4442, max: 0.4452 } },
      init: { w1: { min: 1.9594, max: 1.9604 }, w2: { min: 0.0108, max: 0.0118 }, w3: { min: 0.4266, max: 0.4276 }, w4: { min: 1.9458, max: 1.9468 } },
      where: ['p_0 < 1', 'eta * phi_0 <= 4.1'],
    },
    quantifier: { kind: 'every-step' },
    statement: 'phi_next <= phi',
    steps: 5,
    runs: 10,
    expect: 'fails',
  }),
];
