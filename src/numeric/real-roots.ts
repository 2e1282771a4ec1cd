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
 * - isolateUniqueRoot: first Descartes' rule of signs on the Moebius transform
 *   q(t) = (1 + t)^d p((lo + hi t)/(1 + t)), whose positive roots are the images of the roots of p in
 *   (lo, hi) with the same multiplicities (t -> (lo + hi t)/(1 + t) is an increasing bijection of
 *   (0, oo) onto (lo, hi) and (1 + t)^d > 0 there). Its number of sign variations V bounds the
 *   number of positive roots counted with multiplicity and has the same parity, so V = 0 means no
 *   root and V = 1 exactly one simple root; only V >= 2 needs the Sturm count. Then refinement: for
 *   a root of odd multiplicity (p(lo), p(hi) of opposite signs) safeguarded Newton on short dyadics,
 *   every iterate's exact sign shrinking a certified bracket, and a final enclosure certified by
 *   exact opposite signs at its ends (intermediate value theorem plus uniqueness); for an even one
 *   (equal end signs) bisection steered by Sturm counts. Deterministic work bound: at most
 *   newtonBudget(bits) Newton steps, then bisection, where each step shrinks the width by a factor
 *   <= 33/64, so at most ceil((bits + log2(b - a)) / log2(64/33)) + 1 steps; no wall clock.
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

/** log2 |x| for a nonzero bigint, as a double (accurate to ~1e-15). */
function log2Big(x: bigint): number {
  return Rational.fromBigInt(x).log2Abs();
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
 * Integer coefficients of a POSITIVE multiple of p (trimmed, nonzero leading coefficient): the
 * denominators cleared by their lcm and a common power of two removed. Same sign as p everywhere.
 * (Not fully primitive: the gcd of big numerators costs more than it saves here.)
 */
function integerForm(p: readonly Rational[]): bigint[] {
  let l = 1n;
  for (const x of p) if (l % x.den !== 0n) l = (l / bgcd(l, x.den)) * x.den;
  const ints = p.map((x) => x.num * (l / x.den));
  let bitsOr = 0n;
  for (const n of ints) bitsOr |= babs(n);
  const low = bitsOr & -bitsOr;
  if (low <= 1n) return ints;
  return ints.map((n) => n / low);
}

/**
 * p(x) = 0 exactly. In the integer form (one common denominator, no gcd per operation), and first by the rational
 * root theorem: x = u/v in lowest terms is a root only if v divides the leading coefficient. (Testing whether an
 * implicit quantity's root is exactly rational evaluated p in rationals at a candidate with a long denominator: two
 * thirds of a scalar-pack lemma's time.)
 */
export function isRootOf(c: readonly Rational[], x: Rational): boolean {
  const p = trimPoly(c);
  if (p.length === 0) return true;
  const pi = integerForm(p);
  if (pi[pi.length - 1]! % x.den !== 0n) return false;
  return evalHom(pi, x.num, x.den) === 0n;
}

/** v^d p(u/v) for an integer form p of degree d and integers u, v (v > 0): the sign of p(u/v). */
function evalHom(c: readonly bigint[], u: bigint, v: bigint): bigint {
  const d = c.length - 1;
  let acc = c[d]!;
  if (v === 1n) {
    for (let j = d - 1; j >= 0; j--) acc = acc * u + c[j]!;
    return acc;
  }
  let vp = 1n;
  for (let j = d - 1; j >= 0; j--) {
    vp *= v;
    acc = acc * u + c[j]! * vp;
  }
  return acc;
}

/** [v^d p(u/v), v^(d-1) p'(u/v)] for an integer form p of degree d >= 1 and v > 0, one pass. */
function evalHomWithDerivative(c: readonly bigint[], u: bigint, v: bigint): [bigint, bigint] {
  const d = c.length - 1;
  let acc = c[d]!;
  let accD = BigInt(d) * c[d]!;
  let vp = 1n;
  for (let j = d - 1; j >= 0; j--) {
    vp *= v;
    const t = c[j]! * vp;
    acc = acc * u + t;
    if (j >= 1) accD = accD * u + BigInt(j) * t;
  }
  return [acc, accD];
}

function bsign(x: bigint): -1 | 0 | 1 {
  return x > 0n ? 1 : x < 0n ? -1 : 0;
}

/** Exact sign of p(x) for an integer form p. */
function signAt(c: readonly bigint[], x: Rational): -1 | 0 | 1 {
  return bsign(evalHom(c, x.num, x.den));
}

/**
 * Sign variations (zeros skipped) of the coefficients of a positive multiple of
 * q(t) = (1 + t)^d p((lo + hi t)/(1 + t)), d = deg p. With lo = a1/b1, hi = a2/b2 and a common
 * denominator l = b1 k1 = b2 k2 > 0 the argument is U/V, U = a1 k1 + a2 k2 t, V = l (1 + t), so
 * l^d q = sum_j c_j U^j V^(d-j): homogeneous Horner, O(d^2) integer operations.
 */
function descartesVariations(c: readonly bigint[], lo: Rational, hi: Rational): number {
  const d = c.length - 1;
  // A common denominator l = b1 b2 / g with g dividing both (g = b1 when b1 | b2, and so on): any
  // positive common multiple works, the smaller the cheaper.
  const g = hi.den % lo.den === 0n ? lo.den : lo.den % hi.den === 0n ? hi.den : 1n;
  const u0 = lo.num * (hi.den / g);
  const u1 = hi.num * (lo.den / g);
  const l = (lo.den / g) * hi.den;
  let acc: bigint[] = [c[d]!];
  let vpow: bigint[] = [1n]; // V^k, k = d - 1 - j before the update below
  for (let j = d - 1; j >= 0; j--) {
    const nv = new Array<bigint>(vpow.length + 1).fill(0n);
    for (let k = 0; k < vpow.length; k++) {
      const t = vpow[k]! * l;
      nv[k] = nv[k]! + t;
      nv[k + 1] = nv[k + 1]! + t;
    }
    vpow = nv;
    const na = new Array<bigint>(acc.length + 1).fill(0n);
    for (let k = 0; k < acc.length; k++) {
      na[k] = na[k]! + acc[k]! * u0;
      na[k + 1] = na[k + 1]! + acc[k]! * u1;
    }
    const cj = c[j]!;
    if (cj !== 0n) for (let k = 0; k < na.length; k++) na[k] = na[k]! + cj * vpow[k]!;
    acc = na;
  }
  let v = 0;
  let last = 0;
  for (const x of acc) {
    const s = bsign(x);
    if (s === 0) continue;
    if (last !== 0 && s !== last) v++;
    last = s;
  }
  return v;
}

/**
 * The number of sign variations of (1 + t)^d p((lo + hi t)/(1 + t)) (Descartes' rule of signs on
 * (lo, hi), see the module comment): 0 proves no root in (lo, hi), 1 exactly one (simple) root,
 * and otherwise it is an upper bound of the same parity as the number of roots with multiplicity.
 * Needs lo < hi (RangeError otherwise); the zero polynomial gives 0, a nonzero constant 0.
 */
export function moebiusSignVariations(c: readonly Rational[], lo: Rational, hi: Rational): number {
  if (!lo.lt(hi)) throw new RangeError(`moebiusSignVariations: need lo < hi (got ${lo.toString()}, ${hi.toString()})`);
  const p = trimPoly(c);
  return p.length === 0 ? 0 : descartesVariations(integerForm(p), lo, hi);
}

/** b - a <= 2^-bits * max(1, |a|, |b|), the isolator's stopping rule. */
function narrowEnough(a: Rational, b: Rational, bits: number): boolean {
  const big = [Rational.ONE, a.abs(), b.abs()].reduce((x, t) => (t.gt(x) ? t : x));
  return b.sub(a).mul(pow2(bits)).le(big);
}

/** floor(n 2^e / d) / 2^e for d != 0: a dyadic on the grid 2^-e (e any integer). */
function roundDyadic(n: bigint, d: bigint, e: number): Rational {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  if (e >= 0) n <<= BigInt(e);
  else d <<= BigInt(-e);
  let q = n / d;
  if (n < 0n && q * d !== n) q -= 1n;
  return e >= 0 ? Rational.of(q, 1n << BigInt(e)) : Rational.fromBigInt(q << BigInt(-e));
}

/** The most Newton steps refineOdd takes for a given precision (then it bisects). */
function newtonBudget(bits: number): number {
  return 16 + 2 * Math.ceil(Math.log2(bits + 2));
}

/**
 * Bisection of [a, b], known to hold the unique root: rootAbove(m, sign p(m)) for a split point m
 * with p(m) != 0 says whether the root is in (m, b). Stops at the isolator's width rule.
 */
function bisect(
  pi: readonly bigint[],
  a: Rational,
  b: Rational,
  bits: number,
  rootAbove: (m: Rational, s: number) => boolean,
): RootResult {
  const maxSteps = Math.max(0, Math.ceil((bits + b.sub(a).log2Abs()) / Math.log2(64 / 33))) + 1;
  for (let step = 0; step <= maxSteps; step++) {
    if (narrowEnough(a, b, bits)) return { kind: 'root', lo: a, hi: b };
    const m = splitPoint(a, b);
    const s = signAt(pi, m);
    if (s === 0) return { kind: 'root', lo: m, hi: m };
    if (rootAbove(m, s)) a = m;
    else b = m;
  }
  // Unreachable: the width is below 2^-bits after maxSteps steps (module comment).
  throw new Error('isolateUniqueRoot: bisection exceeded its step bound (internal error)');
}

/**
 * Refinement of the unique root of p in (lo, hi) when sign(p(lo)) = sLo = -sign(p(hi)) != 0.
 * Invariant: the bracket [a, b] has sign(p(a)) = sLo and sign(p(b)) = -sLo (lo and hi are not
 * roots), so the root is in (a, b) (IVT plus uniqueness). Each Newton iterate z is a short dyadic
 * strictly inside the bracket, and its exact sign replaces one end; the Newton step itself only
 * proposes points. Once the step is small enough, [z - delta, z + delta] is tried: two exact signs
 * make it the bracket. Newton leaving the bracket gives a bisection step instead.
 */
function refineOdd(pi: readonly bigint[], lo: Rational, hi: Rational, sLo: number, bits: number, hint: number | undefined): RootResult {
  let a = lo;
  let b = hi;
  let z: Rational | undefined;
  if (hint !== undefined && Number.isFinite(hint)) {
    // Rounded to the grid of the target precision (a few bits finer): digits beyond it only make
    // the numbers longer.
    const x = Rational.fromDouble(hint);
    const h = x.isZero() ? x : roundDyadic(x.num, x.den, bits + 6 - Math.max(0, Math.floor(x.log2Abs())));
    if (lo.lt(h) && h.lt(hi)) z = h;
  }
  const budget = newtonBudget(bits);
  for (let k = 0; k < budget; k++) {
    if (narrowEnough(a, b, bits)) return { kind: 'root', lo: a, hi: b };
    if (!(z && a.lt(z) && z.lt(b))) z = splitPoint(a, b);
    const [h, hd] = evalHomWithDerivative(pi, z.num, z.den);
    const s = bsign(h);
    if (s === 0) return { kind: 'root', lo: z, hi: z };
    if (s === sLo) a = z;
    else b = z;
    if (hd === 0n) {
      z = undefined;
      continue;
    }
    // Target grid: delta = 2^-eT gives a final width 2 delta <= 2^-(bits+1) max(1, |z|).
    const eT = bits + 2 - Math.max(0, Math.floor(z.log2Abs()));
    // Newton: z - p(z)/p'(z) = (u hd - h)/(v hd), z = u/v; the step is h/(v hd).
    const num = z.num * hd - h;
    const den = z.den * hd;
    const reached = Math.floor(log2Big(den) - log2Big(h)); // about -log2 |step|
    const ew = Math.ceil(-b.sub(a).log2Abs());
    const e = Math.min(eT + 4, Math.max(2 * reached + 8, ew + 8));
    const zN = roundDyadic(num, den, e);
    if (!(a.lt(zN) && zN.lt(b))) {
      z = undefined; // Newton left the bracket: bisect next
      continue;
    }
    z = zN;
    if (2 * reached < eT + 6) continue;
    // The next error is about step^2: try to certify [zN - delta, zN + delta] within the bracket.
    const delta = pow2(-eT);
    const l = zN.sub(delta);
    if (a.lt(l)) {
      const sl = signAt(pi, l);
      if (sl === 0) return { kind: 'root', lo: l, hi: l };
      if (sl === sLo) a = l;
      else b = l;
    }
    const r = zN.add(delta);
    if (r.lt(b)) {
      const sr = signAt(pi, r);
      if (sr === 0) return { kind: 'root', lo: r, hi: r };
      if (sr === sLo) a = r;
      else b = r;
    }
  }
  return bisect(pi, a, b, bits, (_m, s) => s === sLo);
}

/**
 * Decides whether p has exactly one real root in the open interval (lo, hi) and, if so, encloses it:
 * - !(lo < hi): { kind: 'none' } (the interval is empty);
 * - p the zero polynomial: { kind: 'many', count: Infinity }; a nonzero constant: { kind: 'none' };
 * - p(lo) = 0 or p(hi) = 0: { kind: 'endpoint' } (the caller reports the claim as undecidable);
 * - otherwise the number of distinct roots in (lo, hi) (Descartes on the Moebius transform, Sturm
 *   when that is inconclusive): 0 gives 'none', k > 1 gives { kind: 'many', count: k }, and 1 gives
 *   { kind: 'root', lo: a, hi: b } with lo <= a <= b <= hi, either a < root < b or a = b = root (an
 *   iterate or split point hit the root exactly), and b - a <= 2^-bits * max(1, |a|, |b|). If the
 *   root has odd multiplicity (the generic case, and always when p(lo), p(hi) have opposite signs)
 *   p(a) and p(b) have opposite strict signs; a root of even multiplicity leaves them equal, and is
 *   tracked by Sturm counts instead of signs.
 * hint, if given, is a guess of the root (e.g. from a float filter) used as the first Newton
 * iterate when it lies in (lo, hi); it only affects speed and which enclosure is returned, never
 * the verdict or the guarantees above (NaN, infinities and points outside are ignored).
 * bits must be a non-negative integer (RangeError otherwise).
 */
export function isolateUniqueRoot(c: readonly Rational[], lo: Rational, hi: Rational, bits: number, hint?: number): RootResult {
  if (!Number.isInteger(bits) || bits < 0) throw new RangeError(`isolateUniqueRoot: bits = ${bits} is not a non-negative integer`);
  if (!lo.lt(hi)) return { kind: 'none' };
  const p = trimPoly(c);
  if (p.length === 0) return { kind: 'many', count: Infinity };
  if (p.length === 1) return { kind: 'none' };
  const pi = integerForm(p);
  const sLo = signAt(pi, lo);
  const sHi = signAt(pi, hi);
  if (sLo === 0 || sHi === 0) return { kind: 'endpoint' };
  const v = descartesVariations(pi, lo, hi);
  if (v === 0) return { kind: 'none' };
  // v = 1: exactly one root, simple, so sLo != sHi.
  if (v === 1) return refineOdd(pi, lo, hi, sLo, bits, hint);
  const seq = sturmSequence(p);
  // hi is not a root, so the count over (lo, hi] is the count over (lo, hi).
  const count = sturmCount(seq, lo, hi);
  if (count === 0) return { kind: 'none' };
  if (count > 1) return { kind: 'many', count };
  if (sLo !== sHi) return refineOdd(pi, lo, hi, sLo, bits, hint);
  // Equal end signs: the root has even multiplicity and p never changes sign, so ask Sturm whether
  // the root is in (lo, m].
  return bisect(pi, lo, hi, bits, (m) => sturmCount(seq, lo, m) === 0);
}

/**
 * The rational with the smallest denominator in [lo, hi] (lo <= hi), by continued fractions (the
 * Stern-Brocot descent), or undefined when its continued fraction is longer than `maxTerms` (a bound
 * on the work: a root with a short rational form is found, a generic irrational one is not searched).
 * Used to find a root that is exactly rational: if p vanishes at the simplest rational of a tight
 * isolating interval, that rational is the root.
 */
export function simplestRational(lo: Rational, hi: Rational, maxTerms = 96): Rational | undefined {
  if (lo.gt(hi)) throw new RangeError('simplestRational: lo > hi');
  if (lo.sign() <= 0 && hi.sign() >= 0) return Rational.ZERO;
  if (hi.sign() < 0) {
    const r = simplestRational(hi.neg(), lo.neg(), maxTerms);
    return r?.neg();
  }
  // 0 < lo = a/b <= hi = c/d. Each level either ends at ceil(lo) <= hi or goes on with f = floor(lo) and the
  // interval [1/(hi - f), 1/(lo - f)] = [d/(c - f d), b/(a - f b)], whose ends stay in lowest terms: integers
  // only, and one Rational (one gcd) at the end, f0 + 1/(f1 + 1/(...)).
  let a = lo.num, b = lo.den, c = hi.num, d = hi.den;
  const terms: bigint[] = [];
  for (let k = maxTerms; ; k--) {
    const up = (a + b - 1n) / b;
    if (up * d <= c) {
      terms.push(up);
      break;
    }
    if (k <= 1) return undefined;
    const f = a / b;
    terms.push(f);
    [a, b, c, d] = [d, c - f * d, b, a - f * b];
  }
  let p = terms[terms.length - 1]!;
  let q = 1n;
  for (let i = terms.length - 2; i >= 0; i--) [p, q] = [terms[i]! * p + q, p];
  return Rational.of(p, q);
}
