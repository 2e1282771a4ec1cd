import { conjunction, type QuantifierKind } from './kind.js';

/**
 * Whenever every `trigger` holds at t, the statement holds at some t+k with 1 <= k <= `within`
 * (evaluated at t). The window length is decided on enclosures (check/window-length.ts): the deadline
 * is an exact integer, or it is one of two (the ceilings of the length's enclosure), and the trigger is undecided
 * only if the statement then comes between them or not by the last step; a lemma whose window reads a float-only
 * symbol (gTop) is float-only through that symbol, not through this kind.
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
    // Of the triggers still waiting for the statement: the earliest deadline (t + the window's upper count, so a step
    // past it is late whatever an undecided last unit of the window is), and the earliest step after which the
    // statement may come late (t + the lower count), with its trigger's step and why its window is undecided.
    let pending: { t: number; deadline: number; mayBeLate: number; at: number; why: string | null } | null = null;
    const steps = (k: number) => (Number.isFinite(k) ? Math.max(1, Math.ceil(k)) : Infinity);
    return {
      step(ctx) {
        // Late first: at the step after the deadline the statement holding comes too late (read before the
        // deadline, it would have released the trigger). It matters only while a trigger waits for it (exact
        // decisions are not free).
        if (pending !== null && ctx.t > pending.deadline) {
          ctx.failLate(pending.t, pending.deadline, `triggered at step ${pending.t}, the statement did not hold at any step up to ${pending.deadline}`);
          return;
        }
        if (pending !== null && ctx.statementsHold()) {
          // Met between the two candidate deadlines of an undecided window: late or not depends on its last unit.
          if (ctx.t > pending.mayBeLate) ctx.undecidedWindow(pending.at, pending.why ?? '');
          pending = null;
        }
        if (ctx.holds('trigger')) {
          ctx.countPremise();
          const w = ctx.window();
          const deadline = ctx.t + steps(w.upper);
          const mayBeLate = ctx.t + steps(w.lower);
          if (pending === null) pending = { t: ctx.t, deadline, mayBeLate, at: ctx.t, why: w.why };
          else {
            if (deadline < pending.deadline) (pending.t = ctx.t), (pending.deadline = deadline);
            if (mayBeLate < pending.mayBeLate) (pending.at = ctx.t), (pending.mayBeLate = mayBeLate), (pending.why = w.why);
          }
        }
        // Not met by the last step, with a step past an undecided window's lower count: that step may be late.
        if (pending !== null && ctx.t === ctx.T && pending.mayBeLate < ctx.T) ctx.undecidedWindow(pending.at, pending.why ?? '');
      },
      // While a trigger waits, every iterate reads the statement: not steady.
      steady: () => (pending === null ? { does: 'idle', until: Infinity, watchTrigger: true } : undefined),
    };
  },
};
