import { Rational } from './rational.js';
import { Interval, RationalArith, roundToGrid, UndecidableError } from './interval.js';
import { encloseTopEigenvalue } from './eigen-enclosure.js';
import { leadingMinorsPositiveExact } from './sylvester.js';

const EXACT = new RationalArith();

/**
 * A certified enclosure [lo, hi] of the largest eigenvalue of an exact rational symmetric matrix:
 * the exact row of eigen-enclosure.ts's encloseTopEigenvalue. lo is the exact Rayleigh quotient of
 * an approximate top eigenvector (a lower bound for any vector), rounded down to a dyadic; hi is the
 * first candidate above lo for which hi*I - H is proved positive definite by exact elimination
 * (sylvester.ts: all leading minors > 0), so every eigenvalue is below hi.
 */
export function certifyTopEigenvalue(H: Rational[][], vector: readonly number[], bits = 170): Interval {
  const n = H.length;
  if (vector.every((x) => x === 0)) throw new UndecidableError('zero eigenvector estimate');
  let scale = 0;
  for (const r of H) for (const x of r) scale = Math.max(scale, Math.abs(x.toNumber()));
  if (scale === 0) return Interval.point(Rational.fromInt(0));
  const r = encloseTopEigenvalue(
    EXACT,
    H.flat().map((x) => Interval.point(x)),
    n,
    {
      vectors: [vector.map((x) => EXACT.fromDouble(x))],
      // The diagonal is a lower bound too, left out here so that the exact decider's enclosures stay as they were.
      diagonal: false,
      // The Rayleigh quotient rounded down to a dyadic (still a lower bound), without forming it: everything
      // computed from the enclosure then stays dyadic, where gcds are shifts; the exact quotient has a
      // ~300-bit odd denominator whose reduction alone is a full Euclid.
      quotientLower: (num, den) => floorDyadic(num.lo.num * den.lo.den, num.lo.den * den.lo.num, bits + 10 - Math.ceil(Math.log2(scale))),
      // Candidate gaps from 2^-100 to 2^-12 of the matrix scale: the first that certifies is kept.
      // A float eigenvector accurate to ~1e-16 gives a Rayleigh quotient accurate to ~1e-32. Each is
      // rounded up to a short dyadic so the definiteness test stays in small integers.
      candidates: function* (lo) {
        for (let k = 100; k >= 12; k -= 8) yield roundToGrid(lo.add(Rational.fromDouble(scale * 2 ** -k)), bits - 50 - Math.ceil(Math.log2(scale)), 'up');
      },
      shiftedPositiveDefinite: (hi) => leadingMinorsPositiveExact(H.map((row, i) => row.map((x, j) => (i === j ? hi.sub(x) : x.neg())))),
    },
  );
  if (!r) throw new UndecidableError('zero eigenvector estimate');
  if (r.hi === undefined) throw new UndecidableError('could not certify an upper bound for the top eigenvalue');
  return new Interval(r.lo, r.hi);
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
 * Exact test: symmetric M is positive definite iff all leading principal minors are > 0 (Sylvester),
 * by fraction-free elimination (sylvester.ts, the one exact definiteness test).
 */
export function positiveDefinite(M: Rational[][]): boolean {
  return leadingMinorsPositiveExact(M);
}
