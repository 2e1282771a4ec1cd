/**
 * Outward rounding without directed-rounding hardware. An IEEE + - * / sqrt result is within half
 * an ulp of the exact value, so stepping it at least one ulp outward encloses the exact result.
 * down(x) = x - (|x| 2^-52 + 2^-1074): |x| 2^-52 is at least one ulp of x (exact scaling; the
 * smallest subnormal covers the subnormal range), and rounding the difference to nearest cannot
 * come back above nextDown(x). Infinities give NaN, which every caller treats as "cannot decide"
 * (a NaN bound never separates two enclosures and never proves a term undefined).
 *
 * Math.exp, log, log10, log2 and pow are not correctly rounded (V8 documents no bound); their
 * results are widened by LIBM_ULPS ulps, several times the error of fdlibm-derived libraries.
 */
import { CertainlyUndefined, MaybeUndefined } from './partial.js';
import { Rational } from './rational.js';
import { cmpNumber, type Enclosures } from './enclosure.js';
import { fiFromRational } from './float-interval.js';

export const EPS = 2.220446049250313e-16; // 2^-52
export const TINY = 5e-324; // 2^-1074
export const LIBM_ULPS = 4;

export function down(x: number): number {
  return x - (Math.abs(x) * EPS + TINY);
}

export function up(x: number): number {
  return x + (Math.abs(x) * EPS + TINY);
}

/**
 * down and up for the result of one + or - of two doubles: no 2^-1074 term, because a sum in the subnormal range is
 * exact (both operands are multiples of 2^-1074) and a normal one is within half an ulp, which |x| 2^-52 covers. So
 * an exact 0 stays 0, and no subnormal bound appears to slow every later multiplication (about 50 times a normal
 * one on this machine).
 */
export function downSum(x: number): number {
  return x - Math.abs(x) * EPS;
}

export function upSum(x: number): number {
  return x + Math.abs(x) * EPS;
}

export function downN(x: number, n: number): number {
  for (let i = 0; i < n; i++) x = down(x);
  return x;
}

export function upN(x: number, n: number): number {
  for (let i = 0; i < n; i++) x = up(x);
  return x;
}

/** Status of an interval kernel: the enclosures are valid, the term is undefined at every enclosed point, or it might be. */
export const FI_OK = 0;
export const FI_UNDEFINED = 1;
export const FI_MAYBE_UNDEFINED = 2;

/**
 * Scratch results of interval operations (R.lo, R.hi): generated kernels call these small
 * functions and read the two fields, so no interval object is allocated per operation.
 */
export class OutwardOps {
  lo = 0;
  hi = 0;

  add(al: number, ah: number, bl: number, bh: number): void {
    this.lo = down(al + bl);
    this.hi = up(ah + bh);
  }

  sub(al: number, ah: number, bl: number, bh: number): void {
    this.lo = down(al - bh);
    this.hi = up(ah - bl);
  }

  mul(al: number, ah: number, bl: number, bh: number): void {
    const p1 = al * bl;
    const p2 = al * bh;
    const p3 = ah * bl;
    const p4 = ah * bh;
    this.lo = down(Math.min(p1, p2, p3, p4));
    this.hi = up(Math.max(p1, p2, p3, p4));
  }

  sqr(al: number, ah: number): void {
    if (al >= 0) {
      this.lo = down(al * al);
      this.hi = up(ah * ah);
    } else if (ah <= 0) {
      this.lo = down(ah * ah);
      this.hi = up(al * al);
    } else {
      this.lo = 0;
      this.hi = up(Math.max(al * al, ah * ah));
    }
  }

  /** Returns a status: division by an enclosure containing 0 is (maybe) undefined. */
  div(al: number, ah: number, bl: number, bh: number): number {
    if (bl === 0 && bh === 0) return FI_UNDEFINED;
    if (!(bl > 0 || bh < 0)) return FI_MAYBE_UNDEFINED;
    const q1 = al / bl;
    const q2 = al / bh;
    const q3 = ah / bl;
    const q4 = ah / bh;
    this.lo = down(Math.min(q1, q2, q3, q4));
    this.hi = up(Math.max(q1, q2, q3, q4));
    return FI_OK;
  }

  sqrt(al: number, ah: number): number {
    if (ah < 0) return FI_UNDEFINED;
    if (!(al >= 0)) return FI_MAYBE_UNDEFINED;
    this.lo = Math.max(0, down(Math.sqrt(al)));
    this.hi = up(Math.sqrt(ah));
    return FI_OK;
  }

  abs(al: number, ah: number): void {
    if (al >= 0) {
      this.lo = al;
      this.hi = ah;
    } else if (ah <= 0) {
      this.lo = -ah;
      this.hi = -al;
    } else {
      this.lo = 0;
      this.hi = Math.max(-al, ah);
    }
  }

  /** An increasing library function on its domain (x > 0 when `positive`). */
  monotone(f: (x: number) => number, al: number, ah: number, positive: boolean): number {
    if (positive) {
      if (ah <= 0) return FI_UNDEFINED;
      if (!(al > 0)) return FI_MAYBE_UNDEFINED;
    }
    this.lo = downN(f(al), LIBM_ULPS);
    this.hi = upN(f(ah), LIBM_ULPS);
    return FI_OK;
  }

  /** x^p for a constant non-integer p: defined for x >= 0 (x > 0 when p < 0). */
  powr(al: number, ah: number, p: number): number {
    if (ah < 0 || (p < 0 && ah <= 0)) return FI_UNDEFINED;
    if (!(al >= 0) || (p < 0 && !(al > 0))) return FI_MAYBE_UNDEFINED;
    const a = Math.pow(al, p);
    const b = Math.pow(ah, p);
    this.lo = downN(Math.min(a, b), LIBM_ULPS);
    this.hi = upN(Math.max(a, b), LIBM_ULPS);
    return FI_OK;
  }
}

/**
 * The outward-double row of the enclosure interface (enclosure.ts): OutwardOps on interval objects.
 * Infinite ends are allowed (an unbounded side); an operation that meets one gives NaN ends, which
 * decide nothing (see the header). The per-iterate kernels use OutwardOps directly, without objects.
 */
export interface DoubleInterval {
  readonly lo: number;
  readonly hi: number;
}

const ROW = new OutwardOps();
const di = (lo: number, hi: number): DoubleInterval => ({ lo, hi });
const last = (): DoubleInterval => di(ROW.lo, ROW.hi);

export const OUTWARD: Enclosures<DoubleInterval, number> = {
  name: 'outward doubles',
  precision: 53,
  fromDouble(x) {
    if (!Number.isFinite(x)) throw new RangeError(`OUTWARD.fromDouble: ${x} is not a real number`);
    return di(x, x);
  },
  fromRational(r) {
    const f = fiFromRational(r);
    return di(f.lo, f.hi);
  },
  point: (x) => di(x, x),
  lo: (a) => a.lo,
  hi: (a) => a.hi,
  cmp: cmpNumber,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  toRational: (x) => Rational.fromDouble(x),
  toNumber: (x) => x,
  add(a, b) {
    ROW.add(a.lo, a.hi, b.lo, b.hi);
    return last();
  },
  sub(a, b) {
    ROW.sub(a.lo, a.hi, b.lo, b.hi);
    return last();
  },
  mul(a, b) {
    ROW.mul(a.lo, a.hi, b.lo, b.hi);
    return last();
  },
  div(a, b) {
    const st = ROW.div(a.lo, a.hi, b.lo, b.hi);
    if (st === FI_UNDEFINED) throw new CertainlyUndefined('division by 0');
    if (st === FI_MAYBE_UNDEFINED) throw new MaybeUndefined('division by an enclosure that contains 0');
    return last();
  },
  sqr(a) {
    ROW.sqr(a.lo, a.hi);
    return last();
  },
  sqrt(a) {
    const st = ROW.sqrt(a.lo, a.hi);
    if (st === FI_UNDEFINED) throw new CertainlyUndefined('sqrt of a negative number');
    if (st === FI_MAYBE_UNDEFINED) throw new MaybeUndefined('sqrt of an enclosure that reaches below 0');
    return last();
  },
  neg: (a) => di(-a.hi, -a.lo),
  abs(a) {
    ROW.abs(a.lo, a.hi);
    return last();
  },
  max: (a, b) => di(Math.max(a.lo, b.lo), Math.max(a.hi, b.hi)),
  min: (a, b) => di(Math.min(a.lo, b.lo), Math.min(a.hi, b.hi)),
  hull: (a, b) => di(Math.min(a.lo, b.lo), Math.max(a.hi, b.hi)),
};

/**
 * A rigorous enclosure [out[0], out[1]] of the largest eigenvalue of every symmetric matrix whose
 * entries lie in the interval matrix (H[2(in+j)], H[2(in+j)+1]), n small, without allocation.
 * Lower: the Rayleigh quotient v^T H v / v^T v of any float vector v, in outward-rounded intervals.
 * Upper: the first mu = approx + delta (delta = 2^-40, 2^-30, 2^-20 of the matrix scale, above the
 * lower bound) for which mu I - H is positive definite for every member matrix: interval Gaussian
 * elimination without pivoting whose every pivot has a positive lower end (the interval computation
 * encloses the pivots of every member, and a symmetric matrix with positive pivots is positive
 * definite). Infinity if none certifies. `work` needs 2 n^2 doubles.
 * This is eigen-enclosure.ts's encloseTopEigenvalue over OUTWARD with these candidates, operation for
 * operation (the tests check equality), without allocating: the filter runs it at every iterate.
 */
export function topEigenvalueEnclosure(H: Float64Array, n: number, v: ArrayLike<number>, approx: number, work: Float64Array, out: Float64Array): void {
  const R = SCRATCH;
  let numL = 0;
  let numH = 0;
  let vvL = 0;
  let vvH = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const vi = v[i]!;
    // v^T v in intervals too: a plain float sum of n squares can be off by n/2 ulps, more than one widening covers.
    const sq = vi * vi;
    vvL = down(vvL + down(sq));
    vvH = up(vvH + up(sq));
    for (let j = 0; j < n; j++) {
      const l = H[2 * (i * n + j)]!;
      const h = H[2 * (i * n + j) + 1]!;
      scale = Math.max(scale, Math.abs(l), Math.abs(h));
      const w = vi * v[j]!;
      // w is a product of two doubles: enclose it, then multiply the entry's interval by it.
      const wl = down(w);
      const wh = up(w);
      R.mul(wl, wh, l, h);
      numL = down(numL + R.lo);
      numH = up(numH + R.hi);
    }
  }
  let lower = -Infinity;
  if (vvL > 0 && Number.isFinite(numL)) {
    if (R.div(numL, numH, vvL, vvH) === FI_OK) lower = R.lo;
  }
  // The diagonal entries are lower bounds too (Rayleigh quotients of unit vectors).
  for (let i = 0; i < n; i++) lower = Math.max(lower, H[2 * (i * n + i)]!);
  out[0] = lower;
  out[1] = Infinity;
  if (!Number.isFinite(approx) || !Number.isFinite(scale)) return;
  for (const k of [2 ** -40, 2 ** -30, 2 ** -20]) {
    const mu = up(Math.max(approx, lower) + k * scale + TINY);
    if (positiveDefiniteShift(H, n, mu, work)) {
      out[1] = mu;
      return;
    }
  }
}

const SCRATCH = new OutwardOps();

/** mu I - H positive definite for every member of the interval matrix H (interval elimination, no pivoting). */
function positiveDefiniteShift(H: Float64Array, n: number, mu: number, A: Float64Array): boolean {
  const R = SCRATCH;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const l = H[2 * (i * n + j)]!;
      const h = H[2 * (i * n + j) + 1]!;
      if (i === j) {
        A[2 * (i * n + j)] = down(mu - h);
        A[2 * (i * n + j) + 1] = up(mu - l);
      } else {
        A[2 * (i * n + j)] = -h;
        A[2 * (i * n + j) + 1] = -l;
      }
    }
  for (let k = 0; k < n; k++) {
    const pl = A[2 * (k * n + k)]!;
    const ph = A[2 * (k * n + k) + 1]!;
    if (!(pl > 0)) return false;
    for (let i = k + 1; i < n; i++) {
      // f = A_ik / p
      if (R.div(A[2 * (i * n + k)]!, A[2 * (i * n + k) + 1]!, pl, ph) !== FI_OK) return false;
      const fl = R.lo;
      const fh = R.hi;
      for (let j = k + 1; j < n; j++) {
        R.mul(fl, fh, A[2 * (k * n + j)]!, A[2 * (k * n + j) + 1]!);
        const ml = R.lo;
        const mh = R.hi;
        R.sub(A[2 * (i * n + j)]!, A[2 * (i * n + j) + 1]!, ml, mh);
        A[2 * (i * n + j)] = R.lo;
        A[2 * (i * n + j) + 1] = R.hi;
      }
    }
  }
  return true;
}

/**
 * The 3x3 case of topEigenvalueEnclosure in plain double arithmetic with a priori error bounds (no
 * interval operation per entry): about a tenth of the cost, for the filter's per-iterate S. The box
 * is the interval matrix H (as above) with midpoint M and radius R; every member is M + E, |E| <= R
 * entrywise, so ||E||_2 <= rho := max row sum of R (R symmetric, nonnegative).
 * Lower: v^T M v / v^T v - rho (Weyl), the quadratic form evaluated in doubles and lowered by
 * 16u sum |v_i||M_ij||v_j| (u = 2^-53; the evaluation has depth 6, so its error is below 6.1u of that sum).
 * Upper: mu = approx + k max|M_ij| for k = 2^-40, 2^-30, 2^-20; mu I - H is positive definite for
 * every member when A = diag(down(down(mu - M_ii) - rho)) - offdiag(M) is, and A is positive definite
 * when its leading minors computed in doubles exceed their error bounds (8u resp. 16u times the
 * sums of absolute products, depth at most 5). Returns false (out untouched) where it cannot
 * certify (magnitudes near underflow or overflow, no certified mu): the caller falls back to
 * topEigenvalueEnclosure. Tested against encloseTopEigenvalue over OUTWARD: as tight on a separated
 * spectrum and a narrow box, up to 2^-20 of the scale wider on a repeated top eigenvalue or a wide box.
 */
export function topEigenvalueEnclosure3(H: Float64Array, approx: number, v0: number, v1: number, v2: number, out: Float64Array): boolean {
  const m00 = H[0]! / 2 + H[1]! / 2, m01 = H[2]! / 2 + H[3]! / 2, m02 = H[4]! / 2 + H[5]! / 2;
  const m11 = H[8]! / 2 + H[9]! / 2, m12 = H[10]! / 2 + H[11]! / 2, m22 = H[16]! / 2 + H[17]! / 2;
  // Symmetric box: the transposed entries are enclosed too; take the wider radius of the pair.
  const r00 = rad(H[0]!, H[1]!, m00), r11 = rad(H[8]!, H[9]!, m11), r22 = rad(H[16]!, H[17]!, m22);
  const r01 = Math.max(rad(H[2]!, H[3]!, m01), rad(H[6]!, H[7]!, m01));
  const r02 = Math.max(rad(H[4]!, H[5]!, m02), rad(H[12]!, H[13]!, m02));
  const r12 = Math.max(rad(H[10]!, H[11]!, m12), rad(H[14]!, H[15]!, m12));
  const rho = up(up(Math.max(r00 + r01 + r02, r01 + r11 + r12, r02 + r12 + r22)) * (1 + 8 * EPS));
  const scale = Math.max(Math.abs(m00), Math.abs(m01), Math.abs(m02), Math.abs(m11), Math.abs(m12), Math.abs(m22));
  if (!(scale > 1e-140 && scale < 1e140) || !(rho - rho === 0) || !(approx - approx === 0)) return false;
  // Lower bound.
  const w0 = m00 * v0 + m01 * v1 + m02 * v2, w1 = m01 * v0 + m11 * v1 + m12 * v2, w2 = m02 * v0 + m12 * v1 + m22 * v2;
  const q = v0 * w0 + v1 * w1 + v2 * w2;
  const a0 = Math.abs(v0), a1 = Math.abs(v1), a2 = Math.abs(v2);
  const P = a0 * (Math.abs(m00) * a0 + Math.abs(m01) * a1 + Math.abs(m02) * a2) + a1 * (Math.abs(m01) * a0 + Math.abs(m11) * a1 + Math.abs(m12) * a2) + a2 * (Math.abs(m02) * a0 + Math.abs(m12) * a1 + Math.abs(m22) * a2);
  const vv = v0 * v0 + v1 * v1 + v2 * v2;
  let lower = -Infinity;
  if (vv > 1e-100 && vv < 1e100) {
    const qLo = down(down(q - 16 * U * P * (1 + 8 * EPS)) - TINY_ABS);
    // v^T v is within 3u relatively; divide by the end that makes the quotient smaller.
    const vvLo = vv * (1 - 8 * EPS);
    const vvHi = vv * (1 + 8 * EPS);
    lower = down(down(qLo >= 0 ? qLo / vvHi : qLo / vvLo) - rho);
  }
  // Diagonal entries of every member are Rayleigh quotients of unit vectors.
  lower = Math.max(lower, H[0]!, H[8]!, H[16]!);
  for (let k = 2 ** -40; k <= 2 ** -20; k *= 2 ** 10) {
    const mu = up(Math.max(approx, lower) + k * scale);
    const d0 = down(down(mu - m00) - rho), d1 = down(down(mu - m11) - rho), d2 = down(down(mu - m22) - rho);
    if (!(d0 > 0 && d1 > 0 && d2 > 0)) continue;
    const c2 = d0 * d1 - m01 * m01;
    if (!(c2 > 8 * U * (d0 * d1 + m01 * m01) + TINY_ABS)) continue;
    // det A, A = [[d0, -m01, -m02], [-m01, d1, -m12], [-m02, -m12, d2]].
    const det = d0 * (d1 * d2 - m12 * m12) - m01 * (m01 * d2 + m12 * m02) - m02 * (m01 * m12 + d1 * m02);
    const perm = d0 * (d1 * d2 + m12 * m12) + Math.abs(m01) * (Math.abs(m01) * d2 + Math.abs(m12 * m02)) + Math.abs(m02) * (Math.abs(m01 * m12) + d1 * Math.abs(m02));
    if (!(det > 16 * U * perm * (1 + 8 * EPS) + TINY_ABS)) continue;
    out[0] = lower;
    out[1] = mu;
    return true;
  }
  return false;
}

/** Radius of an entry about its (rounded) midpoint m: the larger distance to an end, rounded up. */
function rad(lo: number, hi: number, m: number): number {
  return up(Math.max(hi - m, m - lo));
}

/** Unit roundoff 2^-53. */
const U = EPS / 2;
/** An absolute slack far above the error that underflow can add to the products above (a few times 2^-1074). */
const TINY_ABS = 1e-290;
