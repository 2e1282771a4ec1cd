/**
 * Rigorous float enclosure of "the unique root of p in the open bracket (lo, hi)": the fast filter in
 * front of the exact decider (real-roots.ts). The answer is either a double interval proved to
 * contain that root, with p proved to have no other root in the bracket, or undefined. undefined is
 * always safe (the caller falls back to exact arithmetic); a wrong enclosure never is, so every
 * acceptance below rests only on the caller's enclosures, never on a float value standing in for a
 * real one.
 *
 * Contract of evalPD(zlo, zhi, out) (zlo <= zhi finite doubles): it writes [out[0], out[1]] ⊇
 * { p(z) : z ∈ [zlo, zhi] } and [out[2], out[3]] ⊇ { p'(z) : z ∈ [zlo, zhi] }, for every admissible
 * model state (the caller bakes the state's enclosure in), and returns false when it cannot (p
 * undefined, an enclosure not finite). lo = [lo_lo, lo_hi] encloses the bracket's lower end over
 * every admissible state, hi likewise the upper end, and lo_hi < hi_lo is required.
 *
 * Algorithm (interval bisection, deterministic; Moore, Kearfott & Cloud, "Introduction to Interval
 * Analysis", ch. 6), on X = [lo_lo, hi_hi], which contains every admissible bracket:
 * 1. Classify segments J = [a, b] of X, at most maxSegments in total, depth first, left first:
 *    - excluded if 0 ∉ p(J): then p(z) != 0 for every z in J and every state;
 *    - root segment if 0 ∉ p'(J) (p strictly monotone on J, every state), p(a) and p(b) (point
 *      evaluations evalPD(a, a) and evalPD(b, b)) have certain strict opposite signs, and
 *      lo_hi < a, b < hi_lo: by the IVT p has a root in (a, b), by monotonicity exactly one in [a, b],
 *      and (a, b) lies inside (lo, hi) for every admissible end;
 *    - excluded if 0 ∉ p'(J) and p(a), p(b) have the same certain strict sign (monotone, no crossing);
 *    - otherwise split at a double strictly inside (a, b), near its midpoint (undefined if there is
 *      none; see SPLIT for why not at the midpoint itself).
 *    Segments cover X without gaps (split points are shared), so when the budget is not exhausted,
 *    exactly one segment is a root segment and all others are excluded, p has for every state
 *    exactly one root in X ⊇ (lo, hi), and it lies in the root segment's interior ⊂ (lo, hi). Two
 *    root segments would prove two distinct roots: undefined at once. A root segment that touches
 *    an end enclosure is split further rather than accepted, since its root could lie outside some
 *    admissible bracket.
 * 2. Shrink the root segment [a, b]: at a double m strictly inside, if p(m) has the certain sign of
 *    p(a), the root is in (m, b) (it is unique in [a, b] and p is monotone there, so p has that sign
 *    exactly on [a, root)); if it has the certain sign of p(b), the root is in (a, m); if 0 ∈ p(m)
 *    neither end can move to m, and the two ends are then pushed towards m separately. Split points
 *    are midpoints of the ordinals of the ends (the doubles in order), so each of the (at most
 *    three) bisection runs reaches adjacent doubles within 64 steps whatever the magnitudes; the
 *    result is as narrow as the point evaluations allow, typically a few ulps.
 * Every decision compares caller-supplied enclosure endpoints with 0 or with other doubles exactly,
 * so this file performs no rounded arithmetic that a decision depends on, except computing split
 * points, which need only lie strictly inside their segment (checked).
 */

/**
 * Where segments are split, as a fraction of their width: just off the midpoint and not a short
 * binary fraction. A root lying exactly on a split point can never be certified (every enclosure of
 * p there contains 0, and no segment has it inside), and the exactly representable roots of hand-made polynomials are
 * short binary fractions, which dyadic midpoints would hit.
 */
const SPLIT = 0.5 - 0.6180339887498949 / 64;

const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);

/** Order-preserving integer image of a finite double (-0 and 0 both map to 0). */
function ordinal(x: number): bigint {
  F64[0] = Math.abs(x); // +0 for -0, whose sign bit would otherwise give a negative image
  const o = I64[0]!;
  return x < 0 ? -o : o;
}

function fromOrdinal(o: bigint): number {
  I64[0] = o < 0n ? -o : o;
  const x = F64[0]!;
  return o < 0n ? -x : x;
}

/** The double halfway (in order) strictly between x < y, or undefined if they are adjacent. */
function between(x: number, y: number): number | undefined {
  const ox = ordinal(x);
  const d = ordinal(y) - ox;
  return d < 2n ? undefined : fromOrdinal(ox + (d >> 1n));
}

/** Certain strict sign of an enclosure [l, h]: 1, -1, or 0 when it contains 0 (or is malformed). */
function certainSign(l: number, h: number): -1 | 0 | 1 {
  return l > 0 ? 1 : h < 0 ? -1 : 0;
}

/**
 * A double interval [a, b] containing the unique root of p in the open bracket (lo, hi), with p
 * proved to have no other root in it, for every admissible state; undefined when that cannot be
 * proved within maxSegments segments (see the module comment for the contract and the proof).
 */
export function encloseUniqueRoot(
  evalPD: (zlo: number, zhi: number, out: Float64Array) => boolean,
  lo: readonly [number, number],
  hi: readonly [number, number],
  maxSegments = 64,
): [number, number] | undefined {
  const [loLo, loHi] = lo;
  const [hiLo, hiHi] = hi;
  // Finite, well-ordered ends with a nonempty inside; anything else is not ours to prove.
  if (![loLo, loHi, hiLo, hiHi].every(Number.isFinite) || !(loLo <= loHi && loHi < hiLo && hiLo <= hiHi)) return undefined;

  const out = new Float64Array(4);
  // NaN endpoints fail every comparison below, so a malformed enclosure classifies as "unknown"
  // and never as proof; still, reject out[0] > out[1] so an inverted interval cannot exclude.
  const evaluate = (a: number, b: number): boolean =>
    evalPD(a, b, out) && out[0]! <= out[1]! && out[2]! <= out[3]! && Number.isFinite(out[0]!) && Number.isFinite(out[1]!) && Number.isFinite(out[2]!) && Number.isFinite(out[3]!);
  const pointSign = (x: number): -1 | 0 | 1 | undefined => (evaluate(x, x) ? certainSign(out[0]!, out[1]!) : undefined);

  let root: [number, number] | undefined;
  let rootSignLo: -1 | 1 = 1;
  const stack: [number, number][] = [[loLo, hiHi]];
  let processed = 0;
  while (stack.length > 0) {
    if (processed++ >= maxSegments) return undefined;
    const [a, b] = stack.pop()!;
    if (!evaluate(a, b)) return undefined;
    if (certainSign(out[0]!, out[1]!) !== 0) continue; // excluded: no root in J
    const monotone = certainSign(out[2]!, out[3]!) !== 0;
    if (monotone) {
      const sa = pointSign(a);
      const sb = pointSign(b);
      if (sa === undefined || sb === undefined) return undefined;
      if (sa !== 0 && sa === sb) continue; // monotone without a crossing: excluded
      if (sa !== 0 && sb === -sa && loHi < a && b < hiLo) {
        if (root) return undefined; // a second root: the bracket's root is not unique
        root = [a, b];
        rootSignLo = sa;
        continue;
      }
    }
    const w = b - a;
    const m = Number.isFinite(w) ? a + w * SPLIT : a / 2 + b / 2; // rounding only moves m, checked next
    if (!(a < m && m < b)) return undefined;
    // Right half pushed first so the left half is processed first: a fixed, reproducible order.
    stack.push([m, b], [a, m]);
  }
  if (!root) return undefined;

  // Shrink. Invariant: p(a) has the certain sign sa, p(b) the certain sign -sa, so the root is in
  // (a, b); a and b only ever move to points where that is certain, whatever else happens.
  let [a, b] = root;
  const sa = rootSignLo;
  const sign = (x: number) => pointSign(x) ?? 0;
  // Bisect on [a, b] until a midpoint u has no certain sign (inside the band around the root where
  // the evaluation is too wide); then push a up towards u and b down towards u separately.
  let u: number | undefined;
  for (let step = 0; step < 64 && u === undefined; step++) {
    const m = between(a, b);
    if (m === undefined) break;
    const s = sign(m);
    if (s === sa) a = m;
    else if (s === -sa) b = m;
    else u = m;
  }
  if (u !== undefined) {
    // Left: every point found uncertain (or of sign -sa) bounds the search from above.
    let l = u;
    for (let step = 0; step < 64; step++) {
      const m = between(a, l);
      if (m === undefined) break;
      const s = sign(m);
      if (s === sa) a = m;
      else {
        l = m;
        if (s === -sa) b = m;
      }
    }
    let r = u;
    for (let step = 0; step < 64 && r < b; step++) {
      const m = between(r, b);
      if (m === undefined) break;
      const s = sign(m);
      if (s === -sa) b = m;
      else {
        r = m;
        if (s === sa) a = m;
      }
    }
  }
  return [a, b];
}
