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
export const EPS = 2.220446049250313e-16; // 2^-52
export const TINY = 5e-324; // 2^-1074
export const LIBM_ULPS = 4;

export function down(x: number): number {
  return x - (Math.abs(x) * EPS + TINY);
}

export function up(x: number): number {
  return x + (Math.abs(x) * EPS + TINY);
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
