import { Rational } from './rational.js';

/**
 * Exact comparison of the largest eigenvalue S = lambda_max(H) of a real symmetric matrix H with
 * exact rational entries against an exact rational r, by Sylvester's criterion applied to rI - H:
 *
 *   S <  r  iff  rI - H is positive definite      iff  every LEADING principal minor is > 0;
 *   S <= r  iff  rI - H is positive semidefinite  iff  EVERY principal minor (all 2^n - 1 index
 *                                                      subsets) is >= 0;
 *   S == r  iff  S <= r and not S < r.
 *
 * Leading minors >= 0 do not imply semidefiniteness: diag(0, -1) has leading minors 0, 0.
 *
 * Arithmetic: each row i is multiplied by the lcm d_i > 0 of its denominators, giving an integer
 * matrix B = D A with D = diag(d_i). For any index set K, det(B_K) = (prod_{i in K} d_i) det(A_K),
 * so every principal minor keeps its sign. Determinants of B are then taken by fraction-free
 * (Bareiss) elimination, whose divisions are exact and whose intermediates are themselves minors,
 * so no gcd of huge integers is ever needed (dyadic denominators like 2^-10000 cost one shift).
 */

export type Relation = '<' | '<=' | '>' | '>=' | '==';

/**
 * All nonempty subsets of {0, ..., n-1}, each sorted ascending, ordered by size and then
 * lexicographically: [0], [1], ..., [n-1], [0,1], [0,2], ..., [0,...,n-1]. 2^n - 1 sets.
 */
export function principalMinorIndexSets(n: number): number[][] {
  checkSize(n);
  const out: number[][] = [];
  const extend = (prefix: number[], start: number, size: number): void => {
    if (prefix.length === size) {
      out.push(prefix.slice());
      return;
    }
    for (let i = start; i <= n - (size - prefix.length); i++) {
      prefix.push(i);
      extend(prefix, i + 1, size);
      prefix.pop();
    }
  };
  for (let size = 1; size <= n; size++) extend([], 0, size);
  return out;
}

/** The leading index sets [0], [0,1], ..., [0,...,n-1]. */
export function leadingIndexSets(n: number): number[][] {
  checkSize(n);
  const out: number[][] = [];
  for (let k = 1; k <= n; k++) out.push(Array.from({ length: k }, (_, i) => i));
  return out;
}

/** Whether the symmetric matrix A is positive definite (all leading principal minors > 0). */
export function isPositiveDefinite(A: Rational[][]): boolean {
  checkSymmetric(A, 'isPositiveDefinite');
  return positiveDefinite(toIntegerRows(A));
}

/** Whether the symmetric matrix A is positive semidefinite (all principal minors >= 0). */
export function isPositiveSemidefinite(A: Rational[][]): boolean {
  checkSymmetric(A, 'isPositiveSemidefinite');
  const B = toIntegerRows(A);
  return positiveDefinite(B) || positiveSemidefiniteByMinors(B);
}

/** The sign of lambda_max(H) - r, decided exactly. */
export function compareTopEigenvalue(H: Rational[][], r: Rational): -1 | 0 | 1 {
  checkSymmetric(H, 'compareTopEigenvalue');
  if (H.length === 0) throw new Error('compareTopEigenvalue: the 0x0 matrix has no eigenvalues');
  if (!(r instanceof Rational)) throw new Error('compareTopEigenvalue: r must be a Rational');
  const n = H.length;
  const A: Rational[][] = H.map((row, i) => row.map((h, j) => (i === j ? r.sub(h) : h.neg())));
  const B = toIntegerRows(A);
  if (positiveDefinite(B)) return -1;
  return positiveSemidefiniteByMinors(B) ? 0 : 1;
}

/** Whether "lambda_max(H) rel r" holds, decided exactly. */
export function decideSharpness(H: Rational[][], rel: Relation, r: Rational): boolean {
  const c = compareTopEigenvalue(H, r);
  switch (rel) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '==':
      return c === 0;
    default:
      throw new Error(`decideSharpness: unknown relation ${JSON.stringify(rel)}`);
  }
}

// ---------------------------------------------------------------------------------------------

function checkSize(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`sylvester: matrix size must be a non-negative integer, got ${n}`);
  if (n > 20) throw new Error(`sylvester: matrix size ${n} is too large for enumerating principal minors`);
}

function checkSymmetric(A: Rational[][], fn: string): void {
  if (!Array.isArray(A)) throw new Error(`${fn}: expected a matrix (array of rows)`);
  const n = A.length;
  for (let i = 0; i < n; i++) {
    const row = A[i];
    if (!Array.isArray(row) || row.length !== n) {
      throw new Error(`${fn}: matrix is not square (row ${i} has ${Array.isArray(row) ? row.length : 'no'} entries, expected ${n})`);
    }
    for (let j = 0; j < n; j++) {
      if (!(row[j] instanceof Rational)) throw new Error(`${fn}: entry (${i}, ${j}) is not a Rational`);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!A[i]![j]!.eq(A[j]![i]!)) {
        throw new Error(`${fn}: matrix is not symmetric: entry (${i}, ${j}) = ${A[i]![j]} but (${j}, ${i}) = ${A[j]![i]}`);
      }
    }
  }
}

function isPow2(x: bigint): boolean {
  return (x & (x - 1n)) === 0n;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** lcm of two positive bigints, with shortcuts for powers of two and divisibility. */
function lcm(a: bigint, b: bigint): bigint {
  if (a === b || b === 1n) return a;
  if (a === 1n) return b;
  if (isPow2(a) && isPow2(b)) return a > b ? a : b;
  if (a > b ? a % b === 0n : b % a === 0n) return a > b ? a : b;
  return (a / gcd(a, b)) * b;
}

/** Row i of A times the lcm of its denominators: an integer matrix with the same principal-minor signs. */
function toIntegerRows(A: Rational[][]): bigint[][] {
  return A.map((row) => {
    let d = 1n;
    for (const x of row) d = lcm(d, x.den);
    return row.map((x) => (x.den === d ? x.num : x.num * (d / x.den)));
  });
}

/**
 * Bareiss elimination without pivoting: after step k the pivot M[k][k] is the leading (k+1)x(k+1)
 * minor of B. B is positive definite iff all of them are > 0 (stop at the first that is not).
 */
function positiveDefinite(B: bigint[][]): boolean {
  const n = B.length;
  const M = B.map((row) => row.slice());
  let prev = 1n;
  for (let k = 0; k < n; k++) {
    const p = M[k]![k]!;
    if (p <= 0n) return false;
    const Mk = M[k]!;
    for (let i = k + 1; i < n; i++) {
      const Mi = M[i]!;
      const mik = Mi[k]!;
      for (let j = k + 1; j < n; j++) Mi[j] = (p * Mi[j]! - mik * Mk[j]!) / prev;
    }
    prev = p;
  }
  return true;
}

/** Determinant of the integer matrix B restricted to rows and columns idx, by Bareiss with row pivoting. */
function principalMinor(B: bigint[][], idx: readonly number[]): bigint {
  const k = idx.length;
  const M = idx.map((i) => idx.map((j) => B[i]![j]!));
  let sign = 1n;
  let prev = 1n;
  for (let c = 0; c < k; c++) {
    if (M[c]![c] === 0n) {
      let s = c + 1;
      while (s < k && M[s]![c] === 0n) s++;
      if (s === k) return 0n;
      const t = M[c]!;
      M[c] = M[s]!;
      M[s] = t;
      sign = -sign;
    }
    const Mc = M[c]!;
    const p = Mc[c]!;
    for (let i = c + 1; i < k; i++) {
      const Mi = M[i]!;
      const mic = Mi[c]!;
      for (let j = c + 1; j < k; j++) Mi[j] = (p * Mi[j]! - mic * Mc[j]!) / prev;
    }
    prev = p;
  }
  return sign * M[k - 1]![k - 1]!;
}

/** Every principal minor >= 0 (cheap 1x1 minors, i.e. the diagonal, first). */
function positiveSemidefiniteByMinors(B: bigint[][]): boolean {
  const n = B.length;
  for (let i = 0; i < n; i++) if (B[i]![i]! < 0n) return false;
  for (const idx of principalMinorIndexSets(n)) {
    if (idx.length === 1) continue;
    if (principalMinor(B, idx) < 0n) return false;
  }
  return true;
}
