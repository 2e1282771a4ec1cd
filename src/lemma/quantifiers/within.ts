import { conjunction, type QuantifierKind } from './kind.js';

/**
 * Whenever every `trigger` holds at t, the statement holds at some t+k with 1 <= k <= `within`
 * (evaluated at t). The window length is decided on enclosures (check/window-length.ts): the deadline
 * is an exact integer, or the iterate is undecided; a lemma whose window reads a float-only symbol
 * (log10abs_*, gTop) is float-only through that symbol, not through this kind.
 */
export const within: QuantifierKind = {
  kind: 'within',
  fields: { trigger: { type: 'comparisons', required: true, why: 'within needs a trigger' }, within: { type: 'state-expression', required: true, why: 'within needs a window length' } },
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  tested: 'whenever the triggers hold at t, at some t+k, 1 <= k <= `within` (evaluated at t)',
  sentence: (terms, steps) => [
    `whenever at a step t <= ${steps} `,
    ...conjunction(terms.trigger),
    ', at some step t + k with ',
    ...(terms.within ?? []).flatMap((w) => [{ text: `1 <= k <= ${w.text}`, latex: `1 \\le k \\le ${w.latex}` }]),
    ' (its value at t)',
  ],
  start: () => {
    // Of the triggers still waiting for the statement, only the one with the earliest deadline can be late first.
    let pending: { t: number; deadline: number } | null = null;
    return {
      step(ctx) {
        // Late first: at the step after the deadline the statement holding comes too late (read before the
        // deadline, it would have released the trigger). It matters only while a trigger waits for it (exact
        // decisions are not free).
        if (pending !== null && ctx.t > pending.deadline) {
          ctx.failLate(pending.t, pending.deadline, `triggered at step ${pending.t}, the statement did not hold at any step up to ${pending.deadline}`);
          return;
        }
        if (pending !== null && ctx.statementsHold()) pending = null;
        if (ctx.holds('trigger')) {
          ctx.countPremise();
          const k = ctx.value('within');
          const deadline = ctx.t + (Number.isFinite(k) ? Math.max(1, Math.ceil(k)) : Infinity);
          if (pending === null || deadline < pending.deadline) pending = { t: ctx.t, deadline };
        }
      },
      // While a trigger waits, every iterate reads the statement: not steady.
      steady: () => (pending === null ? { does: 'idle', until: Infinity, watchTrigger: true } : undefined),
    };
  },
};
