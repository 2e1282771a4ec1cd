import { defineLemma } from '../src/lemma/types.js';
import { everyTheta } from './shared/regimes.js';

const { hyper, init } = everyTheta;

export default [
  defineLemma({
    id: 'c3-beta1-update-is-multiplicative',
    title: 'beta1_{t+1} = beta1_t (1 - eta l1 alpha_t^2)',
    claim: 'C3',
    provenance: 'derived',
    description: 'One exact GD step on beta1 (docs/paper.md section 2). Proved by expansion; beta1_next is the exact GD map.',
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity' },
    statement: 'beta1_next == beta1 * (1 - q_osc)',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c3-beta1-grows-if-unstable',
    title: '|beta1| grows in one step when eta l1 alpha^2 > 2 (and beta1 != 0)',
    claim: 'C3',
    provenance: 'derived',
    description: 'From the multiplicative update: |1 - q| > 1 when q > 2. Z3 over the reals, for all eta, lambda1 > 0 in the ranges.',
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity', when: ['q_osc > 2', 'beta1^2 > 0'] },
    statement: 'beta1_next^2 > beta1^2',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c3-beta1-contracts-if-stable',
    title: '|beta1| does not grow in one step when eta l1 alpha^2 <= 2',
    claim: 'C3',
    provenance: 'derived',
    description: 'The converse: q = eta lambda1 alpha^2 >= 0 always (eta, lambda1 > 0), so q <= 2 gives |1 - q| <= 1. Z3.',
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity', when: 'q_osc <= 2' },
    statement: 'beta1_next^2 <= beta1^2',
    expect: 'holds',
  }),
  defineLemma({
    id: 'c3-threshold-one-is-refuted',
    title: 'Known false: |beta1| never grows when eta l1 alpha^2 <= 2.5',
    claim: 'C3',
    provenance: 'variant',
    description: 'Moving the threshold from 2 to 2.5 must be refuted: Z3 returns a point with 2 < q <= 2.5 and beta1 != 0.',
    hypotheses: { hyper, init },
    quantifier: { kind: 'identity', when: 'q_osc <= 2.5' },
    statement: 'beta1_next^2 <= beta1^2',
    expect: 'fails',
  }),
];
