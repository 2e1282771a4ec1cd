/**
 * Dyadic interval arithmetic: numbers m * 2^e with a bigint mantissa m and an integer exponent e,
 * intervals [lo, hi] of them, and + - * / integer powers and sqrt at a working precision of P bits,
 * every result rounded outward (lower end down, upper end up) by exact integer operations: no
 * float64 takes part in any rounding. The exponent is a JS integer, checked to stay within 2^52
 * (a value of 2^(2^52) is far beyond anything a GD orbit reaches; a run that got there would throw,
 * never wrap), so there is no overflow or underflow: beta1 ~ 1e-3071 (run R3) is an ordinary value.
 *
 * Inputs enter exactly: a double from its IEEE bits, a Rational exactly when its denominator is a
 * power of two and otherwise by an outward enclosure. Comparisons of enclosures answer true, false
 * or 'undecided' (overlapping enclosures never give a verdict). Partial operations follow the
 * project's one semantics (numeric/partial.ts): division by an enclosure of 0, sqrt of an enclosure
 * that reaches below 0 throw MaybeUndefined, and CertainlyUndefined where every enclosed point is
 * outside the domain.
 */
import { Rational } from './rational.js';
import { bitLength, pow2 } from './bits.js';
import { CertainlyUndefined, MaybeUndefined } from './partial.js';
import { decideEnds, type Decision, type Enclosures, type Relation } from './enclosure.js';

export type { Decision, Relation };

const MAX_EXP = 2 ** 52;

/** A dyadic number m * 2^e; n is the bit length of |m| (0 for zero), kept so rounding needs no bit count. */
export class Dyadic {
  /** Use dyadic() or the arithmetic: the constructor trusts n and the zero convention (m = 0 has e = 0). */
  constructor(
    readonly m: bigint,
    readonly e: number,
    readonly n: number,
  ) {}

  static readonly ZERO = new Dyadic(0n, 0, 0);

  sign(): -1 | 0 | 1 {
    return this.m > 0n ? 1 : this.m < 0n ? -1 : 0;
  }

  /** The exact value. */
  toRational(): Rational {
    if (this.m === 0n) return Rational.ZERO;
    return this.e >= 0 ? Rational.fromBigInt(this.m << BigInt(this.e)) : Rational.of(this.m, 1n << BigInt(-this.e));
  }

  /** log2 |value| to about 1e-15 relative, for reports and headroom estimates only; -Infinity for zero. */
  log2Abs(): number {
    if (this.m === 0n) return -Infinity;
    const a = this.m < 0n ? -this.m : this.m;
    const s = Math.max(0, this.n - 64);
    return Math.log2(Number(a >> BigInt(s))) + s + this.e;
  }

  /** The value as a double (rounded; for display only). Outside the double range it is 0 or Infinity. */
  toNumber(): number {
    if (this.m === 0n) return 0;
    const s = Math.max(0, this.n - 64);
    const k = this.e + s;
    const x = Number(this.m >> BigInt(s));
    // Scale in two halves so that 2^k underflowing or overflowing alone does not spoil a representable product.
    const h = Math.trunc(k / 2);
    return x * 2 ** h * 2 ** (k - h);
  }

  /** Approximate decimal form m.mmmmmmmmmmmmmmmE±k, valid far outside the double range. */
  toString(digits = 17): string {
    if (this.m === 0n) return '0';
    const l = this.log2Abs() * Math.LOG10E * Math.LN2;
    const k = Math.floor(l);
    return `${this.m < 0n ? '-' : ''}${(10 ** (l - k)).toFixed(digits - 1)}e${k}`;
  }
}

/** Bit length of |x| (numeric/bits.ts), for the dyadics' callers. */
export { bitLength };

// ---- integer helpers ------------------------------------------------------------------------

const N2: bigint[] = [];
/** -2^k as a bigint (cached, as pow2). */
function negPow2(k: number): bigint {
  return (N2[k] ??= -(1n << BigInt(k)));
}
const M2: bigint[] = [];
/** 2^k - 1 (cached, as pow2). */
function mask(k: number): bigint {
  return (M2[k] ??= (1n << BigInt(k)) - 1n);
}
const SH: bigint[] = [];
/** k as a bigint shift count (cached: BigInt(k) allocates). */
function shift(k: number): bigint {
  return k < 4096 ? (SH[k] ??= BigInt(k)) : BigInt(k);
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
const HI = U32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;
/** |x| < 2^k, without allocating |x|. */
function magBelow(x: bigint, k: number): boolean {
  return x >= 0n ? x < pow2(k) : x > negPow2(k);
}

/** Bit length of x, given an upper bound `ub` that is usually exact or one too high. */
function bitLengthBelow(x: bigint, ub: number): number {
  for (let i = 0; i < 3 && ub > 0; i++) {
    if (!magBelow(x, ub - 1)) return ub;
    ub--;
  }
  return bitLength(x);
}

function checkExp(e: number): number {
  if (!(e <= MAX_EXP && e >= -MAX_EXP)) throw new RangeError(`dyadic exponent ${e} beyond 2^52`);
  return e;
}

/** The dyadic m * 2^e (exact). */
export function dyadic(m: bigint, e = 0): Dyadic {
  if (m === 0n) return Dyadic.ZERO;
  if (!Number.isInteger(e)) throw new RangeError(`dyadic exponent ${e} is not an integer`);
  return new Dyadic(m, checkExp(e), bitLength(m));
}

/**
 * m * 2^e (m of bit length n) rounded to at most P bits: toward +infinity when `up`, else toward
 * -infinity. BigInt's >> is a floor division by 2^s for either sign, so floor is one shift and
 * ceil is -floor(-m).
 */
function round(m: bigint, e: number, n: number, P: number, up: boolean): Dyadic {
  if (m === 0n) return Dyadic.ZERO;
  if (n <= P) return new Dyadic(m, checkExp(e), n);
  const s = n - P;
  const S = shift(s);
  // Floor is one shift; ceil is floor(m + 2^s - 1) (BigInt's >> floors for either sign).
  let q = up ? (m + mask(s)) >> S : m >> S;
  let E = e + s;
  // A carry to 2^P (all ones rounded away from zero): halve it, which is exact. Toward zero there is none.
  if ((up ? m > 0n : m < 0n) && !magBelow(q, P)) {
    q >>= 1n;
    E += 1;
  }
  return new Dyadic(q, checkExp(E), P);
}

/** floor(sqrt(x)) for x >= 0. */
function isqrt(x: bigint): bigint {
  if (x < 2n) return x;
  const n = bitLength(x);
  // Newton from above decreases monotonically to the floor of the root.
  let r = pow2(Math.ceil(n / 2));
  for (;;) {
    const y = (r + x / r) >> 1n;
    if (y >= r) return r;
    r = y;
  }
}

// ---- exact conversion -------------------------------------------------------------------------

/** The exact value of a finite double, from its IEEE-754 bits (subnormals included; -0 is 0). */
export function dyadicFromDouble(x: number): Dyadic {
  F64[0] = x;
  const hi = U32[HI]!;
  const lo = U32[LO]!;
  const bexp = (hi >>> 20) & 0x7ff;
  if (bexp === 0x7ff) throw new RangeError(`dyadicFromDouble: ${x} is not a finite number`);
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (bexp !== 0) m |= 1n << 52n;
  if (m === 0n) return Dyadic.ZERO;
  if (hi >>> 31 === 1) m = -m;
  return dyadic(m, bexp === 0 ? -1074 : bexp - 1075);
}

/** The exact value of a Rational whose denominator is a power of two, else undefined. */
export function dyadicFromRationalExact(r: Rational): Dyadic | undefined {
  if ((r.den & (r.den - 1n)) !== 0n) return undefined;
  return dyadic(r.num, -(bitLength(r.den) - 1));
}

// ---- comparison of dyadics (exact) ---------------------------------------------------------------

export function cmpDyadic(a: Dyadic, b: Dyadic): -1 | 0 | 1 {
  const sa = a.sign();
  const sb = b.sign();
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  const ta = a.e + a.n;
  const tb = b.e + b.n;
  // Same sign: the position of the leading bit orders the magnitudes unless it is equal.
  if (ta !== tb) return (ta > tb) === sa > 0 ? 1 : -1;
  const e = Math.min(a.e, b.e);
  const x = a.e === e ? a.m : a.m << shift(a.e - e);
  const y = b.e === e ? b.m : b.m << shift(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

function dmin(a: Dyadic, b: Dyadic): Dyadic {
  return cmpDyadic(a, b) <= 0 ? a : b;
}
function dmax(a: Dyadic, b: Dyadic): Dyadic {
  return cmpDyadic(a, b) >= 0 ? a : b;
}
function dneg(a: Dyadic): Dyadic {
  return a.m === 0n ? a : new Dyadic(-a.m, a.e, a.n);
}
/** |a|. */
export function dabs(a: Dyadic): Dyadic {
  return a.m < 0n ? new Dyadic(-a.m, a.e, a.n) : a;
}

// ---- rounded dyadic operations ------------------------------------------------------------------

/** a + b rounded to P bits (up: toward +infinity). */
export function addRounded(a: Dyadic, b: Dyadic, P: number, up: boolean): Dyadic {
  if (b.m === 0n) return round(a.m, a.e, a.n, P, up);
  if (a.m === 0n) return round(b.m, b.e, b.n, P, up);
  let ta = a.e + a.n;
  let tb = b.e + b.n;
  if (ta < tb) {
    const t = a;
    a = b;
    b = t;
    const u = ta;
    ta = tb;
    tb = u;
  }
  // |b| < 2^tb is below a quarter unit of a's P-th bit: the sum rounds like a nudged by a sticky bit.
  // If b points against the rounding direction, rounding a alone is already beyond a + b; otherwise
  // replace b by the signed unit 2^(ta - P - 2) > |b|, which moves the sum further the same way.
  if (tb < ta - P - 2) {
    if (b.m > 0n !== up) return round(a.m, a.e, a.n, P, up);
    b = new Dyadic(b.m > 0n ? 1n : -1n, ta - P - 2, 1);
    tb = ta - P - 1;
  }
  const e = Math.min(a.e, b.e);
  const s = (a.e === e ? a.m : a.m << shift(a.e - e)) + (b.e === e ? b.m : b.m << shift(b.e - e));
  return round(s, e, bitLengthBelow(s, Math.max(ta, tb) - e + 1), P, up);
}

export function mulRounded(a: Dyadic, b: Dyadic, P: number, up: boolean): Dyadic {
  if (a.m === 0n || b.m === 0n) return Dyadic.ZERO;
  const p = a.m * b.m;
  let n = a.n + b.n;
  if (magBelow(p, n - 1)) n--;
  return round(p, a.e + b.e, n, P, up);
}

/** a / b rounded to P bits; b must be nonzero. */
export function divRounded(a: Dyadic, b: Dyadic, P: number, up: boolean): Dyadic {
  if (b.m === 0n) throw new CertainlyUndefined('division by 0');
  if (a.m === 0n) return Dyadic.ZERO;
  // Scale the numerator so that the integer quotient carries P + 2 bits or more.
  const k = P + 2 + b.n - a.n;
  const num = k >= 0 ? a.m << BigInt(k) : a.m;
  const den = k >= 0 ? b.m : b.m << BigInt(-k);
  let q = num / den; // truncated toward 0
  if (q * den !== num) {
    const negative = num < 0n !== den < 0n;
    if (up && !negative) q += 1n;
    else if (!up && negative) q -= 1n;
  }
  // q is num/den rounded in the wanted direction; rounding it again the same way is one directed rounding.
  const nNum = k >= 0 ? a.n + k : a.n;
  const nDen = k >= 0 ? b.n : b.n - k;
  return round(q, a.e - b.e - k, bitLengthBelow(q, nNum - nDen + 2), P, up);
}

/** sqrt(a) rounded to P bits, a >= 0. */
export function sqrtRounded(a: Dyadic, P: number, up: boolean): Dyadic {
  if (a.m < 0n) throw new CertainlyUndefined('sqrt of a negative number');
  if (a.m === 0n) return Dyadic.ZERO;
  // M = m 2^s with an even exponent left over and at least 2P + 2 bits, so the integer root has P + 1.
  let s = Math.max(0, 2 * P + 2 - a.n);
  if ((a.e - s) % 2 !== 0) s++;
  const M = a.m << BigInt(s);
  let r = isqrt(M);
  if (up && r * r !== M) r += 1n;
  return round(r, (a.e - s) / 2, bitLengthBelow(r, Math.ceil((a.n + s) / 2) + 1), P, up);
}

/** |a|^k for k >= 1 rounded to P bits: binary powering, every product of nonnegative factors rounded the same way. */
function powAbsRounded(a: Dyadic, k: number, P: number, up: boolean): Dyadic {
  let base = dabs(a);
  let acc: Dyadic | undefined;
  for (;;) {
    if (k & 1) acc = acc === undefined ? round(base.m, base.e, base.n, P, up) : mulRounded(acc, base, P, up);
    k >>>= 1;
    if (k === 0) return acc!;
    base = mulRounded(base, base, P, up);
  }
}

/**
 * The enclosure of a + b for points a, b at P bits: addRounded's two ends, the upper one only where the lower was
 * rounded. A result shorter than P bits was not rounded (round gives exactly P bits where it rounds), unless the sticky
 * shortcut stood in for a summand far below the other; else it is exact and a point (one object at both ends), so
 * that chains of exact operations (a program run at exact points) keep taking this path.
 */
function pointSum(a: Dyadic, b: Dyadic, P: number): DyadicInterval {
  const lo = addRounded(a, b, P, false);
  const ta = a.e + a.n;
  const tb = b.e + b.n;
  const farApart = a.m !== 0n && b.m !== 0n && Math.min(ta, tb) < Math.max(ta, tb) - P - 2;
  if (lo.n < P && !farApart) return DyadicInterval.point(lo);
  return ends(lo, addRounded(a, b, P, true));
}

/** The enclosure of a b for points a, b at P bits: as pointSum (a product is never shortened by a shortcut). */
function pointProduct(a: Dyadic, b: Dyadic, P: number): DyadicInterval {
  const lo = mulRounded(a, b, P, false);
  if (lo.n < P) return DyadicInterval.point(lo);
  return ends(lo, mulRounded(a, b, P, true));
}

/** [lo, hi], a point (one object) where the two are equal: an exact result of exactly P bits. */
function ends(lo: Dyadic, hi: Dyadic): DyadicInterval {
  return lo.m === hi.m && lo.e === hi.e ? DyadicInterval.point(lo) : new DyadicInterval(lo, hi);
}

// ---- intervals ----------------------------------------------------------------------------------

/** A closed interval [lo, hi] of dyadics, lo <= hi. */
export class DyadicInterval {
  constructor(
    readonly lo: Dyadic,
    readonly hi: Dyadic,
  ) {}

  static point(x: Dyadic): DyadicInterval {
    return new DyadicInterval(x, x);
  }

  static fromDouble(x: number): DyadicInterval {
    return DyadicInterval.point(dyadicFromDouble(x));
  }

  isPoint(): boolean {
    return this.lo === this.hi || cmpDyadic(this.lo, this.hi) === 0;
  }

  containsZero(): boolean {
    return this.lo.m <= 0n && this.hi.m >= 0n;
  }

  /** Contains the exact rational x. */
  contains(x: Rational): boolean {
    return this.lo.toRational().le(x) && x.le(this.hi.toRational());
  }

  /** max(|lo|, |hi|). */
  mag(): Dyadic {
    return dmax(dabs(this.lo), dabs(this.hi));
  }

  /** An upper bound of hi - lo (to 64 bits). */
  width(): Dyadic {
    return addRounded(this.hi, dneg(this.lo), 64, true);
  }

  /** The midpoint, rounded down to P bits (any point of the interval does; this one is inside). */
  mid(P: number): Dyadic {
    const s = addRounded(this.lo, this.hi, P + 1, false);
    return s.m === 0n ? s : new Dyadic(s.m, checkExp(s.e - 1), s.n);
  }

  /** width / mag, approximately, as log2 (-Infinity for a point; >= 0 when the interval holds 0 and more). For reports. */
  relWidthLog2(): number {
    if (this.isPoint()) return -Infinity;
    return this.width().log2Abs() - this.mag().log2Abs();
  }

  /** width / mag > 2^-bits, decided exactly on the 64-bit upper bound of the width (so it may say true a hair early). */
  relWidthExceeds(bits: number): boolean {
    if (this.isPoint()) return false;
    const m = this.mag();
    const w = this.width();
    return cmpDyadic(w, new Dyadic(m.m, checkExp(m.e - bits), m.n)) > 0;
  }

  toString(digits = 17): string {
    return this.isPoint() ? this.lo.toString(digits) : `[${this.lo.toString(digits)}, ${this.hi.toString(digits)}]`;
  }
}

/** a REL b for every pair of points of the two enclosures (true), for none (false), or neither ('undecided'): enclosure.ts's decideRelation. */
export function compareIntervals(a: DyadicInterval, rel: Relation, b: DyadicInterval): Decision {
  return decideEnds(cmpDyadic, rel, a.lo, a.hi, b.lo, b.hi);
}

/** The two enclosures share no point. */
export function disjoint(a: DyadicInterval, b: DyadicInterval): boolean {
  return cmpDyadic(a.hi, b.lo) < 0 || cmpDyadic(b.hi, a.lo) < 0;
}

/**
 * Interval operations at a working precision of `bits` bits per endpoint. Each result contains the
 * exact result of the operation on every pair of points of the operands. The dyadic row of the
 * enclosure interface (enclosure.ts).
 */
export class DyadicArith implements Enclosures<DyadicInterval, Dyadic> {
  readonly name: string;
  constructor(readonly bits: number) {
    if (!Number.isInteger(bits) || bits < 8) throw new RangeError(`DyadicArith: precision must be an integer >= 8, got ${bits}`);
    this.name = `dyadic intervals at ${bits} bits`;
  }

  get precision(): number {
    return this.bits;
  }

  /** The exact double as a point. */
  fromDouble(x: number): DyadicInterval {
    return DyadicInterval.fromDouble(x);
  }

  point(x: Dyadic): DyadicInterval {
    return DyadicInterval.point(x);
  }

  lo(a: DyadicInterval): Dyadic {
    return a.lo;
  }

  hi(a: DyadicInterval): Dyadic {
    return a.hi;
  }

  cmp(x: Dyadic, y: Dyadic): number {
    return cmpDyadic(x, y);
  }

  sign(x: Dyadic): number {
    return x.sign();
  }

  toRational(x: Dyadic): Rational {
    return x.toRational();
  }

  toNumber(x: Dyadic): number {
    return x.toNumber();
  }

  sqr(a: DyadicInterval): DyadicInterval {
    return this.powi(a, 2);
  }

  /** An enclosure of the Rational: exact (a point) when its denominator is a power of two. */
  fromRational(r: Rational): DyadicInterval {
    const x = dyadicFromRationalExact(r);
    if (x) return DyadicInterval.point(x);
    const n = dyadic(r.num);
    const d = dyadic(r.den);
    return new DyadicInterval(divRounded(n, d, this.bits, false), divRounded(n, d, this.bits, true));
  }

  /** The interval rounded outward to `bits` (an exact point with a long mantissa becomes a short enclosure). */
  round(a: DyadicInterval): DyadicInterval {
    const P = this.bits;
    if (a.lo.n <= P && a.hi.n <= P) return a;
    return new DyadicInterval(round(a.lo.m, a.lo.e, a.lo.n, P, false), round(a.hi.m, a.hi.e, a.hi.n, P, true));
  }

  neg(a: DyadicInterval): DyadicInterval {
    return new DyadicInterval(dneg(a.hi), dneg(a.lo));
  }

  add(a: DyadicInterval, b: DyadicInterval): DyadicInterval {
    if (a.lo === a.hi && b.lo === b.hi) return pointSum(a.lo, b.lo, this.bits);
    return new DyadicInterval(addRounded(a.lo, b.lo, this.bits, false), addRounded(a.hi, b.hi, this.bits, true));
  }

  sub(a: DyadicInterval, b: DyadicInterval): DyadicInterval {
    if (a.lo === a.hi && b.lo === b.hi) return pointSum(a.lo, dneg(b.lo), this.bits);
    return new DyadicInterval(addRounded(a.lo, dneg(b.hi), this.bits, false), addRounded(a.hi, dneg(b.lo), this.bits, true));
  }

  mul(a: DyadicInterval, b: DyadicInterval): DyadicInterval {
    const P = this.bits;
    if (a.lo === a.hi && b.lo === b.hi) return pointProduct(a.lo, b.lo, P);
    // Moore's nine sign cases: only a product of two intervals that both straddle 0 needs four products.
    // (No helper closures here: this is the hot path, and tsx wraps every named closure it creates.)
    if (a.lo.m >= 0n) {
      if (b.lo.m >= 0n) return new DyadicInterval(mulRounded(a.lo, b.lo, P, false), mulRounded(a.hi, b.hi, P, true));
      if (b.hi.m <= 0n) return new DyadicInterval(mulRounded(a.hi, b.lo, P, false), mulRounded(a.lo, b.hi, P, true));
      return new DyadicInterval(mulRounded(a.hi, b.lo, P, false), mulRounded(a.hi, b.hi, P, true));
    }
    if (a.hi.m <= 0n) {
      if (b.lo.m >= 0n) return new DyadicInterval(mulRounded(a.lo, b.hi, P, false), mulRounded(a.hi, b.lo, P, true));
      if (b.hi.m <= 0n) return new DyadicInterval(mulRounded(a.hi, b.hi, P, false), mulRounded(a.lo, b.lo, P, true));
      return new DyadicInterval(mulRounded(a.lo, b.hi, P, false), mulRounded(a.lo, b.lo, P, true));
    }
    if (b.lo.m >= 0n) return new DyadicInterval(mulRounded(a.lo, b.hi, P, false), mulRounded(a.hi, b.hi, P, true));
    if (b.hi.m <= 0n) return new DyadicInterval(mulRounded(a.hi, b.lo, P, false), mulRounded(a.lo, b.lo, P, true));
    return new DyadicInterval(
      dmin(mulRounded(a.lo, b.hi, P, false), mulRounded(a.hi, b.lo, P, false)),
      dmax(mulRounded(a.lo, b.lo, P, true), mulRounded(a.hi, b.hi, P, true)),
    );
  }

  div(a: DyadicInterval, b: DyadicInterval): DyadicInterval {
    if (b.lo.m === 0n && b.hi.m === 0n) throw new CertainlyUndefined('division by 0');
    if (b.containsZero()) throw new MaybeUndefined('division by an enclosure that contains 0');
    if (b.hi.m < 0n) return this.neg(this.div(a, this.neg(b)));
    const P = this.bits;
    // b > 0: the quotient is smallest at (a.lo, the end of b that makes it smallest), and likewise above.
    const lo = divRounded(a.lo, a.lo.m >= 0n ? b.hi : b.lo, P, false);
    const hi = divRounded(a.hi, a.hi.m >= 0n ? b.lo : b.hi, P, true);
    return new DyadicInterval(lo, hi);
  }

  /** a^k for an integer k; a negative k needs an enclosure away from 0. */
  powi(a: DyadicInterval, k: number): DyadicInterval {
    if (!Number.isInteger(k)) throw new RangeError(`powi: ${k} is not an integer`);
    if (k < 0) {
      if (a.lo.m === 0n && a.hi.m === 0n) throw new CertainlyUndefined('a negative power of 0');
      if (a.containsZero()) throw new MaybeUndefined('a negative power of an enclosure that contains 0');
      return this.div(DyadicInterval.point(dyadic(1n)), this.powi(a, -k));
    }
    if (k === 0) return DyadicInterval.point(dyadic(1n));
    if (k === 1) return this.round(a);
    const P = this.bits;
    if (a.lo.m >= 0n) return new DyadicInterval(powAbsRounded(a.lo, k, P, false), powAbsRounded(a.hi, k, P, true));
    if (a.hi.m <= 0n)
      return k % 2 === 0
        ? new DyadicInterval(powAbsRounded(a.hi, k, P, false), powAbsRounded(a.lo, k, P, true))
        : new DyadicInterval(dneg(powAbsRounded(a.lo, k, P, true)), dneg(powAbsRounded(a.hi, k, P, false)));
    if (k % 2 === 0) return new DyadicInterval(Dyadic.ZERO, powAbsRounded(a.mag(), k, P, true));
    return new DyadicInterval(dneg(powAbsRounded(a.lo, k, P, true)), powAbsRounded(a.hi, k, P, true));
  }

  sqrt(a: DyadicInterval): DyadicInterval {
    if (a.hi.m < 0n) throw new CertainlyUndefined('sqrt of a negative number');
    // Never clip at 0: only a sharper enclosure can tell whether the argument is really negative.
    if (a.lo.m < 0n) throw new MaybeUndefined('sqrt of an enclosure that reaches below 0');
    return new DyadicInterval(sqrtRounded(a.lo, this.bits, false), sqrtRounded(a.hi, this.bits, true));
  }

  abs(a: DyadicInterval): DyadicInterval {
    if (a.lo.m >= 0n) return a;
    if (a.hi.m <= 0n) return this.neg(a);
    return new DyadicInterval(Dyadic.ZERO, a.mag());
  }

  max(a: DyadicInterval, b: DyadicInterval): DyadicInterval {
    return new DyadicInterval(dmax(a.lo, b.lo), dmax(a.hi, b.hi));
  }

  min(a: DyadicInterval, b: DyadicInterval): DyadicInterval {
    return new DyadicInterval(dmin(a.lo, b.lo), dmin(a.hi, b.hi));
  }

  /**
   * The intersection of two enclosures of the same value (both contain it, so they overlap); an
   * empty intersection can only come from a defect upstream and throws rather than guess.
   */
  intersect(a: DyadicInterval, b: DyadicInterval): DyadicInterval {
    const lo = dmax(a.lo, b.lo);
    const hi = dmin(a.hi, b.hi);
    if (cmpDyadic(lo, hi) > 0) throw new Error(`intersect: disjoint enclosures ${a.toString()} and ${b.toString()} of one value`);
    return lo === a.lo && hi === a.hi ? a : new DyadicInterval(lo, hi);
  }

  /** The hull of two enclosures. */
  hull(a: DyadicInterval, b: DyadicInterval): DyadicInterval {
    return new DyadicInterval(dmin(a.lo, b.lo), dmax(a.hi, b.hi));
  }
}
