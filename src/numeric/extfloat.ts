import { Rational } from './rational.js';

/**
 * Extended-exponent floats: value = m * 2^e with m a float64 and e an integer. Same 53-bit
 * rounding as float64, but no overflow or underflow (a parameter reaches 1e-928 in the minimalist model's run R3).
 *
 * Canonical form (every exported function returns it, and relies on it):
 *  - 0, NaN and ±Infinity have e = 0;
 *  - |value| in [2^-BAND, 2^BAND) has e = 0, so the common case is a plain double operation;
 *  - any other value has 1 <= |m| < 2 and e = floor(log2 |value|).
 * Since every m is then within 2^±BAND, a product or quotient of two mantissas never leaves the
 * normal double range: it is rounded exactly once, like the double operation, and the power of two
 * moved into or out of e is exact. Hence on inputs and results in the normal double range every
 * operation agrees bit for bit with float64.
 */

const BAND = 400;
const BAND_LO = 2 ** -BAND;
const BAND_HI = 2 ** BAND;
/** Exponents beyond this count as overflow/underflow (keeps e a safe integer). */
const MAX_E = 2 ** 50;
/** Summands whose exponents differ by more than this cannot affect a 53-bit sum. */
const ADD_CUTOFF = 1100;
const LOG10_2 = Math.LOG10E * Math.LN2;

export class ExtFloat {
  /** Trusts (m, e) to be canonical: build values with ext() or fromParts(). */
  constructor(
    readonly m: number,
    readonly e: number,
  ) {}

  /** Approximate decimal form (about 15 significant digits for huge exponents). */
  toString(): string {
    if (this.e === 0 || !Number.isFinite(this.m)) return String(this.m);
    const l = log10Abs(this);
    const k = Math.floor(l);
    const mant = (this.m < 0 ? -1 : 1) * 10 ** (l - k);
    return `${mant.toPrecision(15)}e${k}`;
  }
}

// ---- bit helpers -----------------------------------------------------------------------------

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
const HI = U32[1] === 0x3ff00000 ? 1 : 0;

/** Exact powers of two 2^-1074 .. 2^1023 (built by doubling/halving). */
const POW2: number[] = (() => {
  const t = new Array<number>(2098);
  let p = 1;
  for (let k = 0; k <= 1023; k++, p *= 2) t[k + 1074] = p;
  p = 1;
  for (let k = 0; k >= -1074; k--, p /= 2) t[k + 1074] = p;
  return t;
})();

/** floor(log2 |x|) for finite nonzero x, subnormals included. */
function exponentOf(x: number): number {
  F64[0] = x;
  const be = (U32[HI]! >>> 20) & 0x7ff;
  if (be !== 0) return be - 1023;
  F64[0] = x * 18446744073709551616; // 2^64, exact for a subnormal
  return ((U32[HI]! >>> 20) & 0x7ff) - 1023 - 64;
}

/** x * 2^k when the result is known to be a normal double (then every partial step is exact). */
function scaleExact(x: number, k: number): number {
  while (k > 1023) {
    x *= POW2[1023 + 1074]!;
    k -= 1023;
  }
  while (k < -1022) {
    x *= POW2[-1022 + 1074]!;
    k += 1022;
  }
  return x * POW2[k + 1074]!;
}

/** x * 2^k correctly rounded to a double, with IEEE overflow and gradual underflow, for any integer k. */
function ldexp(x: number, k: number): number {
  if (x === 0 || k === 0 || !Number.isFinite(x)) return x;
  const E = exponentOf(x);
  const T = E + k;
  if (T > 1023) return x > 0 ? Infinity : -Infinity;
  if (T < -1076) return x > 0 ? 0 : -0;
  const f = scaleExact(x, -E); // 1 <= |f| < 2
  if (T >= -1074) return f * POW2[T + 1074]!; // one rounding at most (subnormal result)
  return f * 0.25 * POW2[T + 2 + 1074]!;
}

/** Canonical ExtFloat of m * 2^e for any double m and integer e (exact unless |value| leaves 2^±MAX_E). */
function norm(m: number, e: number): ExtFloat {
  if (m === 0 || m !== m || m === Infinity || m === -Infinity) return new ExtFloat(m, 0);
  const E0 = exponentOf(m);
  const E = E0 + e;
  if (E >= -BAND && E < BAND) return new ExtFloat(e === 0 ? m : scaleExact(m, e), 0);
  if (E > MAX_E) return new ExtFloat(m > 0 ? Infinity : -Infinity, 0);
  if (E < -MAX_E) return new ExtFloat(m > 0 ? 0 : -0, 0);
  return new ExtFloat(scaleExact(m, -E0), E);
}

function inBand(m: number): boolean {
  const a = Math.abs(m);
  return a >= BAND_LO && a < BAND_HI;
}

// ---- construction and conversion ----------------------------------------------------------

/** The ExtFloat equal to the double x. */
export function ext(x: number): ExtFloat {
  return inBand(x) ? new ExtFloat(x, 0) : norm(x, 0);
}

/** The ExtFloat m * 2^e, normalized (e any integer). */
export function fromParts(m: number, e: number): ExtFloat {
  if (!Number.isInteger(e)) throw new RangeError(`ExtFloat: exponent ${e} is not an integer`);
  return norm(m, e);
}

/** The nearest double: overflows to ±Infinity and underflows (gradually) to ±0 like a double would. */
export function toNumber(a: ExtFloat): number {
  return a.e === 0 ? a.m : ldexp(a.m, a.e);
}

/** The exact rational value; throws RangeError for NaN and ±Infinity. */
export function toRational(a: ExtFloat): Rational {
  return Rational.fromExtended(a.m, a.e);
}

/** log10 |a| as a double (-Infinity for 0), meaningful far outside the double range. */
export function log10Abs(a: ExtFloat): number {
  const l = Math.log10(Math.abs(a.m));
  return a.e === 0 ? l : l + a.e * LOG10_2;
}

/** False for NaN and ±Infinity. */
export function isFinite(a: ExtFloat): boolean {
  return Number.isFinite(a.m);
}

export function isNaN(a: ExtFloat): boolean {
  return a.m !== a.m;
}

// ---- arithmetic ---------------------------------------------------------------------------

function addSlow(a: ExtFloat, b: ExtFloat): ExtFloat {
  const am = a.m;
  const bm = b.m;
  // Non-finite values carry e = 0, so the exponent comparison below would misorder them.
  if (!Number.isFinite(am) || !Number.isFinite(bm)) return new ExtFloat(am + bm, 0);
  if (am === 0) return bm === 0 ? new ExtFloat(am + bm, 0) : b;
  if (bm === 0) return a;
  if (a.e === b.e) return norm(am + bm, a.e);
  // In canonical form a larger e means a larger magnitude (0 excluded above).
  const big = a.e > b.e ? a : b;
  const small = a.e > b.e ? b : a;
  const d = big.e - small.e;
  if (d > ADD_CUTOFF) return big;
  // If the shifted summand rounds (subnormal), it is far below half an ulp of big.m: no effect.
  return norm(big.m + ldexp(small.m, -d), big.e);
}

export function add(a: ExtFloat, b: ExtFloat): ExtFloat {
  if (a.e === 0 && b.e === 0) {
    const m = a.m + b.m;
    return inBand(m) ? new ExtFloat(m, 0) : norm(m, 0);
  }
  return addSlow(a, b);
}

export function sub(a: ExtFloat, b: ExtFloat): ExtFloat {
  if (a.e === 0 && b.e === 0) {
    const m = a.m - b.m;
    return inBand(m) ? new ExtFloat(m, 0) : norm(m, 0);
  }
  // a - b and a + (-b) are the same IEEE operation, signed zeros included.
  return addSlow(a, new ExtFloat(-b.m, b.e));
}

export function mul(a: ExtFloat, b: ExtFloat): ExtFloat {
  const m = a.m * b.m;
  const e = a.e + b.e;
  return e === 0 && inBand(m) ? new ExtFloat(m, 0) : norm(m, e);
}

export function div(a: ExtFloat, b: ExtFloat): ExtFloat {
  const m = a.m / b.m;
  const e = a.e - b.e;
  return e === 0 && inBand(m) ? new ExtFloat(m, 0) : norm(m, e);
}

export function neg(a: ExtFloat): ExtFloat {
  return new ExtFloat(-a.m, a.e);
}

export function abs(a: ExtFloat): ExtFloat {
  return a.m < 0 || Object.is(a.m, -0) ? new ExtFloat(-a.m, a.e) : a;
}

/** Correctly rounded square root (NaN for negative arguments, like Math.sqrt). */
export function sqrt(a: ExtFloat): ExtFloat {
  if (a.e === 0) return new ExtFloat(Math.sqrt(a.m), 0); // in-band m gives in-band root
  if (a.m < 0) return new ExtFloat(NaN, 0);
  // Make the exponent even so that it halves exactly.
  return a.e % 2 === 0 ? norm(Math.sqrt(a.m), a.e / 2) : norm(Math.sqrt(2 * a.m), (a.e - 1) / 2);
}

function checkPowExponent(k: number): void {
  if (!Number.isInteger(k)) throw new RangeError(`powInt: exponent ${k} is not an integer`);
}

/**
 * a^k for an integer k by binary powering (the same sequence of roundings as FloatArith.powInt).
 * Unlike Math.pow, a non-finite base to the power 0 gives NaN, so NaN never turns into 1.
 */
export function powInt(a: ExtFloat, k: number): ExtFloat {
  checkPowExponent(k);
  if (k === 0) return Number.isFinite(a.m) ? ONE : new ExtFloat(NaN, 0);
  if (k < 0) return div(ONE, powInt(a, -k));
  let result: ExtFloat | undefined;
  let base = a;
  for (;;) {
    if (k % 2 === 1) result = result === undefined ? base : mul(result, base);
    k = Math.floor(k / 2);
    if (k === 0) return result!;
    base = mul(base, base);
  }
}

/** -1, 0 or 1; NaN if either argument is NaN (so cmp(a, b) < 0 behaves like a < b). */
export function cmp(a: ExtFloat, b: ExtFloat): number {
  const am = a.m;
  const bm = b.m;
  if (am !== am || bm !== bm) return NaN;
  // Equal exponents, zeros, infinities (e = 0) and mixed signs: the mantissas alone decide.
  if (a.e === b.e || am === 0 || bm === 0 || !Number.isFinite(am) || !Number.isFinite(bm) || (am < 0) !== (bm < 0)) {
    return am < bm ? -1 : am > bm ? 1 : 0;
  }
  // Same sign, both finite nonzero, different exponents: larger e means larger magnitude.
  const s = am > 0 ? 1 : -1;
  return a.e > b.e ? s : -s;
}

/** Maximum; NaN if either is NaN (like Math.max). */
export function max(a: ExtFloat, b: ExtFloat): ExtFloat {
  const c = cmp(a, b);
  if (c !== c) return new ExtFloat(NaN, 0);
  return c >= 0 ? a : b;
}

/** Minimum; NaN if either is NaN (like Math.min). */
export function min(a: ExtFloat, b: ExtFloat): ExtFloat {
  const c = cmp(a, b);
  if (c !== c) return new ExtFloat(NaN, 0);
  return c <= 0 ? a : b;
}

const ONE = new ExtFloat(1, 0);

// ---- arithmetic objects for generated code ------------------------------------------------

/** The operations generated kernels call (see symbolic/compile.ts arithSource). */
export interface Arith<T> {
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  neg(a: T): T;
  abs(a: T): T;
  max(a: T, b: T): T;
  min(a: T, b: T): T;
  powInt(a: T, k: number): T;
  sqrt(a: T): T;
  fromNumber(x: number): T;
  toNumber(a: T): number;
}

export const ExtArith: Arith<ExtFloat> = { add, sub, mul, div, neg, abs, max, min, powInt, sqrt, fromNumber: ext, toNumber };

function powIntFloat(x: number, k: number): number {
  checkPowExponent(k);
  if (k === 0) return Number.isFinite(x) ? 1 : NaN;
  if (k < 0) return 1 / powIntFloat(x, -k);
  let result: number | undefined;
  let base = x;
  for (;;) {
    if (k % 2 === 1) result = result === undefined ? base : result * base;
    k = Math.floor(k / 2);
    if (k === 0) return result!;
    base = base * base;
  }
}

/** Plain float64 with the same interface (max/min propagate NaN like Math.max/Math.min). */
export const FloatArith: Arith<number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  abs: Math.abs,
  max: (a, b) => Math.max(a, b),
  min: (a, b) => Math.min(a, b),
  powInt: powIntFloat,
  sqrt: Math.sqrt,
  fromNumber: (x) => x,
  toNumber: (x) => x,
};

// ---- allocation-free (mantissa, exponent) pairs for generated kernels -----------------------

/**
 * The same operations on canonical (m, e) pairs held in plain numbers, for generated kernels that
 * must not allocate (symbolic/compile.ts pairSource). Generated code inlines the common case (both
 * exponents 0 and an in-band result: a single float64 operation, exactly as ExtArith does) and calls
 * one of these methods otherwise; a method leaves its result in `m` and `e`, so the rare path costs
 * a call but still no object. Every method performs the same sequence of roundings as the ExtFloat
 * function of the same name, so results are bit-identical (test/dynamics/ext-step.test.ts).
 */
export class ExtPairScratch {
  // Doubles from the start so that V8 gives the fields an unboxed double representation.
  m = 0.5;
  e = 0.5;

  /** norm(m, e) of the ExtFloat code. */
  norm(m: number, e: number): void {
    if (m === 0 || m !== m || m === Infinity || m === -Infinity) {
      this.m = m;
      this.e = 0;
      return;
    }
    const E0 = exponentOf(m);
    const E = E0 + e;
    if (E >= -BAND && E < BAND) {
      this.m = e === 0 ? m : scaleExact(m, e);
      this.e = 0;
    } else if (E > MAX_E) {
      this.m = m > 0 ? Infinity : -Infinity;
      this.e = 0;
    } else if (E < -MAX_E) {
      this.m = m > 0 ? 0 : -0;
      this.e = 0;
    } else {
      this.m = scaleExact(m, -E0);
      this.e = E;
    }
  }

  /** addSlow of the ExtFloat code: any operands (sub passes -bm). */
  addSlow(am: number, ae: number, bm: number, be: number): void {
    if (!Number.isFinite(am) || !Number.isFinite(bm)) {
      this.m = am + bm;
      this.e = 0;
      return;
    }
    if (am === 0) {
      if (bm === 0) {
        this.m = am + bm;
        this.e = 0;
      } else {
        this.m = bm;
        this.e = be;
      }
      return;
    }
    if (bm === 0) {
      this.m = am;
      this.e = ae;
      return;
    }
    if (ae === be) return this.norm(am + bm, ae);
    const aBig = ae > be;
    const Mb = aBig ? am : bm;
    const Eb = aBig ? ae : be;
    const ms = aBig ? bm : am;
    const d = Eb - (aBig ? be : ae);
    if (d > ADD_CUTOFF) {
      this.m = Mb;
      this.e = Eb;
      return;
    }
    this.norm(Mb + ldexp(ms, -d), Eb);
  }

  add(am: number, ae: number, bm: number, be: number): void {
    if (ae === 0 && be === 0) {
      const m = am + bm;
      if (inBand(m)) {
        this.m = m;
        this.e = 0;
      } else this.norm(m, 0);
    } else this.addSlow(am, ae, bm, be);
  }

  sub(am: number, ae: number, bm: number, be: number): void {
    if (ae === 0 && be === 0) {
      const m = am - bm;
      if (inBand(m)) {
        this.m = m;
        this.e = 0;
      } else this.norm(m, 0);
    } else this.addSlow(am, ae, -bm, be);
  }

  mul(am: number, ae: number, bm: number, be: number): void {
    const m = am * bm;
    const e = ae + be;
    if (e === 0 && inBand(m)) {
      this.m = m;
      this.e = 0;
    } else this.norm(m, e);
  }

  div(am: number, ae: number, bm: number, be: number): void {
    const m = am / bm;
    const e = ae - be;
    if (e === 0 && inBand(m)) {
      this.m = m;
      this.e = 0;
    } else this.norm(m, e);
  }

  sqrt(am: number, ae: number): void {
    if (ae === 0) {
      this.m = Math.sqrt(am);
      this.e = 0;
    } else if (am < 0) {
      this.m = NaN;
      this.e = 0;
    } else if (ae % 2 === 0) this.norm(Math.sqrt(am), ae / 2);
    else this.norm(Math.sqrt(2 * am), (ae - 1) / 2);
  }

  /** max of the ExtFloat code (the first argument wins ties, NaN if either is NaN). */
  max(am: number, ae: number, bm: number, be: number): void {
    const c = cmpParts(am, ae, bm, be);
    if (c !== c) {
      this.m = NaN;
      this.e = 0;
    } else if (c >= 0) {
      this.m = am;
      this.e = ae;
    } else {
      this.m = bm;
      this.e = be;
    }
  }

  min(am: number, ae: number, bm: number, be: number): void {
    const c = cmpParts(am, ae, bm, be);
    if (c !== c) {
      this.m = NaN;
      this.e = 0;
    } else if (c <= 0) {
      this.m = am;
      this.e = ae;
    } else {
      this.m = bm;
      this.e = be;
    }
  }
}

function cmpParts(am: number, ae: number, bm: number, be: number): number {
  if (am !== am || bm !== bm) return NaN;
  if (ae === be || am === 0 || bm === 0 || !Number.isFinite(am) || !Number.isFinite(bm) || (am < 0) !== (bm < 0)) {
    return am < bm ? -1 : am > bm ? 1 : 0;
  }
  const s = am > 0 ? 1 : -1;
  return ae > be ? s : -s;
}

/** Band limits the inlined fast path of generated pair code tests against (see ExtPairScratch). */
export const EXT_BAND_EXPONENT = BAND;
/** Exponents beyond which ExtFloat flushes to 0 or infinity (code that must agree with it bounds its exponents by this). */
export const EXT_MAX_E = MAX_E;
export const EXT_BAND_LO = BAND_LO;
export const EXT_BAND_HI = BAND_HI;

/** The nearest double of the pair (m, e), like toNumber. */
export function pairToNumber(m: number, e: number): number {
  return e === 0 ? m : ldexp(m, e);
}

/** log10 |m 2^e|, like log10Abs. */
export function pairLog10Abs(m: number, e: number): number {
  const l = Math.log10(Math.abs(m));
  return e === 0 ? l : l + e * LOG10_2;
}

/** 2^k at index k + 1074, k = -1074..1023 (exact), for generated pair code. */
export const EXT_POW2: Float64Array = Float64Array.from(POW2);
/** Index of the 32-bit word holding sign and exponent of a double in a Uint32Array view. */
export const EXT_HI_WORD = HI;
