/**
 * The two extremes a trajectory check keeps from rigorous values: the worst margin of the decided statements,
 * and the largest needed value of a lemma's tightness figure. Both run at every iterate where they are offered
 * one, so both compare cheap keys there (doubles, or midpoints of enclosures) and make a figure (exact work where
 * the enclosures are not tight) only for a candidate that can still be the extreme.
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison, CompiledLemma } from '../lemma/compile.js';
import { Interval } from '../numeric/interval.js';
import { Rational } from '../numeric/rational.js';
import { marginOf, type Decision, type ExactContext, type Margin } from './decide.js';
import { figureOf, slackFigure, valueFigure, type Figure } from './figures.js';
import { FI_OK } from '../numeric/outward.js';
import { add as extAdd, cmp as extCmp, ext, mul as extMul, toNumber as extToNumber, type ExtFloat } from '../numeric/extfloat.js';
import { GiveUp } from '../numeric/double-double.js';
import type { DDKernel } from '../symbolic/dd-kernel.js';
import type { IterateState } from './iterate-state.js';

/**
 * Lowers the run's worst slack (the search's score) to `value` at step t: finite values only, as it always was (a
 * score that sees margins below the double range drives the search into degenerate starts no comparison can decide:
 * scalar-d2's balanced starts, phi = 2 exactly).
 */
export function lowerWorstSlack(res: { worstSlack: { value: number; step: number } | null }, value: number, t: number): void {
  if (Number.isFinite(value) && (res.worstSlack === null || value < res.worstSlack.value)) res.worstSlack = { value, step: t };
}

/**
 * The worst margin of the decided statements: `key` orders candidates (extended: a margin of 1e-4472 is
 * Number.MIN_VALUE as a double), `figure` makes its figure when first called, at the candidate's own iterate.
 */
export class WorstMargin {
  private worst: { key: ExtFloat; value: number; step: number; figure: () => Figure } | null = null;

  constructor(
    private readonly model: DerivedModel,
    private readonly exact: () => ExactContext,
  ) {}

  private set(key: ExtFloat, step: number, figure: () => Figure): void {
    this.worst = { key, value: clampedNumber(key), step, figure };
  }

  /**
   * Offers a decided comparison's margin as the worst; returns its figure where the decision failed (the
   * violation's margin). Candidates are ordered as the search's slack orders them, by the midpoint of what the
   * decision knew (in doubles where that is the margin: this runs at every iterate), and a figure is made only
   * for the worst at the end: a margin shrinking at every step costs one figure per trajectory, not one per step.
   * An enclosure of the margin that reaches 0 says nothing of its magnitude (a margin of 1e-600 next to an S
   * enclosed to 1e-30): that one is refined at once, and ordered by its figure.
   */
  offer(d: Extract<Decision, { how: 'float' | 'exact' }>, c: CompiledComparison, t: number): (() => Figure) | undefined {
    const worst = this.worst;
    const m = d.margin;
    if (m === undefined) {
      const value = d.slack;
      this.offerSlack(value, t);
      return d.holds === false ? () => ({ value }) : undefined;
    }
    const holds = d.holds;
    if (holds === false || m.lo.m * m.hi.m > 0) {
      const key = midpoint(m);
      if (holds !== false && worst !== null && extCmp(key, worst.key) >= 0) return undefined;
      const at = this.exact();
      const figure = once(() => figureOf(slackFigure(this.model, c, holds, at, m.enclosure())));
      if (worst === null || extCmp(key, worst.key) < 0) this.set(key, t, figure);
      return figure;
    }
    if (worst !== null && extCmp(m.lo, worst.key) >= 0) return undefined;
    const e = slackFigure(this.model, c, holds, this.exact(), m.enclosure());
    const key = midpoint(marginOf(e));
    if (worst === null || extCmp(key, worst.key) < 0) {
      const f = figureOf(e);
      this.set(key, t, () => f);
    }
    return undefined;
  }

  /** Offers a margin that is its own figure (a decision without a Margin: its slack). */
  offerSlack(value: number, t: number): void {
    const worst = this.worst;
    if (Number.isFinite(value) && (worst === null || value < worst.value || (value === worst.value && extCmp(ext(value), worst.key) < 0))) this.set(ext(value), t, () => ({ value }));
  }

  /** The worst margin's double so far (Infinity: none): an offer above it changes nothing. */
  smallest(): number {
    return this.worst === null ? Infinity : this.worst.value;
  }

  result(): { value: number; step: number; figure: () => Figure } | null {
    const w = this.worst;
    return w ? { value: w.value, step: w.step, figure: w.figure } : null;
  }
}

/** The largest needed value of a lemma's tightness figure over a trajectory, from rigorous values, and its ratio to the constant. */
export class NeededMax {
  /** The largest needed value (a double; -Infinity: none yet) and its ratio to the constant (null: none). */
  max = -Infinity;
  maxRatio: number | null = null;
  /** The largest value's enclosure where its double (max) does not say it. */
  private enclosure: Interval | null = null;
  /** The largest value that is its own double since the constants last changed: enclosures below it cannot change max. */
  private pruneBelow = -Infinity;
  private readonly out = new Float64Array(2);
  private readonly dd = new Float64Array(3);
  /** ddValue's last answer was NaN for want of precision only (tighter S enclosures may give one). */
  private ddImprecise = false;
  private readonly constSlot: number;
  private readonly exact: () => ExactContext;

  constructor(
    private readonly model: DerivedModel,
    private readonly lemma: CompiledLemma,
    private readonly state: IterateState,
    /** Try the double-double kernel before the interval one (CheckOptions.neededDDFirst). */
    private readonly ddFirst = true,
  ) {
    this.constSlot = lemma.tightness ? lemma.slots.get(lemma.tightness.constant)! : -1;
    this.exact = () => state.exact();
  }

  /** The constants changed (an event fixed T_event): the ratio needed/constant starts over from them. */
  constantsChanged(): void {
    this.pruneBelow = -Infinity;
  }

  /**
   * A bound such that an iterate whose exact needed value lies below it changes nothing here: every figure of that
   * value (record's: within 1e-9 of the larger of |value| and |constant|, preciseDD and valueFigure) is at most the
   * largest value recorded (pruneBelow), and so is its ratio to the constant. The steady loop skips record for such
   * an iterate where the fused rung shows its value below (check/fused-rung.ts). -Infinity before any value.
   */
  pruneBound(): number {
    const p = this.pruneBelow;
    return p === -Infinity ? p : p - this.figureRoom(p);
  }

  /** How far any figure of a needed value near x can lie from that value (and more): 4e-9 max(|x|, |constant|). */
  figureRoom(x: number): number {
    const c = this.constSlot >= 0 ? Math.abs(this.state.env[this.constSlot]!) || 0 : 0;
    return 4e-9 * Math.max(Math.abs(x), c) + 2 ** -1000;
  }

  /** Offer the needed value at the current iterate. */
  record(): void {
    const tt = this.lemma.tightness;
    if (!tt) return;
    const st = this.state;
    const env = st.env;
    // From rigorous values: the filter's enclosure when it is tight, else the exact value.
    let v: number;
    let enclosure: Interval | undefined;
    if (tt.neededKernel) {
      st.enclosures();
      // Precise enough for the figure: relative to the value, or to the stated constant it is compared with.
      const cval = Math.abs(env[this.constSlot]!) || 0;
      // The double-double value first, where it decides what the interval one would: a value at or below the largest
      // so far changes nothing whichever kernel shows it, and one certainly above it is no interval's to prune.
      const first = tt.neededDD && this.ddFirst ? this.ddValue(tt.neededDD, cval) : NaN;
      if (first <= this.pruneBelow) return;
      if (first - this.dd[2]! - Math.abs(first) * 2 ** -50 > this.pruneBelow) {
        this.offer(first, undefined);
        return;
      }
      const out = this.out;
      const status = tt.neededKernel(st.enc.E, out);
      // An enclosure entirely below the largest value seen so far cannot change the figure: skip the
      // refinement (the figure is the same, and only the candidates for the maximum cost exact work).
      if (status === FI_OK && out[1]! <= this.pruneBelow) return;
      v = this.ddFirst || !tt.neededDD ? first : this.ddValue(tt.neededDD, cval);
      // The double-double S enclosures cost more than the double ones: only where those were too coarse.
      if (Number.isNaN(v) && this.ddImprecise && tt.neededDD && tt.neededUsesS) {
        st.enc.refineSharpness();
        v = this.ddValue(tt.neededDD, cval);
      }
      if (Number.isNaN(v)) ({ value: v, enclosure } = valueFigure(tt.neededExact, { status, lo: out[0]!, hi: out[1]! }, this.model, tt.neededUses, this.exact));
    } else {
      st.floats();
      v = tt.needed(env);
    }
    this.offer(v, enclosure);
  }

  /**
   * The needed value from its double-double kernel (into this.dd, its error bound at dd[2]), where that is precise
   * enough for the figure (preciseDD against `constant`); else NaN.
   */
  private ddValue(kernel: DDKernel, constant: number): number {
    const dd = this.dd;
    this.ddImprecise = false;
    try {
      kernel(this.state.enc.D, dd);
    } catch (e) {
      if (!(e instanceof GiveUp)) throw e;
      return NaN;
    }
    if (!preciseDD(dd, constant)) {
      this.ddImprecise = true;
      return NaN;
    }
    // Not a value below the double range, which the tier holds as 0 +- its smallest number (exact work says it).
    return dd[2] === 0 || Math.abs(dd[0]! + dd[1]!) >= MIN_NORMAL_DOUBLE ? dd[0]! + dd[1]! : NaN;
  }

  /** A needed value (with its enclosure where its double does not say it) into the largest so far. */
  private offer(v: number, enclosure: Interval | undefined): void {
    if (!Number.isFinite(v)) return;
    const env = this.state.env;
    // A value its double does not say (beyond the double range, or wide) is compared by its enclosure's midpoint.
    if (enclosure === undefined && this.enclosure === null ? v > this.max : !Number.isFinite(this.max) || neededKey(v, enclosure).gt(neededKey(this.max, this.enclosure))) {
      this.max = v;
      this.enclosure = enclosure ?? null;
    }
    // Only a value that is its double bounds what later enclosures can change (the prune above compares doubles).
    if (enclosure === undefined && v > this.pruneBelow) this.pruneBelow = v;
    const c = env[this.constSlot]!;
    if (c > 0) this.maxRatio = Math.max(this.maxRatio ?? -Infinity, v / c);
  }

  /** The largest value as an outward-rounded decimal enclosure, where its double does not say it (null otherwise). */
  decimal(): string | null {
    return this.enclosure ? (figureOf(this.enclosure).decimal ?? null) : null;
  }
}

const MIN_NORMAL_DOUBLE = 2 ** -1022;
const HALF = ext(0.5);

/** The midpoint of a margin's ends (decide.ts, Margin). */
function midpoint(m: Margin): ExtFloat {
  return extMul(extAdd(m.lo, m.hi), HALF);
}

/** The double of an extended value, kept nonzero and finite (Number.MIN_VALUE or MAX_VALUE with its sign). */
function clampedNumber(x: ExtFloat): number {
  const v = extToNumber(x);
  if (v === 0 && x.m !== 0) return Math.sign(x.m) * Number.MIN_VALUE;
  if (!Number.isFinite(v) && Number.isFinite(x.m)) return Math.sign(x.m) * Number.MAX_VALUE;
  return v;
}

/** What a needed value is compared by where its double does not say it: twice its enclosure's midpoint. */
function neededKey(v: number, e: Interval | null | undefined): Rational {
  return e ? e.lo.add(e.hi) : Rational.fromDouble(v).mul(Rational.fromInt(2));
}

/** f, evaluated on the first call only. */
export function once<T>(f: () => T): () => T {
  let done = false;
  let v: T;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v;
  };
}

/** A double-double tightness value precise enough for the figure: relative to the value, or to the stated constant it is compared with. */
function preciseDD(v: Float64Array, constant: number): boolean {
  return v[2]! <= 1e-9 * Math.max(Math.abs(v[0]! + v[1]!), constant);
}
