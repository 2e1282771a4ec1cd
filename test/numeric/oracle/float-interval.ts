/**
 * The test oracle of the outward-double row (src/numeric/outward.ts): rigorous interval arithmetic on
 * IEEE doubles with the TIGHTEST outward rounding, moved here from src/numeric/float-interval.ts where
 * nothing but the tests reached it. The tests check it against exact rationals, and the row against
 * it. Every function returns an interval that certainly contains the exact real result for every real
 * in its input intervals, so a comparison decided by fiCompare (enclosures separate) is decided correctly.
 *
 * JS has no directed rounding. + - * / and sqrt are correctly rounded (error below half an ulp), so
 * the exact result lies strictly between the neighbours of the computed one: results are widened to
 * nextDown/nextUp (the exact neighbouring doubles). Where it is cheap and safe, an error-free
 * transformation (2Sum, Dekker's product, the exact remainder of / and sqrt) first tells on which
 * side of the rounded result the exact one lies: only that side is widened, and exact results stay
 * exact (so operations on points give the tightest double enclosure away from overflow and
 * underflow). Math.exp/log/log10/log2 are not correctly rounded: their results are widened by
 * LIB_ULPS = 4 ulps each way. Input endpoints are exact doubles, so monotone functions need no
 * widening of their inputs.
 *
 * Representation invariant of FI (every function relies on it and preserves it; the constructor does
 * not check it, FI.of does): lo <= hi, neither is NaN, lo < +Infinity and hi > -Infinity. An infinite
 * endpoint means the interval is unbounded on that side; it stands for the reals only (there is no
 * infinite point). -0 and 0 are the same real.
 *
 * NaN policy: no function ever returns a NaN endpoint. For well-formed inputs none can arise:
 * 0 * ±Infinity between endpoint products is resolved as 0 (the correct hull: see mulDown), and the
 * case analysis of division never forms Infinity/Infinity or 0/0. Malformed inputs (a NaN endpoint,
 * lo = +Infinity, ...) give unspecified results; should one still produce a NaN endpoint, the
 * function returns FI.ENTIRE rather than let the NaN escape.
 *
 * Partial operations throw instead of clipping: MaybeUndefined when the input meets the boundary of
 * the domain (division by an interval containing 0, a negative power of an interval containing 0,
 * sqrt with lo < 0, log with lo <= 0), CertainlyUndefined when no point of the input is in the domain
 * (division by the point 0, a negative power of the point 0, sqrt with hi < 0, log with hi <= 0).
 */
import { CertainlyUndefined, MaybeUndefined } from '../../../src/numeric/partial.js';
import { exponentOf, FI, nextDown, nextUp, pow2 } from '../../../src/numeric/float-interval.js';

export { CertainlyUndefined, MaybeUndefined };
export { FI, fiFromExt, fiFromExtended, fiFromRational, nextDown, nextUp } from '../../../src/numeric/float-interval.js';

const MIN = Number.MIN_VALUE;
/** Ulps by which results of Math.exp/log/log10/log2 are widened each way. */
const LIB_ULPS = 4;

function downUlps(x: number, k: number): number {
  for (let i = 0; i < k; i++) x = nextDown(x);
  return x;
}

function upUlps(x: number, k: number): number {
  for (let i = 0; i < k; i++) x = nextUp(x);
  return x;
}

// ---- rounded elementary operations on endpoints -------------------------------------------------

/**
 * A lower bound of x + y. 2Sum gives the exact rounding error when no overflow occurs (a finite
 * error proves that none did): exact sums are returned as is, and the sum is lowered only when the
 * exact value lies below it.
 */
function addDown(x: number, y: number): number {
  const s = x + y;
  const bb = s - x;
  const err = x - (s - bb) + (y - bb);
  if (err === 0 || (err > 0 && err !== Infinity)) return s;
  return nextDown(s); // err < 0, or NaN/±Infinity (overflow or an infinite operand): widen
}

function addUp(x: number, y: number): number {
  const s = x + y;
  const bb = s - x;
  const err = x - (s - bb) + (y - bb);
  if (err === 0 || (err < 0 && err !== -Infinity)) return s;
  return nextUp(s);
}

const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)
const ERR_MIN = 2 ** -960;
const NORMAL_MIN = 2 ** -1022;

/**
 * The exact error x*y - p of p = fl(x*y) (Dekker's product), or NaN/±Infinity where it might not
 * be exact (callers trust only a finite result). Dekker's product is exact unless something
 * overflows or underflows. Underflow is excluded up front: normal factors and |p| >= 2^-960, so
 * the exponents of x and y sum to at least -962 and every partial product, partial sum and the
 * error itself are multiples of ulp(x) ulp(y) >= 2^-1066, hence representable when their bits fit
 * (which Dekker's proof guarantees). Overflow needs no test: an overflowing split or partial product
 * is ±Infinity, and every later step turns it into ±Infinity or NaN, never into a finite value.
 */
function mulErr(x: number, y: number, p: number): number {
  if (!((p < 0 ? -p : p) >= ERR_MIN && (x < 0 ? -x : x) >= NORMAL_MIN && (y < 0 ? -y : y) >= NORMAL_MIN)) return NaN;
  let c = SPLIT * x;
  const xh = c - (c - x);
  const xl = x - xh;
  c = SPLIT * y;
  const yh = c - (c - y);
  const yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}

/**
 * A lower bound of the endpoint product x * y, with 0 * ±Infinity = 0. That convention gives the
 * exact hull: x*y is linear in each factor, so the extremes over a box are limits at endpoint pairs,
 * and with one factor fixed at 0 the product is 0 however large the other gets. A zero factor makes
 * the product exact; a product that underflowed to 0 has the sign of the factors. Otherwise the
 * rounded product is lowered unless its exact error shows that it is not above x*y.
 */
function mulDown(x: number, y: number): number {
  const p = x * y;
  if (p !== p) return 0;
  if (p === 0) return x === 0 || y === 0 || x > 0 === y > 0 ? 0 : -MIN;
  const e = mulErr(x, y, p);
  return e >= 0 && e !== Infinity ? p : nextDown(p);
}

function mulUp(x: number, y: number): number {
  const p = x * y;
  if (p !== p) return 0;
  if (p === 0) return x === 0 || y === 0 || x > 0 !== y > 0 ? 0 : MIN;
  const e = mulErr(x, y, p);
  return e <= 0 && e !== -Infinity ? p : nextUp(p);
}

/**
 * Sign of x/y - q for q = fl(x/y) (NaN when it cannot be decided cheaply): the remainder
 * x - q*y = (x - p) - e with q*y = p + e exactly, x - p exact (Sterbenz), and the last subtraction
 * rounds a real to a double of the same sign.
 */
function divSide(x: number, y: number, q: number): number {
  const p = q * y;
  const e = mulErr(q, y, p);
  if (!(e - e === 0)) return NaN; // not finite
  const r = x - p - e;
  return r === 0 ? 0 : r > 0 === y > 0 ? 1 : -1;
}

/** A lower bound of x / y (y != 0; x/±Infinity is the limit 0, the correct endpoint). */
function divDown(x: number, y: number): number {
  const q = x / y;
  if (q === 0) return x === 0 || x > 0 === y > 0 ? 0 : -MIN;
  return divSide(x, y, q) >= 0 ? q : nextDown(q);
}

function divUp(x: number, y: number): number {
  const q = x / y;
  if (q === 0) return x === 0 || x > 0 !== y > 0 ? 0 : MIN;
  return divSide(x, y, q) <= 0 ? q : nextUp(q);
}

/** Sign of x - s^2 for s = fl(sqrt(x)), x > 0 (NaN when it cannot be decided cheaply). */
function sqrtSide(x: number, s: number): number {
  const p = s * s;
  const e = mulErr(s, s, p);
  if (!(e - e === 0)) return NaN; // not finite
  const r = x - p - e;
  return r === 0 ? 0 : r > 0 ? 1 : -1;
}

// ---- raw interval kernels: results in OUT[0], OUT[1] (no allocation) ------------------------------------

/** Result slots of the raw kernels (a typed array: module-level lets would box every double stored). */
const OUT = new Float64Array(2);

function mulRaw(al: number, ah: number, bl: number, bh: number): void {
  if (al >= 0) {
    if (bl >= 0) {
      OUT[0] = mulDown(al, bl);
      OUT[1] = mulUp(ah, bh);
    } else if (bh <= 0) {
      OUT[0] = mulDown(ah, bl);
      OUT[1] = mulUp(al, bh);
    } else {
      OUT[0] = mulDown(ah, bl);
      OUT[1] = mulUp(ah, bh);
    }
  } else if (ah <= 0) {
    if (bl >= 0) {
      OUT[0] = mulDown(al, bh);
      OUT[1] = mulUp(ah, bl);
    } else if (bh <= 0) {
      OUT[0] = mulDown(ah, bh);
      OUT[1] = mulUp(al, bl);
    } else {
      OUT[0] = mulDown(al, bh);
      OUT[1] = mulUp(al, bl);
    }
  } else if (bl >= 0) {
    OUT[0] = mulDown(al, bh);
    OUT[1] = mulUp(ah, bh);
  } else if (bh <= 0) {
    OUT[0] = mulDown(ah, bl);
    OUT[1] = mulUp(al, bl);
  } else {
    // Both straddle 0.
    OUT[0] = Math.min(mulDown(al, bh), mulDown(ah, bl));
    OUT[1] = Math.max(mulUp(al, bl), mulUp(ah, bh));
  }
}

/** Interval times an exact finite double x. */
function mulPointRaw(al: number, ah: number, x: number): void {
  if (x >= 0) {
    OUT[0] = mulDown(al, x);
    OUT[1] = mulUp(ah, x);
  } else {
    OUT[0] = mulDown(ah, x);
    OUT[1] = mulUp(al, x);
  }
}

/** Division; b must not contain 0 (checked by the callers). */
function divRaw(al: number, ah: number, bl: number, bh: number): void {
  if (bl > 0) {
    if (al >= 0) {
      OUT[0] = divDown(al, bh);
      OUT[1] = divUp(ah, bl);
    } else if (ah <= 0) {
      OUT[0] = divDown(al, bl);
      OUT[1] = divUp(ah, bh);
    } else {
      OUT[0] = divDown(al, bl);
      OUT[1] = divUp(ah, bl);
    }
  } else {
    if (al >= 0) {
      OUT[0] = divDown(ah, bh);
      OUT[1] = divUp(al, bl);
    } else if (ah <= 0) {
      OUT[0] = divDown(ah, bl);
      OUT[1] = divUp(al, bh);
    } else {
      OUT[0] = divDown(ah, bh);
      OUT[1] = divUp(al, bh);
    }
  }
}

function sqrRaw(l: number, h: number): void {
  if (l >= 0) {
    OUT[0] = mulDown(l, l);
    OUT[1] = mulUp(h, h);
  } else if (h <= 0) {
    OUT[0] = mulDown(h, h);
    OUT[1] = mulUp(l, l);
  } else {
    const m = -l > h ? -l : h;
    OUT[0] = 0;
    OUT[1] = mulUp(m, m);
  }
}

/** x^k rounded down for x >= 0, k >= 1, by binary powering: every partial product is a lower bound >= 0. */
function powDown(x: number, k: number): number {
  let r = -1; // -1: no factor yet (the first factor is taken as is, exactly)
  let b = x;
  for (;;) {
    if (k & 1) r = r < 0 ? b : mulDown(r, b);
    k = Math.floor(k / 2);
    if (k === 0) return r;
    b = mulDown(b, b);
  }
}

function powUp(x: number, k: number): number {
  let r = -1;
  let b = x;
  for (;;) {
    if (k & 1) r = r < 0 ? b : mulUp(r, b);
    k = Math.floor(k / 2);
    if (k === 0) return r;
    b = mulUp(b, b);
  }
}

function make(lo: number, hi: number): FI {
  // NaN only from malformed input (see the NaN policy).
  return lo === lo && hi === hi ? new FI(lo, hi) : FI.ENTIRE;
}

// ---- arithmetic ---------------------------------------------------------------------------------

export function fiAdd(a: FI, b: FI): FI {
  return make(addDown(a.lo, b.lo), addUp(a.hi, b.hi));
}

export function fiSub(a: FI, b: FI): FI {
  return make(addDown(a.lo, -b.hi), addUp(a.hi, -b.lo));
}

export function fiNeg(a: FI): FI {
  return new FI(-a.hi, -a.lo);
}

export function fiMul(a: FI, b: FI): FI {
  mulRaw(a.lo, a.hi, b.lo, b.hi);
  return make(OUT[0]!, OUT[1]!);
}

/** a / b; MaybeUndefined if b contains 0, CertainlyUndefined if b is the point 0. */
export function fiDiv(a: FI, b: FI): FI {
  if (!(b.lo > 0 || b.hi < 0)) {
    if (b.lo === 0 && b.hi === 0) throw new CertainlyUndefined('division by zero');
    throw new MaybeUndefined(`division by an interval containing 0: ${b.toString()}`);
  }
  divRaw(a.lo, a.hi, b.lo, b.hi);
  return make(OUT[0]!, OUT[1]!);
}

/** a^2 (tighter than fiMul(a, a): the two factors are the same real). */
export function fiSqr(a: FI): FI {
  sqrRaw(a.lo, a.hi);
  return make(OUT[0]!, OUT[1]!);
}

const ONE = new FI(1, 1);

/**
 * a^k for an integer k (RangeError otherwise). x^0 = 1 for every x (0^0 included, as in Rational.pow).
 * For k < 0: CertainlyUndefined if a is the point 0, MaybeUndefined if a contains 0; else (1/a)^|k|
 * (the reciprocal first, so a power that underflows cannot turn into a spurious division by 0).
 */
export function fiPowInt(a: FI, k: number): FI {
  if (!Number.isInteger(k)) throw new RangeError(`fiPowInt: exponent ${k} is not an integer`);
  if (k === 0) return ONE;
  if (k === 1) return a;
  if (k < 0) {
    if (!(a.lo > 0 || a.hi < 0)) {
      if (a.lo === 0 && a.hi === 0) throw new CertainlyUndefined(`0^${k}`);
      throw new MaybeUndefined(`negative power ${k} of an interval containing 0: ${a.toString()}`);
    }
    divRaw(1, 1, a.lo, a.hi);
    return fiPowInt(make(OUT[0]!, OUT[1]!), -k);
  }
  if (k === 2) return fiSqr(a);
  const l = a.lo;
  const h = a.hi;
  if (l >= 0) return make(powDown(l, k), powUp(h, k));
  if (h <= 0) {
    // x = -|x|: |x| ranges over [-h, -l].
    return k % 2 === 0 ? make(powDown(-h, k), powUp(-l, k)) : make(-powUp(-l, k), -powDown(-h, k));
  }
  if (k % 2 === 0) return make(0, powUp(-l > h ? -l : h, k));
  return make(-powUp(-l, k), powUp(h, k));
}

/** sqrt(a); MaybeUndefined if lo < 0 <= hi, CertainlyUndefined if hi < 0 (no clipping). */
export function fiSqrt(a: FI): FI {
  if (a.hi < 0) throw new CertainlyUndefined(`sqrt of a negative interval ${a.toString()}`);
  if (a.lo < 0) throw new MaybeUndefined(`sqrt of an interval reaching below 0: ${a.toString()}`);
  const l = a.lo;
  const h = a.hi;
  let lo = 0;
  if (l !== 0) {
    const s = Math.sqrt(l);
    lo = sqrtSide(l, s) >= 0 ? s : nextDown(s);
  }
  let hi = 0;
  if (h !== 0) {
    const s = Math.sqrt(h);
    hi = h !== Infinity && sqrtSide(h, s) <= 0 ? s : nextUp(s);
  }
  return make(lo, hi);
}

export function fiAbs(a: FI): FI {
  if (a.lo >= 0) return a;
  if (a.hi <= 0) return new FI(-a.hi, -a.lo);
  return make(0, -a.lo > a.hi ? -a.lo : a.hi);
}

export function fiMax(a: FI, b: FI): FI {
  return make(Math.max(a.lo, b.lo), Math.max(a.hi, b.hi));
}

export function fiMin(a: FI, b: FI): FI {
  return make(Math.min(a.lo, b.lo), Math.min(a.hi, b.hi));
}

// ---- exp and logarithms (library functions, widened by LIB_ULPS) ----------------------------------

function expDown(x: number): number {
  if (x === 0) return 1;
  const r = downUlps(Math.exp(x), LIB_ULPS);
  return r > 0 ? r : 0; // exp > 0; also exp(-Infinity) = 0
}

function expUp(x: number): number {
  if (x === 0) return 1;
  return upUlps(Math.exp(x), LIB_ULPS);
}

export function fiExp(a: FI): FI {
  return make(expDown(a.lo), expUp(a.hi));
}

function logCheck(a: FI, name: string): void {
  if (a.hi <= 0) throw new CertainlyUndefined(`${name} of a nonpositive interval ${a.toString()}`);
  if (a.lo <= 0) throw new MaybeUndefined(`${name} of an interval reaching 0: ${a.toString()}`);
}

function logLike(a: FI, f: (x: number) => number, name: string): FI {
  logCheck(a, name);
  const lo = a.lo === 1 ? 0 : downUlps(f(a.lo), LIB_ULPS);
  const hi = a.hi === 1 ? 0 : upUlps(f(a.hi), LIB_ULPS);
  return make(lo, hi);
}

/** Natural log; MaybeUndefined if lo <= 0 < hi, CertainlyUndefined if hi <= 0. */
export function fiLog(a: FI): FI {
  return logLike(a, Math.log, 'log');
}

export function fiLog10(a: FI): FI {
  return logLike(a, Math.log10, 'log10');
}

export function fiLog2(a: FI): FI {
  return logLike(a, Math.log2, 'log2');
}

// ---- comparison ---------------------------------------------------------------------------------

/** -1 if every point of a is below every point of b, 1 if above, undefined if they overlap (never equality). */
export function fiCompare(a: FI, b: FI): -1 | 1 | undefined {
  if (a.hi < b.lo) return -1;
  if (a.lo > b.hi) return 1;
  return undefined;
}

// ---- top eigenvalue of an interval symmetric matrix ----------------------------------------------

let scratchLo = new Float64Array(16);
let scratchHi = new Float64Array(16);
let scratchLl = new Float64Array(4);
let scratchLh = new Float64Array(4);

/** Deltas (times the matrix scale) tried above the approximate eigenvalue, smallest first. */
const DELTAS = [2 ** -44, 2 ** -36, 2 ** -28, 2 ** -20];

/**
 * Proves mu*I - M positive definite for every symmetric M with M_ij in H[i][j] (i >= j read):
 * interval LDL^T elimination without pivoting, every pivot's lower endpoint > 0. The interval
 * computation encloses the exact pivots of each member matrix, so they are all positive.
 */
function certifyPD(H: FI[][], n: number, mu: number, f: number): boolean {
  const A = scratchLo;
  const B = scratchHi;
  // f (a power of two) scales mu*I - H to entries of order 1, so that squares neither overflow nor
  // underflow; positive scaling does not change definiteness, and the scaling is rounded outward.
  for (let i = 0; i < n; i++) {
    const row = H[i]!;
    for (let j = 0; j < i; j++) {
      mulPointRaw(-row[j]!.hi, -row[j]!.lo, f);
      A[i * n + j] = OUT[0]!;
      B[i * n + j] = OUT[1]!;
    }
    mulPointRaw(addDown(mu, -row[i]!.hi), addUp(mu, -row[i]!.lo), f);
    A[i * n + i] = OUT[0]!;
    B[i * n + i] = OUT[1]!;
  }
  const Ll = scratchLl;
  const Lh = scratchLh;
  for (let k = 0; k < n; k++) {
    const pl = A[k * n + k]!;
    const ph = B[k * n + k]!;
    if (!(pl > 0) || ph !== ph) return false;
    // l_i = A_ik / p
    for (let i = k + 1; i < n; i++) {
      divRaw(A[i * n + k]!, B[i * n + k]!, pl, ph);
      Ll[i] = OUT[0]!;
      Lh[i] = OUT[1]!;
    }
    for (let i = k + 1; i < n; i++) {
      for (let j = k + 1; j < i; j++) {
        // A_ij -= l_i * A_jk
        mulRaw(Ll[i]!, Lh[i]!, A[j * n + k]!, B[j * n + k]!);
        const lo = addDown(A[i * n + j]!, -OUT[1]!);
        const hi = addUp(B[i * n + j]!, -OUT[0]!);
        A[i * n + j] = lo;
        B[i * n + j] = hi;
      }
      // A_ii -= A_ik^2 / p
      sqrRaw(A[i * n + k]!, B[i * n + k]!);
      divRaw(OUT[0]!, OUT[1]!, pl, ph);
      const lo = addDown(A[i * n + i]!, -OUT[1]!);
      const hi = addUp(B[i * n + i]!, -OUT[0]!);
      A[i * n + i] = lo;
      B[i * n + i] = hi;
    }
  }
  return true;
}

/**
 * A rigorous enclosure of the largest eigenvalue of every real symmetric matrix M with M_ij in
 * H[i][j] (H n x n; for symmetric H every member is covered, and only symmetric members count).
 *
 * lo: the larger of max_i H_ii.lo and the lower end of the Rayleigh quotient v^T H v / v^T v in
 * interval arithmetic (both lower bounds of lambda_max for every member; v is any float vector,
 * ideally the approximate top eigenvector).
 * hi: the first mu = max(lambdaApprox, lo) + spread + delta, delta = 2^-44, 2^-36, 2^-28, 2^-20 times
 * max |entry| and spread = (sum|v_i|)^2 / |v|^2 * max entry width (how far the box can push the top
 * eigenvalue), for which mu*I - H is certified positive definite (see certifyPD); +Infinity if none is.
 */
export function fiTopEigenvalue(H: FI[][], v: ArrayLike<number>, lambdaApprox: number): FI {
  const n = H.length;
  if (v.length !== n) throw new RangeError(`fiTopEigenvalue: vector of length ${v.length} for a ${n} x ${n} matrix`);
  if (n === 0) throw new RangeError('fiTopEigenvalue: empty matrix');
  let scale = 0;
  let width = 0;
  let diagLo = -Infinity;
  for (let i = 0; i < n; i++) {
    const row = H[i]!;
    if (row.length !== n) throw new RangeError(`fiTopEigenvalue: row ${i} has length ${row.length}, expected ${n}`);
    for (let j = 0; j < n; j++) {
      const x = row[j]!;
      const m = Math.max(-x.lo, x.hi);
      if (m > scale || m !== m) scale = m;
      const w = x.hi - x.lo;
      if (w > width || w !== w) width = w;
    }
    if (row[i]!.lo > diagLo) diagLo = row[i]!.lo;
  }
  if (scale !== scale) return FI.ENTIRE;
  if (scale === 0) return new FI(0, 0); // the box is the zero matrix

  // Lower bound: Rayleigh quotient.
  let lower = diagLo;
  let vvLo = 0;
  let vvHi = 0;
  let finite = true;
  let l1 = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) finite = false;
    vvLo = addDown(vvLo, mulDown(x, x));
    vvHi = addUp(vvHi, mulUp(x, x));
    l1 += Math.abs(x);
  }
  if (finite && vvLo > 0) {
    let nLo = 0;
    let nHi = 0;
    for (let i = 0; i < n; i++) {
      const row = H[i]!;
      let tLo = 0;
      let tHi = 0;
      for (let j = 0; j < n; j++) {
        mulPointRaw(row[j]!.lo, row[j]!.hi, v[j]!);
        tLo = addDown(tLo, OUT[0]!);
        tHi = addUp(tHi, OUT[1]!);
      }
      mulPointRaw(tLo, tHi, v[i]!);
      nLo = addDown(nLo, OUT[0]!);
      nHi = addUp(nHi, OUT[1]!);
    }
    if (nLo === nLo && nHi === nHi) {
      divRaw(nLo, nHi, vvLo, vvHi);
      if (OUT[0]! > lower) lower = OUT[0]!;
    }
  }

  // Upper bound: certified positive definiteness of mu*I - H.
  let upper = Infinity;
  const base = Math.max(Number.isFinite(lambdaApprox) ? lambdaApprox : -Infinity, lower);
  if (Number.isFinite(base) && Number.isFinite(scale)) {
    if (scratchLo.length < n * n) {
      scratchLo = new Float64Array(n * n);
      scratchHi = new Float64Array(n * n);
    }
    if (scratchLl.length < n) {
      scratchLl = new Float64Array(n);
      scratchLh = new Float64Array(n);
    }
    const spread = finite && vvLo > 0 ? ((l1 * l1) / vvLo) * width * (1 + 2 ** -40) : n * width;
    const f = pow2(Math.min(-exponentOf(scale), 1023));
    for (const d of DELTAS) {
      const mu = base + spread + d * scale;
      if (!Number.isFinite(mu)) break;
      if (certifyPD(H, n, mu, f)) {
        upper = mu;
        break;
      }
    }
  }
  // Both are bounds for every symmetric member, so they cannot cross unless there is none.
  if (lower > upper) throw new RangeError('fiTopEigenvalue: the interval matrix contains no symmetric matrix');
  return make(lower, upper);
}

