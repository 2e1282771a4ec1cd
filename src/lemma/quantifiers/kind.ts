/**
 * What one quantifier kind is, as one module (src/lemma/quantifiers/<kind>.ts): the fields a lemma
 * gives it, the symbol rules, whether it is decided in float64 only, how the checker runs it, and the
 * line the README's table shows. The lemma compiler validates and compiles the fields the kind
 * declares, and the trajectory checker drives the kind's per-lane state machine through
 * `IterateContext`; neither has a case per kind.
 */

/**
 * How a field is read: premises (a comparison or a list), one comparison, an expression at t or at the start, or
 * slack certificates of the statements ({relation, terms, weight}: each relation one of the statements).
 */
export type FieldType = 'comparisons' | 'comparison' | 'state-expression' | 'start-expression' | 'certificates';

export interface FieldSpec {
  type: FieldType;
  required: boolean;
  /** Why a missing required field is needed, for the error message. */
  why?: string;
  /** Comparisons compiled into the lemma's `when` premises (what the sampled state machine reads by `holds('when')`). */
  asWhen?: boolean;
}

/**
 * What the checker offers a kind at one iterate t inside the lemma's hypotheses (the `along` ones
 * hold). Premises are three-valued underneath; `holds` is true only where every premise is defined
 * and true (README, "Partial terms").
 */
export interface IterateContext {
  readonly t: number;
  /** The last step T. */
  readonly T: number;
  /** The lemma has an event. */
  readonly hasEvent: boolean;
  holds(field: 'when' | 'event' | 'trigger'): boolean;
  /** The event first held at t: T_event = t from now on (constants that use it are recomputed). */
  markEvent(): void;
  /** The value of an expression field at t (`from`). */
  value(field: 'from'): number;
  /**
   * The `within` window's length at t as two step counts: equal where it is decided, else the two ceilings of its
   * enclosure (lower < upper), with why it is undecided.
   */
  window(): { lower: number; upper: number; why: string | null };
  /** An iterate whose window length was undecided (at step `at`, for `why`) and mattered: counted undecided. */
  undecidedWindow(at: number, why: string): void;
  /** An iterate where the claim is asserted: counts it, records the tightness figure, decides the statements, reports a violation. */
  assert(failure: (text: string) => string): void;
  /** The statements hold at t (decided without recording a tightness figure). */
  statementsHold(): boolean;
  /** A premise iterate that asserts nothing by itself (a `within` trigger). */
  countPremise(): void;
  /** The claim failed for want of an iterate (a trigger at `from` waited beyond `deadline`). */
  failLate(from: number, deadline: number, text: string): void;
}

/**
 * What a state machine's `step` does at every iterate from the current one on, as long as only `when` premises and
 * statements are read: assert the statements ('assert'), assert them where `when` holds ('assert-when'), or nothing
 * ('idle'), for the iterates t < `until`. The trajectory checker then runs those iterates in its steady loop
 * (check/steady-run.ts) without calling `step`; an iterate that loop cannot settle goes through `step` as usual.
 */
export interface Steady {
  does: 'assert' | 'assert-when' | 'idle';
  until: number;
  /** The event has not happened yet: each iterate reads it first, and one where it may hold goes through `step`. */
  watchEvent?: boolean;
  /** No trigger waits: each iterate reads the triggers, and one where they may all hold goes through `step`. */
  watchTrigger?: boolean;
}

/** A per-lane state machine: `step` at every iterate in order, from t = 0. */
export interface LaneRun {
  step(ctx: IterateContext): void;
  /**
   * What `step` would do from ctx.t on (see Steady), or undefined while the machine waits for something it must
   * see at each iterate itself (an event, a trigger). Reading it changes nothing.
   */
  steady?(ctx: IterateContext): Steady | undefined;
}

export interface QuantifierKind {
  kind: string;
  /** Fields besides `kind`, by name. */
  fields: Record<string, FieldSpec>;
  /**
   * How the checker runs it: 'prove' (identities: expansion or Z3, never sampled), 'flow' (once, at
   * the gradient-flow limit of the start), 'trajectory' (the state machine at every iterate).
   */
  mode: 'prove' | 'flow' | 'trajectory';
  /** Decided in float64 only (the report says so). */
  floatOnly: boolean;
  /** `_next` is available (at-end has no next iterate). */
  allowsNext: boolean;
  /** The iterate T is checked even without a computed successor (at-end with `_next` is refused anyway). */
  checksLastWithoutNext: boolean;
  /** For mode 'trajectory': a fresh state machine per trajectory. */
  start?: () => LaneRun;
  /** The README's description: which iterates the statement is tested at. */
  tested: string;
  /** The claim's premise as a sentence a row shows before the statement, with the lemma's own expressions. */
  sentence(terms: QuantifierTerms, steps: number): SentencePart[];
  /**
   * A claim about every start and every t that a proof by induction decides before any sampling
   * (check/induction.ts): an inductive invariant, or a ranking function that leads to a target set.
   * Where the proof does not go through, the kind's state machine checks the claim by sampling.
   */
  proof?: 'invariant' | 'leads-to';
  /** Problems of the combination of fields (each field alone is checked by its FieldSpec). */
  validate?(fields: Readonly<Record<string, unknown>>): { field: string; detail: string }[];
}

/** An expression of a quantifier field as written and typeset. */
export interface Term {
  text: string;
  latex: string;
}

/** A quantifier's fields as the lemma gave them (comparisons and expressions), by field name. */
export type QuantifierTerms = Readonly<Record<string, readonly Term[]>>;

/** Words, or an expression (a report shows its text, a page typesets its LaTeX). */
export type SentencePart = string | Term;

/** "A and B and C" of a field's expressions (none: no parts). */
export function conjunction(terms: readonly Term[] | undefined): SentencePart[] {
  return (terms ?? []).flatMap((t, i) => (i === 0 ? [t] : [' and ', t]));
}

/** ", where W" for the `when` premises (none given: nothing). */
export function wherePremises(terms: QuantifierTerms): SentencePart[] {
  return terms.when?.length ? [', where ', ...conjunction(terms.when)] : [];
}

/** A sentence as plain text (the text report, a title attribute). */
export function sentenceText(parts: readonly SentencePart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');
}

/**
 * Whether the lemma's event has happened by the iterate in `ctx`: the first iterate where it holds
 * sets T_event (constants using it are recomputed). A lemma without an event never sees one.
 */
export function eventTracker(): ((ctx: IterateContext) => boolean) & { readonly settled: (ctx: IterateContext) => boolean } {
  let seen = false;
  const f = (ctx: IterateContext) => {
    if (ctx.hasEvent && !seen && ctx.holds('event')) {
      seen = true;
      ctx.markEvent();
    }
    return seen;
  };
  // Nothing left to watch: the lemma has no event, or it has happened.
  return Object.assign(f, { settled: (ctx: IterateContext) => seen || !ctx.hasEvent });
}

/**
 * The `reach` field (a box budget) of the kinds that certified reachability from boxes of starts can decide
 * (check/box-reach.ts). A count, written as a string like every field ('64'): declared as a start expression
 * so the compiler parses it, and held to a positive integer by validateReach.
 */
export const REACH_FIELD: FieldSpec = { type: 'start-expression', required: false };

/** A `reach` field that is not a box budget, as a problem of the lemma (none when absent or well formed). */
export function validateReach(fields: Readonly<Record<string, unknown>>): { field: string; detail: string }[] {
  const r = fields.reach;
  if (r === undefined || r === null) return [];
  return typeof r === 'string' && /^\s*[1-9][0-9]*\s*$/.test(r) && Number(r) <= 1_000_000
    ? []
    : [{ field: 'quantifier.reach', detail: `must be a box budget: a positive integer up to 1000000, written as a string ('64'), got ${JSON.stringify(r)}` }];
}
