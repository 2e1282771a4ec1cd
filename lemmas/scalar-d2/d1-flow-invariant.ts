import { defineLemma } from '../../src/lemma/types.js';

const everyW = { hyper: { eta: { min: 0.001, max: 100 } }, init: { w1: 0, w2: 0 } };

export default [
  defineLemma({
    id: 'd1-balance-identity-d2',
    title: 'w1 dL/dw1 = w2 dL/dw2, so w1^2 - w2^2 is conserved by gradient flow',
    claim: 'D1',
    provenance: 'derived',
    description: `L = 1/2 (w1 w2 - 1)^2 gives w_i dL/dw_i = (p - 1) p for both i (p = w1 w2), hence
d/dt (w1^2 - w2^2) = -2 (w1 g_w1 - w2 g_w2) = 0 along gradient flow (Kreisler, Nacson, Soudry, Carmon, ICML 2023;
docs/paper.md section 5). Proved by polynomial expansion.`,
    hypotheses: everyW,
    quantifier: { kind: 'identity' },
    statement: ['w1 * g_w1 == w2 * g_w2', 'w1 * g_w1 == (p - 1) * p'],
    expect: 'holds',
  }),
  defineLemma({
    id: 'd1-exact-gd-change-of-the-invariant-d2',
    title: 'Under one GD step, w1^2 - w2^2 is multiplied by 1 - eta^2 (p - 1)^2',
    claim: 'D1',
    provenance: 'derived',
    description: `Expand (w1 - eta g_w1)^2 - (w2 - eta g_w2)^2: the first-order term is -2 eta (w1 g_w1 - w2 g_w2) = 0 by
d1-balance-identity-d2, and eta^2 (g_w1^2 - g_w2^2) = eta^2 (p - 1)^2 (w2^2 - w1^2). So GD shrinks the imbalance
|w1^2 - w2^2| iff eta^2 (p - 1)^2 <= 2, i.e. iff eta^2 L <= 1. Since phi = sqrt((w1^2 - w2^2)^2 + 4) for D = 2 (the
closed form of c), this is the exact one-step criterion for phi_{t+1} <= phi_t (or w1^2 = w2^2). Proved by expansion
(our derivation; the paper's text was not reachable).`,
    hypotheses: everyW,
    quantifier: { kind: 'identity' },
    statement: 'w1_next^2 - w2_next^2 == (w1^2 - w2^2) * (1 - eta^2 * (p - 1)^2)',
    expect: 'holds',
  }),
];
