/**
 * Rigorous dyadic enclosure of "the unique root of p in the open bracket (lo, hi)" over a box of
 * states: root-enclosure.ts's algorithm (read its module comment for the proof) on dyadic intervals,
 * so it serves the certified orbit (dynamics/certified-orbit.ts) at any working precision. The answer
 * is a DyadicInterval proved to contain, for every admissible state, that state's root, with p proved
 * to have no other root in the state's bracket; or undefined ("undecided"), which is always safe.
 *
 * Contract of evalPD(z): it returns enclosures p ⊇ { p(x) : x ∈ z } and dp ⊇ { p'(x) : x ∈ z } valid
 * for every admissible state at once (the caller evaluates over its parameter box), or undefined when
 * it cannot. lo and hi enclose the bracket's ends over every admissible state; lo.hi < hi.lo is
 * required.
 *
 * The differences from the double version are only in how split points are made: here a split point
 * is a + (b - a) SPLIT rounded to the working precision (a dyadic with at most `bits` bits), and it is
 * used only after an exact check that it lies strictly inside its segment. Every decision compares an
 * enclosure endpoint with 0 or with another dyadic exactly (cmpDyadic), so no rounding enters a
 * decision. The shrinking phase stops at a relative width of 2^-(bits - 8), at a step budget, or when
 * the band where p's enclosure contains 0 is pinned down relative to the current enclosure (further
 * steps could then not narrow it much: the width comes from the parameter box, not from the search).
 *
 * Two more differences. A root segment may start at the upper end of the lower end's enclosure (and
 * end at the lower end of the upper end's): p(a) has a certain nonzero sign, so the root lies in the
 * open (a, b), inside every admissible bracket; a point state's whole bracket is then one root
 * segment. And the segment budget follows the precision: a root 2^-k (relative) above a bracket end
 * is separated from it only by a chain of about k splits towards that end, each leaving a sibling
 * to classify, and split points resolve about `bits` levels; a fixed budget of 64 ran out on a root
 * 2.4e-12 above its lower end (k = 39) at every precision, where 64 bits suffice.
 */
import { addRounded, cmpDyadic, Dyadic, dyadicFromDouble, DyadicInterval, mulRounded } from './dyadic.js';

/** Same fraction as root-enclosure.ts's SPLIT (taken exactly from its double), for the same reason: a short dyadic root must never sit on a split point forever. */
const SPLIT = dyadicFromDouble(0.5 - 0.6180339887498949 / 64);

export type EvalPD = (z: DyadicInterval) => { p: DyadicInterval; dp: DyadicInterval } | undefined;

export interface DyadicRootOptions {
  /** Segments classified before giving up (default 2 bits + 64: two a level, down to the split points' resolution). */
  maxSegments?: number;
  /** Point evaluations per shrinking run (default bits + 64). */
  maxSteps?: number;
}

function neg(x: Dyadic): Dyadic {
  return x.m === 0n ? x : new Dyadic(-x.m, x.e, x.n);
}

function certainSign(x: DyadicInterval): -1 | 0 | 1 {
  return x.lo.m > 0n ? 1 : x.hi.m < 0n ? -1 : 0;
}

/**
 * A dyadic strictly inside (a, b) near a + (b - a) SPLIT, or undefined when the working precision
 * has none to offer (the rounding is checked, not trusted).
 */
function splitPoint(a: Dyadic, b: Dyadic, bits: number): Dyadic | undefined {
  const w = addRounded(b, neg(a), bits, false);
  const m = addRounded(a, mulRounded(w, SPLIT, bits, false), bits, false);
  return cmpDyadic(a, m) < 0 && cmpDyadic(m, b) < 0 ? m : undefined;
}

/** |b - a| <= 2^-k max(|a|, |b|), decided exactly on a rounded-up width. */
function narrow(a: Dyadic, b: Dyadic, k: number): boolean {
  return !new DyadicInterval(a, b).relWidthExceeds(k);
}

/** b - a <= (d - c) 2^-k for a <= b, c <= d (both widths rounded up/down so that true is certain). */
function smallAgainst(a: Dyadic, b: Dyadic, c: Dyadic, d: Dyadic, k: number): boolean {
  const w = addRounded(b, neg(a), 64, true);
  const W = addRounded(d, neg(c), 64, false);
  if (W.m === 0n) return false;
  return cmpDyadic(w, new Dyadic(W.m, W.e - k, W.n)) <= 0;
}

/**
 * An interval containing, for every admissible state, the unique root of p in (lo, hi), with p
 * proved to have no other root there; undefined when that cannot be proved within the budgets.
 * `bits` is the working precision of split points (that of the caller's arithmetic).
 */
export function encloseUniqueRootDyadic(evalPD: EvalPD, lo: DyadicInterval, hi: DyadicInterval, bits: number, options: DyadicRootOptions = {}): DyadicInterval | undefined {
  const maxSegments = options.maxSegments ?? 2 * bits + 64;
  const maxSteps = options.maxSteps ?? bits + 64;
  const loHi = lo.hi;
  const hiLo = hi.lo;
  if (cmpDyadic(lo.lo, loHi) > 0 || cmpDyadic(hiLo, hi.hi) > 0 || cmpDyadic(loHi, hiLo) >= 0) return undefined;

  // An inverted enclosure must never count as proof of a sign.
  const evaluate = (z: DyadicInterval) => {
    const r = evalPD(z);
    if (!r || cmpDyadic(r.p.lo, r.p.hi) > 0 || cmpDyadic(r.dp.lo, r.dp.hi) > 0) return undefined;
    return r;
  };
  const pointSign = (x: Dyadic): -1 | 0 | 1 | undefined => {
    const r = evaluate(DyadicInterval.point(x));
    return r ? certainSign(r.p) : undefined;
  };

  // 1. Classify the segments of X = [lo.lo, hi.hi], which contains every admissible bracket.
  let root: [Dyadic, Dyadic] | undefined;
  let sa: -1 | 1 = 1;
  const stack: [Dyadic, Dyadic][] = [[lo.lo, hi.hi]];
  let processed = 0;
  while (stack.length > 0) {
    if (processed++ >= maxSegments) return undefined;
    const [a, b] = stack.pop()!;
    const r = evaluate(new DyadicInterval(a, b));
    if (!r) return undefined;
    if (certainSign(r.p) !== 0) continue; // no root in [a, b] for any state
    if (certainSign(r.dp) !== 0) {
      const s0 = pointSign(a);
      const s1 = pointSign(b);
      if (s0 === undefined || s1 === undefined) return undefined;
      if (s0 !== 0 && s0 === s1) continue; // monotone without a crossing
      // The root is in the open (a, b) (p(a), p(b) != 0): inside every admissible bracket when a and b
      // are within the ends' enclosures' inner ends; otherwise the segment is split further.
      if (s0 !== 0 && s1 === -s0 && cmpDyadic(loHi, a) <= 0 && cmpDyadic(b, hiLo) <= 0) {
        if (root) return undefined; // two roots proved: not unique
        root = [a, b];
        sa = s0;
        continue;
      }
    }
    const m = splitPoint(a, b, bits);
    if (!m) return undefined;
    // Left half processed first: a fixed, reproducible order.
    stack.push([m, b], [a, m]);
  }
  if (!root) return undefined;

  // 2. Shrink. Invariant: p(a) has the certain sign sa and p(b) the certain sign -sa for every state,
  // so each state's root is in (a, b); a and b move only to points where that is certain.
  let [a, b] = root;
  const sign = (x: Dyadic) => pointSign(x) ?? 0;
  const target = Math.max(1, bits - 8);
  let u: Dyadic | undefined;
  for (let step = 0; step < maxSteps && u === undefined && !narrow(a, b, target); step++) {
    const m = splitPoint(a, b, bits);
    if (!m) break;
    const s = sign(m);
    if (s === sa) a = m;
    else if (s === -sa) b = m;
    else u = m;
  }
  if (u !== undefined) {
    // u is in the band where p's enclosure holds 0: push a up towards it and b down towards it
    // separately; every uncertain point found bounds its side's search.
    let l = u;
    for (let step = 0; step < maxSteps && !narrow(a, l, target) && !smallAgainst(a, l, a, b, 6); step++) {
      const m = splitPoint(a, l, bits);
      if (!m) break;
      const s = sign(m);
      if (s === sa) a = m;
      else {
        l = m;
        if (s === -sa) b = m;
      }
    }
    let r = u;
    for (let step = 0; step < maxSteps && cmpDyadic(r, b) < 0 && !narrow(r, b, target) && !smallAgainst(r, b, a, b, 6); step++) {
      const m = splitPoint(r, b, bits);
      if (!m) break;
      const s = sign(m);
      if (s === -sa) b = m;
      else {
        r = m;
        if (s === sa) a = m;
      }
    }
  }
  return new DyadicInterval(a, b);
}
