/**
 * The certificate of a claim decided on boxes of starts (check/box-reach.ts), as data: what verify.ts puts on
 * a row decided by reachability (`reachCertificate`, format "eos-check-reach/1") and what
 * `eos-check check-certificate` re-checks with its own arithmetic and its own orbit enclosures
 * (src/certificate/reach.ts), sharing nothing with the box-orbit engine.
 *
 * It says everything the claim and its proof are about, in text a checker parses itself:
 *  - the model's GD step, param_next as an expression over the parameters and the hyperparameters, and the
 *    loss it comes from (so a checker can confirm step = param - eta dL/dparam by expansion);
 *  - the hypothesis box (exact rational ranges: a range's decimal ends, a fixed value as the double GD runs
 *    with), the `where` and `along` relations, the premises (`when`, the event), the statements, the
 *    quantifier (how the statement is asserted: every-step, after-event, invariant) and the horizon T;
 *  - the invariant set's relations, if the boxes used one, with what its obligations proved (use, kept):
 *    those obligations are the row's `obligations`, re-checked as region certificates where they are some;
 *  - every leaf of the box tree: its path (one digit per midpoint split), box, state and step. A leaf that is
 *    'open' or 'refuted' claims nothing here (a refuted one carries its certified-orbit sentence);
 *  - the proved and outside fractions the row states, which the leaves' states must add up to.
 * Relations are written as the lemma compiles them: derived quantities (L, p, g_w1, ...) inlined, `_next` as one
 * exact GD step from the iterate, constants as exact rationals; they read the parameters, their start values
 * (`w1_0`), the hyperparameters and t.
 */
import type { MathNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { fold, type Backend } from '../symbolic/algebra.js';
import { constantToRational } from '../symbolic/rational-function.js';
import { hypothesisBox, type LeafState, type ReachSummary, type ReachUnit } from './box-reach.js';
import { invariantRelations, reachInvariant, type KeptResult } from './box-invariant.js';
import type { CertComparison } from './region-certificate.js';

export const REACH_FORMAT = 'eos-check-reach/1';

export interface ReachCertLeaf {
  /** One digit per midpoint split from the hypothesis box ('0' the lower half); '' for a box never split. */
  path: string;
  /** Each parameter's and hyperparameter's exact range, "lo..hi" (rationals p/q). */
  box: Record<string, string>;
  /**
   * proved: the statement holds at every asserted step 0..T; entered: it holds at steps before `step` and the
   * orbits are in the invariant set at `step`; left: it holds at steps before `step` and every orbit fails an
   * `along` hypothesis at `step`; outside: every point of the box fails a `where` relation; refuted, open: nothing
   * is claimed (refuted: a certified counterexample, `refutation`).
   */
  state: LeafState;
  step: number | null;
  refutation?: string;
}

export interface ReachCertificate {
  format: typeof REACH_FORMAT;
  model: { name: string; loss: string; params: string[]; hypers: string[]; projection: boolean };
  /** param -> the expression of param_next over the parameters and hyperparameters (one exact GD step). */
  step: Record<string, string>;
  /** The hypothesis box: every parameter and hyperparameter, [lo, hi] exact ("p/q"; lo = hi fixes a value). */
  box: Record<string, [string, string]>;
  where: CertComparison[];
  along: CertComparison[];
  when: CertComparison[];
  /** The event from whose first (possible) step the statement is asserted (kind after-event), else null. */
  event: CertComparison | null;
  statements: CertComparison[];
  /** How the statement is asserted: at every step where `when` may hold, from the event on, or at every step. */
  kind: 'every-step' | 'after-event' | 'invariant';
  /** The quantifier as the lemma wrote it. */
  quantifier: string;
  /** T: the statement is asserted at steps 0..T. */
  horizon: number;
  /** A claim for every t (kind invariant): only 'entered' and 'left' leaves count toward the proved fraction. */
  everyT: boolean;
  /**
   * The set the boxes could use: `use` (it implies the statement, with `when`), `kept` (the step keeps it):
   * the row's obligations of those names prove them.
   */
  invariant: { relations: CertComparison[]; use: boolean; kept: boolean } | null;
  /**
   * The exact fractions the row states (its reach.fractions): proved and upToT (decided through T; for a claim
   * through T every decided leaf), of the volume inside the `where` relations; outside, of the whole box.
   */
  fractions: { proved: string; upToT: string; outside: string };
  leaves: ReachCertLeaf[];
}

/** Expression text a checker parses: fully parenthesized, constants as exact rationals where short. */
export function exprText(tree: MathNode): string {
  const b: Backend<string> = {
    name: 'the reach certificate printer',
    constant: (v) => {
      const q = constantToRational(v);
      const small = (x: bigint) => (x < 0n ? -x : x) < 2n ** 53n;
      if (small(q.num) && small(q.den)) return q.den === 1n ? (q.num < 0n ? `(${q.num})` : `${q.num}`) : `(${q.num}/${q.den})`;
      return `(${String(v)})`;
    },
    symbol: (name) => name,
    neg: (a) => `(-${a})`,
    add: (a, c) => `(${a} + ${c})`,
    sub: (a, c) => `(${a} - ${c})`,
    mul: (a, c) => `(${a} * ${c})`,
    div: (a, c) => `(${a} / ${c})`,
    powi: (a, k) => `(${a} ^ (${k}))`,
    powr: (a, p) => `(${a} ^ (${String(p)}))`,
    sqrt: (a) => `sqrt(${a})`,
    abs: (a) => `abs(${a})`,
    max: (a, c) => `max(${a}, ${c})`,
    min: (a, c) => `min(${a}, ${c})`,
    // Written so the checker names what it cannot evaluate, rather than the printer failing.
    exp: (a) => `exp(${a})`,
    log: (a) => `log(${a})`,
    log10: (a) => `log10(${a})`,
    log2: (a) => `log2(${a})`,
  };
  return fold(tree, b);
}

/** A comparison as compiled: derived quantities, `_next` (one exact GD step) and constants are inlined in lhsExact and rhsExact. */
function comparisonText(c: CompiledComparison): CertComparison {
  return { text: c.text, rel: c.rel, lhs: exprText(c.lhsExact), rhs: exprText(c.rhsExact) };
}

/** `eventually` from exactly T_event with an event: asserted as after-event (box-reach.ts decides it so). */
function fromTheEvent(lemma: CompiledLemma): boolean {
  const q = lemma.quantifier as { kind: string; from?: unknown };
  return q.kind === 'eventually' && typeof q.from === 'string' && q.from.trim() === 'T_event' && lemma.event !== undefined;
}

/**
 * The certificate of a lemma's boxes: from the compiled lemma, its units' leaves and the kept-set result, with
 * the fractions the row states (summary). A leaf that entered a set not proved kept is open, as summarize counts it.
 */
export function reachCertificate(model: DerivedModel, lemma: CompiledLemma, units: readonly ReachUnit[], kept: KeptResult | null, summary: ReachSummary): ReachCertificate {
  const cmp = comparisonText;
  const root = hypothesisBox(lemma);
  const box: Record<string, [string, string]> = {};
  for (const p of model.params) box[p] = [String(root.params[p]![0]), String(root.params[p]![1])];
  for (const h of model.hypers) box[h] = [String(root.hypers[h]![0]), String(root.hypers[h]![1])];
  const afterEvent = lemma.quantifier.kind === 'after-event' || fromTheEvent(lemma);
  const kind = afterEvent ? 'after-event' : lemma.quantifier.kind === 'invariant' ? 'invariant' : 'every-step';
  const I = reachInvariant(lemma);
  // The boxes read the set only where its use obligation is proved (verify.ts, runReachUnit).
  const invariant = I.length > 0 && kept?.use ? { relations: invariantRelations(model, lemma, I).map(cmp), use: true, kept: kept.kept } : null;
  const isKept = kept?.status === 'proved';
  const leaves = units.flatMap((u) =>
    u.leaves.map((l): ReachCertLeaf => {
      const state: LeafState = l.state === 'entered' && !isKept ? 'open' : l.state;
      return { path: l.path, box: l.box, state, step: l.step, ...(l.refutation ? { refutation: l.refutation.text } : {}) };
    }),
  );
  return {
    format: REACH_FORMAT,
    model: { name: model.spec.name, loss: model.spec.loss, params: [...model.params], hypers: [...model.hypers], projection: model.spec.projection !== undefined },
    step: Object.fromEntries(model.params.map((p, i) => [p, exprText(model.step[i]!)])),
    box,
    where: lemma.where.map(cmp),
    along: lemma.along.map(cmp),
    when: lemma.when.map(cmp),
    event: afterEvent && lemma.event ? cmp(lemma.event) : null,
    statements: lemma.statements.map(cmp),
    kind,
    quantifier: lemma.quantifier.kind,
    horizon: lemma.steps,
    everyT: lemma.quantifier.kind === 'invariant',
    invariant,
    fractions: { proved: summary.fractions.proved, upToT: summary.fractions.upToT, outside: summary.fractions.outside },
    leaves,
  };
}
