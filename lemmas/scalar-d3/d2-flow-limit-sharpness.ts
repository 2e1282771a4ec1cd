import { defineLemma } from '../../src/lemma/types.js';

export default [
  defineLemma({
    id: 'd2-phi-is-flow-limit-sharpness-d3',
    title: 'phi(w) = sum_i 1/(w_i^2 + c) is the top Hessian eigenvalue at the gradient-flow limit from w (D = 3)',
    claim: 'D2',
    provenance: 'derived',
    description: `Gradient flow conserves every w_i^2 - w_j^2 (d1-balance-identity-d3) and p increases to 1 (dp/dt = (1 - p)
sum_i (p/w_i)^2), so the limit s has s_i^2 = w_i^2 + c with prod_i (w_i^2 + c) = 1; the Hessian there is g g^T with
g_i = 1/s_i, top eigenvalue sum_i 1/s_i^2 = phi (Kreisler, Nacson, Soudry, Carmon (ICML 2023); docs/paper.md section 5). Sampled: the checker encloses the gradient-flow limit from each exact start rigorously (validated Taylor integration,
the Lyapunov tail, Krawczyk on the conserved quantities; src/dynamics/flow-enclosure.ts) and S_flow by a certified
eigenvalue enclosure over the limit box, so each draw's comparison is decided like any other iterate;
tolerances (from an earlier float integrator, kept) 1e-6 relative for S, 1e-8 for the invariants and the product. Positive starts away from 0 (the flow from a
start with two small weights passes near the saddles where two weights vanish and takes long). Our check
(docs/evidence/scalar/flow.py, RK4, 150 starts with 0 < p_0 < 1 and 150 in [-2, 2]^3, all converged): max
|S_flow - phi(w_0)|/phi(w_0) = 1.6e-9, drift of the invariants <= 2.9e-9.`,
    hypotheses: { hyper: { eta: 1 }, init: { w1: { min: 0.4, max: 1.6 }, w2: { min: 0.4, max: 1.6 }, w3: { min: 0.4, max: 1.6 } } },
    quantifier: { kind: 'flow-limit' },
    statement: [
      'abs(S_flow - phi_0) <= 1e-6 * phi_0',
      'abs((w1_flow^2 - w2_flow^2) - (w1_0^2 - w2_0^2)) <= 1e-8',
      'abs(p_flow - 1) <= 1e-8',
    ],
    runs: 6,
    expect: 'holds',
  }),
];
