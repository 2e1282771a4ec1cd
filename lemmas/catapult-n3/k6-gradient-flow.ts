import { defineLemma } from '../../src/lemma/types.js';
import { flowLimitDescription } from '../shared/catapult-flow.js';

/*
 * Gradient flow d theta / d tau = -grad L of the uv model, n = 3. With r = f - y: du/dtau = -r s v, dv/dtau = -r s u, so
 * d(u + v)/dtau = -r s (u + v) and d(u - v)/dtau = +r s (u - v). Hence a = |u + v|^2 and b = |u - v|^2 scale by
 * e^(-2 int r s) and e^(+2 int r s): their product P = a b is conserved, and so is balance = |u|^2 - |v|^2 =
 * (u + v).(u - v) (its two factors' scalings cancel). In these variables f = s (a - b)/4 and lambda = s^2 (a + b)/2.
 */
const hyper = { eta: { min: 0.001, max: 100 }, y: { min: -10, max: 10 }, s: { min: 0.01, max: 10 } };
const init = { u1: 0, u2: 0, u3: 0, v1: 0, v2: 0, v3: 0 };
const s = 0.5773502691896258;
const box = { min: -1, max: 1 };
/** P_0 = |u_0 + v_0|^2 |u_0 - v_0|^2, the flow invariant a b; lambda_GFS_0^2 = 4 s^2 y^2 + s^4 P_0. */
const P0 = '((u1_0 + v1_0)^2 + (u2_0 + v2_0)^2 + (u3_0 + v3_0)^2) * ((u1_0 - v1_0)^2 + (u2_0 - v2_0)^2 + (u3_0 - v3_0)^2)';
const starts = {
  hyper: { eta: 1, y: { min: -0.5, max: 0.5 }, s },
  init: { u1: box, u2: box, u3: box, v1: box, v2: box, v3: box },
  where: ['lambda_0 >= 0.05', `${P0} >= 0.01`, `4 * s^2 * y^2 + s^4 * ${P0} <= 0.49`],
};

export default [
  defineLemma({
    id: 'k6-n3-balance-is-a-flow-invariant',
    title: 'n = 3: u . grad_u L = v . grad_v L, so balance = |u|^2 - |v|^2 is conserved by gradient flow',
    claim: 'K6',
    provenance: 'derived',
    description: `grad_u L = r s v and grad_v L = r s u, so u . grad_u L = r s u.v = v . grad_v L. Along gradient flow
d balance / d tau = -grad balance . grad L = -2 (u . grad_u L - v . grad_v L) = 0: balance is an exact invariant of the
flow (Lewkowycz et al. 2020 use it for the uv model; docs/paper.md section 5). Proved by expansion for every s and y.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: 'u1 * g_u1 + u2 * g_u2 + u3 * g_u3 == v1 * g_v1 + v2 * g_v2 + v3 * g_v3',
    expect: 'holds',
  }),
  defineLemma({
    id: 'k6-n3-gd-step-shrinks-balance-by-eta-s-r-squared',
    title: 'n = 3: one GD step maps balance to (1 - eta^2 s^2 r^2) balance',
    claim: 'K6',
    provenance: 'derived',
    description: `u' = u - eta r s v, v' = v - eta r s u give |u'|^2 = |u|^2 - 2 eta r s u.v + eta^2 r^2 s^2 |v|^2 and
|v'|^2 = |v|^2 - 2 eta r s u.v + eta^2 r^2 s^2 |u|^2. The first-order terms cancel (the flow invariant,
k6-n3-balance-is-a-flow-invariant), and the second-order ones give balance_next - balance = -eta^2 s^2 r^2 balance,
equivalently eta^2 (|g_u|^2 - |g_v|^2). GD conserves balance only at r = 0 or balance = 0, and shrinks |balance| while
eta s |r| < sqrt(2). Proved by expansion for every s and y.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: [
      'balance_next - balance == -eta^2 * s^2 * r^2 * balance',
      'balance_next - balance == eta^2 * (g_u1^2 + g_u2^2 + g_u3^2 - g_v1^2 - g_v2^2 - g_v3^2)',
    ],
    expect: 'holds',
  }),
  defineLemma({
    id: 'k6-n3-gd-conserves-balance',
    title: 'Known false: one GD step conserves balance, as gradient flow does',
    claim: 'K6',
    provenance: 'variant',
    description: `The flow invariant is not a GD invariant: balance_next - balance = -eta^2 s^2 r^2 balance
(k6-n3-gd-step-shrinks-balance-by-eta-s-r-squared), nonzero wherever r != 0 and balance != 0. The checker must refute
the identity with a point.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: 'balance_next == balance',
    expect: 'fails',
  }),
  defineLemma({
    id: 'k6-n3-flow-limit-sharpness-is-lambda-gfs',
    title: 'n = 3: the sharpness of the gradient-flow limit from theta is lambda_GFS(theta), and the flow conserves balance',
    claim: 'K6',
    provenance: 'derived',
    description: flowLimitDescription(3),
    hypotheses: starts,
    quantifier: { kind: 'flow-limit' },
    constants: { tol: '1e-8' },
    statement: ['abs(S_flow - lambda_GFS_0) <= tol * lambda_GFS_0', 'abs(balance_flow - balance_0) <= 1e-10'],
    tightness: { constant: 'tol', needed: 'abs(S_flow - lambda_GFS_0) / lambda_GFS_0' },
    runs: 20,
    expect: 'holds',
  }),
  defineLemma({
    id: 'k6-n3-flow-limit-sharpens-iff-abs-f-below-abs-y',
    title: 'n = 3: lambda^2 = 4 s^2 f^2 + s^4 |u + v|^2 |u - v|^2, so lambda^2 - lambda_GFS^2 = 4 s^2 (f^2 - y^2): gradient flow sharpens iff |f| < |y|',
    claim: 'K6',
    provenance: 'derived',
    description: `With a = |u + v|^2, b = |u - v|^2: lambda^2 = s^4 (a + b)^2 / 4 = s^4 ((a - b)^2 + 4 a b) / 4 = 4 s^2 f^2 + s^4 a b,
since a - b = 4 u.v = 4 f / s: the identity stated, proved by expansion for every s. By the model's definition
lambda_GFS^2 = 4 s^2 y^2 + s^4 a b, so lambda^2 - lambda_GFS^2 = 4 s^2 (f^2 - y^2). (Stated without the square root:
written with lambda_GFS itself the identity needs Z3, which proves it but takes seconds.) With
k6-n3-flow-limit-sharpness-is-lambda-gfs: the limit of gradient flow from theta is sharper than theta's NTK eigenvalue
iff |f| < |y|, flatter iff |f| > |y|, and equal iff f = +-y; it is this O(1) change of lambda along the flow at small
width that k6-n3-flow-limit-sharpness-is-lambda-at-start denies.`,
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: 'lambda^2 - 4 * s^2 * f^2 == s^4 * ((u1 + v1)^2 + (u2 + v2)^2 + (u3 + v3)^2) * ((u1 - v1)^2 + (u2 - v2)^2 + (u3 - v3)^2)',
    expect: 'holds',
  }),
  defineLemma({
    id: 'k6-n3-flow-limit-sharpness-is-lambda-at-start',
    title: 'Known false: the sharpness of the gradient-flow limit is the start NTK eigenvalue lambda_0',
    claim: 'K6',
    provenance: 'variant',
    description: `The wide-network picture (the kernel does not move under gradient flow), false at n = 3: the limit's
sharpness is lambda_GFS_0 (k6-n3-flow-limit-sharpness-is-lambda-gfs), and lambda_0^2 - lambda_GFS_0^2 =
4 s^2 (f_0^2 - y^2) (k6-n3-flow-limit-sharpens-iff-abs-f-below-abs-y), which is O(1) for starts with f_0 = O(1). Stated
with the tolerance of the true statement, 1e-8 relative, on the same draws; the checker must find a start whose flow
limit is sharper or flatter than lambda_0.`,
    hypotheses: starts,
    quantifier: { kind: 'flow-limit' },
    statement: 'abs(S_flow - lambda_0) <= 1e-8 * lambda_0',
    runs: 20,
    expect: 'fails',
  }),
];
