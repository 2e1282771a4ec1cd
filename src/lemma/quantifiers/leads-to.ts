import { conjunction, type QuantifierKind } from './kind.js';

/**
 * Every orbit from the hypotheses reaches the target set G (`to`) and the statement holds from then
 * on, by a ranking function V (`ranking`) on F minus G (F: `from`): V >= 0 and V_next <= V - d
 * (`decrease`: d), or V >= m and V_next <= c V (`factor`: c < 1, `floor`: m > 0); F minus G is kept
 * (F and not G implies F_next); the starts lie in F; G is closed under the step (or an `invariant` J
 * with G in J, J closed, is given) and implies the statement. Each is a one-step claim proved like an
 * identity (check/induction.ts); the row prints the step bound from V_0 and d (or c and m). Where
 * the proof does not go through, the statement is checked by sampling from the first iterate in G.
 */
export const leadsTo: QuantifierKind = {
  kind: 'leads-to',
  fields: {
    from: { type: 'comparisons', required: true, why: 'leads-to needs from: the set F the starts lie in and the orbit keeps until it reaches `to`' },
    to: { type: 'comparisons', required: true, why: 'leads-to needs to: the target set G', asWhen: true },
    ranking: { type: 'state-expression', required: true, why: 'leads-to needs ranking: an expression V that falls on F minus G' },
    decrease: { type: 'start-expression', required: false },
    factor: { type: 'start-expression', required: false },
    floor: { type: 'start-expression', required: false },
    invariant: { type: 'comparisons', required: false },
  },
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  proof: 'leads-to',
  validate: (q) => {
    const given = (k: string) => q[k] !== undefined && q[k] !== null;
    const out: { field: string; detail: string }[] = [];
    if (given('decrease') === given('factor')) out.push({ field: 'quantifier.decrease', detail: 'give exactly one of decrease (V_next <= V - d) and factor (V_next <= c V)' });
    if (given('factor') && !given('floor')) out.push({ field: 'quantifier.floor', detail: 'factor needs floor: a positive lower bound m of V on from minus to' });
    if (given('floor') && !given('factor')) out.push({ field: 'quantifier.floor', detail: 'floor is read only with factor' });
    return out;
  },
  tested: 'proved for every start: the orbit reaches `to` (ranking function) and the statement holds from then on; where the proof does not go through, sampled from the first iterate in `to` through steps',
  sentence: (terms) => ['from every start in ', ...conjunction(terms.from), ', once ', ...conjunction(terms.to), ' (reached by the ranking function ', ...(terms.ranking ?? []), '), at every later step'],
  start: () => {
    let reached = false;
    return {
      step(ctx) {
        if (!reached && ctx.holds('when')) reached = true;
        if (reached) ctx.assert((text) => `${text} fails at step ${ctx.t}, after the orbit reached the target set`);
      },
      // Until the target is reached, every iterate reads it.
      steady: () => (reached ? { does: 'assert', until: Infinity } : undefined),
    };
  },
};
