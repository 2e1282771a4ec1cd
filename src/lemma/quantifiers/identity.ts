import { conjunction, type QuantifierKind } from './kind.js';

/**
 * For every theta and every hyperparameter in the hypotheses' ranges, where all `when` premises hold:
 * an equation is proved by polynomial expansion, an inequality by Z3. Never sampled; `_next` is one
 * exact GD step from theta.
 */
export const identity: QuantifierKind = {
  kind: 'identity',
  fields: { when: { type: 'comparisons', required: false } },
  mode: 'prove',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  tested: 'for every theta and every hyperparameter in the ranges: proved by expansion (equations) or Z3; `_next` is one exact GD step',
  sentence: (terms) => ['for every theta and every hyperparameter in its range', ...(terms.when?.length ? [' with ', ...conjunction(terms.when)] : [])],
};
