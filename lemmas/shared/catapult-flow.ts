/**
 * The description of the catapult packs' flow-limit lemma (k6-n<n>-flow-limit-sharpness-is-lambda-gfs): the same
 * derivation for every width n, with the scale s = 1/sqrt(n).
 */
export function flowLimitDescription(n: number): string {
  return `Derivation: along the flow a = |u + v|^2 and b = |u - v|^2 satisfy da/dtau = -2 r s a, db/dtau = 2 r s b, so
P = a b is conserved; f = s (a - b)/4 and lambda = s^2 (a + b)/2. For P > 0, a - b takes every real value on the level
set, and the flow (a gradient flow of an analytic function, bounded on it) ends at f = y: a - b = 4 y / s and
(a + b)^2 = (a - b)^2 + 4 P, so lambda_flow = (s^2/2) sqrt(16 y^2 / s^2 + 4 P) = sqrt(4 s^2 y^2 + s^4 P) = lambda_GFS at
the start, and at r = 0 the sharpness is lambda (K2): S_flow = lambda_GFS_0. P = 0 is excluded for a reason: on u = v
with y < 0 (or u = -v with y > 0) f cannot reach y, and the flow ends at the saddle theta = 0, where S = s |y| and
lambda_GFS = 2 s |y| (${n === 2 ? '' : 'at n = 2 '}the guided search found this at u = v = (-1, -1), y = -1 when the draws allowed P = 0).
Sampled, because the limit has no closed form in tau: the checker encloses the flow limit from each exact start rigorously (validated Taylor integration,
the Lyapunov tail, Krawczyk on the conserved quantities; src/dynamics/flow-enclosure.ts) and S_flow by a certified
eigenvalue enclosure over the limit box, so each draw's comparison is decided like any other iterate.
The tolerances (1e-8 relative for lambda, 1e-10 absolute for the balance) and the draw bound lambda_GFS_0 <= 0.7
date from a float integrator (Dormand-Prince 5(4), rtol 1e-11, stopped at |grad L| < 1e-12 max(1, |grad L_0|);
over 400 starts its |lambda_flow - lambda_GFS_0| / lambda_GFS_0 was at most 1.5e-11, docs/evidence/catapult/notes.md);
they are kept so the statement stays the one first checked. Draws: s = 1/sqrt(${n}), y in [-0.5, 0.5], u, v entries in
[-1, 1], lambda_0 >= 0.05, P_0 >= 0.01, lambda_GFS_0 <= 0.7.`;
}
