import { conjunction, eventTracker, REACH_FIELD, validateReach, wherePremises, type QuantifierKind } from './kind.js';

/**
 * For every t in [0, T] where the `when` premises hold; an `event`, if given, only defines T_event (its first step).
 * With `reach` (a box budget), decided for every start of the hypothesis box by certified enclosures of every
 * orbit through T (check/box-reach.ts): PROVED up to T only when the whole volume is, otherwise sampled.
 */
export const everyStep: QuantifierKind = {
  kind: 'every-step',
  fields: { when: { type: 'comparisons', required: false }, event: { type: 'comparison', required: false }, reach: REACH_FIELD },
  validate: validateReach,
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  tested: 'at every t in [0, steps] where the premises hold',
  sentence: (terms, steps) => [`at every step t = 0..${steps}`, ...wherePremises(terms), ...(terms.event?.length ? [' (T_event: the first step where ', ...conjunction(terms.event), ')'] : [])],
  start: () => {
    const event = eventTracker();
    return {
      step(ctx) {
        event(ctx);
        if (!ctx.holds('when')) return;
        ctx.assert((text) => `${text} fails at step ${ctx.t}`);
      },
      steady: (ctx) => ({ does: 'assert-when', until: Infinity, watchEvent: !event.settled(ctx) }),
    };
  },
};
