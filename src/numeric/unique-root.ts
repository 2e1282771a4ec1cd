/**
 * "The unique root of p in the open bracket (lo, hi)", enclosed rigorously over a box of states, written
 * once over the enclosure interface (enclosure.ts). A row supplies how it makes split points and when it
 * stops (RootSearch): root-enclosure.ts for outward doubles (the sampled checker's filter),
 * dyadic-root.ts for dyadic intervals at P bits (the certified orbit). The exact rung, real-roots.ts,
 * isolates roots of rational polynomials by sign variations instead and needs no monotonicity.
 *
 * The answer is an enclosure proved to contain, for every admissible state, that state's root, with p
 * proved to have no other root in the state's bracket; or undefined ("undecided"), which is always
 * safe (the caller falls back to a stronger rung); a wrong enclosure never is.
 *
 * Contract of evalPD(z): enclosures p ⊇ { p(x) : x ∈ z } and dp ⊇ { p'(x) : x ∈ z }, valid for every
 * admissible state at once (the caller evaluates over its parameter box), or undefined when it cannot.
 * lo and hi enclose the bracket's ends over every admissible state; hi(lo) < lo(hi) is required.
 *
 * Algorithm (interval bisection, deterministic; Moore, Kearfott & Cloud, "Introduction to Interval
 * Analysis", ch. 6), on X = [lo(lo), hi(hi)], which contains every admissible bracket:
 * 1. Classify segments J = [a, b] of X, at most maxSegments in total, depth first, left first:
 *    - excluded if 0 ∉ p(J): then p(z) != 0 for every z in J and every state;
 *    - root segment if 0 ∉ p'(J) (p strictly monotone on J, every state), p(a) and p(b) (point
 *      evaluations) have certain strict opposite signs, and [a, b] lies inside every admissible
 *      bracket: by the IVT p has a root in the open (a, b) (p(a), p(b) != 0), by monotonicity exactly
 *      one in [a, b]. With `closedEnds` a may equal hi(lo) (and b lo(hi)): the root is in the open
 *      (a, b), still inside every bracket; without it such a segment is split further;
 *    - excluded if 0 ∉ p'(J) and p(a), p(b) have the same certain strict sign (monotone, no crossing);
 *    - otherwise split at a point strictly inside (a, b) (checked, never trusted).
 *    Segments cover X without gaps (split points are shared), so when the budget is not exhausted,
 *    exactly one segment is a root segment and all others are excluded. Two root segments would prove
 *    two distinct roots: undefined at once.
 * 2. Shrink the root segment [a, b]: at a point m strictly inside, if p(m) has the certain sign of
 *    p(a), the root is in (m, b) (it is unique in [a, b] and p is monotone there, so p has that sign
 *    exactly on [a, root)); if it has the certain sign of p(b), the root is in (a, m); if 0 ∈ p(m)
 *    neither end can move to m, and the two ends are then pushed towards m separately.
 * Every decision compares enclosure ends with 0 or with each other exactly (the row's cmp and sign),
 * so no rounding enters a decision; split points need only lie strictly inside their segment.
 */
import type { Enclosures } from './enclosure.js';

export type EvalPD<T> = (z: T) => { p: T; dp: T } | undefined;

/** How a row searches: its split points, its budgets, and when shrinking stops. */
export interface RootSearch<E> {
  /** A point strictly inside (a, b) to split a segment at while classifying, or undefined (the search then gives up). */
  split(a: E, b: E): E | undefined;
  /** A point strictly inside (a, b) to try while shrinking, or undefined (that run then ends). */
  shrinkPoint(a: E, b: E): E | undefined;
  /** Segments classified before giving up. */
  readonly maxSegments: number;
  /** Point evaluations per shrinking run. */
  readonly maxSteps: number;
  /** [a, b] is as narrow as wanted: a shrinking run stops. */
  narrow(a: E, b: E): boolean;
  /** A side's search [x, y] is small against the root segment [a, b]: further steps could not narrow it much. */
  sideDone(x: E, y: E, a: E, b: E): boolean;
  /** Whether a root segment may start at hi(lo) and end at lo(hi) (see the module comment). */
  readonly closedEnds: boolean;
}

/**
 * An enclosure of, for every admissible state, the unique root of p in (lo, hi), with p proved to
 * have no other root there; undefined when that cannot be proved within the row's budgets.
 */
export function encloseUniqueRootOver<T, E>(A: Enclosures<T, E>, search: RootSearch<E>, evalPD: EvalPD<T>, lo: T, hi: T): T | undefined {
  const lt = (x: E, y: E) => A.cmp(x, y) < 0;
  const le = (x: E, y: E) => A.cmp(x, y) <= 0;
  const loHi = A.hi(lo);
  const hiLo = A.lo(hi);
  if (!le(A.lo(lo), loHi) || !lt(loHi, hiLo) || !le(hiLo, A.hi(hi))) return undefined;

  // An inverted (or NaN-ended) enclosure must never count as proof of a sign.
  const evaluate = (z: T) => {
    const r = evalPD(z);
    if (!r || !le(A.lo(r.p), A.hi(r.p)) || !le(A.lo(r.dp), A.hi(r.dp))) return undefined;
    return r;
  };
  const certainSign = (x: T): -1 | 0 | 1 => (A.sign(A.lo(x)) > 0 ? 1 : A.sign(A.hi(x)) < 0 ? -1 : 0);
  const pointSign = (x: E): -1 | 0 | 1 | undefined => {
    const r = evaluate(A.point(x));
    return r ? certainSign(r.p) : undefined;
  };
  const inside = (m: E | undefined, a: E, b: E): m is E => m !== undefined && lt(a, m) && lt(m, b);

  // 1. Classify the segments of X.
  let root: [E, E] | undefined;
  let sa: -1 | 1 = 1;
  const stack: [E, E][] = [[A.lo(lo), A.hi(hi)]];
  let processed = 0;
  while (stack.length > 0) {
    if (processed++ >= search.maxSegments) return undefined;
    const [a, b] = stack.pop()!;
    const r = evaluate(A.hull(A.point(a), A.point(b)));
    if (!r) return undefined;
    if (certainSign(r.p) !== 0) continue; // no root in [a, b] for any state
    if (certainSign(r.dp) !== 0) {
      const s0 = pointSign(a);
      const s1 = pointSign(b);
      if (s0 === undefined || s1 === undefined) return undefined;
      if (s0 !== 0 && s0 === s1) continue; // monotone without a crossing
      const within = search.closedEnds ? le(loHi, a) && le(b, hiLo) : lt(loHi, a) && lt(b, hiLo);
      if (s0 !== 0 && s1 === -s0 && within) {
        if (root) return undefined; // two roots proved: not unique
        root = [a, b];
        sa = s0;
        continue;
      }
    }
    const m = search.split(a, b);
    if (!inside(m, a, b)) return undefined;
    // Right half pushed first so the left half is processed first: a fixed, reproducible order.
    stack.push([m, b], [a, m]);
  }
  if (!root) return undefined;

  // 2. Shrink. Invariant: p(a) has the certain sign sa and p(b) the certain sign -sa for every state,
  // so each state's root is in (a, b); a and b move only to points where that is certain.
  let [a, b] = root;
  const sign = (x: E) => pointSign(x) ?? 0;
  let u: E | undefined;
  for (let step = 0; step < search.maxSteps && u === undefined && !search.narrow(a, b); step++) {
    const m = search.shrinkPoint(a, b);
    if (!inside(m, a, b)) break;
    const s = sign(m);
    if (s === sa) a = m;
    else if (s === -sa) b = m;
    else u = m;
  }
  if (u !== undefined) {
    // u is in the band where p's enclosure holds 0: push a up towards it and b down towards it
    // separately; every uncertain point found bounds its side's search.
    let l: E = u;
    for (let step = 0; step < search.maxSteps && !search.narrow(a, l) && !search.sideDone(a, l, a, b); step++) {
      const m = search.shrinkPoint(a, l);
      if (!inside(m, a, l)) break;
      const s = sign(m);
      if (s === sa) a = m;
      else {
        l = m;
        if (s === -sa) b = m;
      }
    }
    let r: E = u;
    for (let step = 0; step < search.maxSteps && lt(r, b) && !search.narrow(r, b) && !search.sideDone(r, b, a, b); step++) {
      const m = search.shrinkPoint(r, b);
      if (!inside(m, r, b)) break;
      const s = sign(m);
      if (s === -sa) b = m;
      else {
        r = m;
        if (s === sa) a = m;
      }
    }
  }
  return A.hull(A.point(a), A.point(b));
}
