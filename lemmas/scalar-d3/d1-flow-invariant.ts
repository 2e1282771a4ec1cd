import { defineLemma } from '../../src/lemma/types.js';

const everyW = { hyper: { eta: { min: 0.001, max: 100 } }, init: { w1: 0, w2: 0, w3: 0 } };

export default [
  defineLemma({
    id: 'd1-balance-identity-d3',
    title: 'w_i dL/dw_i = (p - 1) p for every i, so every w_i^2 - w_j^2 is conserved by gradient flow (D = 3)',
    claim: 'D1',
    provenance: 'derived',
    description: `L = 1/2 (w1 ... w3 - 1)^2 gives dL/dw_i = (p - 1) p / w_i, so w_i g_w_i = (p - 1) p for every i and
d/dt (w_i^2 - w_j^2) = -2 (w_i g_w_i - w_j g_w_j) = 0 along gradient flow (Kreisler, Nacson, Soudry, Carmon (ICML 2023); docs/paper.md section 5). Proved by polynomial expansion
(also checked with sympy, docs/evidence/scalar/flow.py).`,
    hypotheses: everyW,
    quantifier: { kind: 'identity' },
    statement: ['w1 * g_w1 == w2 * g_w2', 'w1 * g_w1 == w3 * g_w3', 'w1 * g_w1 == (p - 1) * p'],
    expect: 'holds',
  }),
  defineLemma({
    id: 'd1-exact-gd-change-of-the-invariants-d3',
    title: 'Under one GD step, w_i^2 - w_j^2 is multiplied by 1 - eta^2 (p - 1)^2 prod_(k != i, j) w_k^2 (D = 3)',
    claim: 'D1',
    provenance: 'derived',
    description: `Expand (w_i - eta g_w_i)^2 - (w_j - eta g_w_j)^2: the first-order term vanishes by d1-balance-identity-d3, and
eta^2 (g_w_i^2 - g_w_j^2) = eta^2 (p - 1)^2 p^2 (1/w_i^2 - 1/w_j^2). So GD shrinks every imbalance while all the
factors lie in [-1, 1]; phi depends on w only through these differences. Our derivation; proved by expansion (sympy
agrees, docs/evidence/scalar/flow.py).`,
    hypotheses: everyW,
    quantifier: { kind: 'identity' },
    statement: ['w1_next^2 - w2_next^2 == (w1^2 - w2^2) * (1 - eta^2 * (p - 1)^2 * w3^2)', 'w1_next^2 - w3_next^2 == (w1^2 - w3^2) * (1 - eta^2 * (p - 1)^2 * w2^2)', 'w2_next^2 - w3_next^2 == (w2^2 - w3^2) * (1 - eta^2 * (p - 1)^2 * w1^2)'],
    expect: 'holds',
  }),
];
