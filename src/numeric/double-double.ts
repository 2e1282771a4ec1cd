import { up } from './outward.js';
import { Rational, ratMax, ratMin } from './rational.js';
import { CertainlyUndefined, MaybeUndefined } from './partial.js';
import type { Enclosures } from './enclosure.js';

/**
 * The float filter's second tier: double-double values (hi + lo, about 106 bits) with a rigorous
 * running bound on their absolute error. Where one double interval is too coarse (a residual
 * a residual of 1e-16 computed from doubles, squared), 106 bits separate the two sides at a
 * small fraction of the cost of exact rationals.
 *
 * Each operation's rounding error is bounded by REL * |result| with REL = 2^-100, generous against
 * the published bounds of the double-word algorithms used here (Joldes, Muller, Popescu 2017,
 * "Tight and rigorous error bounds for basic building blocks of double-word arithmetic": at most
 * 3u^2 for AccurateDWPlusDW, 7u^2 for DWTimesDW, u = 2^-53; square root: one Newton step from the
 * correctly rounded double root, bounded by 2^-96 relative); the propagated error
 * of the inputs is added with every double operation rounded upward. Magnitudes outside
 * [2^-900, 2^900] (where Veltkamp splitting or subnormals would void these bounds) are not
 * represented: such a value gives up (the caller falls back to exact arithmetic), except that a
 * value below 2^-900 in magnitude may enter as 0 with that bound as its error. Division is bounded
 * a posteriori from its residual, so its bound does not rest on the quotient algorithm.
 *
 * A value is four doubles in a Float64Array slot: hi, lo, err, and a spare.
 */
export const REL = 2 ** -100;
export const BIG = 2 ** 900;
export const SMALL = 2 ** -900;
export const SPLIT = 134217729; // 2^27 + 1
/**
 * An error bound summed from nonnegative terms in round-to-nearest, one rounding at a time, is at least the exact sum
 * times (1 - 2^-53)^k, less 2^-1075 for each product that underflows (sums of doubles do not round below the normal
 * range). For k <= 6 roundings per term (add's and mul's bounds below), times GROW once and plus FLOOR once (two
 * more roundings) is above the exact bound: GROW (1 - 2^-53)^2 >= (1 - 2^-53)^-6, and FLOOR (a normal number, far
 * below what the tier represents: SMALL) covers every underflow. One scaling instead of rounding each partial result
 * up shortens the chain of dependent operations a kernel waits on (c8's linear-rate lemma: 28% less time).
 * test/numeric/double-double.test.ts holds the bounds at the corners of wide balls, where the unscaled sum falls short.
 */
export const GROW = 1 + 2 ** -48;
export const FLOOR = 2 ** -1000;

/** a b - p exactly, for p = fl(a b) (Dekker's product by Veltkamp's splitting; no overflow in the split, no underflow). */
export function twoProductError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

export class GiveUp extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'GiveUp';
  }
}

/** Results of the last operation (no allocation per operation). */
export class DDOps {
  hi = 0;
  lo = 0;
  err = 0;

  private set(hi: number, lo: number, err: number): void {
    const a = Math.abs(hi);
    if (!(a < BIG) || !Number.isFinite(err)) throw new GiveUp(`double-double range (${hi}, ${lo}, ${err})`);
    if (a !== 0 && a < SMALL) {
      // Too small to keep the relative bounds: keep 0 with the magnitude as error.
      this.hi = 0;
      this.lo = 0;
      this.err = up(up(err + SMALL) + up(a + Math.abs(lo)));
      return;
    }
    this.hi = hi;
    this.lo = lo;
    this.err = err;
  }

  /** A double (exact) or a double-double constant with a given error. */
  load(hi: number, lo: number, err: number): void {
    this.set(hi, lo, err);
  }

  private twoSum(a: number, b: number): void {
    const s = a + b;
    const bb = s - a;
    this.hi = s;
    this.lo = a - (s - bb) + (b - bb);
  }

  private twoProd(a: number, b: number): void {
    const p = a * b;
    this.hi = p;
    this.lo = twoProductError(a, b, p);
  }

  /** hi + lo normalised (Fast2Sum, |hi| >= |lo|): the result in this.hi, this.lo, with no array per operation. */
  private renorm(hi: number, lo: number): void {
    const s = hi + lo;
    this.hi = s;
    this.lo = lo - (s - hi);
  }

  add(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
    // Accurate double-word addition (AccurateDWPlusDW).
    this.twoSum(ah, bh);
    const sh = this.hi;
    const sl = this.lo;
    this.twoSum(al, bl);
    const th = this.hi;
    const tl = this.lo;
    this.renorm(sh, sl + th);
    this.renorm(this.hi, this.lo + tl);
    const h = this.hi;
    this.set(h, this.lo, (ae + be + REL * Math.abs(h)) * GROW + FLOOR);
  }

  sub(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
    this.add(ah, al, ae, -bh, -bl, be);
  }

  mul(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
    this.twoProd(ah, bh);
    const ph = this.hi;
    let pl = this.lo;
    pl += ah * bl + al * bh;
    this.renorm(ph, pl);
    const h = this.hi;
    const l = this.lo;
    const A = Math.abs(ah) + Math.abs(al);
    const B = Math.abs(bh) + Math.abs(bl);
    this.set(h, l, (A * be + B * ae + ae * be + REL * Math.abs(h)) * GROW + FLOOR);
  }

  /**
   * Division with an a-posteriori bound: whatever the quotient q, |a/b - q| = |a - q b| / |b|, and
   * the residual a - q b is computed with the (rigorously bounded) multiplication and subtraction
   * above; the inputs' errors add (ea + |a/b| eb) / (|b| - eb).
   */
  div(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
    const Bmin = Math.abs(bh) - Math.abs(bl) - be;
    // The two subtractions round by up to 2^-52 |bh| together: a margin relative to |bh|, not to Bmin,
    // which cancellation can make far smaller (a divisor whose error is nearly its magnitude).
    const Blo = Bmin - Math.abs(bh) * 2 ** -50;
    if (!(Blo > 0)) throw new GiveUp('denominator too close to 0');
    const q1 = ah / bh;
    this.mul(q1, 0, 0, bh, bl, 0);
    this.sub(ah, al, 0, this.hi, this.lo, 0);
    const q2 = (this.hi + this.lo) / bh;
    this.renorm(q1, q2);
    const qh = this.hi;
    const ql = this.lo;
    this.mul(qh, ql, 0, bh, bl, 0);
    const pe = this.err;
    this.sub(ah, al, 0, this.hi, this.lo, 0);
    const resid = up(up(up(Math.abs(this.hi) + Math.abs(this.lo)) + this.err) + pe);
    const round = up(resid / Blo);
    const Q = up(up(Math.abs(qh) + Math.abs(ql)) + round);
    const prop = up(up(ae + up(Q * be)) / Blo);
    this.set(qh, ql, up(round + prop));
  }

  sqrt(ah: number, al: number, ae: number): void {
    const x = ah + al;
    if (!(x - ae - Math.abs(x) * 2 ** -50 > 0)) throw new GiveUp('sqrt argument too close to 0');
    const s = Math.sqrt(ah);
    // One Newton step in double-word: s + (a - s^2) / (2 s).
    this.twoProd(s, s);
    const e = ah - this.hi - this.lo + al;
    const c = e / (2 * s);
    this.renorm(s, c);
    const h = this.hi;
    const l = this.lo;
    // |sqrt(x + d) - sqrt(x)| <= |d| / sqrt(x - |d|)
    const lowX = x - ae - Math.abs(x) * 2 ** -50;
    const prop = up(ae / Math.sqrt(lowX) * (1 + 2 ** -40));
    this.set(h, l, up(prop + up(2 ** -96 * Math.abs(h))));
  }

  neg(ah: number, al: number, ae: number): void {
    this.set(-ah, -al, ae);
  }

  abs(ah: number, al: number, ae: number): void {
    if (ah < 0 || (ah === 0 && al < 0)) this.set(-ah, -al, ae);
    else this.set(ah, al, ae);
  }

  /** max/min: the error is at most the larger input error. */
  maxMin(isMax: boolean, ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
    const aFirst = ah > bh || (ah === bh && al >= bl);
    const pick = isMax === aFirst;
    this.set(pick ? ah : bh, pick ? al : bl, Math.max(ae, be));
  }
}

/** A double-double value in generated code: the expressions (names or literals) of its hi, lo and error bound. */
export interface DDAtom {
  readonly h: string;
  readonly l: string;
  readonly e: string;
}

/**
 * Straight-line double-double code, for kernels generated once and run at every iterate (symbolic/dd-kernel.ts,
 * numeric/dd-eigen.ts). add, sub and mul are written out (no call, no field traffic per operation): DDOps' operations
 * term for term, in its order, so each gives DDOps' bits (test/symbolic/dd-kernel.test.ts); the rest call DDOps.
 * The same operation on the same values is computed once. Giving up is a GiveUp thrown, as DDOps throws it.
 */
export class DDCode {
  private readonly lines: string[] = [];
  private readonly memo = new Map<string, DDAtom>();
  private count = 0;

  private fresh(): DDAtom {
    const k = this.count++;
    return { h: `d${k}h`, l: `d${k}l`, e: `d${k}e` };
  }

  /** A DDOps call (`R.name(...)`), its result read from R. */
  call(key: string, call: string): DDAtom {
    const hit = this.memo.get(key);
    if (hit) return hit;
    const a = this.fresh();
    this.lines.push(`${call}; const ${a.h} = R.hi, ${a.l} = R.lo, ${a.e} = R.err;`);
    this.memo.set(key, a);
    return a;
  }

  /** `body` leaves the result in locals h, l, e; DDOps.set's range rule follows. */
  private inline(key: string, body: string): DDAtom {
    const hit = this.memo.get(key);
    if (hit) return hit;
    const a = this.fresh();
    // DDOps.set: out of range gives up; a nonzero value below SMALL becomes 0 with its magnitude added to the error.
    this.lines.push(
      `let ${a.h}, ${a.l}, ${a.e}; { ${body} const a = Math.abs(h); if (!(a < ${BIG}) || !(e - e === 0)) throw new G('double-double range');` +
        ` if (a !== 0 && a < ${SMALL}) { ${a.h} = 0; ${a.l} = 0; ${a.e} = up(up(e + ${SMALL}) + up(a + Math.abs(l))); } else { ${a.h} = h; ${a.l} = l; ${a.e} = e; } }`,
    );
    this.memo.set(key, a);
    return a;
  }

  /** AccurateDWPlusDW: twoSum of the highs and of the lows, then two renormalisations (DDOps.add). */
  private static addTerms(ah: string, al: string, ae: string, bh: string, bl: string, be: string): string {
    return (
      `const s1 = ${ah} + ${bh}, b1 = s1 - ${ah}, sl = ${ah} - (s1 - b1) + (${bh} - b1);` +
      ` const t1 = ${al} + ${bl}, b2 = t1 - ${al}, tl = ${al} - (t1 - b2) + (${bl} - b2);` +
      ` const v1 = sl + t1, r1 = s1 + v1, q1 = v1 - (r1 - s1), v2 = q1 + tl, h = r1 + v2, l = v2 - (h - r1);` +
      ` const e = (${ae} + ${be} + ${REL} * Math.abs(h)) * ${GROW} + ${FLOOR};`
    );
  }

  add(a: DDAtom, b: DDAtom): DDAtom {
    return this.inline(`add(${a.h},${b.h})`, DDCode.addTerms(a.h, a.l, a.e, b.h, b.l, b.e));
  }

  sub(a: DDAtom, b: DDAtom): DDAtom {
    return this.inline(`sub(${a.h},${b.h})`, DDCode.addTerms(a.h, a.l, a.e, `(-${b.h})`, `(-${b.l})`, b.e));
  }

  /** Dekker's product of the highs (Veltkamp splitting), the cross terms, one renormalisation (DDOps.mul). */
  mul(a: DDAtom, b: DDAtom): DDAtom {
    return this.inline(
      `mul(${a.h},${b.h})`,
      `const p = ${a.h} * ${b.h}; let t = ${SPLIT} * ${a.h}; const ah = t - (t - ${a.h}), al = ${a.h} - ah; t = ${SPLIT} * ${b.h}; const bh = t - (t - ${b.h}), bl = ${b.h} - bh;` +
        ` const pl = ah * bh - p + ah * bl + al * bh + al * bl + (${a.h} * ${b.l} + ${a.l} * ${b.h}), h = p + pl, l = pl - (h - p);` +
        ` const A = Math.abs(${a.h}) + Math.abs(${a.l}), B = Math.abs(${b.h}) + Math.abs(${b.l});` +
        ` const e = (A * ${b.e} + B * ${a.e} + ${a.e} * ${b.e} + ${REL} * Math.abs(h)) * ${GROW} + ${FLOOR};`,
    );
  }

  /**
   * The function `name(params)` running the code, then `tail` (which stores the results): R (a DDOps of its own),
   * G (GiveUp) and up are in its scope.
   */
  compile<F>(name: string, params: readonly string[], tail: readonly string[]): F {
    const body = [...this.lines, ...tail].join('\n');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const make = new Function('R', 'G', 'up', `return function ${name}(${params.join(', ')}) {\n${body}\n};`) as (R: DDOps, G: typeof GiveUp, u: typeof up) => F;
    return make(new DDOps(), GiveUp, up);
  }
}

/**
 * The double-double row of the enclosure interface (enclosure.ts): a ball, hi + lo within err. Its
 * ends are exact rationals (hi + lo -+ err). Values outside the tier's range throw GiveUp, which the
 * generic algorithms read as "not certified"; the float filter's kernels use DDOps directly.
 */
export interface DDBall {
  readonly hi: number;
  readonly lo: number;
  readonly err: number;
}

const DDROW = new DDOps();
const ball = (): DDBall => ({ hi: DDROW.hi, lo: DDROW.lo, err: DDROW.err });
const center = (a: DDBall) => Rational.fromDouble(a.hi).add(Rational.fromDouble(a.lo));
const loEnd = (a: DDBall) => center(a).sub(Rational.fromDouble(a.err));
const hiEnd = (a: DDBall) => center(a).add(Rational.fromDouble(a.err));

export const DD_ENCLOSURES: Enclosures<DDBall, Rational> = {
  name: 'double-double balls',
  precision: 100,
  fromDouble(x) {
    if (!Number.isFinite(x)) throw new RangeError(`DD_ENCLOSURES.fromDouble: ${x} is not a real number`);
    DDROW.load(x, 0, 0);
    return ball();
  },
  fromRational(r) {
    const hi = r.toNumber();
    if (!Number.isFinite(hi)) throw new GiveUp(`double-double range (${hi})`);
    const rest = r.sub(Rational.fromDouble(hi));
    const lo = rest.toNumber();
    const rem = rest.sub(Rational.fromDouble(lo)).abs();
    // up() of the nearest double is above the exact remainder.
    DDROW.load(hi, lo, rem.isZero() ? 0 : up(rem.toNumber()));
    return ball();
  },
  point(x) {
    return DD_ENCLOSURES.fromRational(x);
  },
  lo: loEnd,
  hi: hiEnd,
  cmp: (x, y) => x.cmp(y),
  sign: (x) => x.sign(),
  toRational: (x) => x,
  toNumber: (x) => x.toNumber(),
  add(a, b) {
    DDROW.add(a.hi, a.lo, a.err, b.hi, b.lo, b.err);
    return ball();
  },
  sub(a, b) {
    DDROW.sub(a.hi, a.lo, a.err, b.hi, b.lo, b.err);
    return ball();
  },
  mul(a, b) {
    DDROW.mul(a.hi, a.lo, a.err, b.hi, b.lo, b.err);
    return ball();
  },
  div(a, b) {
    const l = loEnd(b);
    const h = hiEnd(b);
    if (l.isZero() && h.isZero()) throw new CertainlyUndefined('division by 0');
    if (l.sign() <= 0 && h.sign() >= 0) throw new MaybeUndefined('division by an enclosure that contains 0');
    DDROW.div(a.hi, a.lo, a.err, b.hi, b.lo, b.err);
    return ball();
  },
  sqr(a) {
    DDROW.mul(a.hi, a.lo, a.err, a.hi, a.lo, a.err);
    return ball();
  },
  sqrt(a) {
    if (hiEnd(a).sign() < 0) throw new CertainlyUndefined('sqrt of a negative number');
    if (loEnd(a).sign() < 0) throw new MaybeUndefined('sqrt of an enclosure that reaches below 0');
    if (a.hi === 0 && a.lo === 0 && a.err === 0) return a;
    DDROW.sqrt(a.hi, a.lo, a.err);
    return ball();
  },
  neg(a) {
    DDROW.neg(a.hi, a.lo, a.err);
    return ball();
  },
  abs(a) {
    DDROW.abs(a.hi, a.lo, a.err);
    return ball();
  },
  max(a, b) {
    DDROW.maxMin(true, a.hi, a.lo, a.err, b.hi, b.lo, b.err);
    return ball();
  },
  min(a, b) {
    DDROW.maxMin(false, a.hi, a.lo, a.err, b.hi, b.lo, b.err);
    return ball();
  },
  hull(a, b) {
    const lo = ratMin(loEnd(a), loEnd(b));
    const hi = ratMax(hiEnd(a), hiEnd(b));
    const half = hi.sub(lo).div(Rational.fromInt(2));
    const c = DD_ENCLOSURES.fromRational(lo.add(half));
    // The ball about the midpoint with radius at least half the width (up() of the nearest double is above it).
    DDROW.load(c.hi, c.lo, up(c.err + up(half.toNumber())));
    return ball();
  },
};
