import { defineLemma } from '../../src/lemma/types.js';

export default [
  defineLemma({
    id: 'd2-phi-is-flow-limit-sharpness-d2',
    title: 'phi(w) = sum_i 1/(w_i^2 + c) is the top Hessian eigenvalue at the gradient-flow limit from w (D = 2)',
    claim: 'D2',
    provenance: 'derived',
    description: `Gradient flow conserves w1^2 - w2^2 (d1-balance-identity-d2) and p increases to 1 (dp/dt = (1 - p) sum_i
(p/w_i)^2), so its limit s has s_i^2 = w_i^2 + c with (w1^2 + c)(w2^2 + c) = 1; the Hessian there is g g^T with
g_i = prod_{j != i} s_j = 1/s_i, whose top eigenvalue is sum_i 1/s_i^2 = phi (Kreisler et al., ICML 2023; docs/paper.md
section 5). Sampled: the checker encloses the gradient-flow limit from each exact start rigorously (validated Taylor integration,
the Lyapunov tail, Krawczyk on the conserved quantities; src/dynamics/flow-enclosure.ts) and S_flow by a certified
eigenvalue enclosure over the limit box, so each draw's comparison is decided like any other iterate. Tolerances
(from an earlier float integrator, kept): 1e-6 relative for S, 1e-8 for the invariant and the product. Starts include p_0 < 0 (w2 < 0), where
the flow crosses p = 0; they exclude a band around the antidiagonal w1 = -w2, from which the flow keeps w1^2 = w2^2
and converges to the saddle w = 0, not to a minimizer (found by this lemma's first version: start (2, -2), S_flow = 0
against phi_0 = 2). Off that line (a null set) the formula holds. Our own check (docs/evidence/scalar/flow.py, RK4, 150 starts with 0 < p_0 < 1 and 150 in
[-2, 2]^2): max |S_flow - phi(w_0)|/phi(w_0) = 9.9e-10.`,
    hypotheses: {
      hyper: { eta: 1 },
      init: { w1: { min: 0.3, max: 2 }, w2: { min: -2, max: 2 } },
      where: ['abs(w1_0^2 - w2_0^2) >= 0.5'],
    },
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
