import { eventTracker, type QuantifierKind } from './kind.js';

/** For every t from the first step where `event` holds, through T (where `when` holds). */
export const afterEvent: QuantifierKind = {
  kind: 'after-event',
  fields: { event: { type: 'comparison', required: true, why: 'after-event needs an event' }, when: { type: 'comparisons', required: false } },
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  tested: 'at every t from the first step where `event` holds',
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
