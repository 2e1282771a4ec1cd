import { Rational } from './rational.js';
import { Interval, roundToGrid, UndecidableError } from './interval.js';

/**
 * A certified enclosure [lo, hi] of the largest eigenvalue of an exact rational symmetric matrix.
 * lo is the exact Rayleigh quotient of an approximate top eigenvector (a lower bound for any
 * vector), rounded down to a dyadic; hi is the first candidate above lo for which hi*I - H is proved positive definite by
 * exact Gaussian elimination (all pivots > 0), so every eigenvalue is below hi.
 */
export function certifyTopEigenvalue(H: Rational[][], vector: readonly number[], bits = 170): Interval {
  const n = H.length;
  const v = vector.map((x) => Rational.fromDouble(x));
  let vv = Rational.fromInt(0);
  for (const x of v) vv = vv.add(x.mul(x));
  if (vv.isZero()) throw new UndecidableError('zero eigenvector estimate');
  let vHv = Rational.fromInt(0);
  for (let i = 0; i < n; i++) {
    let row = Rational.fromInt(0);
    for (let j = 0; j < n; j++) row = row.add(H[i]![j]!.mul(v[j]!));
    vHv = vHv.add(v[i]!.mul(row));
  }
  let scale = 0;
  for (const r of H) for (const x of r) scale = Math.max(scale, Math.abs(x.toNumber()));
  if (scale === 0) return Interval.point(Rational.fromInt(0));
  // The Rayleigh quotient rounded down to a dyadic (still a lower bound): everything computed from
  // the enclosure then stays dyadic, where gcds are shifts; the exact quotient has a ~300-bit odd
  // denominator that made every later operation pay a full Euclid.
  const lo = floorDyadic(vHv.num * vv.den, vHv.den * vv.num, bits + 10 - Math.ceil(Math.log2(scale)));
  // Candidate gaps from 2^-100 to 2^-12 of the matrix scale: the first that certifies is kept.
  // A float eigenvector accurate to ~1e-16 gives a Rayleigh quotient accurate to ~1e-32.
  for (let k = 100; k >= 12; k -= 8) {
    // Round the candidate up to a short dyadic so the definiteness test stays in small integers.
    const hi = roundToGrid(lo.add(Rational.fromDouble(scale * 2 ** -k)), bits - 50 - Math.ceil(Math.log2(scale)), 'up');
    if (positiveDefinite(H.map((r, i) => r.map((x, j) => (i === j ? hi.sub(x) : x.neg()))))) return new Interval(lo, hi);
  }
  throw new UndecidableError('could not certify an upper bound for the top eigenvalue');
}

/** floor(n/d * 2^k) / 2^k for d > 0. */
function floorDyadic(n: bigint, d: bigint, kNum: number): Rational {
  const k = BigInt(Math.max(0, kNum));
  const scaled = n << k;
  let q = scaled / d;
  if (q * d !== scaled && scaled < 0n) q -= 1n;
  return Rational.of(q, 1n << k);
}

/**
 * Exact test: symmetric M is positive definite iff all leading principal minors are > 0 (Sylvester).
 * The minors come from fraction-free (Bareiss) elimination on M scaled to integers: only exact
 * integer divisions, no gcds.
 */
export function positiveDefinite(M: Rational[][]): boolean {
  const n = M.length;
  let lcm = 1n;
  const g = (a: bigint, b: bigint): bigint => {
    while (b) [a, b] = [b, a % b];
    return a;
  };
  for (const r of M) for (const x of r) if (lcm % x.den !== 0n) lcm = (lcm / g(lcm, x.den)) * x.den;
  const a = M.map((r) => r.map((x) => (x.num * lcm) / x.den));
  let prev = 1n;
  for (let k = 0; k < n; k++) {
    const p = a[k]![k]!;
    // p is the (k+1)-th leading principal minor times lcm^(k+1) > 0.
    if (p <= 0n) return false;
    for (let i = k + 1; i < n; i++) for (let j = k + 1; j < n; j++) a[i]![j] = (a[i]![j]! * p - a[i]![k]! * a[k]![j]!) / prev;
    prev = p;
  }
  return true;
}
