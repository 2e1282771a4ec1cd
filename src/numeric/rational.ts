/**
 * Exact rationals over bigint, always normalized: gcd(num, den) = 1 and den > 0 (zero is 0/1).
 *
 * Floats enter through fromDouble / fromExtended, which read the IEEE-754 bits, so a double becomes
 * exactly the rational it represents (no decimal detour, no continued-fraction approximation).
 */
import { bitLength } from './bits.js';

const SAFE = 9007199254740991n; // 2^53 - 1

// Shared buffer for reading IEEE bits; HI is the index of the sign/exponent word.
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
F64[0] = 1;
const HI = U32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** Exact powers of two 2^-1074 .. 2^1023, built by doubling/halving (no reliance on Math.pow). */
const POW2: number[] = (() => {
  const t = new Array<number>(2098);
  let p = 1;
  for (let k = 0; k <= 1023; k++, p *= 2) t[k + 1074] = p;
  p = 1;
  for (let k = 0; k >= -1074; k--, p /= 2) t[k + 1074] = p;
  return t;
})();

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Decompose a finite double as (-1)^neg * odd * 2^exp, odd an odd integer < 2^53 (odd = 0 for zero). */
function decompose(x: number): { neg: boolean; odd: number; exp: number } {
  F64[0] = x;
  const hi = U32[HI]!;
  const lo = U32[LO]!;
  const bexp = (hi >>> 20) & 0x7ff;
  if (bexp === 0x7ff) throw new RangeError(`Rational: ${x} is not a finite number`);
  const neg = hi >>> 31 === 1;
  const mhi = (hi & 0xfffff) | (bexp === 0 ? 0 : 0x100000);
  if (mhi === 0 && lo === 0) return { neg: false, odd: 0, exp: 0 };
  const tz = lo !== 0 ? ctz32(lo) : 32 + ctz32(mhi);
  const mant = mhi * 4294967296 + lo;
  return { neg, odd: mant / POW2[tz + 1074]!, exp: (bexp === 0 ? -1074 : bexp - 1075) + tz };
}

function babs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function isPow2(x: bigint): boolean {
  return (x & (x - 1n)) === 0n;
}

/** gcd of non-negative bigints. */
function gcd(a: bigint, b: bigint): bigint {
  if (a <= SAFE && b <= SAFE) {
    // Small operands: number arithmetic is much faster than bigint.
    let x = Number(a);
    let y = Number(b);
    while (y !== 0) {
      const t = x % y;
      x = y;
      y = t;
    }
    return BigInt(x);
  }
  // Denominators from doubles are powers of two: gcd is the lowest set bit of the other operand.
  if (b !== 0n && isPow2(b)) {
    const low = a & -a;
    return a === 0n ? b : low < b ? low : b;
  }
  if (a !== 0n && isPow2(a)) {
    const low = b & -b;
    return b === 0n ? a : low < a ? low : a;
  }
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** log2 of a positive bigint, as a double (accurate to ~1e-15 relative even for huge values). */
function log2Big(x: bigint): number {
  const n = bitLength(x);
  if (n <= 1000) return Math.log2(Number(x));
  const s = n - 64;
  return Math.log2(Number(x >> BigInt(s))) + s;
}

/** log2Big(2^k), without building 2^k: Number(2^k) is 2 ** k, and 2^k >> (k - 63) is 2^63. */
function log2Pow2(k: number): number {
  return k + 1 <= 1000 ? Math.log2(2 ** k) : Math.log2(2 ** 63) + (k - 63);
}

/**
 * Rational.log2Abs of the dyadic m 2^e (m an integer), the same double, without the rational: for e < 0 its lowest
 * terms are (m / 2^j) / 2^(-e - j), j the trailing zeros m shares with 2^-e; -Infinity for 0, as log2Abs.
 */
export function log2AbsOfDyadic(m: bigint, e: number): number {
  if (m === 0n) return -Infinity;
  const a = babs(m);
  if (e >= 0) return log2Big(a << BigInt(e)) - log2Big(1n);
  const j = Math.min(bitLength(a & -a) - 1, -e);
  return log2Big(j === 0 ? a : a >> BigInt(j)) - log2Pow2(-e - j);
}

function checkInteger(k: number, what: string): void {
  if (!Number.isInteger(k)) throw new RangeError(`Rational.${what}: ${k} is not an integer`);
}

export class Rational {
  /** Use the static constructors; this one trusts that (num, den) is already normalized. */
  private constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /** num/den reduced to lowest terms; throws on a zero denominator. */
  static of(num: bigint, den: bigint = 1n): Rational {
    if (den === 0n) throw new RangeError('Rational: division by zero');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num === 0n) return Rational.ZERO;
    if (den === 1n) return new Rational(num, 1n);
    const g = gcd(babs(num), den);
    return g === 1n ? new Rational(num, den) : new Rational(num / g, den / g);
  }

  static fromBigInt(n: bigint): Rational {
    return new Rational(n, 1n);
  }

  static fromInt(n: number): Rational {
    checkInteger(n, 'fromInt');
    return new Rational(BigInt(n), 1n);
  }

  /** The exact value of a double, from its IEEE-754 bits (subnormals included; -0 gives 0). */
  static fromDouble(x: number): Rational {
    return Rational.fromExtended(x, 0);
  }

  /** The exact value of mantissa * 2^exponent2 for a finite double mantissa and any integer exponent2. */
  static fromExtended(mantissa: number, exponent2: number): Rational {
    checkInteger(exponent2, 'fromExtended');
    const { neg, odd, exp } = decompose(mantissa);
    if (odd === 0) return Rational.ZERO;
    let n = BigInt(odd);
    if (neg) n = -n;
    // odd numerator over a power of two: already in lowest terms.
    const e = exp + exponent2;
    return e >= 0 ? new Rational(n << BigInt(e), 1n) : new Rational(n, 1n << BigInt(-e));
  }

  /**
   * Exact value of a decimal literal ("-2.5", "0.001", "1e-3", ".5", "1.5e+21") or a quotient of
   * two such literals ("3/7"). Not-a-number, infinities and malformed strings throw.
   */
  static fromDecimalString(s: string): Rational {
    const t = s.trim();
    const slash = t.indexOf('/');
    if (slash >= 0) {
      const q = Rational.fromDecimalString(t.slice(slash + 1));
      if (q.isZero()) throw new RangeError(`Rational: division by zero in "${s}"`);
      return Rational.fromDecimalString(t.slice(0, slash)).div(q);
    }
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
    if (!m || (m[2] ?? '') + (m[3] ?? '') === '') throw new RangeError(`Rational: cannot parse "${s}" as a decimal number`);
    const frac = m[3] ?? '';
    const exp = Number(m[4] ?? '0') - frac.length;
    // Guard against "1e999999999" allocating a gigantic power of ten.
    if (!(Math.abs(exp) <= 1e6)) throw new RangeError(`Rational: exponent out of range in "${s}"`);
    let n = BigInt((m[2] ?? '') + frac);
    if (m[1] === '-') n = -n;
    return exp >= 0 ? new Rational(n * 10n ** BigInt(exp), 1n) : Rational.of(n, 10n ** BigInt(-exp));
  }

  add(o: Rational): Rational {
    if (this.den === 1n && o.den === 1n) return new Rational(this.num + o.num, 1n);
    if (this.den === o.den) return Rational.of(this.num + o.num, this.den);
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Rational): Rational {
    if (this.den === 1n && o.den === 1n) return new Rational(this.num - o.num, 1n);
    if (this.den === o.den) return Rational.of(this.num - o.num, this.den);
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  mul(o: Rational): Rational {
    if (this.num === 0n || o.num === 0n) return Rational.ZERO;
    if (this.den === 1n && o.den === 1n) return new Rational(this.num * o.num, 1n);
    // Cross-cancel first: the products stay smaller and the result is already reduced.
    const g1 = gcd(babs(this.num), o.den);
    const g2 = gcd(babs(o.num), this.den);
    return new Rational((this.num / g1) * (o.num / g2), (this.den / g2) * (o.den / g1));
  }

  div(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError(`Rational: division of ${this.toString()} by zero`);
    return this.mul(o.inv());
  }

  /** 1/this; throws for zero. */
  inv(): Rational {
    if (this.num === 0n) throw new RangeError('Rational: division by zero');
    return this.num < 0n ? new Rational(-this.den, -this.num) : new Rational(this.den, this.num);
  }

  neg(): Rational {
    return this.num === 0n ? this : new Rational(-this.num, this.den);
  }

  abs(): Rational {
    return this.num < 0n ? new Rational(-this.num, this.den) : this;
  }

  /** this^k for an integer k (negative allowed; 0^k with k < 0 throws, x^0 = 1). */
  pow(k: number): Rational {
    checkInteger(k, 'pow');
    if (k === 0) return Rational.ONE;
    const r = k < 0 ? this.inv() : this;
    const K = BigInt(Math.abs(k));
    // Powers of coprime integers stay coprime.
    return new Rational(r.num ** K, r.den ** K);
  }

  sign(): -1 | 0 | 1 {
    return this.num > 0n ? 1 : this.num < 0n ? -1 : 0;
  }

  cmp(o: Rational): -1 | 0 | 1 {
    const sa = this.sign();
    const sb = o.sign();
    if (sa !== sb) return sa < sb ? -1 : 1;
    if (this.den === o.den) return this.num < o.num ? -1 : this.num > o.num ? 1 : 0;
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  eq(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }
  lt(o: Rational): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Rational): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Rational): boolean {
    return this.cmp(o) > 0;
  }
  ge(o: Rational): boolean {
    return this.cmp(o) >= 0;
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }

  /** Largest integer <= this. */
  floor(): bigint {
    const q = this.num / this.den; // truncates toward zero
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  /** Smallest integer >= this. */
  ceil(): bigint {
    return -this.neg().floor();
  }

  /** The nearest double (ties to even), with IEEE overflow to ±Infinity and gradual underflow. */
  toNumber(): number {
    const n = this.num;
    const d = this.den;
    if (n === 0n) return 0;
    const p = babs(n);
    // Both exact as doubles: IEEE division is correctly rounded.
    if (p <= SAFE && d <= SAFE) return Number(n) / Number(d);
    const sgn = n < 0n ? -1 : 1;
    const lp = bitLength(p);
    const lq = bitLength(d);
    // E = floor(log2(p/d)) is lp - lq or one less.
    let E = lp - lq;
    if (E >= 0 ? p < d << BigInt(E) : p << BigInt(-E) < d) E--;
    if (E > 1023) return sgn * Infinity;
    if (E < -1076) return sgn * 0; // below half the smallest subnormal
    // Unit in the last place of the result (fixed at 2^-1074 in the subnormal range).
    const u = Math.max(E - 52, -1074);
    const a = u >= 0 ? p : p << BigInt(-u);
    const b = u >= 0 ? d << BigInt(u) : d;
    let Q = a / b;
    const r2 = (a - Q * b) << 1n;
    if (r2 > b || (r2 === b && (Q & 1n) === 1n)) Q += 1n;
    // Q <= 2^53 and 2^u is exact, so the product is exact unless it overflows (Q = 2^53, u = 971).
    return sgn * (Number(Q) * POW2[u + 1074]!);
  }

  /** log2 |this| as a double; -Infinity for zero. Works far outside the double range. */
  log2Abs(): number {
    if (this.num === 0n) return -Infinity;
    return log2Big(babs(this.num)) - log2Big(this.den);
  }

  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }
}

export function ratMin(first: Rational, ...rest: Rational[]): Rational {
  return rest.reduce((m, x) => (x.lt(m) ? x : m), first);
}

export function ratMax(first: Rational, ...rest: Rational[]): Rational {
  return rest.reduce((m, x) => (x.gt(m) ? x : m), first);
}
