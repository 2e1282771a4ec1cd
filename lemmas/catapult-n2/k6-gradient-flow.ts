import { defineLemma } from '../../src/lemma/types.js';

/*
 * Gradient flow d theta / d tau = -grad L of the uv model, n = 2. With r = f - y: du/dtau = -r s v, dv/dtau = -r s u, so
 * d(u + v)/dtau = -r s (u + v) and d(u - v)/dtau = +r s (u - v): a = |u + v|^2 and b = |u - v|^2 scale by e^(-2 int r s)
 * and e^(+2 int r s), their product P = a b is conserved, and balance = |u|^2 - |v|^2 = u.v-free part (a + b)/2 - ... is
 * conserved too (below). f = s (a - b)/4 and lambda = s^2 (a + b)/2.
 */
const hyper = { eta: { min: 0.001, max: 100 }, y: { min: -10, max: 10 }, s: { min: 0.01, max: 10 } };
const init = { u1: 0, u2: 0, v1: 0, v2: 0 };
const s = 0.7071067811865476;
const box = { min: -1, max: 1 };
const starts = {
  hyper: { eta: 1, y: { min: -1, max: 1 }, s },
  init: { u1: box, u2: box, v1: box, v2: box },
  where: ['lambda_0 >= 0.05'],
};

export default [
  defineLemma({
    id: 'k6-n2-balance-is-a-flow-invariant',
    title: 'n = 2: u . grad_u L = v . grad_v L, so balance = |u|^2 - |v|^2 is conserved by gradient flow',
    claim: 'K6',
    provenance: 'derived',
    description: `grad_u L = r s v and grad_v L = r s u, so u . grad_u L = r s u.v = v . grad_v L. Along gradient flow
d balance / d tau = -grad balance . grad L = -2 (u . grad_u L - v . grad_v L) = 0: balance is an exact invariant of the
flow (Lewkowycz et al. 2020 use it for the uv model; PAPER.md section 5). Proved by expansion for every s and y.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: 'u1 * g_u1 + u2 * g_u2 == v1 * g_v1 + v2 * g_v2',
    expect: 'holds',
  }),
  defineLemma({
    id: 'k6-n2-gd-step-shrinks-balance-by-eta-s-r-squared',
    title: 'n = 2: one GD step maps balance to (1 - eta^2 s^2 r^2) balance',
    claim: 'K6',
    provenance: 'derived',
    description: `u' = u - eta r s v, v' = v - eta r s u give |u'|^2 = |u|^2 - 2 eta r s u.v + eta^2 r^2 s^2 |v|^2 and
|v'|^2 = |v|^2 - 2 eta r s u.v + eta^2 r^2 s^2 |u|^2. The first-order terms cancel (the flow invariant,
k6-n2-balance-is-a-flow-invariant), and the second-order ones give balance_next - balance = -eta^2 s^2 r^2 balance,
equivalently eta^2 (|g_u|^2 - |g_v|^2). GD conserves balance only at r = 0 or balance = 0, and shrinks |balance| while
eta s |r| < sqrt(2). Proved by expansion for every s and y.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: [
      'balance_next - balance == -eta^2 * s^2 * r^2 * balance',
      'balance_next - balance == eta^2 * (g_u1^2 + g_u2^2 - g_v1^2 - g_v2^2)',
    ],
    expect: 'holds',
  }),
  defineLemma({
    id: 'k6-n2-gd-conserves-balance',
    title: 'Known false: one GD step conserves balance, as gradient flow does',
    claim: 'K6',
    provenance: 'variant',
    description: `The flow invariant is not a GD invariant: balance_next - balance = -eta^2 s^2 r^2 balance
(k6-n2-gd-step-shrinks-balance-by-eta-s-r-squared), nonzero wherever r != 0 and balance != 0. The checker must refute
the identity with a point.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: 'balance_next == balance',
    expect: 'fails',
  }),
  defineLemma({
    id: 'k6-n2-flow-limit-sharpness-is-lambda-gfs',
    title: 'n = 2: the sharpness of the gradient-flow limit from theta is lambda_GFS(theta), and the flow conserves balance',
    claim: 'K6',
    provenance: 'derived',
    description: `Derivation: along the flow a = |u + v|^2 and b = |u - v|^2 satisfy da/dtau = -2 r s a, db/dtau = 2 r s b, so
P = a b is conserved; f = s (a - b)/4 and lambda = s^2 (a + b)/2. At the limit f = y (r = 0), so a - b = 4 y / s and
(a + b)^2 = (a - b)^2 + 4 P, lambda_flow = (s^2/2) sqrt(16 y^2 / s^2 + 4 P) = sqrt(4 s^2 y^2 + s^4 P) = lambda_GFS at the
start; and at r = 0 the sharpness is lambda (K2), so S_flow = lambda_GFS_0. Sampled, because the limit has no closed
form in tau: the checker integrates -grad L with Dormand-Prince 5(4) (rtol 1e-11, atol 1e-13) until |grad L| < 1e-12
max(1, |grad L_0|), and takes the largest Hessian eigenvalue there. At that stop |r| |grad f| = |grad L|, so |r| <=
1e-12 / sqrt(lambda) up to the factor, and |S_flow - lambda_flow| <= s |r| (Weyl, K2) is below 1e-11 for lambda >=
0.05 and |grad L_0| = O(1); the integrator's own error in the conserved P is of the order of rtol per unit of
log-scale travelled. The tolerance 1e-6 relative leaves five orders above both; the tightness figure is the largest
relative error observed. The second statement checks the invariant balance at the limit against its start
(absolute tolerance 1e-8, balance_0 <= 4). Draws: s = 1/sqrt(2), y in [-1, 1], u, v entries in [-1, 1],
lambda_0 >= 0.05 (away from the saddle at u = v = 0).`,
    hypotheses: starts,
    quantifier: { kind: 'flow-limit' },
    constants: { tol: '1e-6' },
    statement: ['abs(S_flow - lambda_GFS_0) <= tol * lambda_GFS_0', 'abs(balance_flow - balance_0) <= 1e-8'],
    tightness: { constant: 'tol', needed: 'abs(S_flow - lambda_GFS_0) / lambda_GFS_0' },
    runs: 20,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k6-n2-flow-limit-sharpness-is-lambda-at-start',
    title: 'Known false: the sharpness of the gradient-flow limit is the start NTK eigenvalue lambda_0',
    claim: 'K6',
    provenance: 'variant',
    description: `The wide-network picture (the kernel does not move under gradient flow) at n = 2: lambda changes along the
flow by O(1), from s^2 (a + b)/2 to sqrt(4 s^2 y^2 + s^4 a b) (k6-n2-flow-limit-sharpness-is-lambda-gfs); the two
agree only when the start already has f_0 = y (or in the balanced limit). Stated with the same tolerance 1e-6 relative
on the same draws; the checker must find a start whose flow limit is sharper or flatter than lambda_0.`,
    hypotheses: starts,
    quantifier: { kind: 'flow-limit' },
    statement: 'abs(S_flow - lambda_0) <= 1e-6 * lambda_0',
    runs: 20,
    expect: 'fails',
  }),
];
