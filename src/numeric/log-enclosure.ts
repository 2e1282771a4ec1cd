/**
 * Logarithms enclosed at any precision: log, log10 and log2 of a positive rational interval, to about `bits`
 * significant bits, by exact-rounded dyadic arithmetic (numeric/dyadic.ts) and a series with a bounded remainder,
 * so no library log takes part. (The library logs, widened by a few ulps, give double precision only: a `within`
 * window -log10|beta1| / log10(q - 1) with q - 1 near 1 was enclosed 1.6 steps wide at every precision.)
 *
 * x = f 2^k with f in [3/4, 3/2), so log x = k ln 2 + log f and log f = 2 atanh(z), z = (f - 1) / (f + 1) in
 * [-1/7, 1/5): 2 atanh(z) = 2 sum_j z^(2j+1) / (2j+1), the terms after the first J at most
 * 2 |z|^(2J+1) / ((2J+1)(1 - z^2)) <= 2 (1/4)^(2J+1) (16/15) / (2J+1) in all. ln 2 = 2 atanh(1/3), with the same
 * kind of remainder (|z| = 1/3); ln 10 = log(5/4) + 3 ln 2.
 */
import { Rational } from './rational.js';
import { Dyadic, DyadicArith, DyadicInterval, dyadic } from './dyadic.js';
import { Interval } from './interval.js';
import { CertainlyUndefined, MaybeUndefined } from './partial.js';

export type LogBase = 'log' | 'log10' | 'log2';

/** Guard bits of the working precision over the bits asked for. */
const GUARD = 16;

/**
 * 2 atanh(z) for |z| <= zmax (a rational below 1), every operation rounded outward, the series' remainder added;
 * `terms` (tests only) overrides the count of terms the precision asks for.
 */
export function twoAtanh(z: DyadicInterval, zmax: Rational, A: DyadicArith, terms?: number): DyadicInterval {
  // Terms until zmax^(2J+1) < 2^-(bits + 4): J from log2(1 / zmax).
  const perTerm = 2 * Math.log2(zmax.inv().toNumber());
  const J = terms ?? Math.max(1, Math.ceil((A.bits + 4) / perTerm));
  const w = A.mul(z, z);
  let acc = A.fromRational(Rational.of(1n, BigInt(2 * J - 1)));
  for (let j = J - 2; j >= 0; j--) acc = A.add(A.mul(acc, w), A.fromRational(Rational.of(1n, BigInt(2 * j + 1))));
  const two = DyadicInterval.point(dyadic(2n));
  const sum = A.mul(two, A.mul(z, acc));
  // 2 zmax^(2J+1) / ((2J+1)(1 - zmax^2)) bounds the terms left out.
  const rest = zmax
    .pow(2 * J + 1)
    .mul(Rational.fromInt(2))
    .div(Rational.fromInt(2 * J + 1).mul(Rational.fromInt(1).sub(zmax.mul(zmax))));
  const r = A.fromRational(rest).hi;
  return A.add(sum, new DyadicInterval(new Dyadic(-r.m, r.e, r.n), r));
}

const LN2 = new Map<number, DyadicInterval>();
const LN10 = new Map<number, DyadicInterval>();
const THIRD = Rational.of(1n, 3n);
const QUARTER = Rational.of(1n, 4n);

function ln2(A: DyadicArith): DyadicInterval {
  let v = LN2.get(A.bits);
  if (!v) LN2.set(A.bits, (v = twoAtanh(A.fromRational(THIRD), THIRD, A)));
  return v;
}

/** log of a positive dyadic d, enclosed. */
function logOf(d: Dyadic, A: DyadicArith): DyadicInterval {
  // d = m 2^e with m of n bits: f = m 2^-(n-1) in [1, 2), k = e + n - 1; f >= 3/2 halves f and adds one to k.
  let k = d.e + d.n - 1;
  let f = new Dyadic(d.m, -(d.n - 1), d.n);
  if (d.m * 2n >= 3n << BigInt(d.n - 1)) {
    f = new Dyadic(d.m, -d.n, d.n);
    k += 1;
  }
  const F = DyadicInterval.point(f);
  const one = DyadicInterval.point(dyadic(1n));
  const z = A.div(A.sub(F, one), A.add(F, one));
  const lf = twoAtanh(z, QUARTER, A);
  return k === 0 ? lf : A.add(lf, A.mul(DyadicInterval.point(dyadic(BigInt(k))), ln2(A)));
}

function ln10(A: DyadicArith): DyadicInterval {
  let v = LN10.get(A.bits);
  if (!v) LN10.set(A.bits, (v = logOf(dyadic(10n), A)));
  return v;
}

/** log_base of one end x > 0: the enclosure's lower end (dir -1) or upper end (dir 1), exactly as a rational. */
function logEnd(x: Rational, base: LogBase, dir: -1 | 1, A: DyadicArith): Rational {
  const X = A.fromRational(x);
  let v = logOf(dir < 0 ? X.lo : X.hi, A);
  if (base === 'log10') v = A.div(v, ln10(A));
  else if (base === 'log2') v = A.div(v, ln2(A));
  return (dir < 0 ? v.lo : v.hi).toRational();
}

/**
 * log_base over the rational interval a (increasing: its ends' enclosures' outer ends), to about `bits` bits.
 * Definedness as everywhere (numeric/partial.ts): an interval at or below 0 is certainly undefined, one that
 * reaches 0 maybe.
 */
export function logInterval(a: Interval, base: LogBase, bits: number): Interval {
  if (a.hi.sign() <= 0) throw new CertainlyUndefined(`${base} of a non-positive number`);
  if (a.lo.sign() <= 0) throw new MaybeUndefined(`${base} of an enclosure that reaches 0`);
  const A = new DyadicArith(Math.max(64, Math.ceil(bits)) + GUARD);
  return new Interval(logEnd(a.lo, base, -1, A), logEnd(a.hi, base, 1, A));
}
