import type { MathNode } from 'mathjs';
import type { DerivedModel } from '../symbolic/derive.js';
import { isSharpness, type CompiledComparison } from '../lemma/compile.js';
import { Rational } from '../numeric/rational.js';
import { imul, Interval, iround, UndecidableError } from '../numeric/interval.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { FI_OK, FI_UNDEFINED } from '../numeric/outward.js';
import { evalInterval } from '../symbolic/interval-eval.js';
import { affineInS, exactEnv, slackInterval, withSign, type ExactContext, type Truth } from './decide.js';

/**
 * The figures a report prints of the values that decided (issue 22, "figures that are never nonsense"): a worst
 * slack, a tightness figure, the sides and margin of a violated comparison. Each comes from rigorous enclosures
 * (the float filter's where tight, else exact arithmetic refined until tight, S from its characteristic
 * polynomial), and is printed as a double where a double says it, else as an outward-rounded decimal enclosure.
 * Computed only where a report needs one: decisions carry what they know (decide.ts, Margin), this refines it.
 */

/**
 * A figure of a report (a margin, a needed value, a side of a violated comparison), read off rigorous values.
 * `value` is a double: the figure itself when it is one, else the nearest double, kept nonzero for a nonzero figure
 * (+-Number.MIN_VALUE below the double range, +-Number.MAX_VALUE beyond it). `decimal` is present exactly when
 * that double does not say the figure: outside the normal double range, or known only to an enclosure wider than
 * 2^-30 relative. It is the enclosure in decimal, each end rounded outward at 6 significant digits
 * ("[1.23456e-603, 1.23457e-603]"), or one decimal where the figure is exactly that decimal ("1e-30").
 */
export interface Figure {
  value: number;
  decimal?: string;
}

const MIN_NORMAL = 2 ** -1022;
/** Relative width of an enclosure that is a figure (about 9 significant digits). */
const TIGHT = Rational.fromBigInt(1n << 30n);
/** Precision (bits, relative) beyond which a figure is not refined further: margins near 1e-9000 next to O(1) sides. */
const FIGURE_MAX_BITS = 1 << 15;
const DIGITS = 6;

/** The enclosure's width is at most 2^-30 (or 2^-bits) of its magnitude (a point is tight). */
export function isTight(x: Interval, bits?: number): boolean {
  if (x.isPoint()) return true;
  const m = x.lo.abs().gt(x.hi.abs()) ? x.lo.abs() : x.hi.abs();
  return x.hi.sub(x.lo).mul(bits === undefined ? TIGHT : Rational.fromBigInt(1n << BigInt(bits))).le(m);
}

function intersect(a: Interval, b: Interval): Interval {
  const lo = a.lo.gt(b.lo) ? a.lo : b.lo;
  const hi = a.hi.lt(b.hi) ? a.hi : b.hi;
  // Two enclosures of one value meet; if rounding ever made them not, the newer one stands.
  return lo.le(hi) ? new Interval(lo, hi) : b;
}

function clampedDouble(mid: Rational): number {
  const value = mid.toNumber();
  if (value === 0 && !mid.isZero()) return mid.sign() * Number.MIN_VALUE;
  if (!Number.isFinite(value)) return mid.sign() * Number.MAX_VALUE;
  return value;
}

/** The figure of an enclosure (see Figure). */
export function figureOf(x: Interval, tightBits?: number): Figure {
  const mid = x.isPoint() ? x.lo : x.lo.add(x.hi).div(Rational.fromInt(2));
  const value = clampedDouble(mid);
  if (x.isPoint() && (mid.isZero() || Rational.fromDouble(value).eq(mid))) return { value };
  const a = Math.abs(value);
  if (a >= MIN_NORMAL && a < Number.MAX_VALUE && isTight(x, tightBits) && x.lo.sign() === x.hi.sign()) return { value };
  return { value, decimal: decimalText(x) };
}

/**
 * Orders two figures (negative: a is smaller): by their doubles, and where those tie (two margins below the double
 * range are both Number.MIN_VALUE) by the midpoints of their decimal enclosures, exactly. For the folds of worst
 * slacks and needed values over trajectories and blocks (check/sample.ts), which see figures as JSON data.
 */
export function compareFigures(a: Figure, b: Figure): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  if (a.decimal === undefined && b.decimal === undefined) return 0;
  return decimalMid(a).cmp(decimalMid(b));
}

function decimalMid(f: Figure): Rational {
  if (f.decimal === undefined) return Rational.fromDouble(f.value);
  const ends = f.decimal.replace(/^\[|\]$/g, '').split(',').map((x) => Rational.fromDecimalString(x));
  return ends.length === 2 ? ends[0]!.add(ends[1]!).div(Rational.fromInt(2)) : ends[0]!;
}

/** An enclosure as decimal text, rounded outward at DIGITS significant digits; one number when both ends print alike. */
export function decimalText(x: Interval): string {
  const lo = rationalDecimal(x.lo, false);
  const hi = rationalDecimal(x.hi, true);
  return lo === hi ? lo : `[${lo}, ${hi}]`;
}

/**
 * r rounded down (toward -inf) or up to DIGITS significant decimal digits, exactly (BigInt), any exponent; the
 * rational counterpart of numeric/dyadic-decimal.ts's decimalRounded (which takes dyadics), trailing zeros dropped.
 */
function rationalDecimal(r: Rational, up: boolean): string {
  if (r.isZero()) return '0';
  const neg = r.sign() < 0;
  const num = neg ? -r.num : r.num;
  const den = r.den;
  const pow10 = (k: number) => 10n ** BigInt(k);
  // k with 10^(DIGITS-1) <= |r| / 10^k < 10^DIGITS: estimated from log2, then corrected exactly.
  let k = Math.floor(r.log2Abs() * Math.LOG10E * Math.LN2) - (DIGITS - 1);
  const scaled = (kk: number): [bigint, bigint] => (kk >= 0 ? [num, den * pow10(kk)] : [num * pow10(-kk), den]);
  for (;;) {
    const [n, d] = scaled(k);
    if (n < pow10(DIGITS - 1) * d) k--;
    else if (n >= pow10(DIGITS) * d) k++;
    else break;
  }
  const [n, d] = scaled(k);
  // Away from zero is up for a positive r and down for a negative one.
  let q = n / d;
  if (up !== neg && q * d !== n) q++;
  let digits = q.toString();
  if (digits.length > DIGITS) {
    digits = digits.slice(0, DIGITS);
    k++;
  }
  const exp = k + DIGITS - 1;
  const frac = digits.slice(1).replace(/0+$/, '');
  return `${neg ? '-' : ''}${digits[0]}${frac ? `.${frac}` : ''}e${exp}`;
}

/**
 * An enclosure of combine(values of `nodes`) at the exact iterate, refined until tight: exact rationals, square
 * roots and implicit roots to `bits`, and S from its characteristic polynomial (sharpnessTight) once the usual
 * enclosure is not enough; the precision grows with what the last enclosure lacked, up to FIGURE_MAX_BITS, and
 * stops when a step no longer narrows it (exp and log are enclosed in doubles). Every enclosure found is
 * intersected with the previous ones and with `start`. null: the value is undefined there (a term off its domain).
 */
export function figureEnclosure(model: DerivedModel, nodes: readonly MathNode[], combine: (v: Interval[]) => Interval, uses: ReadonlySet<string>, ctx: ExactContext, start?: Interval, tightBits?: number): Interval | undefined | null {
  const usesS = [...uses].some(isSharpness);
  let best = start;
  let bits = 160;
  let tight = false;
  let lastWidth: Rational | undefined;
  let exactTried = false;
  for (let round = 0; round < 16 && bits <= FIGURE_MAX_BITS; round++) {
    // Multiple-precision intervals rounded to `bits` (exact rationals can carry 10^4-bit denominators, and cost
    // their gcds); a margin still straddling 0 at 2560 bits gets one exact evaluation, where 0 is a point.
    const exact: boolean = !exactTried && bits >= 2560 && best !== undefined && best.containsZero();
    exactTried ||= exact;
    try {
      const env = exactEnv(model, uses, ctx, bits, tight);
      const v = combine(nodes.map((n) => evalInterval(n, env, bits, exact ? undefined : bits)));
      best = best ? intersect(best, exact ? v : iround(v, bits)) : v;
    } catch (e) {
      if (e instanceof CertainlyUndefined) return null;
      if (!(e instanceof UndecidableError || e instanceof MaybeUndefined || (e as Error).name === 'RangeError')) throw e;
    }
    if (best && isTight(best, tightBits)) return best;
    const width = best?.hi.sub(best.lo);
    if (best && lastWidth && width!.mul(Rational.fromInt(2)).gt(lastWidth) && (tight || !usesS)) return best;
    lastWidth = width;
    if (usesS && !tight) {
      // The usual S enclosure did not do: from now on S comes from its characteristic polynomial.
      tight = true;
      continue;
    }
    bits = nextBits(bits, best, tightBits ?? 30);
  }
  return best;
}

/** The precision at which an enclosure as wide as `x` at `bits` becomes tight: its relative width tells how many bits it lacks. */
function nextBits(bits: number, x: Interval | undefined, tightBits: number): number {
  if (!x || x.containsZero()) return bits * 4;
  const m = x.lo.abs().lt(x.hi.abs()) ? x.lo.abs() : x.hi.abs();
  const lack = x.hi.sub(x.lo).log2Abs() - m.log2Abs() + tightBits;
  return Math.max(bits * 2, bits + Math.ceil(lack) + 16);
}

/**
 * The value of an expression at the iterate (a tightness figure): the float filter's enclosure where it is tight
 * (1e-9 relative) inside the normal double range, else exact arithmetic refined until tight (figureEnclosure).
 * `enclosure` is present where the double does not say the value (figureOf gives it a decimal); NaN where the
 * expression is undefined there or cannot be evaluated.
 */
export function valueFigure(node: MathNode, kernelOut: { status: number; lo: number; hi: number }, model: DerivedModel, uses: ReadonlySet<string>, ctx: () => ExactContext): { value: number; enclosure?: Interval } {
  const { status, lo, hi } = kernelOut;
  if (status === FI_OK && Number.isFinite(lo) && Number.isFinite(hi) && hi - lo <= 1e-9 * Math.max(Math.abs(lo), Math.abs(hi)) && (lo === hi || Math.min(Math.abs(lo), Math.abs(hi)) >= MIN_NORMAL))
    return { value: (lo + hi) / 2 };
  if (status === FI_UNDEFINED) return { value: NaN };
  const e = figureEnclosure(model, [node], ([v]) => v!, uses, ctx());
  if (!e) return { value: NaN };
  const f = figureOf(e);
  return f.decimal === undefined ? { value: f.value } : { value: f.value, enclosure: e };
}

/**
 * The margin of comparison `c` at the iterate (see slackInterval), refined from `start` (what the decision
 * knew, decide.ts Margin) until tight and cut to the sign the decision proved.
 */
export function slackFigure(model: DerivedModel, c: CompiledComparison, holds: Truth, ctx: ExactContext, start: Interval): Interval {
  if (isTight(start)) return start;
  // A comparison affine in S (the ones Sylvester's criterion decides): one Newton step on S's characteristic polynomial.
  const affine = affineSlack(model, c, ctx);
  if (affine && isTight(affine)) return withSign(intersect(start, affine), c.rel, holds);
  const r = figureEnclosure(model, [c.lhsExact, c.rhsExact], ([l, r]) => slackInterval(c.rel, l!, r!), c.uses, ctx, start);
  return r ? withSign(r, c.rel, holds) : start;
}

/**
 * The margin of a comparison that is A S + B rel 0 with exact A, B at the iterate: A (S - r) for r = -B / A, with
 * S - r from ExactIterate.sharpnessMinus to 128 bits however small; B alone when A = 0. Undefined for any other form.
 */
function affineSlack(model: DerivedModel, c: CompiledComparison, ctx: ExactContext): Interval | undefined {
  try {
    const f = affineInS(model, c, ctx);
    if (!f) return undefined;
    const { A, B, it } = f;
    const zero = Interval.point(Rational.ZERO);
    if (A.isZero()) return slackInterval(c.rel, Interval.point(B), zero);
    const e = it.sharpnessMinus(B.neg().div(A));
    return e && slackInterval(c.rel, iround(imul(Interval.point(A), e), 128), zero);
  } catch (e) {
    if (e instanceof CertainlyUndefined || e instanceof UndecidableError || e instanceof MaybeUndefined) return undefined;
    throw e;
  }
}

/**
 * One side of a violated comparison at its iterate, printed whole (every digit of its double): the float
 * enclosure when it is a point (the side is that double), else exact, refined to 2^-60 relative so the double is
 * the nearest one (its decimal where it is beyond the double range or stays wide).
 */
export function sideFigure(model: DerivedModel, node: MathNode, uses: ReadonlySet<string>, lo: number, hi: number, ctx: ExactContext): Figure {
  if (lo === hi && Number.isFinite(lo)) return { value: lo };
  const float = Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi ? new Interval(Rational.fromDouble(lo), Rational.fromDouble(hi)) : undefined;
  const r = figureEnclosure(model, [node], ([v]) => v!, uses, ctx, float, SIDE_BITS);
  return r ? figureOf(r, SIDE_BITS) : { value: NaN };
}

/** Relative precision of a violated comparison's sides (their doubles are printed whole). */
const SIDE_BITS = 60;
