import { conjunction, type QuantifierKind } from './kind.js';

/** At the last iterate theta_T (T = steps), as a proxy of the limit; with `event`, only if the event happened. */
export const atEnd: QuantifierKind = {
  kind: 'at-end',
  fields: { event: { type: 'comparison', required: false } },
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: false,
  checksLastWithoutNext: true,
  tested: 'at the last iterate (if the event happened)',
  sentence: (terms, steps) => [`at the last step T = ${steps}`, ...(terms.event?.length ? [', if ', ...conjunction(terms.event), ' held at some step'] : [])],
  start: () => {
    let seen = false;
    return {
      step(ctx) {
        if (ctx.hasEvent && !seen && ctx.holds('event')) seen = true;
        if (ctx.t !== ctx.T) return;
        if (ctx.hasEvent && !seen) return;
        ctx.assert((text) => `${text} fails at the last step ${ctx.t}`);
      },
      steady: (ctx) => ({ does: 'idle', until: ctx.T, watchEvent: ctx.hasEvent && !seen }),
    };
  },
};
