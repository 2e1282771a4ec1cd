import { conjunction, eventTracker, REACH_FIELD, validateReach, wherePremises, type QuantifierKind } from './kind.js';

/**
 * For every t from the first step where `event` holds, through T (where `when` holds). With `reach` (a box
 * budget), decided on boxes of starts through T (check/box-reach.ts), the statement asserted from the first
 * step where the event may hold on a box's enclosure (more than the claim asks, so sound).
 */
export const afterEvent: QuantifierKind = {
  kind: 'after-event',
  fields: { event: { type: 'comparison', required: true, why: 'after-event needs an event' }, when: { type: 'comparisons', required: false }, reach: REACH_FIELD },
  validate: validateReach,
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
      // Before the event, an iterate only reads it.
      steady: (ctx) => (event.settled(ctx) ? { does: 'assert-when', until: Infinity } : { does: 'idle', until: Infinity, watchEvent: true }),
    };
  },
};
