import { defineLemma } from '../../src/lemma/types.js';

export default [
  defineLemma({
    id: 'd1-balance-identity-d2',
    title: 'w1 dL/dw1 = w2 dL/dw2, so w1^2 - w2^2 is conserved by gradient flow',
    claim: 'D1',
    provenance: 'derived',
    description: 'test',
    hypotheses: { hyper: { eta: { min: 0.001, max: 100 } }, init: { w1: 0, w2: 0 } },
    quantifier: { kind: 'identity' },
    statement: 'w1 * g_w1 == w2 * g_w2',
    expect: 'holds',
  }),
];
