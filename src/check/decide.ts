import type { MathNode } from 'mathjs';
import type { DerivedModel } from '../symbolic/derive.js';
import { isSharpness, type CompiledComparison } from '../lemma/compile.js';
import type { IteratePoint } from '../dynamics/gd.js';
import { Rational } from '../numeric/rational.js';
import { ExactGD } from '../dynamics/exact-step.js';
import { bitLength, Interval, iabs, iadd, icompare, idiv, imul, ineg, iround, isub, roundToGrid, UndecidableError } from '../numeric/interval.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { FI_OK, FI_UNDEFINED } from '../numeric/outward.js';
import { DDOps, GiveUp } from '../numeric/double-double.js';
import { certifyTopEigenvalue } from '../numeric/certified-eigen.js';
import { decideSharpness, relationHolds } from '../numeric/sylvester.js';
import { evalInterval, exactBackend } from '../symbolic/interval-eval.js';
import { compileDyadic, DyadicProgram, NotCertifiable } from '../symbolic/dyadic-eval.js';
import { DyadicArith, DyadicInterval } from '../numeric/dyadic.js';
import { fold, type Backend } from '../symbolic/algebra.js';
import { compileExtInterval, ExtIntervalProgram, type ExtInterval } from '../symbolic/ext-interval-eval.js';
import { abs as extAbs, add as extAdd, cmp as extCmp, ext, fromParts, neg as extNeg, sub as extSub, toNumber as extToNumber, toRational as extToRational, type ExtFloat } from '../numeric/extfloat.js';
import { interpolate, isolateUniqueRoot, isRootOf, simplestRational } from '../numeric/real-roots.js';
import { LADDER } from '../numeric/ladder.js';

/**
 * Deciding one comparison at one iterate. Three-valued: a comparison holds, fails, or is
 * undefined there (a term leaves its domain: README, "Partial terms"). Two deciders, one semantics:
 *
 * 1. The float filter: both sides in outward-rounded double intervals (symbolic/interval-kernel.ts)
 *    over enclosures of the iterate. It decides only when the enclosures separate (or a partial term
 *    is undefined on the whole enclosure). There is no tolerance anywhere.
 * 2. Exact: both sides at the iterate's exact value in rational arithmetic, with certified
 *    enclosures for square roots, exp/log and the sharpness S, refined up to 2560 bits; a
 *    comparison affine in S with rational coefficients is decided by Sylvester's criterion on
 *    rI - H. What neither can separate is undecided: never a pass.
 */
export type Truth = true | false | 'undefined';

export type Decision =
  | { holds: Truth; slack: number; how: 'float' | 'exact'; margin?: Margin }
  | { holds: undefined; slack: number; how: 'undecided'; why: string };

/**
 * What a decision knows of its margin (rhs - lhs for <=; see slackInterval) where `slack` does not say it to
 * 2^-20: a midpoint of enclosures wider than that, a margin beyond the double range, a decision by Sylvester's
 * criterion. `lo` and `hi` are its ends cut to the sign decided, in extended-exponent arithmetic rounded to
 * nearest: keys that order candidates for the worst slack cheaply at every iterate, not an enclosure.
 * `enclosure` makes the rigorous rational enclosure (big-integer work, done for the worst candidate only);
 * check/figures.ts refines it into the figure. Without `margin`, `slack` is the margin (+-Number.MIN_VALUE
 * never: those come with a margin).
 */
export interface Margin {
  lo: ExtFloat;
  hi: ExtFloat;
  enclosure: () => Interval;
}

/** The exact values an iterate provides: its parameters as rationals, the Hessian, and (lazily) a certified S. */
export class ExactIterate {
  private theta?: Rational[];
  private S?: Interval;
  private H?: Rational[][];
  private bits = 0;
  /**
   * `step` supplies the approximate top eigenvector; `exact`, when given, supplies the exact point
   * (one exact GD step from the previous iterate) instead of the step's own computed values.
   */
  constructor(
    readonly model: DerivedModel,
    readonly step: IteratePoint,
    private readonly hyperExact: ReadonlyMap<string, Interval>,
    private readonly exact?: () => Rational[],
  ) {}

  private readonly roots = new Map<string, { bits: number; value: Interval }>();

  /**
   * The implicit quantity `name` at the exact iterate, enclosed to about `bits` bits: p's rational
   * coefficients by interpolation at degree + 1 integer points, uniqueness in (lo, hi) by Sturm's
   * theorem, the root by bisection on exact signs. No root or several: the term is undefined there
   * (CertainlyUndefined); a root at an end, or inexact coefficients (a square root in p): undecidable.
   */
  root(name: string, bits: number): Interval {
    const hit = this.roots.get(name);
    if (hit && hit.bits >= bits) return hit.value;
    const q = this.model.implicit.get(name)!;
    const env = new Map<string, Interval>(this.hyperExact);
    const th = this.params();
    this.model.params.forEach((p, i) => env.set(p, Interval.point(th[i]!)));
    const point = (node: MathNode, what: string): Rational => {
      const v = evalInterval(node, env, 160);
      if (!v.isPoint()) throw new UndecidableError(`${name}: ${what} is not rational at the iterate, so its root cannot be isolated exactly`);
      return v.lo;
    };
    const xs = Array.from({ length: q.degree + 1 }, (_, k) => Rational.fromInt(k));
    const ys = xs.map((x) => {
      env.set(name, Interval.point(x));
      return point(q.poly, 'the polynomial');
    });
    env.delete(name);
    const lo = point(q.lo, 'the interval end');
    const hi = point(q.hi, 'the interval end');
    // The float64 root at the computed iterate starts the exact Newton refinement (a hint: the enclosure is certified by exact signs).
    const hint = this.model.kernels.quantities.get(name)!(this.step.theta, this.model.hypers.map((h) => this.hyperExact.get(h)!.lo.toNumber()));
    const coeffs = interpolate(xs, ys);
    const r = isolateUniqueRoot(coeffs, lo, hi, bits, hint);
    if (r.kind === 'root' && r.lo.gt(r.hi)) throw new Error('isolateUniqueRoot: empty enclosure');
    if (r.kind === 'none') throw new CertainlyUndefined(`${name}: no root in (${lo.toNumber()}, ${hi.toNumber()})`);
    if (r.kind === 'many') throw new CertainlyUndefined(`${name}: ${r.count} roots in (${lo.toNumber()}, ${hi.toNumber()})`);
    if (r.kind === 'endpoint') throw new UndecidableError(`${name}: a root at an end of its interval`);
    // A root that is exactly rational (a balanced network's c = 1 - w^2) is a point: equalities with it can be decided.
    const exact = r.lo.eq(r.hi) ? r.lo : bits <= 800 ? simplestRational(r.lo, r.hi) : undefined;
    const value = exact !== undefined && isRootOf(coeffs, exact) ? Interval.point(exact) : new Interval(r.lo, r.hi);
    this.roots.set(name, { bits, value });
    return value;
  }

  /** The exact point is the computed step's own value (no exact override). */
  get isComputedStep(): boolean {
    return this.exact === undefined;
  }

  params(): Rational[] {
    if (!this.theta) this.theta = this.exact ? this.exact() : ExactGD.iterate(this.step);
    return this.theta;
  }

  /** The exact Hessian at the exact iterate (entries can carry thousands of bits). */
  hessian(): Rational[][] {
    if (!this.H) {
      const env = new Map<string, Interval>(this.hyperExact);
      const th = this.params();
      this.model.params.forEach((p, i) => env.set(p, Interval.point(th[i]!)));
      this.H = this.model.hessian.map((row) => row.map((h) => evalInterval(h, env).lo));
    }
    return this.H;
  }

  /**
   * Certified enclosure of the top Hessian eigenvalue at the exact iterate. The exact parameters can
   * carry thousands of bits (a parameter ~ 2^-10000), so the Hessian is first enclosed entrywise from
   * parameters rounded outward to 2^-k (interval arithmetic), the eigenvalue of the short dyadic
   * lower-endpoint matrix H' is certified, and Weyl's inequality |lambda(H) - lambda(H')| <= n max|H - H'|
   * widens it to an enclosure for every matrix in the entrywise enclosure, the exact Hessian included.
   */
  sharpness(bits = 170): Interval {
    if (!this.S || this.bits < bits) {
      this.bits = bits;
      const th = this.params();
      const scale = Math.max(1, ...th.map((x) => Math.abs(x.toNumber())));
      const k = bits - Math.ceil(Math.log2(scale));
      const env = new Map<string, Interval>(this.hyperExact);
      this.model.params.forEach((p, i) => env.set(p, new Interval(roundToGrid(th[i]!, k, 'down'), roundToGrid(th[i]!, k, 'up'))));
      const n = this.model.params.length;
      const enc = this.model.hessian.map((row) => row.map((h) => evalInterval(h, env)));
      const Hp = enc.map((row, i) => row.map((x, j) => (j >= i ? x.lo : enc[j]![i]!.lo)));
      let e = Rational.fromInt(0);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const x = enc[i]![j]!;
          const d = x.hi.sub(Hp[i]![j]!).abs();
          const d2 = x.lo.sub(Hp[i]![j]!).abs();
          const m = d.gt(d2) ? d : d2;
          if (m.gt(e)) e = m;
        }
      const ne = e.mul(Rational.fromInt(n));
      const c = certifyTopEigenvalue(Hp, this.step.topVector, bits);
      this.S = new Interval(c.lo.sub(ne), c.hi.add(ne));
    }
    return this.S;
  }

  private tightS?: { bits: number; value: Interval };

  /**
   * S to about `bits` relative bits, for figures (a margin of 1e-600 next to S ~ 1 needs 2000 bits; sharpness()
   * stops near 2^-100 of the Hessian's scale): the largest eigenvalue is the one root of the characteristic
   * polynomial det(xI - H) of the exact Hessian inside sharpness()'s enclosure, isolated and refined with exact
   * signs (numeric/real-roots.ts). Where it is not the only root there (eigenvalues that close), that enclosure.
   */
  sharpnessTight(bits: number): Interval {
    if (this.tightS && this.tightS.bits >= bits) return this.tightS.value;
    const coarse = this.sharpness(160);
    const cp = this.charPoly();
    // p_H(x) = L^-n p_M(L x), in rationals (only here: the gcds of its long coefficients cost).
    cp.poly ??= cp.ints.map((c, k) => Rational.of(c, cp.L ** BigInt(cp.ints.length - 1 - k)));
    const r = isolateUniqueRoot(cp.poly, coarse.lo, coarse.hi, bits, coarse.lo.add(coarse.hi).div(Rational.fromInt(2)).toNumber());
    let value = coarse;
    if (r.kind === 'root') {
      // The roots of p_H are y / L for the roots y of p_M, monic with integer coefficients, whose rational roots
      // are integers. Once L times the enclosure is narrower than 1, its one candidate y is checked: S equal to
      // a rational (a margin of exactly 0, as at beta1 = 0) becomes a point.
      const L = Rational.fromBigInt(cp.L);
      const y = r.lo.mul(L).ceil();
      const q = Rational.of(y, cp.L);
      const exact = r.lo.eq(r.hi) ? r.lo : r.hi.sub(r.lo).mul(L).lt(Rational.ONE) && q.le(r.hi) && rootOf(cp.ints, y) ? q : undefined;
      value = exact ? Interval.point(exact) : new Interval(r.lo, r.hi);
    }
    this.tightS = { bits, value };
    return value;
  }

  /**
   * An enclosure of S - r for a rational r close to S, to about 2^-100 relative however small S - r is (a margin of
   * 1e-990 next to S ~ 1): one interval Newton step from r on the characteristic polynomial p. By the mean value
   * theorem 0 = p(S) = p(r) + p'(xi) (S - r) for some xi between r and S, so S - r lies in -p(r) / p'(X) for X
   * the hull of r and an enclosure of S; p(r) is exact (integer arithmetic, no gcd), p'(X) is enclosed at 128 bits.
   * Undefined where p' may vanish on X (a multiple top eigenvalue) or S cannot be enclosed.
   */
  sharpnessMinus(r: Rational): Interval | undefined {
    const S = this.sharpness(160);
    const cp = this.charPoly();
    const n = cp.ints.length - 1;
    // p_H(r) = p_M(L r) / L^n, and L r = a / b: p_M(a / b) b^n = sum c_k a^k b^(n-k).
    const a = r.num * cp.L;
    const b = r.den;
    let N = 0n;
    let bPow = 1n;
    for (let k = n; k >= 0; k--) {
      N = N * a + cp.ints[k]! * bPow;
      bPow *= b;
    }
    const pr = ratioInterval(N, (b * cp.L) ** BigInt(n), 128);
    const X = new Interval(S.lo.lt(r) ? S.lo : r, S.hi.gt(r) ? S.hi : r);
    // p'_H over X by interval Horner: its coefficients k c_k / L^(n-k) and every step rounded outward to 128 bits.
    let d = Interval.point(Rational.ZERO);
    let Lpow = 1n;
    const coef: Interval[] = [];
    for (let k = n; k >= 1; k--) {
      coef[k] = ratioInterval(BigInt(k) * cp.ints[k]!, Lpow, 128);
      Lpow *= cp.L;
    }
    for (let k = n; k >= 1; k--) d = iround(iadd(imul(d, X), coef[k]!), 128);
    if (d.containsZero()) return undefined;
    return iround(ineg(idiv(pr, d)), 128);
  }

  private cp?: { L: bigint; poly?: Rational[]; ints: bigint[] };

  /**
   * The characteristic polynomial of M = L H, L the lcm of the exact Hessian's denominators: M is an integer
   * matrix, det(kI - M) at k = 0..n by fraction-free (Bareiss) elimination, then interpolation (integer values:
   * its divisions are by small factorials). No gcd of the Hessian's long numbers.
   */
  private charPoly(): { L: bigint; poly?: Rational[]; ints: bigint[] } {
    if (this.cp) return this.cp;
    const H = this.hessian();
    const n = H.length;
    let L = 1n;
    for (const row of H) for (const h of row) if (L % h.den !== 0n) L = (L / bigGcd(L, h.den)) * h.den;
    const M = H.map((row) => row.map((h) => (h.num * L) / h.den));
    const xs = Array.from({ length: n + 1 }, (_, k) => Rational.fromInt(k));
    const ys = xs.map((_, k) => Rational.fromBigInt(bareissDet(M.map((row, i) => row.map((m, j) => (i === j ? BigInt(k) - m : -m))))));
    const pM = interpolate(xs, ys);
    // p_M is monic with integer coefficients (M is an integer matrix); p_H(x) = L^-n p_M(L x).
    if (pM.some((c) => c.den !== 1n)) throw new Error('characteristic polynomial of an integer matrix with a non-integer coefficient');
    this.cp = { L, ints: pM.map((c) => c.num) };
    return this.cp;
  }
}

/** N / D (D > 0) between two dyadics of about `bits` significant bits, by one integer division. */
function ratioInterval(N: bigint, D: bigint, bits: number): Interval {
  if (N === 0n) return Interval.point(Rational.ZERO);
  const k = bits - (bitLength(N) - bitLength(D));
  const num = k >= 0 ? N << BigInt(k) : N;
  const den = k >= 0 ? D : D << BigInt(-k);
  let q = num / den;
  if (num < 0n && q * den !== num) q -= 1n;
  const exact = q * den === num;
  const scale = (x: bigint) => (k >= 0 ? Rational.of(x, 1n << BigInt(k)) : Rational.fromBigInt(x << BigInt(-k)));
  return new Interval(scale(q), exact ? scale(q) : scale(q + 1n));
}

function bigGcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** det of an integer matrix by Bareiss's fraction-free elimination (exact divisions only). */
function bareissDet(a: bigint[][]): bigint {
  const n = a.length;
  let sign = 1n;
  let prev = 1n;
  for (let k = 0; k < n - 1; k++) {
    if (a[k]![k] === 0n) {
      const p = a.findIndex((row, i) => i > k && row[k] !== 0n);
      if (p < 0) return 0n;
      [a[p], a[k]] = [a[k]!, a[p]!];
      sign = -sign;
    }
    const piv = a[k]![k]!;
    for (let i = k + 1; i < n; i++) for (let j = k + 1; j < n; j++) a[i]![j] = (a[i]![j]! * piv - a[i]![k]! * a[k]![j]!) / prev;
    prev = piv;
  }
  return sign * a[n - 1]![n - 1]!;
}

/** p(x) = 0 for an integer polynomial p (coefficients low to high) at an integer x (Horner). */
function rootOf(c: readonly bigint[], x: bigint): boolean {
  let acc = 0n;
  for (let k = c.length - 1; k >= 0; k--) acc = acc * x + c[k]!;
  return acc === 0n;
}

export type Rel = CompiledComparison['rel'];

/** The margin by which a comparison holds (negative: fails), from two values. */
export function floatSlack(rel: Rel, l: number, r: number): number {
  if (rel === '<' || rel === '<=') return r - l;
  if (rel === '>' || rel === '>=') return l - r;
  return -Math.abs(l - r);
}

/**
 * The slack reported with an exact decision: a nonzero margin that rounds to 0 in doubles (a parameter ~
 * 1e-3000) is reported as the smallest double, so a worst slack of 0 always means equality.
 */
function exactSlack(slack: number, apart: boolean, holds: boolean): number {
  return consistent(slack === 0 && apart ? (holds ? Number.MIN_VALUE : -Number.MIN_VALUE) : slack, holds);
}

/** The margin of `rel` from enclosures of its two sides: rhs - lhs for < and <=, lhs - rhs for > and >=, -|lhs - rhs| for ==. */
export function slackInterval(rel: Rel, l: Interval, r: Interval): Interval {
  if (rel === '<' || rel === '<=') return isub(r, l);
  if (rel === '>' || rel === '>=') return isub(l, r);
  return ineg(iabs(isub(l, r)));
}

/** An enclosure of the margin cut to the sign the decision proved (>= 0 where the comparison holds, 0 for a true ==, <= 0 where it fails). */
export function withSign(x: Interval, rel: Rel, holds: Truth): Interval {
  const zero = Rational.ZERO;
  if (holds === true && rel === '==') return Interval.point(zero);
  if (holds === true && x.lo.sign() < 0 && x.hi.sign() >= 0) return new Interval(zero, x.hi);
  if (holds === false && x.hi.sign() > 0 && x.lo.sign() <= 0) return new Interval(x.lo, zero);
  return x;
}

/** The slack agrees in sign with the decision (a midpoint inside overlapping enclosures may not). */
function consistent(slack: number, holds: Truth): number {
  if (holds === true) return slack < 0 ? 0 : slack;
  if (holds === false) return slack > 0 ? -0 : slack;
  return NaN;
}

/**
 * The margin of `l rel r` from enclosures of its sides (extended values): its keys now, its rational enclosure when
 * asked, from `exact` (the sides' rational enclosures) or else from the ends themselves (exact as rationals).
 */
function marginOfSides(rel: Rel, holds: Truth, [ll, lh]: readonly [ExtFloat, ExtFloat], [rl, rh]: readonly [ExtFloat, ExtFloat], exact?: () => [Interval, Interval]): Margin {
  let lo: ExtFloat;
  let hi: ExtFloat;
  if (rel === '<' || rel === '<=') [lo, hi] = [extSub(rl, lh), extSub(rh, ll)];
  else if (rel === '>' || rel === '>=') [lo, hi] = [extSub(ll, rh), extSub(lh, rl)];
  else {
    // -|l - r| with l - r in [a, b].
    const a = extSub(ll, rh);
    const b = extSub(lh, rl);
    const [near, far] = extCmp(extAbs(a), extAbs(b)) < 0 ? [extAbs(a), extAbs(b)] : [extAbs(b), extAbs(a)];
    [lo, hi] = [extNeg(far), a.m <= 0 && b.m >= 0 ? EXT_ZERO : extNeg(near)];
  }
  if (holds === true && lo.m < 0) lo = EXT_ZERO;
  if (holds === false && hi.m > 0) hi = EXT_ZERO;
  const q = (x: ExtFloat, y: ExtFloat) => new Interval(extToRational(x), extToRational(y));
  const sides = exact ?? (() => [q(ll, lh), q(rl, rh)]);
  return {
    lo,
    hi,
    enclosure: () => {
      const [l, r] = sides();
      return withSign(slackInterval(rel, l, r), rel, holds);
    },
  };
}

/** The margin from its rational enclosure (exact decisions), cut to the sign decided. */
export function marginOf(e: Interval): Margin {
  return { lo: rationalToExt(e.lo), hi: rationalToExt(e.hi), enclosure: () => e };
}

const EXT_ZERO = ext(0);

/** A rational as an extended value (53 bits, rounded, any exponent): a key, not an enclosure. */
function rationalToExt(r: Rational): ExtFloat {
  if (r.isZero()) return EXT_ZERO;
  const e = Math.floor(r.log2Abs());
  return fromParts(r.mul(Rational.fromExtended(1, -e)).toNumber(), e);
}

/** Relative accuracy of a float slack below which it is the margin's figure (else the decision carries its Margin). */
const LOOSE = 2 ** -20;

/**
 * Decide from two enclosures [O0, O1] (lhs) and [O2, O3] (rhs): true, false, or undefined when
 * they do not separate. NaN bounds never decide.
 */
export function separate(rel: Rel, ll: number, lh: number, rl: number, rh: number): boolean | undefined {
  switch (rel) {
    case '<':
      return lh < rl ? true : ll >= rh ? false : undefined;
    case '<=':
      return lh <= rl ? true : ll > rh ? false : undefined;
    case '>':
      return ll > rh ? true : lh <= rl ? false : undefined;
    case '>=':
      return ll >= rh ? true : lh < rl ? false : undefined;
    case '==':
      return ll === lh && rl === rh && ll === rl ? true : lh < rl || ll > rh ? false : undefined;
  }
}

const OUT = new Float64Array(6);
const DD = new DDOps();

/** The filter's first rung: the comparison holds or fails with its slack as its margin's figure, is undefined there, holds or fails with a Margin to make (loose), or is not separated. */
export const RUNG_HOLDS = 0;
export const RUNG_FAILS = 1;
export const RUNG_UNDEFINED = 2;
export const RUNG_LOOSE = 3;
export const RUNG_OPEN = 4;
/** The last filterRung's slack and truth (where it decided); its sides stay in OUT until the next call. */
export const RUNG = { slack: NaN, holds: true as boolean };

/**
 * The double-interval rung of the float filter, without allocation: it runs at every iterate of every
 * trajectory (decideFloat and the steady loop of check/steady-run.ts read it the same way).
 */
export function filterRung(c: CompiledComparison, E: Float64Array): number {
  const st = c.kernel!(E, OUT);
  if (st === FI_UNDEFINED) return RUNG_UNDEFINED;
  if (st !== FI_OK) return RUNG_OPEN;
  const ll = OUT[0]!;
  const lh = OUT[1]!;
  const rl = OUT[2]!;
  const rh = OUT[3]!;
  const h = separate(c.rel, ll, lh, rl, rh);
  if (h === undefined) return RUNG_OPEN;
  const slack = consistent(floatSlack(c.rel, (ll + lh) / 2, (rl + rh) / 2), h);
  RUNG.slack = slack;
  RUNG.holds = h;
  // The margin lies within the enclosures' widths of the midpoints' difference: the figure when that is small.
  if (lh - ll + (rh - rl) <= Math.abs(slack) * LOOSE || !Number.isFinite(lh - ll + (rh - rl))) return h ? RUNG_HOLDS : RUNG_FAILS;
  return RUNG_LOOSE;
}

/**
 * The float filter alone: double intervals, then double-double with an error bound; a decision, or
 * undefined when the exact decider must take over. Non-finite ends give a non-finite slack and no margin.
 */
export function decideFloat(c: CompiledComparison, E: Float64Array, D?: Float64Array, refine?: () => void): Decision | undefined {
  const r = filterRung(c, E);
  if (r === RUNG_UNDEFINED) return { holds: 'undefined', slack: NaN, how: 'float' };
  if (r !== RUNG_OPEN) return rungDecision(c, r, false);
  const d = ddRung(c, D, refine);
  return d === RUNG_OPEN ? undefined : rungDecision(c, d, true);
}

/**
 * The decision of the rung that just decided c (r: RUNG_HOLDS, RUNG_FAILS or RUNG_LOOSE; `dd`: the second rung),
 * made from what that rung left (RUNG, and its sides in OUT or its difference in DD): a loose one carries its Margin.
 */
export function rungDecision(c: CompiledComparison, r: number, dd: boolean): Extract<Decision, { how: 'float' | 'exact' }> {
  const holds = RUNG.holds;
  const slack = RUNG.slack;
  if (r !== RUNG_LOOSE) return { holds, slack, how: 'float' };
  if (!dd) {
    const [ll, lh, rl, rh] = [OUT[0]!, OUT[1]!, OUT[2]!, OUT[3]!];
    return { holds, slack, how: 'float', margin: marginOfSides(c.rel, holds, [ext(ll), ext(lh)], [ext(rl), ext(rh)]) };
  }
  // lhs - rhs in [hi + lo - err, hi + lo + err] (exact as rationals): the margin of (lhs - rhs) rel 0.
  const [hi, lo, err] = [DD.hi, DD.lo, DD.err];
  const m = extAdd(ext(hi), ext(lo));
  const exact = (): [Interval, Interval] => {
    const q = Rational.fromDouble;
    const mid = q(hi).add(q(lo));
    return [new Interval(mid.sub(q(err)), mid.add(q(err))), Interval.point(Rational.ZERO)];
  };
  return { holds, slack, how: 'float', margin: marginOfSides(c.rel, holds, [extSub(m, ext(err)), extAdd(m, ext(err))], [EXT_ZERO, EXT_ZERO], exact) };
}

/**
 * The filter's second rung, without allocation: lhs - rhs in double-double with its error bound (S and S_next get
 * their double-double enclosures only now, by `refine`, where the double ones did not separate). RUNG_HOLDS or
 * RUNG_FAILS with RUNG.slack as the margin's figure, RUNG_LOOSE where it decides but the slack is not that figure to
 * 2^-20 (decideFloat then makes the Margin from DD's last result), RUNG_OPEN where it cannot decide. decideFloat and
 * the steady loop (check/steady-run.ts) read it the same way.
 */
export function ddRung(c: CompiledComparison, D: Float64Array | undefined, refine?: () => void): number {
  if (!c.ddKernel || !D) return RUNG_OPEN;
  if (refine && c.usesS) refine();
  try {
    c.ddKernel(D, OUT);
    DD.sub(OUT[0]!, OUT[1]!, OUT[2]!, OUT[3]!, OUT[4]!, OUT[5]!);
  } catch (e) {
    if (e instanceof GiveUp) return RUNG_OPEN;
    throw e;
  }
  // lhs - rhs = DD.hi + DD.lo within DD.err: its sign is certain when the value clears the error.
  const mag = Math.abs(DD.hi) - Math.abs(DD.lo);
  if (!(mag - mag * 2 ** -50 > DD.err) || DD.hi === 0) return RUNG_OPEN;
  const sign = DD.hi > 0 ? 1 : -1;
  const holds = relationHolds(sign, c.rel);
  const diff = DD.hi;
  const slack = consistent(c.rel === '<' || c.rel === '<=' ? -diff : c.rel === '==' ? -Math.abs(diff) : diff, holds);
  RUNG.slack = slack;
  RUNG.holds = holds;
  if (DD.err + Math.abs(DD.lo) <= Math.abs(slack) * LOOSE || !Number.isFinite(DD.hi + DD.err)) return holds ? RUNG_HOLDS : RUNG_FAILS;
  return RUNG_LOOSE;
}

export interface ExactContext {
  /** Iterates by suffix: '' (current), '_0', '_next'. */
  iterates: Partial<Record<'' | '_0' | '_next', ExactIterate>>;
  /** Hypers, t, T_event as exact points. */
  scalars: Map<string, Interval>;
}

const SUFFIX_OF = (u: string): '' | '_0' | '_next' => (u.endsWith('_next') ? '_next' : u.endsWith('_0') ? '_0' : '');

/** `tightS`: S to `bits` relative bits from its characteristic polynomial (figures), not the cheaper enclosure of about 100 bits. */
export function exactEnv(model: DerivedModel, uses: ReadonlySet<string>, ctx: ExactContext, bits: number, tightS = false): Map<string, Interval> {
  const env = new Map(ctx.scalars);
  for (const suf of ['', '_0', '_next'] as const) {
    const it = ctx.iterates[suf];
    if (!it) continue;
    if (model.params.some((p) => uses.has(p + suf))) model.params.forEach((p, i) => env.set(p + suf, Interval.point(it.params()[i]!)));
    if (uses.has(`S${suf}`)) env.set(`S${suf}`, tightS ? it.sharpnessTight(bits) : it.sharpness(bits));
    for (const k of model.implicit.keys()) if (uses.has(k + suf)) env.set(k + suf, it.root(k, bits));
  }
  for (const u of uses) if (!env.has(u)) throw new UndecidableError(`no exact value for ${u} (gradient-flow limits are float-only)`);
  return env;
}

/**
 * Decide a comparison exactly (certified), or say it cannot: the exact rungs of the sampled checker's
 * ladder (numeric/ladder.ts), in its order and at its precisions. Enclosures (square roots,
 * eigenvalues) are refined while they straddle; an undecided rung hands over to the next, and a value
 * no exact rung has (a gradient-flow limit) ends the walk at once.
 */
export function decideExact(model: DerivedModel, c: CompiledComparison, ctx: ExactContext): Decision {
  let last: Decision | undefined;
  const final = (d: Decision) => d.how !== 'undecided' || d.why.startsWith('no exact value');
  for (const step of LADDER.sampled) {
    switch (step.rung) {
      case 'float':
      case 'double-double':
        continue; // the filter's rungs (check/enclosures.ts): this comparison has passed them undecided
      case 'extended': {
        const x = decideByExtIntervals(model, c, ctx);
        if (x) return x;
        continue;
      }
      case 'sylvester': {
        const x = decideBySylvester(model, c, ctx);
        if (x) return x;
        continue;
      }
      case 'rounded':
      case 'exact-rational':
        for (const bits of step.bits) {
          // Multiple-precision intervals (cheap with 10^4-bit parameters) round every operation; exact rationals do not.
          last = step.rung === 'rounded' ? decideRoundedAt(model, c, ctx, bits) : decideExactAt(model, c, ctx, bits);
          if (final(last)) return last;
        }
        continue;
      default:
        throw new Error(`the sampled ladder names a rung decide.ts does not have: ${step.rung}`);
    }
  }
  return last ?? { holds: undefined, slack: NaN, how: 'undecided', why: 'no exact rung in the ladder' };
}

/** Each comparison's two sides as one dyadic program over its uses, or null where one has no dyadic enclosure (exp, a non-integer power). */
const DYADIC_PROGRAMS = new WeakMap<CompiledComparison, DyadicProgram | null>();
function dyadicProgramOf(c: CompiledComparison): DyadicProgram | null {
  let p = DYADIC_PROGRAMS.get(c);
  if (p === undefined) {
    try {
      p = compileDyadic([c.lhsExact, c.rhsExact], [...c.uses], { logs: true });
    } catch (e) {
      if (!(e instanceof NotCertifiable)) throw e;
      p = null;
    }
    DYADIC_PROGRAMS.set(c, p);
  }
  return p;
}

const DYADIC_ARITHS = new Map<number, DyadicArith>();
const dyadicAt = (bits: number): DyadicArith => {
  let A = DYADIC_ARITHS.get(bits);
  if (!A) DYADIC_ARITHS.set(bits, (A = new DyadicArith(bits)));
  return A;
};

/**
 * The rounded rung: the comparison at the exact iterate in intervals rounded outward to `bits` after every operation.
 * Its compiled dyadic program where it has one (no rational, no gcd: the exact parameters' thousands of bits are
 * cut once, at the inputs); rational intervals rounded to about `bits` (exp, non-integer powers) otherwise.
 */
function decideRoundedAt(model: DerivedModel, c: CompiledComparison, ctx: ExactContext, bits: number): Decision {
  const prog = dyadicProgramOf(c);
  if (!prog) return decideExactAt(model, c, ctx, bits, bits);
  return exactDecision(c, () => {
    const env = exactEnv(model, c.uses, ctx, bits);
    const A = dyadicAt(bits);
    const inputs = prog.symbols.map((u) => {
      const v = env.get(u)!;
      return A.round(v.isPoint() ? A.fromRational(v.lo) : new DyadicInterval(A.fromRational(v.lo).lo, A.fromRational(v.hi).hi));
    });
    const [l, r] = prog.run(inputs, A).map((x) => new Interval(x.lo.toRational(), x.hi.toRational()));
    return [l!, r!];
  });
}

function decideExactAt(model: DerivedModel, c: CompiledComparison, ctx: ExactContext, bits: number, round?: number): Decision {
  return exactDecision(c, () => {
    const env = exactEnv(model, c.uses, ctx, bits);
    return [evalInterval(c.lhsExact, env, bits, round), evalInterval(c.rhsExact, env, bits, round)];
  });
}

/** The comparison decided on enclosures of its two sides, which `sides` evaluates (throwing at an undefined term). */
function exactDecision(c: CompiledComparison, sides: () => [Interval, Interval]): Decision {
  try {
    const [l, r] = sides();
    const cmp = icompare(l, r);
    const mid = (x: Interval) => x.lo.add(x.hi).div(Rational.fromInt(2)).toNumber();
    const slack = floatSlack(c.rel, mid(l), mid(r));
    if (cmp === undefined) {
      // Only disjoint enclosures (or two equal points) decide.
      return { holds: undefined, slack, how: 'undecided', why: `enclosures overlap: lhs in [${l.lo.toNumber()}, ${l.hi.toNumber()}], rhs in [${r.lo.toNumber()}, ${r.hi.toNumber()}]` };
    }
    const holds = relationHolds(cmp, c.rel);
    return { holds, slack: exactSlack(slack, cmp !== 0, holds), how: 'exact', margin: marginOf(withSign(slackInterval(c.rel, l, r), c.rel, holds)) };
  } catch (e) {
    if (e instanceof CertainlyUndefined) return { holds: 'undefined', slack: NaN, how: 'exact' };
    if (e instanceof UndecidableError || e instanceof MaybeUndefined || (e as Error).name === 'RangeError') return { holds: undefined, slack: NaN, how: 'undecided', why: (e as Error).message };
    throw e;
  }
}

/** Each comparison's two sides as one extended-interval program, or null where an operation has no such enclosure. */
const EXT_PROGRAMS = new WeakMap<CompiledComparison, ExtIntervalProgram | null>();
function extProgramOf(c: CompiledComparison): ExtIntervalProgram | null {
  let p = EXT_PROGRAMS.get(c);
  if (p === undefined) {
    // S has no extended enclosure; exp, log and non-integer powers none in this arithmetic.
    if ([...c.uses].some(isSharpness)) p = null;
    else
      try {
        p = compileExtInterval([c.lhsExact, c.rhsExact]);
      } catch (e) {
        if ((e as Error).name !== 'UnsupportedOperation') throw e;
        p = null;
      }
    EXT_PROGRAMS.set(c, p);
  }
  return p;
}

/**
 * A scalar (a hyperparameter, t) as an extended point where it is one exact double, else null. An integer of at most
 * 53 bits (t, T_event: new objects at every iterate) is one at once; anything else is cached per enclosure (the
 * hyperparameters' enclosures are the same objects at every iterate, and their test is exact rational work).
 */
const EXACT_DOUBLES = new WeakMap<Interval, ExtInterval | null>();
const SAFE_INT = BigInt(Number.MAX_SAFE_INTEGER);
function exactDoubleOf(v: Interval): ExtInterval | null {
  if (!v.isPoint()) return null;
  const q = v.lo;
  if (q.den === 1n && q.num <= SAFE_INT && q.num >= -SAFE_INT) {
    const x = ext(Number(q.num));
    return { lo: x, hi: x };
  }
  let x = EXACT_DOUBLES.get(v);
  if (x === undefined) {
    const d = q.toNumber();
    x = Rational.fromDouble(d).eq(q) ? { lo: ext(d), hi: ext(d) } : null;
    EXACT_DOUBLES.set(v, x);
  }
  return x;
}

/** Where a program's input comes from: a parameter of the iterate with that suffix (if it has one), else null: the scalar of that name. */
type ExtInput = { suf: '' | '_0'; param: number } | null;
const EXT_INPUTS = new WeakMap<ExtIntervalProgram, ExtInput[]>();
function extInputsOf(prog: ExtIntervalProgram, model: DerivedModel): ExtInput[] {
  let plan = EXT_INPUTS.get(prog);
  if (!plan) {
    plan = prog.symbols.map((u): ExtInput => {
      for (const suf of ['', '_0'] as const) {
        const i = model.params.findIndex((p) => p + suf === u);
        if (i >= 0) return { suf, param: i };
      }
      return null;
    });
    EXT_INPUTS.set(prog, plan);
  }
  return plan;
}

/**
 * Extended-exponent intervals (53 bits, unbounded exponent) at the iterate's exact value: cheap where
 * parameters are far outside the double range and the comparison has a margin at 53 bits. Returns
 * undefined when they do not separate, or the comparison uses S, exp/log or a non-point input.
 */
function decideByExtIntervals(model: DerivedModel, c: CompiledComparison, ctx: ExactContext): Decision | undefined {
  const prog = extProgramOf(c);
  if (!prog) return undefined;
  // Every scalar an exact double and every iterate the computed one, or the rung stands aside (as it always has).
  for (const v of ctx.scalars.values()) if (!exactDoubleOf(v)) return undefined;
  for (const suf of ['', '_0'] as const) {
    const it = ctx.iterates[suf];
    if (it && !it.isComputedStep) return undefined;
  }
  const plan = extInputsOf(prog, model);
  const inputs: ExtInterval[] = new Array(plan.length);
  for (let k = 0; k < plan.length; k++) {
    const p = plan[k]!;
    const it = p ? ctx.iterates[p.suf] : undefined;
    if (!p || !it) {
      const v = ctx.scalars.get(prog.symbols[k]!);
      if (v === undefined) return undefined;
      inputs[k] = exactDoubleOf(v)!;
    } else {
      const st = it.step;
      const x = st.thetaExt ? st.thetaExt[p.param]! : ext(st.theta[p.param]!);
      inputs[k] = { lo: x, hi: x };
    }
  }
  let l: ExtInterval;
  let r: ExtInterval;
  try {
    [l, r] = prog.run(inputs) as [ExtInterval, ExtInterval];
  } catch (e) {
    if (e instanceof CertainlyUndefined) return { holds: 'undefined', slack: NaN, how: 'exact' };
    if (e instanceof MaybeUndefined) return undefined;
    throw e;
  }
  if (!Number.isFinite(l.lo.m) || !Number.isFinite(l.hi.m) || !Number.isFinite(r.lo.m) || !Number.isFinite(r.hi.m)) return undefined;
  // `separate` only compares endpoints, so their ranks (equal values, equal ranks) decide as they would.
  const ends = [l.lo, l.hi, r.lo, r.hi];
  const rank = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (extCmp(ends[j]!, ends[i]!) < 0) rank[i]!++;
  const holds = separate(c.rel, rank[0]!, rank[1]!, rank[2]!, rank[3]!);
  if (holds === undefined) return undefined;
  const mid = (a: ExtInterval) => (extToNumber(a.lo) + extToNumber(a.hi)) / 2;
  return { holds, slack: exactSlack(floatSlack(c.rel, mid(l), mid(r)), rank[1]! < rank[2]! || rank[3]! < rank[0]!, holds), how: 'exact', margin: marginOfSides(c.rel, holds, [l.lo, l.hi], [r.lo, r.hi]) };
}

/** a*S + b with exact interval coefficients: the comparison's difference as a function of one sharpness symbol. */
interface Affine {
  a: Interval;
  b: Interval;
}

class NotAffine extends Error {}

const ZERO = Interval.point(Rational.fromInt(0));
const isZero = (x: Interval) => x.isPoint() && x.lo.isZero();

function affineBackend(env: ReadonlyMap<string, Interval>, sym: string): Backend<Affine> {
  const ex = exactBackend(env, 160);
  const c = (v: Affine, op: string): Interval => {
    if (!isZero(v.a)) throw new NotAffine(op);
    return v.b;
  };
  const scalar = (f: (x: Interval) => Interval, op: string) => (v: Affine): Affine => ({ a: ZERO, b: f(c(v, op)) });
  return {
    name: 'affine-in-S exact arithmetic',
    constant: (value, node) => ({ a: ZERO, b: ex.constant(value, node) }),
    symbol: (name, node) => (name === sym ? { a: Interval.point(Rational.fromInt(1)), b: ZERO } : { a: ZERO, b: ex.symbol(name, node) }),
    neg: (x) => ({ a: ex.neg!(x.a), b: ex.neg!(x.b) }),
    add: (x, y) => ({ a: ex.add!(x.a, y.a), b: ex.add!(x.b, y.b) }),
    sub: (x, y) => ({ a: ex.sub!(x.a, y.a), b: ex.sub!(x.b, y.b) }),
    mul: (x, y) => {
      if (isZero(x.a)) return { a: ex.mul!(x.b, y.a), b: ex.mul!(x.b, y.b) };
      if (isZero(y.a)) return { a: ex.mul!(x.a, y.b), b: ex.mul!(x.b, y.b) };
      throw new NotAffine('S * S');
    },
    div: (x, y) => {
      const d = c(y, '/ S');
      return { a: ex.div!(x.a, d), b: ex.div!(x.b, d) };
    },
    powi: (x, k) => (k === 1 ? x : { a: ZERO, b: ex.powi!(c(x, '^'), k) }),
    powr: (x, p) => ({ a: ZERO, b: ex.powr!(c(x, '^'), p) }),
    sqrt: scalar(ex.sqrt!, 'sqrt'),
    abs: scalar(ex.abs!, 'abs'),
    max: (x, y) => ({ a: ZERO, b: ex.max!(c(x, 'max'), c(y, 'max')) }),
    min: (x, y) => ({ a: ZERO, b: ex.min!(c(x, 'min'), c(y, 'min')) }),
    exp: scalar(ex.exp!, 'exp'),
    log: scalar(ex.log!, 'log'),
    log10: scalar(ex.log10!, 'log10'),
    log2: scalar(ex.log2!, 'log2'),
  };
}

/**
 * The margin of "A S + B rel 0" from the certified enclosure of S, cut to the sign decided (the decision is
 * exact; this is what is known of its margin). No margin when S cannot be enclosed, which must not discard
 * the exact decision.
 */
function sylvesterSlack(it: ExactIterate, A: Rational, B: Rational, rel: Rel, holds: boolean): { slack: number; margin?: Margin } {
  let S: Interval;
  try {
    S = it.sharpness(160);
  } catch (e) {
    if (e instanceof UndecidableError) return { slack: NaN };
    throw e;
  }
  const diff = A.mul(S.lo.add(S.hi).div(Rational.fromInt(2))).add(B).toNumber();
  const zero = Interval.point(Rational.ZERO);
  const margin = marginOf(withSign(slackInterval(rel, iadd(imul(Interval.point(A), S), Interval.point(B)), zero), rel, holds));
  return { slack: consistent(rel === '<' || rel === '<=' ? -diff : rel === '==' ? -Math.abs(diff) : diff, holds), margin };
}

const FLIP: Record<Rel, Rel> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };

/**
 * lhs - rhs of a comparison in which one sharpness symbol appears affinely with rational coefficients at the
 * iterate, as A S + B with exact A, B, and that iterate; undefined for any other form.
 */
export function affineInS(model: DerivedModel, c: CompiledComparison, ctx: ExactContext): { A: Rational; B: Rational; it: ExactIterate } | undefined {
  const sSyms = [...c.uses].filter(isSharpness);
  if (sSyms.length !== 1) return undefined;
  const sym = sSyms[0]!;
  const it = ctx.iterates[SUFFIX_OF(sym)];
  if (!it) return undefined;
  try {
    const env = exactEnv(model, new Set([...c.uses].filter((u) => u !== sym)), ctx, 160);
    const bk = affineBackend(env, sym);
    const a = bk.sub!(fold(c.lhsExact, bk), fold(c.rhsExact, bk));
    if (!a.a.isPoint() || !a.b.isPoint()) return undefined;
    return { A: a.a.lo, B: a.b.lo, it };
  } catch (e) {
    if (e instanceof NotAffine || e instanceof UndecidableError || e instanceof MaybeUndefined) return undefined;
    throw e;
  }
}

/**
 * A comparison affine in one sharpness symbol (S <= 2/eta + delta, S >= a product of parameters, ...) is decided
 * exactly without enclosing S: A S + B rel 0 becomes S rel' -B/A, and S <= r iff rI - H is positive
 * semidefinite, S < r iff it is positive definite (Sylvester's criterion on the exact Hessian). Returns
 * undefined when the comparison does not have that form.
 */
function decideBySylvester(model: DerivedModel, c: CompiledComparison, ctx: ExactContext): Decision | undefined {
  let f: ReturnType<typeof affineInS>;
  try {
    f = affineInS(model, c, ctx);
  } catch (e) {
    if (e instanceof CertainlyUndefined) return { holds: 'undefined', slack: NaN, how: 'exact' };
    throw e;
  }
  if (!f) return undefined;
  const { A, B, it } = f;
  try {
    const holds = A.isZero() ? relationHolds(B.sign(), c.rel) : decideSharpness(it.hessian(), A.sign() > 0 ? c.rel : FLIP[c.rel], B.neg().div(A));
    return { holds, how: 'exact', ...sylvesterSlack(it, A, B, c.rel, holds) };
  } catch (e) {
    if (e instanceof UndecidableError || e instanceof MaybeUndefined) return undefined;
    if (e instanceof CertainlyUndefined) return { holds: 'undefined', slack: NaN, how: 'exact' };
    throw e;
  }
}

/**
 * Decide a comparison at an iterate: the float filter first (unless `exactAll`), the exact decider
 * for whatever it cannot separate. Float-only comparisons (symbols with no exact form) are decided
 * by float64 alone and say so.
 */
export function decide(model: DerivedModel, c: CompiledComparison, E: Float64Array, env: Float64Array, ctx: () => ExactContext, exactAll = false, D?: Float64Array, refine?: () => void): Decision {
  if (!c.kernel) {
    const l = c.lhs(env);
    const r = c.rhs(env);
    if (Number.isNaN(l) || Number.isNaN(r) || !Number.isFinite(l - r)) return { holds: 'undefined', slack: NaN, how: 'float' };
    const slack = floatSlack(c.rel, l, r);
    const holds = c.rel === '==' ? l === r : c.rel === '<' ? l < r : c.rel === '<=' ? l <= r : c.rel === '>' ? l > r : l >= r;
    return { holds, slack, how: 'float' };
  }
  if (!exactAll) {
    const f = decideFloat(c, E, D, refine);
    if (f) return f;
  }
  return decideExact(model, c, ctx());
}
