import { conjunction, REACH_FIELD, validateReach, type QuantifierKind } from './kind.js';

/**
 * With `reach` (a box budget), the starts need not lie in I: every orbit from the hypothesis box is
 * enclosed box by box (check/box-reach.ts) until its enclosure lies inside I, the statement decided at
 * every step before; I is proved kept and to imply the statement (check/box-invariant.ts, no initiation).
 * PROVED only when every box of the hypothesis volume entered I; otherwise sampled, with the proved share.
 *
 * For every start in the hypotheses and every t >= 0, by an inductive invariant I (`invariant`): every
 * start lies in I (initiation), I(theta) implies I(theta_next) for every hyperparameter in range
 * (consecution), and I implies the statement (use); each is a one-step claim proved like an identity
 * (check/induction.ts). Where consecution is not proved, the statement is checked by sampling at every
 * t in [0, steps], and the row says why.
 */
export const invariant: QuantifierKind = {
  kind: 'invariant',
  fields: {
    invariant: { type: 'comparisons', required: true, why: 'invariant needs invariant: the relations of the set I that every iterate stays in' },
    reach: REACH_FIELD,
  },
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  proof: 'invariant',
  tested: 'proved for every start and every t by the invariant (initiation, consecution, use); where consecution is not proved, sampled at every t in [0, steps]',
  sentence: (terms) =>
    terms.reach?.length
      ? ['at every step t >= 0 from every start (orbits enter the invariant set ', ...conjunction(terms.invariant), `, reached from boxes of starts, budget ${terms.reach[0]!.text} boxes)`]
      : ['at every step t >= 0 from every start (inductive invariant: ', ...conjunction(terms.invariant), ')'],
  validate: validateReach,
  start: () => ({
    step(ctx) {
      ctx.assert((text) => `${text} fails at step ${ctx.t}`);
    },
  }),
};

