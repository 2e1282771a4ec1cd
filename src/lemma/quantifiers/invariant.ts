import { conjunction, REACH_FIELD, validateReach, wherePremises, type QuantifierKind } from './kind.js';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The entries of `invariant` given as slack certificates ({relation, kept}, types.ts KeptRelation): the shape only;
 * the relation and the terms are parsed with the other expressions (compile.ts), and the identity and the terms'
 * signs are obligations of the proof (check/induction.ts). A strict relation or an equation takes no certificate:
 * s_next as a sum of terms >= 0 gives s_next >= 0, not s_next > 0 (nor s_next = 0).
 */
function validateKept(fields: Readonly<Record<string, unknown>>): { field: string; detail: string }[] {
  const v = fields.invariant;
  const list = Array.isArray(v) ? v : [v];
  const out: { field: string; detail: string }[] = [];
  list.forEach((e, i) => {
    if (!isObject(e)) return;
    const field = `quantifier.invariant[${i}]`;
    out.push(...certificateShape(e, field, 'kept', 'the terms whose sum is the slack one step later'));
  });
  return out;
}

/** One slack certificate's shape: relation (<= or >=), a non-empty list of terms under `terms`, an optional weight. */
function certificateShape(e: Record<string, unknown>, field: string, terms: 'kept' | 'terms', what: string): { field: string; detail: string }[] {
  const out: { field: string; detail: string }[] = [];
  const extra = Object.keys(e).filter((k) => k !== 'relation' && k !== terms && k !== 'weight');
  if (extra.length) out.push({ field, detail: `not a field of a slack certificate (its fields: relation, ${terms}, weight): ${extra.join(', ')}` });
  if (typeof e.relation !== 'string') out.push({ field: `${field}.relation`, detail: `must be a relation (a string), got ${JSON.stringify(e.relation)}` });
  else if (/[<>]|==/.test(e.relation.replace(/<=|>=/g, '')))
    out.push({ field: `${field}.relation`, detail: `a slack certificate needs a relation lhs <= rhs or lhs >= rhs (sum of terms >= 0 gives the slack >= 0, not > 0 nor = 0), got "${e.relation}"` });
  const list = e[terms];
  if (!Array.isArray(list) || list.length === 0 || list.some((t) => typeof t !== 'string' || t.trim() === ''))
    out.push({ field: `${field}.${terms}`, detail: `must be a non-empty list of expressions (${what}), got ${JSON.stringify(list)}` });
  if (e.weight !== undefined && (typeof e.weight !== 'string' || e.weight.trim() === '')) out.push({ field: `${field}.weight`, detail: `must be an expression (a factor > 0 on I), got ${JSON.stringify(e.weight)}` });
  return out;
}

/** The slack certificates of the use obligation (quantifier.use): the shape only; compile.ts matches each relation to a statement. */
function validateUse(fields: Readonly<Record<string, unknown>>): { field: string; detail: string }[] {
  const v = fields.use;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return [{ field: 'quantifier.use', detail: `must be a list of slack certificates {relation, terms, weight}, got ${JSON.stringify(v)}` }];
  return v.flatMap((e, i) =>
    isObject(e) ? certificateShape(e, `quantifier.use[${i}]`, 'terms', 'the terms whose sum is the weighted slack') : [{ field: `quantifier.use[${i}]`, detail: `must be a slack certificate {relation, terms, weight}, got ${JSON.stringify(e)}` }],
  );
}


/**
 * With `reach` (a box budget), the starts need not lie in I: every orbit from the hypothesis box is
 * enclosed box by box (check/box-reach.ts) until its enclosure lies inside I, the statement decided at
 * every step before; I is proved kept and to imply the statement (check/box-invariant.ts, no initiation).
 * PROVED only when every box of the hypothesis volume entered I; otherwise sampled, with the proved share.
 *
 * For every start in the hypotheses and every t >= 0, by an inductive invariant I (`invariant`): every
 * start lies in I (initiation), I(theta) implies I(theta_next) for every hyperparameter in range
 * (consecution), and I implies the statement (use); each is a one-step claim proved like an identity
 * (check/induction.ts). An entry of `invariant` may carry a slack certificate ({relation, kept}): that
 * relation's consecution is then an identity and the terms' signs on I. Where consecution is not proved, the statement is checked by sampling at every
 * t in [0, steps], and the row says why.
 *
 * `when` premises: the statement is claimed at the iterates where they hold (use: I and `when` imply it). With `reach`
 * and `when` holding every relation of I, the claim is "every orbit enters I, and from then on the statement holds":
 * a point where the premises hold lies in I, where use decides it, so no step before an orbit enters I asks for the
 * statement, and PROVED still needs every box to enter I.
 */
export const invariant: QuantifierKind = {
  kind: 'invariant',
  fields: {
    invariant: { type: 'comparisons', required: true, why: 'invariant needs invariant: the relations of the set I that every iterate stays in' },
    when: { type: 'comparisons', required: false },
    reach: REACH_FIELD,
    use: { type: 'certificates', required: false },
  },
  mode: 'trajectory',
  floatOnly: false,
  allowsNext: true,
  checksLastWithoutNext: false,
  proof: 'invariant',
  tested: 'proved for every start and every t by the invariant (initiation, consecution, use); where consecution is not proved, sampled at every t in [0, steps]',
  sentence: (terms) => [
    ...(terms.reach?.length
      ? ['at every step t >= 0 from every start (orbits enter the invariant set ', ...conjunction(terms.invariant), `, reached from boxes of starts, budget ${terms.reach[0]!.text} boxes)`]
      : ['at every step t >= 0 from every start (inductive invariant: ', ...conjunction(terms.invariant), ')']),
    ...wherePremises(terms),
  ],
  validate: (fields) => [...validateReach(fields), ...validateKept(fields), ...validateUse(fields)],
  start: () => ({
    step(ctx) {
      if (!ctx.holds('when')) return;
      ctx.assert((text) => `${text} fails at step ${ctx.t}`);
    },
    steady: () => ({ does: 'assert-when', until: Infinity }),
  }),
};

