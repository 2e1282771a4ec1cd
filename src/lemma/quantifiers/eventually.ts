import { conjunction, eventTracker, wherePremises, type QuantifierKind } from './kind.js';

/** For every t >= `from` (an expression over hypers, start values, constants and T_event); with `event`, only once it happened. */
export const eventually: QuantifierKind = {
  kind: 'eventually',
  fields: { from: { type: 'start-expression', required: true, why: 'eventually needs from' }, event: { type: 'comparison', required: false }, when: { type: 'comparisons', required: false } },
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  tested: 'at every t >= `from` (an expression that may use `T_event`)',
  sentence: (terms, steps) => [
    ...(terms.event?.length ? ['once ', ...conjunction(terms.event), ' has held (first at T_event), '] : []),
    'at every step t with ',
    ...(terms.from ?? []).flatMap((f) => [{ text: `t >= ${f.text}`, latex: `t \\ge ${f.latex}` }]),
    ` through ${steps}`,
    ...wherePremises(terms),
  ],
  start: () => {
    const event = eventTracker();
    return {
      step(ctx) {
        if (!event(ctx) && ctx.hasEvent) return;
        const from = ctx.value('from');
        if (!Number.isFinite(from) || ctx.t < from) return;
        if (!ctx.holds('when')) return;
        ctx.assert((text) => `${text} fails at step ${ctx.t}`);
      },
    };
  },
};
