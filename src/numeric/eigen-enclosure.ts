/**
 * The certified eigenvalue algorithms, written once over the enclosure interface (enclosure.ts) and
 * instantiated by every row: the dyadic orbit (dyadic-eigen.ts), the exact decider's sharpness
 * (certified-eigen.ts), and as the reference that the specialised fast paths are tested against
 * (outward.ts topEigenvalueEnclosure and topEigenvalueEnclosure3, dd-eigen.ts ddTopEigenvalue3).
 *
 * Matrices are row-major n x n arrays of enclosures; an interval matrix stands for every symmetric
 * matrix whose entries lie in it, and each bound below holds for all of them.
 */
import { CertainlyUndefined, MaybeUndefined } from './partial.js';
import { GiveUp } from './double-double.js';
import type { Enclosures } from './enclosure.js';

/** A row's way of saying "this enclosure cannot be computed here": read as "not certified". */
function notCertified(e: unknown): boolean {
  return e instanceof MaybeUndefined || e instanceof CertainlyUndefined || e instanceof GiveUp;
}

/**
 * v^T H v / v^T v for a point vector v, in the row's arithmetic: below the top eigenvalue of every
 * member (Rayleigh), whatever v is. Undefined when v^T v is not certainly positive.
 */
export function rayleighQuotient<T, E>(A: Enclosures<T, E>, H: readonly T[], n: number, v: readonly T[]): T | undefined {
  const q = rayleighParts(A, H, n, v);
  return q && A.div(q.num, q.den);
}

/** The numerator v^T H v and the denominator v^T v (certainly positive) of the Rayleigh quotient. */
function rayleighParts<T, E>(A: Enclosures<T, E>, H: readonly T[], n: number, v: readonly T[]): { num: T; den: T } | undefined {
  let num = A.fromDouble(0);
  let den = A.fromDouble(0);
  for (let i = 0; i < n; i++) {
    const vi = v[i]!;
    den = A.add(den, A.mul(vi, vi));
    for (let j = 0; j < n; j++) num = A.add(num, A.mul(A.mul(vi, v[j]!), H[i * n + j]!));
  }
  if (!(A.sign(A.lo(den)) > 0)) return undefined;
  return { num, den };
}

/**
 * The symmetric matrix M (consumed: overwritten) positive definite for every member, by Gaussian
 * elimination without pivoting whose every pivot has a positive lower end: the computed enclosures
 * contain the pivots of each member, and a symmetric matrix with positive pivots is positive definite.
 */
export function positiveDefinite<T, E>(A: Enclosures<T, E>, M: T[], n: number): boolean {
  try {
    for (let k = 0; k < n; k++) {
      const p = M[k * n + k]!;
      if (!(A.sign(A.lo(p)) > 0)) return false;
      for (let i = k + 1; i < n; i++) {
        const f = A.div(M[i * n + k]!, p);
        for (let j = k + 1; j < n; j++) M[i * n + j] = A.sub(M[i * n + j]!, A.mul(f, M[k * n + j]!));
      }
    }
  } catch (e) {
    if (notCertified(e)) return false;
    throw e;
  }
  return true;
}

/** mu I - H positive definite for every member of H (so mu is above every eigenvalue of every member). */
export function positiveDefiniteShift<T, E>(A: Enclosures<T, E>, H: readonly T[], n: number, mu: T): boolean {
  const M: T[] = H.map((h, k) => (Math.floor(k / n) === k % n ? A.sub(mu, h) : A.neg(h)));
  return positiveDefinite(A, M, n);
}

/**
 * The same test by Sylvester's criterion: every leading principal minor of mu I - H, expanded along
 * its first row (Laplace), has a positive lower end. Costlier than elimination for n > 3, but its
 * enclosures are polynomials in the entries, which a certificate can re-check term by term.
 */
export function leadingMinorsPositiveShift<T, E>(A: Enclosures<T, E>, H: readonly T[], n: number, mu: T): boolean {
  return leadingMinorsOf(A, (i, j) => (i === j ? A.sub(mu, H[i * n + j]!) : A.neg(H[i * n + j]!)), n);
}

/** Sylvester's criterion on a symmetric enclosure matrix M itself (row-major n x n). */
export function leadingMinorsPositive<T, E>(A: Enclosures<T, E>, M: readonly T[], n: number): boolean {
  return leadingMinorsOf(A, (i, j) => M[i * n + j]!, n);
}

function leadingMinorsOf<T, E>(A: Enclosures<T, E>, entry: (i: number, j: number) => T, n: number): boolean {
  const det = (rows: readonly number[], cols: readonly number[]): T => {
    if (rows.length === 1) return entry(rows[0]!, cols[0]!);
    let acc: T | undefined;
    cols.forEach((c, k) => {
      const t = A.mul(entry(rows[0]!, c), det(rows.slice(1), cols.filter((x) => x !== c)));
      acc = acc === undefined ? (k % 2 === 0 ? t : A.neg(t)) : k % 2 === 0 ? A.add(acc, t) : A.sub(acc, t);
    });
    return acc!;
  };
  try {
    for (let k = 1; k <= n; k++) {
      const idx = Array.from({ length: k }, (_, i) => i);
      if (!(A.sign(A.lo(det(idx, idx))) > 0)) return false;
    }
  } catch (e) {
    if (notCertified(e)) return false;
    throw e;
  }
  return true;
}

export interface TopEigenvalueOptions<T, E> {
  /** Guesses of the top eigenvector as points of the row, tried in order: any vector gives a valid lower bound, a good one a tight one. */
  vectors: readonly (readonly T[])[];
  /** The diagonal entries' lower ends count as lower bounds too (Rayleigh quotients of unit vectors; default true). */
  diagonal?: boolean;
  /** The lower end as used from here on (rounded down to a short number, say); default as computed. */
  roundLower?: (lower: E) => E;
  /**
   * A lower end of num / den (den > 0), default the row's division: an exact row can round the quotient
   * down directly, without forming it in lowest terms (a gcd of long integers).
   */
  quotientLower?: (num: T, den: T) => E;
  /** Candidate upper ends above the lower end, tried in order: the first certified one is the upper end. */
  candidates: (lower: E) => Iterable<E>;
  /** mu I - H certified positive definite (default positiveDefiniteShift); an exact row may bring its own. */
  shiftedPositiveDefinite?: (mu: E) => boolean;
}

/** lo below and hi above the top eigenvalue of every member; hi undefined when no candidate certified. */
export interface TopEigenvalueBounds<E> {
  lo: E;
  hi: E | undefined;
  /** The index in `vectors` of the vector whose Rayleigh quotient gave lo (undefined: a diagonal entry did), for a certificate. */
  vector?: number;
}

/**
 * A certified enclosure of the largest eigenvalue of every symmetric member of H. Lower end: the
 * largest of the diagonal's lower ends and the Rayleigh quotients' lower ends. Upper end: the first
 * candidate mu with mu I - H certified positive definite. Undefined when there is no lower bound at
 * all (no diagonal asked for and no usable vector).
 */
export function encloseTopEigenvalue<T, E>(A: Enclosures<T, E>, H: readonly T[], n: number, opts: TopEigenvalueOptions<T, E>): TopEigenvalueBounds<E> | undefined {
  let lower: E | undefined;
  let vector: number | undefined;
  if (opts.diagonal ?? true)
    for (let i = 0; i < n; i++) {
      const d = A.lo(H[i * n + i]!);
      if (lower === undefined || A.cmp(d, lower) > 0) lower = d;
    }
  const quotientLower = opts.quotientLower ?? ((num: T, den: T) => A.lo(A.div(num, den)));
  opts.vectors.forEach((v, k) => {
    let q: E;
    try {
      const p = rayleighParts(A, H, n, v);
      if (p === undefined) return;
      q = quotientLower(p.num, p.den);
    } catch (e) {
      if (notCertified(e)) return;
      throw e;
    }
    if (lower === undefined || A.cmp(q, lower) > 0) {
      lower = q;
      vector = k;
    }
  });
  if (lower === undefined) return undefined;
  if (opts.roundLower) lower = opts.roundLower(lower);
  const pd = opts.shiftedPositiveDefinite ?? ((mu: E) => positiveDefiniteShift(A, H, n, A.point(mu)));
  for (const mu of opts.candidates(lower)) if (pd(mu)) return { lo: lower, hi: mu, vector };
  return { lo: lower, hi: undefined, vector };
}
