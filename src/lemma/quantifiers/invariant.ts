import { conjunction, type QuantifierKind } from './kind.js';

/**
 * For every start in the hypotheses and every t >= 0, by an inductive invariant I (`invariant`): every
 * start lies in I (initiation), I(theta) implies I(theta_next) for every hyperparameter in range
 * (consecution), and I implies the statement (use); each is a one-step claim proved like an identity
 * (check/induction.ts). Where consecution is not proved, the statement is checked by sampling at every
 * t in [0, steps], and the row says why.
 */
export const invariant: QuantifierKind = {
  kind: 'invariant',
  fields: { invariant: { type: 'comparisons', required: true, why: 'invariant needs invariant: the relations of the set I that every iterate stays in' } },
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  proof: 'invariant',
  tested: 'proved for every start and every t by the invariant (initiation, consecution, use); where consecution is not proved, sampled at every t in [0, steps]',
  sentence: (terms) => ['at every step t >= 0 from every start (inductive invariant: ', ...conjunction(terms.invariant), ')'],
  start: () => ({
    step(ctx) {
      ctx.assert((text) => `${text} fails at step ${ctx.t}`);
    },
  }),
};

