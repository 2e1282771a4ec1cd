import { defineLemma } from '../src/lemma/types.js';
import { eosRegime } from './shared/regimes.js';

export default [
  defineLemma({
    id: 'c7-self-stabilization-within-beta1-growth-time',
    title: 'Whenever eta S_t > 2 and q_t = eta l1 alpha_t^2 > 2, eta S <= 2 again within 1 + log(1/|beta1_t|)/log(q_t - 1) steps',
    claim: 'C7',
    provenance: 'paper-claim',
    description: `Self-stabilization with an explicit time. Above the threshold, beta1 is multiplied by 1 - q_t per step
(lemma c3-beta1-update-is-multiplicative), so |beta1| grows like (q_t - 1)^k; it needs log(1/|beta1_t|)/log(q_t - 1)
steps to reach order 1, when the term lambda1 alpha beta1^2 of the alpha-gradient pulls alpha (and S) back down.
In exploration the actual return time exceeded log(1/|beta1_t|)/log(q_t - 1) by at most 0.33 steps (60 runs,
lambda2 in [1e-3, 1e-1]); the statement allows 1 step more, and at least 2. Triggers with q_t <= 2 (eta S > 2 from
the coupling alone) are excluded. The window reads log10 |beta1|, which has no rational form: the checker encloses it
at any magnitude (|beta1| reaches 1e-3000 in some runs) and decides the window's ceiling from that enclosure.`,
    hypotheses: eosRegime,
    quantifier: { kind: 'within', trigger: ['eta * S > 2', 'q_osc > 2'], within: '1 + max(1, -log10abs_beta1 / log10(q_osc - 1))' },
    statement: 'eta * S <= 2',
    steps: 3000,
    runs: 200,
    expect: 'holds',
  }),
];
