import { Rational } from './rational.js';
import { relationHolds, type Relation } from './enclosure.js';

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
 * Arithmetic: each row i is multiplied by a common multiple d_i > 0 of its denominators, giving an
 * integer matrix B = D A with D = diag(d_i). For any index set K, det(B_K) = (prod_{i in K} d_i)
 * det(A_K), so every principal minor keeps its sign. Determinants of B are then taken by
 * fraction-free (Bareiss) elimination, whose divisions are exact and whose intermediates are
 * themselves minors, so no gcd of huge integers is needed (a gcd of two 3000-bit integers costs
 * about 2 ms in V8, more than the whole 3x3 decision). Exact Rational elimination was measured
 * 100-1000x slower. Measured on 3x3 matrices with ~3000-bit denominators: 0.1-1.5 ms per call;
 * 6x6 with 2^-3000 denominators: ~5-45 ms (r = S, where every principal minor is needed, is the
 * slowest case).
 */

export { relationHolds, type Relation };

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

/**
 * isPositiveDefinite without the symmetry check, for callers that build the matrix symmetric (for any
 * square A it says whether every leading principal minor is > 0).
 */
export function leadingMinorsPositiveExact(A: readonly (readonly Rational[])[]): boolean {
  return positiveDefinite(toIntegerRows(A));
}

/** Whether the symmetric matrix A is positive semidefinite (all principal minors >= 0). */
export function isPositiveSemidefinite(A: Rational[][]): boolean {
  checkSymmetric(A, 'isPositiveSemidefinite');
  return classify(toIntegerRows(A)) !== 'none';
}

/** The sign of lambda_max(H) - r, decided exactly. */
export function compareTopEigenvalue(H: Rational[][], r: Rational): -1 | 0 | 1 {
  checkSymmetric(H, 'compareTopEigenvalue');
  if (H.length === 0) throw new Error('compareTopEigenvalue: the 0x0 matrix has no eigenvalues');
  if (!(r instanceof Rational)) throw new Error('compareTopEigenvalue: r must be a Rational');
  // rI - H as unreduced fractions: Rational.sub would reduce r - h_ii by a gcd of huge integers.
  const A: Frac[][] = H.map((row, i) =>
    row.map((h, j): Frac => {
      if (i !== j) return { num: -h.num, den: h.den };
      if (r.den === h.den) return { num: r.num - h.num, den: h.den };
      if (h.den % r.den === 0n) return { num: r.num * (h.den / r.den) - h.num, den: h.den };
      if (r.den % h.den === 0n) return { num: r.num - h.num * (r.den / h.den), den: r.den };
      return { num: r.num * h.den - h.num * r.den, den: r.den * h.den };
    }),
  );
  const c = classify(toIntegerRows(A));
  return c === 'pd' ? -1 : c === 'psd' ? 0 : 1;
}

/** Whether "lambda_max(H) rel r" holds, decided exactly. */
export function decideSharpness(H: Rational[][], rel: Relation, r: Rational): boolean {
  return relationHolds(compareTopEigenvalue(H, r), rel);
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

const SAFE = 9007199254740991n; // 2^53 - 1

function gcdSmall(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * A positive common multiple of the denominators of one row (not always the least one). A gcd of
 * multi-thousand-bit bigints costs milliseconds, far more than the elimination, so powers of two are
 * combined by their exponents, odd parts already dividing the running multiple are skipped, small
 * odd parts use a double gcd, and other odd parts are simply multiplied in.
 */
function rowMultiple(row: readonly Frac[]): bigint {
  let twos = 1n; // largest power of two seen
  let odd = 1n;
  for (const x of row) {
    const d = x.den;
    if (d === 1n) continue;
    const low = d & -d;
    if (low > twos) twos = low;
    const u = low === d ? 1n : d / low;
    if (u === 1n || u === odd) continue;
    if (odd <= SAFE && u <= SAFE) {
      const a = Number(odd);
      const b = Number(u);
      odd = (odd / BigInt(gcdSmall(a, b))) * u;
    } else if (odd % u !== 0n) {
      odd *= u;
    }
  }
  return twos * odd;
}

/** A fraction num/den with den > 0, not necessarily in lowest terms. */
interface Frac {
  readonly num: bigint;
  readonly den: bigint;
}

/** Row i of A times a positive common multiple of its denominators: same principal-minor signs. */
function toIntegerRows(A: readonly (readonly Frac[])[]): bigint[][] {
  return A.map((row) => {
    const d = rowMultiple(row);
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
      if (prev === 1n) for (let j = k + 1; j < n; j++) Mi[j] = p * Mi[j]! - mik * Mk[j]!;
      else for (let j = k + 1; j < n; j++) Mi[j] = (p * Mi[j]! - mik * Mk[j]!) / prev;
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
      if (prev === 1n) for (let j = c + 1; j < k; j++) Mi[j] = p * Mi[j]! - mic * Mc[j]!;
      else for (let j = c + 1; j < k; j++) Mi[j] = (p * Mi[j]! - mic * Mc[j]!) / prev;
    }
    prev = p;
  }
  return sign * M[k - 1]![k - 1]!;
}

/**
 * Classifies the integer matrix B (row-scaled from a symmetric one) as positive definite,
 * positive semidefinite but singular, or neither, from its principal minors.
 *
 * The minors are visited as a trie of index sets sorted ascending: the state of a set P (last
 * element l) holds, for x, y > l, the bordered minors M_P[x][y] = det B[P+x, P+y], so the child P+a
 * has minor M_P[a][a], and its own state follows from Sylvester's identity
 *   det B_P * M_{P+a}[x][y] = M_P[a][a] M_P[x][y] - M_P[x][a] M_P[a][y]
 * (one exact Bareiss step). Depth first, the leading sets [0], [0,1], ... come first, so a positive
 * definite B is recognised after a single Bareiss pass; otherwise every principal minor is checked
 * for >= 0, stopping at the first negative one. Below a set whose minor is 0 the division above is
 * impossible, and each minor of that subtree is computed directly instead (pivoted Bareiss).
 */
function classify(B: bigint[][]): 'pd' | 'psd' | 'none' {
  const n = B.length;
  if (n === 0) return 'pd';
  for (let i = 0; i < n; i++) if (B[i]![i]! < 0n) return 'none';
  const NEG = -1;
  const OK = 0;
  const PD = 1;
  // leading: P = [0..|P|-1] and every leading minor so far is > 0.
  const visit = (P: number[], detP: bigint, M: bigint[][], last: number, leading: boolean): number => {
    for (let a = last + 1; a < n; a++) {
      const da = M[a]![a]!;
      if (da < 0n) return NEG;
      const onLeading = leading && a === last + 1 && da > 0n;
      if (a === n - 1) {
        if (onLeading) return PD;
        continue; // no descendants
      }
      const Pa = [...P, a];
      if (da === 0n) {
        if (!subtreeNonNegative(B, Pa, a + 1)) return NEG;
        continue;
      }
      const Ma = M[a]!;
      const N: bigint[][] = new Array(n);
      for (let x = a + 1; x < n; x++) {
        const Mx = M[x]!;
        const mxa = Mx[a]!;
        const row: bigint[] = new Array(n);
        for (let y = a + 1; y < n; y++) {
          const v = da * Mx[y]! - mxa * Ma[y]!;
          row[y] = detP === 1n ? v : v / detP;
        }
        N[x] = row;
      }
      const st = visit(Pa, da, N, a, onLeading);
      if (st !== OK) return st;
    }
    return OK;
  };
  const st = visit([], 1n, B, -1, true);
  return st === PD ? 'pd' : st === NEG ? 'none' : 'psd';
}

/** Direct check of det B[P+T] >= 0 for every nonempty T of indices from..n-1. */
function subtreeNonNegative(B: bigint[][], P: number[], from: number): boolean {
  const n = B.length;
  const rec = (idx: number[], start: number): boolean => {
    for (let x = start; x < n; x++) {
      idx.push(x);
      const ok = principalMinor(B, idx) >= 0n && rec(idx, x + 1);
      idx.pop();
      if (!ok) return false;
    }
    return true;
  };
  return rec(P.slice(), from);
}
