import { conjunction, eventTracker, wherePremises, type QuantifierKind } from './kind.js';

/** For every t from the first step where `event` holds, through T (where `when` holds). */
export const afterEvent: QuantifierKind = {
  kind: 'after-event',
  fields: { event: { type: 'comparison', required: true, why: 'after-event needs an event' }, when: { type: 'comparisons', required: false } },
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  tested: 'at every t from the first step where `event` holds',
  sentence: (terms, steps) => ['at every step t from the first step T_event where ', ...conjunction(terms.event), ` through ${steps}`, ...wherePremises(terms)],
  start: () => {
    const event = eventTracker();
    return {
      step(ctx) {
        if (!event(ctx) || !ctx.holds('when')) return;
        ctx.assert((text) => `${text} fails at step ${ctx.t}`);
      },
    };
  },
};
