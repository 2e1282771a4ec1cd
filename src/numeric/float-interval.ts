import { Rational } from './rational.js';
import type { ExtFloat } from './extfloat.js';

/**
 * Doubles as enclosures of reals: the neighbours nextUp / nextDown, the tightest double interval FI of
 * a rational or an extended-exponent value. The arithmetic that rounds outward is outward.ts (its
 * OUTWARD row of the enclosure interface, and the kernels' OutwardOps); the tight arithmetic that used
 * to live here (error-free transformations on every endpoint, reached only by tests) is the test
 * oracle test/numeric/oracle/float-interval.ts.
 *
 * Representation invariant of FI (the constructor does not check it, FI.of does): lo <= hi, neither
 * is NaN, lo < +Infinity and hi > -Infinity. An infinite endpoint means the interval is unbounded on
 * that side; it stands for the reals only (there is no infinite point). -0 and 0 are the same real.
 */

export class FI {
  /** Unchecked (hot path): the caller guarantees the invariant above. Use FI.of to validate. */
  constructor(
    readonly lo: number,
    readonly hi: number,
  ) {}

  /** The exact double x as a point interval (RangeError for NaN and ±Infinity, which are not reals). */
  static point(x: number): FI {
    if (!Number.isFinite(x)) throw new RangeError(`FI.point: ${x} is not a real number`);
    return new FI(x, x);
  }

  /** [lo, hi] after checking the representation invariant (RangeError otherwise). */
  static of(lo: number, hi: number): FI {
    if (!(lo <= hi) || lo === Infinity || hi === -Infinity) throw new RangeError(`FI.of: [${lo}, ${hi}] is not an interval of reals`);
    return new FI(lo, hi);
  }

  /** All reals. */
  static readonly ENTIRE = new FI(-Infinity, Infinity);

  toString(): string {
    return `[${this.lo}, ${this.hi}]`;
  }
}

// ---- bit-level neighbours ---------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
const HI = U32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

const MIN = Number.MIN_VALUE;
const MAX = Number.MAX_VALUE;

/**
 * Fast path for 2^-969 <= |x| <= MAX_VALUE: nextUp(x) = fl(x + fl(|x| * PHI)), PHI = 2^-53 (1 + 2^-52)
 * (Rump, Zimmermann, Boldo, Melquiond 2009). With ulp the spacing of the doubles from x upward,
 * fl(|x| PHI) > ulp/2 (2^-969 keeps that product normal), so x + fl(|x| PHI) lies strictly past the
 * midpoint between x and its successor and rounds to at least the successor; and it is below
 * x + 1.5 ulp (x + ulp where the spacing doubles), so it rounds to exactly the successor (the tests
 * compare against the bit-pattern version at every binade edge). Elsewhere: the bit pattern.
 */
const PHI = 2 ** -53 + 2 ** -105;
const FAST_MIN = 2 ** -969;

/** The smallest double > x (-0 counts as 0; nextUp(-MIN_VALUE) = -0; NaN and +Infinity pass through). */
export function nextUp(x: number): number {
  const ax = x < 0 ? -x : x;
  if (ax >= FAST_MIN && ax <= MAX) return x + ax * PHI;
  return nextUpBits(x);
}

/** The largest double < x (-0 counts as 0; NaN and -Infinity pass through). */
export function nextDown(x: number): number {
  const ax = x < 0 ? -x : x;
  if (ax >= FAST_MIN && ax <= MAX) return x - ax * PHI;
  return -nextUpBits(-x);
}

function nextUpBits(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return MIN;
  F64[0] = x;
  const lo = U32[LO]!;
  if (x > 0) {
    // Increment the 64-bit pattern (MAX_VALUE steps to +Infinity).
    if (lo === 0xffffffff) {
      U32[LO] = 0;
      U32[HI] = U32[HI]! + 1;
    } else U32[LO] = lo + 1;
  } else {
    // Decrement the magnitude (-Infinity steps to -MAX_VALUE).
    if (lo === 0) {
      U32[LO] = 0xffffffff;
      U32[HI] = U32[HI]! - 1;
    } else U32[LO] = lo - 1;
  }
  return F64[0]!;
}

// ---- conversions --------------------------------------------------------------------------------

/** The tightest double interval containing r: a point when r is a double, else the two neighbours around it. */
export function fiFromRational(r: Rational): FI {
  const d = r.toNumber();
  if (d === Infinity) return new FI(MAX, Infinity);
  if (d === -Infinity) return new FI(-Infinity, -MAX);
  const c = Rational.fromDouble(d).cmp(r);
  if (c === 0) return new FI(d === 0 ? 0 : d, d === 0 ? 0 : d);
  // d is the nearest double, so r lies strictly between d and its neighbour on r's side; verify
  // exactly (and step further should the conversion ever be off).
  let lo: number;
  let hi: number;
  if (c < 0) {
    lo = d;
    hi = nextUp(d);
    while (hi !== Infinity && Rational.fromDouble(hi).lt(r)) {
      lo = hi;
      hi = nextUp(hi);
    }
  } else {
    hi = d;
    lo = nextDown(d);
    while (lo !== -Infinity && Rational.fromDouble(lo).gt(r)) {
      hi = lo;
      lo = nextDown(lo);
    }
  }
  return new FI(lo === 0 ? 0 : lo, hi === 0 ? 0 : hi);
}

/** floor(log2 |x|) for finite nonzero x, subnormals included. */
export function exponentOf(x: number): number {
  F64[0] = x;
  const be = (U32[HI]! >>> 20) & 0x7ff;
  if (be !== 0) return be - 1023;
  F64[0] = x * 18446744073709551616; // 2^64, exact for a subnormal
  return ((U32[HI]! >>> 20) & 0x7ff) - 1023 - 64;
}

/** Exact 2^k for -1074 <= k <= 1023. */
export function pow2(k: number): number {
  if (k >= -1022) {
    F64[0] = 0;
    U32[HI] = (k + 1023) << 20;
    return F64[0]!;
  }
  return pow2(k + 52) * 2.220446049250313e-16; // * 2^-52: exact (a power of two >= 2^-1074)
}

/**
 * mantissa * 2^exponent2 (exponent2 any integer, mantissa a finite double) enclosed in doubles:
 * a point when the value is a double; below the subnormal range [0, MIN_VALUE] or [-MIN_VALUE, 0];
 * above MAX_VALUE [MAX_VALUE, Infinity] or [-Infinity, -MAX_VALUE]; a rounded subnormal between
 * the two doubles around it.
 */
export function fiFromExtended(mantissa: number, exponent2: number): FI {
  if (!Number.isFinite(mantissa)) throw new RangeError(`fiFromExtended: mantissa ${mantissa} is not finite`);
  if (!Number.isInteger(exponent2)) throw new RangeError(`fiFromExtended: exponent ${exponent2} is not an integer`);
  if (mantissa === 0) return new FI(0, 0);
  if (exponent2 === 0) return new FI(mantissa, mantissa);
  const E0 = exponentOf(mantissa);
  const T = E0 + exponent2; // floor(log2 |value|)
  const pos = mantissa > 0;
  if (T > 1023) return pos ? new FI(MAX, Infinity) : new FI(-Infinity, -MAX);
  if (T < -1074) return pos ? new FI(0, MIN) : new FI(-MIN, 0); // 0 < |value| < 2^-1074
  // f = mantissa / 2^E0 in [1, 2), exact (two steps: 2^-E0 alone may not be a double).
  const f = mantissa * pow2(-E0 >> 1) * pow2(-E0 - (-E0 >> 1));
  if (T >= -1022) return FI.point(f * pow2(T)); // normal: exact
  // Subnormal: one rounding. Scale back up (exactly) to see on which side the value lies.
  const r = f * pow2(T);
  const back = r * pow2(-T >> 1) * pow2(-T - (-T >> 1));
  if (back === f) return new FI(r, r);
  return back < f ? new FI(r, nextUp(r)) : new FI(nextDown(r), r);
}

/** The value of an ExtFloat (m * 2^e) enclosed in doubles; RangeError for NaN and ±Infinity. */
export function fiFromExt(x: ExtFloat): FI {
  return fiFromExtended(x.m, x.e);
}
