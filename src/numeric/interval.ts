import { Rational } from './rational.js';
import { bitLength, pow2 } from './bits.js';
// The predecessor without an allocation per call (this module's own copy built two typed arrays and a bigint).
import { nextDown } from './float-interval.js';
import { CertainlyUndefined, MaybeUndefined } from './partial.js';
import type { Enclosures } from './enclosure.js';

/**
 * Closed intervals with exact rational endpoints. Rational operations are exact, so an interval
 * only widens where a value is irrational (sqrt, exp, log, an eigenvalue): the result encloses
 * the true value with certainty, and a comparison of two enclosures is decided only when they
 * do not overlap.
 */
export class Interval {
  constructor(
    readonly lo: Rational,
    readonly hi: Rational,
  ) {}

  static point(x: Rational): Interval {
    return new Interval(x, x);
  }

  isPoint(): boolean {
    return this.lo.eq(this.hi);
  }

  width(): Rational {
    return this.hi.sub(this.lo);
  }

  containsZero(): boolean {
    return this.lo.sign() <= 0 && this.hi.sign() >= 0;
  }
}

export class UndecidableError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'UndecidableError';
  }
}

const rmin = (xs: Rational[]) => xs.reduce((m, x) => (x.lt(m) ? x : m));
const rmax = (xs: Rational[]) => xs.reduce((m, x) => (x.gt(m) ? x : m));

/**
 * The interval rounded outward to about `bits` significant bits per endpoint: still an enclosure,
 * with short endpoints (exact parameters can carry 10^4 bits; rounding keeps each operation cheap).
 */
export function iround(a: Interval, bits: number): Interval {
  const lo = roundDyadic(a.lo, bits, 'down');
  const hi = a.isPoint() && lo === a.lo ? lo : roundDyadic(a.hi, bits, 'up');
  return lo === a.lo && hi === a.hi ? a : new Interval(lo, hi);
}

export function iadd(a: Interval, b: Interval): Interval {
  // Two points (Interval.point shares the end): one exact sum, not the same sum twice.
  if (a.lo === a.hi && b.lo === b.hi) return Interval.point(a.lo.add(b.lo));
  return new Interval(a.lo.add(b.lo), a.hi.add(b.hi));
}
export function isub(a: Interval, b: Interval): Interval {
  return new Interval(a.lo.sub(b.hi), a.hi.sub(b.lo));
}
export function ineg(a: Interval): Interval {
  return new Interval(a.hi.neg(), a.lo.neg());
}
export function imul(a: Interval, b: Interval): Interval {
  if (a.isPoint() && b.isPoint()) return Interval.point(a.lo.mul(b.lo));
  const p = [a.lo.mul(b.lo), a.lo.mul(b.hi), a.hi.mul(b.lo), a.hi.mul(b.hi)];
  return new Interval(rmin(p), rmax(p));
}
export function idiv(a: Interval, b: Interval): Interval {
  if (b.isPoint() && b.lo.isZero()) throw new CertainlyUndefined('division by 0');
  if (b.containsZero()) throw new MaybeUndefined('division by an interval that contains 0');
  if (b.isPoint()) {
    const inv = Rational.fromInt(1).div(b.lo);
    return imul(a, Interval.point(inv));
  }
  return imul(a, new Interval(Rational.fromInt(1).div(b.hi), Rational.fromInt(1).div(b.lo)));
}
export function ipow(a: Interval, k: number): Interval {
  if (k < 0) return idiv(Interval.point(Rational.fromInt(1)), ipow(a, -k));
  if (k === 0) return Interval.point(Rational.fromInt(1));
  if (a.isPoint()) return Interval.point(a.lo.pow(k));
  const l = a.lo.pow(k);
  const h = a.hi.pow(k);
  if (k % 2 === 1) return new Interval(l, h);
  if (a.containsZero()) return new Interval(Rational.fromInt(0), rmax([l, h]));
  return new Interval(rmin([l, h]), rmax([l, h]));
}
export function iabs(a: Interval): Interval {
  if (a.lo.sign() >= 0) return a;
  if (a.hi.sign() <= 0) return ineg(a);
  return new Interval(Rational.fromInt(0), rmax([a.lo.neg(), a.hi]));
}
export function imax(a: Interval, b: Interval): Interval {
  return new Interval(rmax([a.lo, b.lo]), rmax([a.hi, b.hi]));
}
export function imin(a: Interval, b: Interval): Interval {
  return new Interval(rmin([a.lo, b.lo]), rmin([a.hi, b.hi]));
}

/** floor(sqrt(n)) for n >= 0. */
export function isqrtBig(n: bigint): bigint {
  if (n < 2n) return n;
  // Start above the root (2^ceil(bits/2)); Newton then decreases monotonically to floor(sqrt(n)).
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** Lower and upper rational bounds of sqrt(r), r >= 0, to about `bits` relative bits (exact for squares). */
export function sqrtBounds(r: Rational, bits = 160): [Rational, Rational] {
  if (r.sign() < 0) throw new CertainlyUndefined(`sqrt of a negative number ${r.toString()}`);
  if (r.isZero()) return [r, r];
  // sqrt(p/q) = sqrt(p*q)/q; scale by 4^s so the integer root carries enough bits.
  const pq = r.num * r.den;
  const len = pq.toString(2).length;
  const s = BigInt(Math.max(0, Math.ceil((2 * bits - len) / 2)));
  const scaled = pq << (2n * s);
  const f = isqrtBig(scaled);
  const denom = r.den << s;
  const lo = Rational.fromBigInt(f).div(Rational.fromBigInt(denom));
  const hi = f * f === scaled ? lo : Rational.fromBigInt(f + 1n).div(Rational.fromBigInt(denom));
  return [lo, hi];
}

export function isqrt(a: Interval, bits = 160): Interval {
  if (a.hi.sign() < 0) throw new CertainlyUndefined('sqrt of a negative number');
  // Never clip: an enclosure reaching below 0 might be undefined, which only a sharper evaluation can tell.
  if (a.lo.sign() < 0) throw new MaybeUndefined('sqrt of an enclosure that reaches below 0');
  // Exact inputs can carry thousands of bits (a parameter ~ 2^-3000, squared); round them outward to
  // bits + 64 bits first: the enclosure stays certified and the integer square roots stay short.
  const lo = a.lo.sign() <= 0 ? Rational.fromInt(0) : sqrtBounds(roundDyadic(a.lo, bits + 64, 'down'), bits)[0];
  return new Interval(lo, sqrtBounds(roundDyadic(a.hi, bits + 64, 'up'), bits)[1]);
}

export { bitLength } from './bits.js';

/** x rounded down or up to a multiple of 2^(floor(log2|x|) - bits): about `bits` significant bits. */
export function roundDyadic(x: Rational, bits: number, dir: 'down' | 'up'): Rational {
  if (x.isZero()) return x;
  const lenN = bitLength(x.num);
  const lenD = bitLength(x.den);
  if (lenN + lenD <= 2 * bits) return x;
  return gridRound(x, bits - (lenN - lenD), dir, lenD);
}

/** x rounded down or up to a multiple of 2^-k (k may be negative). */
export function roundToGrid(x: Rational, kNum: number, dir: 'down' | 'up'): Rational {
  return gridRound(x, kNum, dir, bitLength(x.den));
}

/** roundToGrid, given the bit length of x's denominator. */
function gridRound(x: Rational, kNum: number, dir: 'down' | 'up', lenD: number): Rational {
  const den0 = x.den;
  if ((den0 & (den0 - 1n)) === 0n) {
    // A dyadic x = num / 2^d (the common case: doubles and their sums and products): x 2^k is num / 2^(d - k),
    // floored by an arithmetic shift, with no bigint division; on the grid already where d <= k.
    const s = lenD - 1 - kNum;
    if (s <= 0) return x;
    const sh = BigInt(s);
    let q = x.num >> sh;
    if (dir === 'up' && q << sh !== x.num) q += 1n;
    return kNum >= 0 ? Rational.of(q, pow2(kNum)) : Rational.of(q << BigInt(-kNum), 1n);
  }
  const k = BigInt(kNum);
  const scaled = k >= 0n ? x.num << k : x.num;
  const den = k >= 0n ? x.den : x.den << -k;
  let q = scaled / den;
  const exact = q * den === scaled;
  if (!exact) {
    if (scaled < 0n) q -= 1n; // bigint division truncates toward zero: make it a floor
    if (dir === 'up') q += 1n;
  }
  return k >= 0n ? Rational.of(q, 1n << k) : Rational.of(q << -k, 1n);
}

/** Widen a double outward by `ulps` units in the last place (for library functions that are not correctly rounded). */
function widenDown(x: number, ulps: number): number {
  for (let i = 0; i < ulps; i++) x = nextDown(x);
  return x;
}
function widenUp(x: number, ulps: number): number {
  for (let i = 0; i < ulps; i++) x = -nextDown(-x);
  return x;
}

/**
 * An increasing library function (exp, a positive power) enclosed by outward-widened doubles. (Logarithms have
 * their own enclosure at any precision and magnitude: numeric/log-enclosure.ts.)
 */
export function imonotone(a: Interval, f: (x: number) => number, name: string): Interval {
  const lo = widenDown(f(widenDown(a.lo.toNumber(), 1)), 4);
  const hi = widenUp(f(widenUp(a.hi.toNumber(), 1)), 4);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new UndecidableError(`${name} is not finite on [${a.lo.toNumber()}, ${a.hi.toNumber()}]`);
  return new Interval(Rational.fromDouble(lo), Rational.fromDouble(hi));
}

/** -1: a < b certainly; 1: a > b certainly; 0: a == b exactly (both points); undefined: the enclosures overlap. */
export function icompare(a: Interval, b: Interval): -1 | 0 | 1 | undefined {
  if (a.hi.lt(b.lo)) return -1;
  if (a.lo.gt(b.hi)) return 1;
  if (a.isPoint() && b.isPoint() && a.lo.eq(b.lo)) return 0;
  return undefined;
}

/**
 * The rational row of the enclosure interface (enclosure.ts): + - * / exact, sqrt enclosed to `bits`
 * bits, and every result rounded outward to `round` bits when given (the exact decider's rounded
 * rung: parameters of 10^4 bits stay cheap).
 */
export class RationalArith implements Enclosures<Interval, Rational> {
  readonly name: string;
  readonly precision: number;
  constructor(
    readonly bits = 160,
    readonly round?: number,
  ) {
    this.precision = round ?? Infinity;
    this.name = round === undefined ? `rational intervals (sqrt to ${bits} bits)` : `rational intervals rounded to ${round} bits`;
  }

  private r(x: Interval): Interval {
    return this.round === undefined ? x : iround(x, this.round);
  }

  fromDouble(x: number): Interval {
    return Interval.point(Rational.fromDouble(x));
  }
  fromRational(r: Rational): Interval {
    return this.r(Interval.point(r));
  }
  point(x: Rational): Interval {
    return Interval.point(x);
  }
  lo(a: Interval): Rational {
    return a.lo;
  }
  hi(a: Interval): Rational {
    return a.hi;
  }
  cmp(x: Rational, y: Rational): number {
    return x.cmp(y);
  }
  sign(x: Rational): number {
    return x.sign();
  }
  toRational(x: Rational): Rational {
    return x;
  }
  toNumber(x: Rational): number {
    return x.toNumber();
  }
  add(a: Interval, b: Interval): Interval {
    return this.r(iadd(a, b));
  }
  sub(a: Interval, b: Interval): Interval {
    return this.r(isub(a, b));
  }
  mul(a: Interval, b: Interval): Interval {
    return this.r(imul(a, b));
  }
  div(a: Interval, b: Interval): Interval {
    return this.r(idiv(a, b));
  }
  sqr(a: Interval): Interval {
    return this.r(ipow(a, 2));
  }
  sqrt(a: Interval): Interval {
    return this.r(isqrt(a, this.bits));
  }
  neg(a: Interval): Interval {
    return ineg(a);
  }
  abs(a: Interval): Interval {
    return iabs(a);
  }
  max(a: Interval, b: Interval): Interval {
    return imax(a, b);
  }
  min(a: Interval, b: Interval): Interval {
    return imin(a, b);
  }
  hull(a: Interval, b: Interval): Interval {
    return new Interval(a.lo.lt(b.lo) ? a.lo : b.lo, a.hi.gt(b.hi) ? a.hi : b.hi);
  }
}
