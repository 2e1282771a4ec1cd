import { Rational } from './rational.js';

/**
 * Exact real-root decisions for univariate polynomials with rational coefficients: the exact
 * decider behind a model quantity defined as "the unique real root of p in the open interval
 * (lo, hi)". Nothing here rounds; every answer is a theorem about the exact polynomial.
 *
 * A polynomial is an array c of Rationals, c[k] the coefficient of z^k. Functions accept trailing
 * zeros; results have them trimmed (the zero polynomial is []).
 *
 * Main results:
 * - interpolate: the unique polynomial of degree <= n-1 through n points with distinct abscissae
 *   (Newton divided differences, then expansion of the Newton form into monomials).
 * - sturmSequence / sturmCount: Sturm's theorem. For the chain p_0 = p, p_1 = p',
 *   p_{k+1} = -rem(p_{k-1}, p_k), ending at g = gcd(p, p'), every entry is divided exactly by g, so
 *   the chain is a genuine Sturm chain of the square-free part p/g (same distinct real roots as p).
 *   Then V(a) - V(b), V(x) the number of sign changes of (p_k(x)) with zeros skipped, is the number of
 *   distinct real roots of p in (a, b] for every a < b: V is constant between roots of p, and at a
 *   root r it equals its value just right of r (p_0 p_1 = p p' / g^2 > 0 just right of r, and p_0(r)
 *   is skipped), so V is right-continuous with a unit drop at each distinct root. Dividing by g is
 *   what makes repeated roots and roots at the ends harmless (without it every entry vanishes at a
 *   multiple root); the usual precondition p(a) != 0 is therefore not needed, though
 *   isolateUniqueRoot only ever counts between non-roots. Dividing an entry by a positive constant
 *   never changes a sign, so every entry is kept as a primitive integer polynomial (coprime integer
 *   coefficients): this is what keeps the bigints small along the remainder sequence.
 * - isolateUniqueRoot: Sturm count on (lo, hi), then bisection on exact signs (intermediate value
 *   theorem: p continuous with opposite strict signs at the ends of [a, b] and exactly one root in
 *   (lo, hi) means that root is in (a, b)). Deterministic work bound: each step shrinks the width by
 *   a factor <= 33/64, so at most ceil((bits + log2(hi - lo)) / log2(64/33)) + 1 steps are taken;
 *   there is no wall clock.
 */

export type Poly = Rational[];

export type RootResult =
  | { kind: 'root'; lo: Rational; hi: Rational }
  | { kind: 'none' }
  | { kind: 'many'; count: number }
  | { kind: 'endpoint' };

// ---- polynomial helpers ---------------------------------------------------------------------

/** c without trailing zero coefficients (a copy). */
export function trimPoly(c: readonly Rational[]): Poly {
  let n = c.length;
  while (n > 0 && c[n - 1]!.isZero()) n--;
  return c.slice(0, n);
}

/** p(z) by Horner's rule (exact); the zero polynomial [] evaluates to 0. */
export function polyEval(c: readonly Rational[], z: Rational): Rational {
  let acc = Rational.ZERO;
  for (let k = c.length - 1; k >= 0; k--) acc = acc.mul(z).add(c[k]!);
  return acc;
}

/** Coefficients of p'. */
export function polyDerivative(c: readonly Rational[]): Poly {
  const t = trimPoly(c);
  const d: Poly = [];
  for (let k = 1; k < t.length; k++) d.push(t[k]!.mul(Rational.fromInt(k)));
  return d;
}

function babs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function bgcd(a: bigint, b: bigint): bigint {
  a = babs(a);
  b = babs(b);
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * The primitive integer polynomial that is a POSITIVE multiple of c (so signs at every point are
 * unchanged): clear denominators by their lcm, then divide by the gcd of the numerators.
 */
function primitive(c: readonly Rational[]): Poly {
  const t = trimPoly(c);
  if (t.length === 0) return t;
  let l = 1n;
  for (const x of t) l = (l / bgcd(l, x.den)) * x.den;
  const ints = t.map((x) => x.num * (l / x.den));
  let g = 0n;
  for (const n of ints) g = bgcd(g, n);
  return ints.map((n) => Rational.fromBigInt(n / g));
}

/** Quotient and remainder of a by b (b nonzero), exact long division. */
function divmod(a: readonly Rational[], b: readonly Rational[]): { q: Poly; r: Poly } {
  const bt = trimPoly(b);
  if (bt.length === 0) throw new RangeError('real-roots: division by the zero polynomial');
  const r = trimPoly(a);
  const db = bt.length - 1;
  const lead = bt[db]!;
  const q: Poly = new Array<Rational>(Math.max(0, r.length - db)).fill(Rational.ZERO);
  for (let k = r.length - 1; k >= db; k--) {
    const f = r[k]!.div(lead);
    if (f.isZero()) continue;
    q[k - db] = f;
    for (let j = 0; j <= db; j++) r[k - db + j] = r[k - db + j]!.sub(f.mul(bt[j]!));
  }
  return { q: trimPoly(q), r: trimPoly(r.slice(0, db)) };
}

// ---- interpolation --------------------------------------------------------------------------

/**
 * Coefficients of the unique polynomial of degree <= xs.length - 1 with p(xs[i]) = ys[i] (trailing
 * zeros trimmed). Throws RangeError for mismatched lengths, no points, or repeated abscissae.
 */
export function interpolate(xs: readonly Rational[], ys: readonly Rational[]): Poly {
  const n = xs.length;
  if (n === 0 || ys.length !== n) throw new RangeError(`interpolate: need equally many xs and ys (got ${n} and ${ys.length})`);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) if (xs[i]!.eq(xs[j]!)) throw new RangeError(`interpolate: repeated abscissa ${xs[i]!.toString()}`);
  // Divided differences in place: after pass k, d[i] = f[x_{i-k}, ..., x_i] for i >= k.
  const d = ys.slice();
  for (let k = 1; k < n; k++)
    for (let i = n - 1; i >= k; i--) d[i] = d[i]!.sub(d[i - 1]!).div(xs[i]!.sub(xs[i - k]!));
  // Newton form d0 + (z - x0)(d1 + (z - x1)(d2 + ...)) expanded from the inside out.
  let c: Poly = [d[n - 1]!];
  for (let i = n - 2; i >= 0; i--) {
    const next: Poly = new Array<Rational>(c.length + 1).fill(Rational.ZERO);
    for (let k = 0; k < c.length; k++) {
      next[k + 1] = next[k + 1]!.add(c[k]!);
      next[k] = next[k]!.sub(c[k]!.mul(xs[i]!));
    }
    next[0] = next[0]!.add(d[i]!);
    c = next;
  }
  return trimPoly(c);
}

// ---- Sturm sequences ------------------------------------------------------------------------

/**
 * The Sturm chain of p divided by gcd(p, p') (see the module comment), each entry a primitive
 * integer polynomial with the sign of the corresponding classical entry. A nonzero constant gives
 * [p]; the zero polynomial throws RangeError (it has infinitely many roots).
 */
export function sturmSequence(c: readonly Rational[]): Poly[] {
  const p = primitive(c);
  if (p.length === 0) throw new RangeError('sturmSequence: the zero polynomial has no Sturm sequence');
  const seq: Poly[] = [p];
  let cur = primitive(polyDerivative(p));
  let prev = p;
  while (cur.length > 0) {
    seq.push(cur);
    const { r } = divmod(prev, cur);
    prev = cur;
    cur = primitive(r.map((x) => x.neg()));
  }
  // The last entry is (a positive multiple of) gcd(p, p'); divide it out of every entry. The
  // division is exact by the Euclidean recurrence, which the assertion re-checks.
  const g = seq[seq.length - 1]!;
  if (g.length === 1) return seq;
  return seq.map((s) => {
    const { q, r } = divmod(s, g);
    if (r.length !== 0) throw new Error('sturmSequence: gcd does not divide a chain entry (internal error)');
    return primitive(q);
  });
}

/** Sign changes of the chain at x, zeros skipped. */
function variations(seq: readonly Poly[], x: Rational): number {
  let v = 0;
  let last = 0;
  for (const s of seq) {
    const sg = polyEval(s, x).sign();
    if (sg === 0) continue;
    if (last !== 0 && sg !== last) v++;
    last = sg;
  }
  return v;
}

/**
 * Number of DISTINCT real roots of p in (a, b] for a chain from sturmSequence(p) and a < b
 * (RangeError otherwise). Sturm's theorem is usually stated with p(a) != 0; because the chain is
 * divided by gcd(p, p'), the count is also right when a or b is a (possibly repeated) root.
 */
export function sturmCount(seq: readonly Poly[], a: Rational, b: Rational): number {
  if (!a.lt(b)) throw new RangeError(`sturmCount: need a < b (got ${a.toString()}, ${b.toString()})`);
  return variations(seq, a) - variations(seq, b);
}

// ---- isolation ------------------------------------------------------------------------------

/** 2^e as a Rational, any integer e. */
function pow2(e: number): Rational {
  return e >= 0 ? Rational.fromBigInt(1n << BigInt(e)) : Rational.of(1n, 1n << BigInt(-e));
}

/**
 * A short dyadic strictly inside (a, b), within (b - a)/64 of the midpoint: the midpoint rounded
 * down to a multiple of 2^e with 2^e <= (b - a)/64. Keeps the endpoints' bigints at about
 * (bits + log2 width) bits instead of growing with the input's denominators.
 */
function splitPoint(a: Rational, b: Rational): Rational {
  const w = b.sub(a);
  const m = a.add(b).mul(Rational.of(1n, 2n));
  // log2Abs is accurate to ~1e-15, so floor(.) - 7 is safely <= log2(w) - 6.
  const e = Math.floor(w.log2Abs()) - 7;
  const unit = pow2(e);
  const r = Rational.fromBigInt(m.div(unit).floor()).mul(unit);
  // r <= m < b by construction and r > m - w/64 > a; re-checked, the exact midpoint as fallback.
  return a.lt(r) && r.lt(b) ? r : m;
}

/**
 * Decides whether p has exactly one real root in the open interval (lo, hi) and, if so, encloses it:
 * - !(lo < hi): { kind: 'none' } (the interval is empty);
 * - p the zero polynomial: { kind: 'many', count: Infinity }; a nonzero constant: { kind: 'none' };
 * - p(lo) = 0 or p(hi) = 0: { kind: 'endpoint' } (the caller reports the claim as undecidable);
 * - otherwise the number of distinct roots in (lo, hi) by Sturm: 0 gives 'none', k > 1 gives
 *   { kind: 'many', count: k }, and 1 gives { kind: 'root', lo: a, hi: b } with lo <= a <= b <= hi,
 *   either a < root < b or a = b = root (a split point hit the root exactly), and
 *   b - a <= 2^-bits * max(1, |a|, |b|). If the root has odd multiplicity (the generic case, and
 *   always when p(lo), p(hi) have opposite signs) p(a) and p(b) have opposite strict signs; a root
 *   of even multiplicity leaves them equal, and is tracked by Sturm counts instead of signs.
 * bits must be a non-negative integer (RangeError otherwise).
 */
export function isolateUniqueRoot(c: readonly Rational[], lo: Rational, hi: Rational, bits: number): RootResult {
  if (!Number.isInteger(bits) || bits < 0) throw new RangeError(`isolateUniqueRoot: bits = ${bits} is not a non-negative integer`);
  if (!lo.lt(hi)) return { kind: 'none' };
  const p = trimPoly(c);
  if (p.length === 0) return { kind: 'many', count: Infinity };
  if (p.length === 1) return { kind: 'none' };
  const sLo = polyEval(p, lo).sign();
  const sHi = polyEval(p, hi).sign();
  if (sLo === 0 || sHi === 0) return { kind: 'endpoint' };
  const seq = sturmSequence(p);
  // hi is not a root, so the count over (lo, hi] is the count over (lo, hi).
  const count = sturmCount(seq, lo, hi);
  if (count === 0) return { kind: 'none' };
  if (count > 1) return { kind: 'many', count };
  // Is the root r above the split point m (p(m) != 0)? With opposite end signs p has the sign of
  // p(lo) exactly on (lo, r) (IVT plus uniqueness). With equal end signs the root has even
  // multiplicity and p never changes sign, so ask Sturm whether r is in (lo, m].
  const rootAbove = sLo !== sHi ? (m: Rational, s: number) => s === sLo : (m: Rational) => sturmCount(seq, lo, m) === 0;
  const tolScale = pow2(bits);
  const maxSteps = Math.max(0, Math.ceil((bits + hi.sub(lo).log2Abs()) / Math.log2(64 / 33))) + 1;
  let a = lo;
  let b = hi;
  for (let step = 0; step <= maxSteps; step++) {
    const big = [Rational.ONE, a.abs(), b.abs()].reduce((x, t) => (t.gt(x) ? t : x));
    if (b.sub(a).mul(tolScale).le(big)) return { kind: 'root', lo: a, hi: b };
    const m = splitPoint(a, b);
    const s = polyEval(p, m).sign();
    if (s === 0) return { kind: 'root', lo: m, hi: m };
    if (rootAbove(m, s)) a = m;
    else b = m;
  }
  // Unreachable: the width is below 2^-bits after maxSteps steps (module comment).
  throw new Error('isolateUniqueRoot: bisection exceeded its step bound (internal error)');
}
