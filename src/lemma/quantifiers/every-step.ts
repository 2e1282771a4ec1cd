import { conjunction, eventTracker, wherePremises, type QuantifierKind } from './kind.js';

/** For every t in [0, T] where the `when` premises hold; an `event`, if given, only defines T_event (its first step). */
export const everyStep: QuantifierKind = {
  kind: 'every-step',
  fields: { when: { type: 'comparisons', required: false }, event: { type: 'comparison', required: false } },
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
    };
  },
};
