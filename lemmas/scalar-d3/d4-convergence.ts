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
    id: 'd4-gd-converges-by-t-unless-near-the-edge-d3',
    title: 'If 0 < p_0 < 1, 2 < eta phi(w_0) <= 2.8 and eta 3 <= 1.9: at T = 3000, L_T <= 1e-8 unless eta phi(w_T) >= 1.9, and phi(w_T) <= phi(w_0) (D = 3)',
    claim: 'D4',
    provenance: 'paper-claim',
    description: `The paper's "GD converges to the edge of stability" at a finite horizon. Above the classical step size phi still
decreases (d3) until the flow-limit sharpness is below 2/eta, and GD converges to a stable minimizer; there the loss
contracts by about (1 - eta S)^2 per step, which is close to 1 when the limit is near the edge. The limit's eta S can
be anywhere up to 2, so no horizon gives every start a small loss: The first version claimed L_T <= 1e-8 at T = 3000 for every start here and was FALSIFIED at budget 30 (a counterexample certified on the true orbit). Stated
here as what does hold at T: the loss is small unless eta phi_T is still within 5% of the edge (min(a, b) <= 0 is
"a <= 0 or b <= 0"), and phi has not grown. eta phi_T <= 2 is not claimed: a start near a minimizer with eta phi_0
just above 2 is still above it at T. A minimizer with eta S <= 2 exists only if eta D <= 2 (phi >= D there, AM-GM),
hence eta 3 <= 1.9. Float64 exploration (docs/evidence/scalar/d4-restated.mjs, 150,000 draws, 28,763 inside, T = 3000): no start
with L_T > 1e-8 has eta phi_T below 1.998; where eta phi_T < 1.9 the largest L_T is 8.9e-30; the largest eta phi_T
is 1.99999.`,
    hypotheses: {
      hyper: { eta: { min: 0.5, max: 0.6333 } },
      init: { w1: { min: 0.3, max: 1.4 }, w2: { min: 0.3, max: 1.4 }, w3: { min: 0.3, max: 1.4 } },
      where: ['p_0 < 1', 'eta * phi_0 > 2', 'eta * phi_0 <= 2.8'],
    },
    quantifier: { kind: 'at-end' },
    statement: ['min(L - 1e-8, 1.9 - eta * phi) <= 0', 'phi <= phi_0'],
    steps: 3000,
    runs: 16,
    expect: 'holds',
  }),
];
