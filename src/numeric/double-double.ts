import { up } from './outward.js';

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
const SPLIT = 134217729; // 2^27 + 1

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
    let t = SPLIT * a;
    const ah = t - (t - a);
    const al = a - ah;
    t = SPLIT * b;
    const bh = t - (t - b);
    const bl = b - bh;
    this.hi = p;
    this.lo = ah * bh - p + ah * bl + al * bh + al * bl;
  }

  /** hi + lo normalised. */
  private renorm(hi: number, lo: number): [number, number] {
    const s = hi + lo;
    return [s, lo - (s - hi)];
  }

  add(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
    // Accurate double-word addition (AccurateDWPlusDW).
    this.twoSum(ah, bh);
    const sh = this.hi;
    const sl = this.lo;
    this.twoSum(al, bl);
    const th = this.hi;
    const tl = this.lo;
    let [h, l] = this.renorm(sh, sl + th);
    [h, l] = this.renorm(h, l + tl);
    this.set(h, l, up(up(ae + be) + up(REL * Math.abs(h))));
  }

  sub(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
    this.add(ah, al, ae, -bh, -bl, be);
  }

  mul(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
    this.twoProd(ah, bh);
    const ph = this.hi;
    let pl = this.lo;
    pl += ah * bl + al * bh;
    const [h, l] = this.renorm(ph, pl);
    const A = up(Math.abs(ah) + Math.abs(al));
    const B = up(Math.abs(bh) + Math.abs(bl));
    const prop = up(up(up(A * be) + up(B * ae)) + up(ae * be));
    this.set(h, l, up(prop + up(REL * Math.abs(h))));
  }

  /**
   * Division with an a-posteriori bound: whatever the quotient q, |a/b - q| = |a - q b| / |b|, and
   * the residual a - q b is computed with the (rigorously bounded) multiplication and subtraction
   * above; the inputs' errors add (ea + |a/b| eb) / (|b| - eb).
   */
  div(ah: number, al: number, ae: number, bh: number, bl: number, be: number): void {
    const Bmin = Math.abs(bh) - Math.abs(bl) - be;
    const Blo = Bmin - Math.abs(Bmin) * 2 ** -50;
    if (!(Blo > 0)) throw new GiveUp('denominator too close to 0');
    const q1 = ah / bh;
    this.mul(q1, 0, 0, bh, bl, 0);
    this.sub(ah, al, 0, this.hi, this.lo, 0);
    const q2 = (this.hi + this.lo) / bh;
    const [qh, ql] = this.renorm(q1, q2);
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
    const [h, l] = this.renorm(s, c);
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
