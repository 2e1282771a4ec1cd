/**
 * The one enclosure interface. Every interval arithmetic of the project is a row of it (in the style
 * of Arb: one interval type per row, an explicit precision, answers that are certified or say they
 * are not; in the style of mathjs's typed functions: a new number type is one more row), and every
 * certified algorithm over enclosures is written once against it (eigen-enclosure.ts, decideRelation
 * below) instead of once per number type.
 *
 * The rows (each in the module of its number type):
 *   outward doubles            outward.ts       OUTWARD           53 bits, ends are doubles
 *   double-double balls        double-double.ts DD_ENCLOSURES     ~100 bits, range 2^-900..2^900
 *   dyadic intervals at P bits dyadic.ts        new DyadicArith(P) P bits, unbounded exponent
 *   rational intervals         interval.ts      new RationalArith(bits, round?) exact + - * /;
 *                                                                 sqrt to `bits`; ends rounded to `round` bits when given
 * (The extended-exponent filter, symbolic/ext-interval-eval.ts, evaluates with ExtFloat ends and is no
 * row: its one job is one rung of the ladder, ladder.ts.)
 *
 * Contract of a row, what the generic algorithms rely on:
 * - every operation's result contains the exact result for every pair of points of its operands;
 * - a partial operation throws CertainlyUndefined when no point of its operands is in the domain and
 *   MaybeUndefined when some may not be (numeric/partial.ts); a row that cannot represent a result
 *   (a double-double beyond its range) throws GiveUp; the generic algorithms read any of the three as
 *   "not certified";
 * - ends are exact: toRational(lo(a)) is the exact lower end; cmp orders two ends exactly. Outward
 *   doubles may carry NaN ends (an overflow on the way): cmp and sign then return NaN, which satisfies
 *   no comparison, so a NaN end never decides anything.
 */
import type { Rational } from './rational.js';

/** A comparison between two real values. */
export type Relation = '<' | '<=' | '>' | '>=' | '==';

/** A verdict on enclosures: decided, or not separable at this precision. Never a guess. */
export type Decision = true | false | 'undecided';

/** One row: intervals of type T whose ends have type E. */
export interface Enclosures<T, E> {
  readonly name: string;
  /** Significant bits per end of a rounded result; Infinity where + - * / are exact. */
  readonly precision: number;
  /** The exact double x as a point (RangeError for NaN and infinities). */
  fromDouble(x: number): T;
  /** An enclosure of r: the point r where the row represents it, else an outward rounding. */
  fromRational(r: Rational): T;
  /** The end x as a point. */
  point(x: E): T;
  lo(a: T): E;
  hi(a: T): E;
  /** Exact order of two ends: -1, 0, 1, or NaN when an end is NaN. */
  cmp(x: E, y: E): number;
  /** Sign of an end (NaN for a NaN end). */
  sign(x: E): number;
  /** The exact value of an end. */
  toRational(x: E): Rational;
  /** An end rounded to a double, for guesses and reports only. */
  toNumber(x: E): number;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  sqr(a: T): T;
  sqrt(a: T): T;
  neg(a: T): T;
  abs(a: T): T;
  max(a: T, b: T): T;
  min(a: T, b: T): T;
  /** An enclosure of both (the union's hull). */
  hull(a: T, b: T): T;
}

/** The flipped relation: a rel b iff b FLIP[rel] a. */
export const FLIP: Readonly<Record<Relation, Relation>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };

/**
 * a REL b from two enclosures: true when it holds for every pair of points of them, false when for
 * none, 'undecided' otherwise. Equality is true only of two equal points.
 */
export function decideRelation<T, E>(A: Enclosures<T, E>, a: T, rel: Relation, b: T): Decision {
  return decideEnds((x: E, y: E) => A.cmp(x, y), rel, A.lo(a), A.hi(a), A.lo(b), A.hi(b));
}

/**
 * decideRelation on bare ends [al, ah] REL [bl, bh], ordered by `cmp` (an allocation-free filter
 * passes doubles, an extended-exponent one its ExtFloat ends). An unordered pair (cmp NaN) decides nothing.
 */
export function decideEnds<E>(cmp: (x: E, y: E) => number, rel: Relation, al: E, ah: E, bl: E, bh: E): Decision {
  switch (rel) {
    case '<':
      if (cmp(ah, bl) < 0) return true;
      if (cmp(al, bh) >= 0) return false;
      return 'undecided';
    case '<=':
      if (cmp(ah, bl) <= 0) return true;
      if (cmp(al, bh) > 0) return false;
      return 'undecided';
    case '>':
      return decideEnds(cmp, '<', bl, bh, al, ah);
    case '>=':
      return decideEnds(cmp, '<=', bl, bh, al, ah);
    case '==':
      if (cmp(al, ah) === 0 && cmp(bl, bh) === 0 && cmp(al, bl) === 0) return true;
      if (cmp(ah, bl) < 0 || cmp(bh, al) < 0) return false;
      return 'undecided';
  }
}

/** The exact order of two doubles; NaN when either is NaN (so that a NaN end decides nothing). */
export function cmpNumber(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

/** Whether `x rel y` holds, given the sign of x - y (an exact sign: Sylvester, exact rationals). */
export function relationHolds(c: -1 | 0 | 1, rel: Relation): boolean {
  switch (rel) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '==':
      return c === 0;
    default:
      throw new Error(`unknown relation ${JSON.stringify(rel)}`);
  }
}

/** The larger of two ends (the first when they are equal or unordered). */
export function maxEnd<T, E>(A: Enclosures<T, E>, x: E, y: E): E {
  return A.cmp(y, x) > 0 ? y : x;
}
