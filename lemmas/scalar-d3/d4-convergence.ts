import { defineLemma } from '../../src/lemma/types.js';

export default [
  defineLemma({
    id: 'd4-gd-converges-below-the-edge-d3',
    title: 'If 0 < p_0 < 1 and eta phi(w_0) <= 1.9, GD reaches L <= 1e-20 by T = 400 with phi_T <= phi_0 and eta S_T <= 2 (D = 3)',
    claim: 'D4',
    provenance: 'paper-claim',
    description: `Convergence under the step-size condition, as a finite-horizon proxy: phi is non-increasing
(d3-phi-non-increasing-when-eta-phi0-at-most-2-d3) and the sharpness at the limit is phi there, so eta S < 2 near
the limit. eta >= 0.2 keeps the linear rate away from 1 (phi >= 3 at a minimizer, AM-GM). Evidence
(docs/evidence/scalar/e4.py, float64, 2000 starts with eta phi_0 in [0.5, 1.9], 3000 steps): max L_T = 2.5e-30,
eta S_T in [0.498, 1.889]. Starts with weights >= 0.3 (a tiny weight makes the early phase long).`,
    hypotheses: {
      hyper: { eta: { min: 0.2, max: 0.66 } },
      init: { w1: { min: 0.3, max: 1.4 }, w2: { min: 0.3, max: 1.4 }, w3: { min: 0.3, max: 1.4 } },
      where: ['p_0 < 1', 'eta * phi_0 <= 1.9'],
    },
    quantifier: { kind: 'at-end' },
    statement: ['L <= 1e-20', 'phi <= phi_0', 'eta * S <= 2'],
    steps: 400,
    runs: 16,
    expect: 'holds',
  }),
  defineLemma({
    id: 'd4-gd-converges-in-the-eos-range-d3',
    title: 'If 0 < p_0 < 1, 2 < eta phi(w_0) <= 2.8 and eta 3 <= 1.9, GD converges (L_T <= 1e-8 at T = 3000) with eta S_T <= 2 (D = 3)',
    claim: 'D4',
    provenance: 'paper-claim',
    description: `Above the classical step size phi still decreases until the flow-limit sharpness is below 2/eta, and GD
converges to a stable minimizer. A minimizer with eta S <= 2 exists only if eta D <= 2 (phi >= D there), hence
eta <= 1.9/3. Evidence (docs/evidence/scalar/e4.py, float64, 943 starts with eta phi_0 in [2.05, 2.8], 3000 steps):
max L_T = 2.8e-25, eta S_T in [1.097, 1.991]; the limit is not pinned at the edge. Horizon T = 3000 and tolerance 1e-8 (ours: the slowest float64 run had L_3000 = 2.4e-10 for D = 4).`,
    hypotheses: {
      hyper: { eta: { min: 0.5, max: 0.6333 } },
      init: { w1: { min: 0.3, max: 1.4 }, w2: { min: 0.3, max: 1.4 }, w3: { min: 0.3, max: 1.4 } },
      where: ['p_0 < 1', 'eta * phi_0 > 2', 'eta * phi_0 <= 2.8'],
    },
    quantifier: { kind: 'at-end' },
    statement: ['L <= 1e-8', 'eta * S <= 2'],
    steps: 3000,
    runs: 16,
    expect: 'holds',
  }),
];
