import { conjunction, eventTracker, REACH_FIELD, validateReach, wherePremises, type QuantifierKind } from './kind.js';

/**
 * For every t >= `from` (an expression over hypers, start values, constants and T_event); with `event`, only once it happened.
 * `reach` (a box budget) is accepted only for `from: 'T_event'` with an event, the claim of after-event, which
 * boxes of starts decide (check/box-reach.ts); any other `from` differs between the orbits of a box.
 */
export const eventually: QuantifierKind = {
  kind: 'eventually',
  fields: { from: { type: 'start-expression', required: true, why: 'eventually needs from' }, event: { type: 'comparison', required: false }, when: { type: 'comparisons', required: false }, reach: REACH_FIELD },
  validate: (q) => {
    const out = validateReach(q);
    const given = q.reach !== undefined && q.reach !== null;
    const fromEvent = typeof q.from === 'string' && q.from.trim() === 'T_event' && q.event !== undefined && q.event !== null;
    if (given && out.length === 0 && !fromEvent) out.push({ field: 'quantifier.reach', detail: "boxes of starts decide eventually only from T_event (from: 'T_event' with an event): any other from differs between the orbits of a box" });
    return out;
  },
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
      steady: (ctx) => {
        if (!event.settled(ctx)) return { does: 'idle', until: Infinity, watchEvent: true };
        const from = ctx.value('from');
        if (!Number.isFinite(from)) return { does: 'idle', until: Infinity };
        return ctx.t < from ? { does: 'idle', until: Math.ceil(from) } : { does: 'assert-when', until: Infinity };
      },
    };
  },
};
