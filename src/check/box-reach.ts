/**
 * Certified reachability from boxes of starts (issue 24 item 3): a trajectory lemma decided for EVERY start
 * and hyperparameter in its hypothesis box, not for sampled ones, by the box-orbit engine
 * (dynamics/box-orbit.ts: enclosures of every orbit from a box, Lohner doubleton) and its subdivision
 * (dynamics/box-split.ts). Kinds: every-step, after-event, eventually from exactly T_event (after-event's
 * claim), each through the lemma's horizon T, and invariant, for every t; a lemma asks with its quantifier's
 * `reach` field (a box budget).
 *
 * The hypothesis box (init ranges x hyper ranges, fixed values as the doubles GD runs with) is cut into
 * REACH_UNITS top boxes by fixed midpoint splits (the units of --shard and the worker pool: each is
 * decided alone, with its share of the box budget), and each is subdivided breadth-first under that
 * budget. On every box the lemma's relations are decided on the enclosures (three-valued, never a guess):
 * - `where` at the start: certainly false on the whole box: the box is outside the hypotheses
 *   (discarded); undecided: the box straddles them and is checked whole (a proof for every point of it
 *   covers its admissible part);
 * - at each step t: the `along` hypotheses (certainly failing on the whole enclosure: every orbit has left
 *   them, nothing more is claimed), the premises (`when`; the event of after-event, asserted from the first
 *   step where it may hold: more than the claim asks, so sound), then the statement, which must be
 *   certainly true (or undefined at every enclosed point, as the sampled check skips such a term) wherever
 *   a premise may hold; otherwise the box looks ahead REACH_LOOKAHEAD steps for a certain violation, then
 *   is split;
 * - with a set I the lemma names (quantifier.invariant) proved to imply the statement (box-invariant.ts,
 *   use), an enclosure certainly inside I decides its step; with I also proved kept by the step
 *   (consecution), the enclosure at step s certainly inside I finishes the box for every t >= s.
 * A box whose statement is certainly false at step t while every premise certainly holds is refuted if
 * an exact start inside it (a double point satisfying the hypotheses) is certified to violate the claim on
 * its true orbit (check/certify.ts, the same lemma's quantifier); otherwise it is split like an undecided one.
 *
 * Volumes are exact: a leaf at depth d (d halvings of one coordinate each) is 2^-d of the root box, in
 * the box's linear coordinates (a log-scale range is measured linearly here). Everything is a count:
 * the box budget, the horizon, the precision; no clock.
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma, DrawSpec } from '../lemma/compile.js';
import { CertifiedStatement, type Box, type StepEnclosure, type StatementDecision } from '../dynamics/certified-orbit.js';
import type { StartBox, StepVerdict } from '../dynamics/box-orbit.js';
import { splitBox, subdivide } from '../dynamics/box-split.js';
import { DyadicArith } from '../numeric/dyadic.js';
import { Rational } from '../numeric/rational.js';
import { nextDown, nextUp } from '../numeric/float-interval.js';
import { constantToRational } from '../symbolic/rational-function.js';
import type { Point } from './outcome.js';

/** Working precision of the box orbits (bits). */
export const REACH_BITS = 128;
/** Top boxes of the hypothesis box: the units the box budget is shared among (and that shards and workers take). */
export const REACH_UNITS = 8;
/**
 * Steps a box whose statement became undecided is enclosed further, looking for a step where the statement
 * fails on its whole enclosure (a candidate refutation), before it is split.
 */
export const REACH_LOOKAHEAD = 64;
/** The quantifier kinds a box can decide. */
export const REACH_KINDS = ['every-step', 'after-event', 'invariant'] as const;

export type LeafState = 'proved' | 'entered' | 'left' | 'outside' | 'refuted' | 'open';

export interface ReachLeaf {
  /** Unit index (one digit per top-level split, '0' lower half) then the subdivision's path. */
  path: string;
  /** The leaf is 2^-depth of the hypothesis box. */
  depth: number;
  /** Each coordinate's exact range, "lo..hi" as rationals (p/q). */
  box: Record<string, string>;
  /**
   * proved: the statement decided true at every asserted step through the horizon; entered: the enclosure
   * lay inside the proved invariant set at `step` (every later t covered) after the statement held before;
   * left: every orbit had left the `along` hypotheses at `step` (nothing claimed later); outside: the box
   * fails a `where` relation at every point; refuted: a certified counterexample inside it; open: undecided
   * within the budget (`why`).
   */
  state: LeafState;
  step: number | null;
  /** The box straddles a `where` relation (undecided there); it was checked whole. */
  straddles: boolean;
  why: string | null;
  /** refuted: the exact start and the step of the certified violation, and the certificate's sentence. */
  refutation: { point: Point; step: number; statement: string; text: string } | null;
}

export interface ReachUnit {
  unit: number;
  /** Boxes enclosed in this unit (<= its budget). */
  enclosed: number;
  /** Box-steps enclosed and decided in this unit (every box's steps, split ones included): the unit's work, a count. */
  boxSteps: number;
  /**
   * Leaves that show the claim is not vacuous: at some step every premise (the `along` hypotheses, the event,
   * `when`) certainly held on the whole enclosure and the statement was asserted there, or the box entered the
   * invariant set. A whole volume proved without one such leaf claimed nothing anywhere, as a sampled row whose
   * premise never held (verify.ts, reachVerdict).
   */
  witnessed: number;
  leaves: ReachLeaf[];
}

export interface ReachOptions {
  /** Boxes enclosed in all, shared equally by the units (at least one each). */
  budget: number;
  /** The relations of the set the lemma names (quantifier.invariant), or none. */
  invariant?: readonly CompiledComparison[];
  /** The set implies the statement (its use obligation proved): an enclosure inside it decides that step. */
  use?: boolean;
  /** The set is also kept by the step (consecution proved): an enclosure inside it decides every later step. */
  kept?: boolean;
  /** A start that satisfies every hypothesis (ranges and `where`), decided as the sampled check decides draws. */
  admits: (p: Point) => boolean;
  /** The claim violated on the true orbit from this exact start (at or before `step`): the certificate's sentence, or null. */
  certify: (p: Point, step: number, statement: string) => string | null;
  bits?: number;
}

/**
 * Why a lemma cannot be decided on boxes (null: it can), from the lemma alone (shards and workers plan
 * their units without a model); a relation without a certified enclosure is caught by reachUnit.
 */
export function reachUnsupported(lemma: CompiledLemma): string | null {
  if (fromTheEvent(lemma)) return reachUnsupported({ ...lemma, quantifier: { kind: 'after-event', event: '' } });
  if (!(REACH_KINDS as readonly string[]).includes(lemma.quantifier.kind)) return `a ${lemma.quantifier.kind} lemma is not decided on boxes (kinds: ${REACH_KINDS.join(', ')}, and eventually from T_event)`;
  if (lemma.floatOnly) return 'it reads quantities with no certified enclosure (float64 only)';
  const all = [...lemma.statements, ...lemma.when, ...lemma.along, ...lemma.where, ...(lemma.event ? [lemma.event] : [])];
  if (all.some((c) => c.uses.has('T_event'))) return 'a relation reads T_event, which differs between the orbits of a box';
  return null;
}

const asCertified = (c: CompiledComparison) => ({ lhs: c.lhsExact, rel: c.rel, rhs: c.rhsExact });

/** `eventually` from exactly T_event with an event: the claim of after-event (every t from the event's first step). */
function fromTheEvent(lemma: CompiledLemma): boolean {
  const q = lemma.quantifier as { kind: string; from?: unknown; event?: unknown };
  return q.kind === 'eventually' && typeof q.from === 'string' && q.from.trim() === 'T_event' && lemma.event !== undefined;
}

function programs(model: DerivedModel, lemma: CompiledLemma, invariant: readonly CompiledComparison[] | undefined) {
  const make = (cs: readonly CompiledComparison[]) => (cs.length > 0 ? new CertifiedStatement(model, cs.map(asCertified)) : null);
  return {
    statements: make(lemma.statements)!,
    when: make(lemma.when),
    along: make(lemma.along),
    where: make(lemma.where),
    event: (lemma.quantifier.kind === 'after-event' || fromTheEvent(lemma)) && lemma.event ? make([lemma.event]) : null,
    invariant: invariant && invariant.length > 0 ? make(invariant) : null,
    whenInSet: premisesInSet(lemma.when, invariant),
  };
}

/**
 * The `when` premises hold every relation of the set (as written, spaces aside): a point where they hold lies in the
 * set, where its use obligation decides the statement, so no step asks for the statement on an enclosure.
 */
export function premisesInSet(when: readonly { text: string }[], set: readonly { text: string }[] | undefined): boolean {
  const squash = (t: string) => t.replace(/\s+/g, '');
  const premises = new Set(when.map((c) => squash(c.text)));
  return set !== undefined && set.length > 0 && set.every((c) => premises.has(squash(c.text)));
}

/** The hypothesis box: a range's exact decimal ends, a fixed value as the double GD runs with. */
export function hypothesisBox(lemma: CompiledLemma): StartBox {
  const range = (d: DrawSpec): readonly [Rational, Rational] => {
    if ('fixed' in d.draw) {
      const x = Rational.fromDouble(d.draw.fixed);
      return [x, x];
    }
    return [constantToRational(d.draw.min), constantToRational(d.draw.max)];
  };
  return {
    params: Object.fromEntries(lemma.initDraws.map((d) => [d.name, range(d)])),
    hypers: Object.fromEntries(lemma.hyperDraws.map((d) => [d.name, range(d)])),
  };
}

/** How many units reachUnits gives, from the lemma alone: REACH_UNITS when a coordinate ranges, else 1 (the box is one point). */
export function reachUnitCount(lemma: CompiledLemma): number {
  const ranged = [...lemma.initDraws, ...lemma.hyperDraws].some((d) => !('fixed' in d.draw) && constantToRational(d.draw.min).lt(constantToRational(d.draw.max)));
  return ranged ? REACH_UNITS : 1;
}

/** The REACH_UNITS top boxes in path order: breadth-first midpoint splits of the coordinate widest relative to the root. */
export function reachUnits(model: DerivedModel, root: StartBox): { path: string; box: StartBox }[] {
  let level = [{ path: '', box: root }];
  while (level.length < REACH_UNITS) {
    const next: typeof level = [];
    for (const b of level) {
      const halves = splitBox(model, b.box, root);
      if (!halves) return level;
      halves.forEach((h, i) => next.push({ path: b.path + i, box: h }));
    }
    level = next;
  }
  return level;
}

/** "2: 0..1/2 " style text of a box's ranges. */
function boxText(model: DerivedModel, b: StartBox): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of model.params) out[p] = `${b.params[p]![0]}..${b.params[p]![1]}`;
  for (const h of model.hypers) out[h] = `${b.hypers[h]![0]}..${b.hypers[h]![1]}`;
  return out;
}

/** A double inside [lo, hi] near its midpoint (lo itself when lo = hi, which is then a double). */
function doubleIn([lo, hi]: readonly [Rational, Rational]): number | undefined {
  if (!lo.lt(hi)) return lo.toNumber();
  let x = lo.add(hi).div(Rational.fromInt(2)).toNumber();
  if (Rational.fromDouble(x).lt(lo)) x = nextUp(x);
  if (Rational.fromDouble(x).gt(hi)) x = nextDown(x);
  const r = Rational.fromDouble(x);
  return r.lt(lo) || r.gt(hi) ? undefined : x;
}

/** What the visitor learned about one box, by path. */
interface BoxNote {
  state?: Exclude<LeafState, 'open'>;
  step?: number;
  straddles: boolean;
  why?: string;
  refutation?: ReachLeaf['refutation'];
  /** A step where every premise certainly held on the whole enclosure and the statement was asserted. */
  witnessed?: boolean;
}

const holdsAll = (ds: StatementDecision[]) => ds.every((d) => d === true);
const failsSome = (ds: StatementDecision[]) => ds.some((d) => d === false || d === 'undefined');

/** Decide unit `unit` (an index into reachUnits) of the lemma's hypothesis box. */
export function reachUnit(model: DerivedModel, lemma: CompiledLemma, unit: number, opts: ReachOptions): ReachUnit {
  const units = reachUnits(model, hypothesisBox(lemma));
  const top = units[unit];
  if (!top || units.length !== reachUnitCount(lemma)) throw new RangeError(`unit ${unit}: the hypothesis box has ${units.length} units`);
  const bits = opts.bits ?? REACH_BITS;
  const P = programs(model, lemma, opts.invariant);
  const kind = fromTheEvent(lemma) ? 'after-event' : lemma.quantifier.kind;
  const needsNext = lemma.suffixes.has('_next');
  const T = lemma.steps;
  const notes = new Map<string, BoxNote>();
  let boxSteps = 0;
  const texts = lemma.statements.map((s) => s.text);

  const visitor = (box: StartBox, path: string) => {
    const note: BoxNote = { straddles: false };
    notes.set(path, note);
    let theta0: Box | undefined;
    let prev: Box | undefined;
    let alongCertain = true;
    let eventPossible = kind !== 'after-event';
    let eventCertain = kind !== 'after-event';
    /** The first undecided step, while the box looks ahead for a certain violation. */
    let pending: { why: string; until: number } | undefined;
    const stop = (state: BoxNote['state'], step: number, why?: string): StepVerdict => {
      note.state = state;
      note.step = step;
      if (why) note.why = why;
      return state === 'refuted' ? 'refuted' : 'finished';
    };
    const split = (why: string): StepVerdict => {
      note.why = why;
      return 'split';
    };
    /** Try to refute: an exact admissible start inside the box, certified to violate the claim by step t. */
    const refute = (t: number, statement: string): StepVerdict => {
      const hyper: Record<string, number> = {};
      const init: Record<string, number> = {};
      for (const h of model.hypers) {
        const x = doubleIn(box.hypers[h]!);
        if (x === undefined) return split(`the statement fails at step ${t} on the whole enclosure, but the box holds no double start`);
        hyper[h] = x;
      }
      for (const p of model.params) {
        const x = doubleIn(box.params[p]!);
        if (x === undefined) return split(`the statement fails at step ${t} on the whole enclosure, but the box holds no double start`);
        init[p] = x;
      }
      const point = { hyper, init };
      if (!opts.admits(point)) return split(`the statement fails at step ${t} on the whole enclosure, but the box's midpoint is outside the hypotheses`);
      const text = opts.certify(point, t, statement);
      if (text === null) return split(`the statement fails at step ${t} on the whole enclosure, but the violation was not certified on the true orbit from the box's midpoint`);
      note.refutation = { point, step: t, statement, text };
      return stop('refuted', t);
    };
    return (s: number, hull: Box, hyper: Box, A: DyadicArith): StepVerdict => {
      boxSteps++;
      if (s === 0) {
        theta0 = hull;
        if (P.where) {
          const ds = P.where.decideEach({ t: 0, theta: hull, theta0: hull, hyper, A });
          if (failsSome(ds)) return stop('outside', 0);
          if (!holdsAll(ds)) note.straddles = true;
        }
      }
      // Inside the invariant set at s: every step from s on is covered (consecution, then use); the steps
      // before s were decided already (with `_next`, step s - 1 is decided first, below).
      const inSet = (theta: Box, t: number) => P.invariant !== null && theta0 !== undefined && holdsAll(P.invariant.decideEach({ t, theta, theta0, hyper, A }));
      const entered = () => opts.kept === true && opts.use === true && inSet(hull, s);
      if (!needsNext && !pending && entered()) return stop('entered', s);
      // With `_next`, step t is decided when the enclosure of t + 1 arrives.
      const t = needsNext ? s - 1 : s;
      const theta = needsNext ? prev : hull;
      prev = hull;
      if (t >= 0 && t <= T && theta !== undefined) {
        const at: StepEnclosure = { t, theta, next: needsNext ? hull : undefined, theta0, hyper, A };
        if (P.along) {
          const ds = P.along.decideEach(at);
          if (failsSome(ds)) return pending ? split(pending.why) : stop('left', t);
          if (!holdsAll(ds)) alongCertain = false;
        }
        if (P.event && !eventCertain) {
          const d = P.event.decide(at);
          if (d === true) eventPossible = eventCertain = true;
          else if (d === 'undecided') eventPossible = true;
        }
        let asserted = eventPossible;
        let premisesCertain = alongCertain && eventCertain;
        if (asserted && P.when) {
          const ds = P.when.decideEach(at);
          if (failsSome(ds)) asserted = false;
          else if (!holdsAll(ds)) premisesCertain = false;
        }
        // An enclosure inside a set that implies the statement (use) decides the step, whatever the statement's own enclosure says.
        if (asserted && opts.use === true && (P.whenInSet || inSet(theta, t))) asserted = false;
        if (asserted) {
          if (premisesCertain) note.witnessed = true;
          const ds = P.statements.decideEach(at);
          const bad = ds.findIndex((d) => d === false);
          if (bad >= 0) return premisesCertain ? refute(t, texts[bad]!) : split(`"${texts[bad]}" fails at step ${t} on the whole enclosure, where the premises may not hold`);
          const und = ds.findIndex((d) => d === 'undecided');
          // Undecided here, but a certain violation may follow (the enclosure still crosses the bound): look
          // ahead a fixed count of steps before splitting.
          if (und >= 0 && !pending) {
            pending = { why: `"${texts[und]}" undecided at step ${t}`, until: t + REACH_LOOKAHEAD };
            note.why = pending.why;
          }
        }
        if (pending && (t >= pending.until || t >= T)) return split(pending.why);
      }
      if (needsNext && !pending && entered()) return stop('entered', s);
      return 'continue';
    };
  };

  const horizon = needsNext ? T + 1 : T;
  const perUnit = Math.max(1, Math.floor(opts.budget / units.length));
  const sub = subdivide(model, top.box, horizon, { bits, maxBoxes: perUnit, keepHulls: false, visitor: (b, path) => visitor(b, path) });
  const leaves: ReachLeaf[] = sub.leaves.map((l) => {
    const note = notes.get(l.path) ?? { straddles: false };
    const path = top.path + l.path;
    const base = { path, depth: path.length, box: boxText(model, l.box), straddles: note.straddles, refutation: note.refutation ?? null };
    if (l.state === 'finished' && note.state) return { ...base, state: note.state, step: note.step ?? null, why: null };
    if (l.state === 'finished') return { ...base, state: 'proved' as const, step: T, why: null };
    if (l.state === 'refuted') return { ...base, state: 'refuted' as const, step: note.step ?? null, why: null };
    const end =
      l.orbit.status === 'too-wide'
        ? `the enclosure of ${l.orbit.wideParam} grew too wide at step ${l.orbit.steps}`
        : l.orbit.status === 'not-enclosed'
          ? `the orbit could not be enclosed past step ${l.orbit.steps} (${l.orbit.detail ?? ''})`
          : undefined;
    const why = note.why && end ? `${note.why}, then ${end}` : (note.why ?? end ?? `stopped at step ${l.orbit.steps}`);
    return { ...base, state: 'open' as const, step: l.orbit.steps, why: `${why}; the budget allows no further split` };
  });
  const witnessed = sub.leaves.filter((l) => {
    const n = notes.get(l.path);
    return n?.witnessed === true || (l.state === 'finished' && n?.state === 'entered');
  }).length;
  return { unit, enclosed: sub.enclosed, boxSteps, witnessed, leaves };
}

export interface ReachSummary {
  /** The box budget and the boxes enclosed. */
  budget: number;
  enclosed: number;
  /** Box-steps enclosed and decided (the work, a count). */
  boxSteps: number;
  units: number;
  horizon: number;
  /** The proved invariant set the boxes could enter, as written (null: none). */
  invariant: string[] | null;
  /**
   * Exact fractions (rationals as "p/q") of the hypothesis volume: the root box minus the boxes certainly
   * outside the `where` relations. everyT: boxes that entered the invariant set (or whose orbits all left
   * the `along` hypotheses), for a claim for every t (always 0 for a claim through the horizon, which has no
   * later steps); upToT: boxes decided at every step through the horizon; proved: their sum, or everyT alone
   * for a claim for every t.
   */
  fractions: { proved: string; everyT: string; upToT: string; refuted: string; open: string; outside: string };
  /** The same as percentages, rounded down (proved, everyT, upToT) or up (open, refuted). */
  percent: { proved: string; everyT: string; upToT: string; refuted: string; open: string };
  leaves: number;
  /** The refuted leaves (in path order) with their certified counterexamples. */
  refuted: ReachLeaf[];
  /** The first open leaves (at most 5) and why each stayed open. */
  open: { path: string; why: string }[];
}

function pct(r: Rational, up: boolean): string {
  // Percent with one decimal, rounded in the stated direction: a proved share is never overstated.
  const x = r.mul(Rational.fromInt(1000));
  const n = up ? x.ceil() : x.floor();
  return `${n / 10n}.${n % 10n}%`;
}

/**
 * Every unit's leaves folded into the row's summary (units in order: the same from any shard split). A box
 * that entered a set not proved invariant (`kept` false) is open: nothing covers its later steps.
 * everyTOnly: the claim is for every t (kind invariant), so a box decided only through the horizon is not
 * proved; otherwise the claim ends at the horizon, and a box whose orbits all left the `along` hypotheses
 * (nothing claimed later) counts as decided through it like one decided at every step: everyT is then 0.
 */
export function summarize(units: readonly ReachUnit[], budget: number, horizon: number, invariant: string[] | null, kept: boolean, everyTOnly: boolean): ReachSummary {
  const zero = Rational.fromInt(0);
  const sum = { proved: zero, entered: zero, refuted: zero, open: zero, outside: zero };
  const leaves = units.flatMap((u) =>
    u.leaves.map((l): ReachLeaf => (l.state === 'entered' && !kept ? { ...l, state: 'open', why: `entered the set at step ${l.step}, which is not proved invariant` } : l)),
  );
  for (const l of leaves) {
    const v = Rational.of(1n, 1n << BigInt(l.depth));
    const k = l.state === 'entered' || l.state === 'left' ? (everyTOnly ? 'entered' : 'proved') : l.state;
    sum[k] = sum[k].add(v);
  }
  const inside = Rational.fromInt(1).sub(sum.outside);
  const frac = (r: Rational) => (inside.isZero() ? zero : r.div(inside));
  const everyT = frac(sum.entered);
  // A claim for every t counts a box decided only through the horizon as not proved.
  const upToT = frac(sum.proved);
  const proved = everyTOnly ? everyT : everyT.add(upToT);
  return {
    budget,
    enclosed: units.reduce((n, u) => n + u.enclosed, 0),
    boxSteps: units.reduce((n, u) => n + u.boxSteps, 0),
    units: units.length,
    horizon,
    invariant: kept ? invariant : null,
    fractions: { proved: String(proved), everyT: String(everyT), upToT: String(upToT), refuted: String(frac(sum.refuted)), open: String(frac(sum.open)), outside: String(sum.outside) },
    percent: { proved: pct(proved, false), everyT: pct(everyT, false), upToT: pct(upToT, false), refuted: pct(frac(sum.refuted), true), open: pct(frac(sum.open), true) },
    leaves: leaves.length,
    refuted: leaves.filter((l) => l.state === 'refuted'),
    open: leaves.filter((l) => l.state === 'open').slice(0, 5).map((l) => ({ path: l.path, why: l.why ?? '' })),
  };
}

/** The proved fraction is the whole hypothesis volume (exactly), and that volume is not empty. */
export function wholeVolume(s: ReachSummary): boolean {
  return s.fractions.proved === '1' && s.fractions.outside !== '1';
}
