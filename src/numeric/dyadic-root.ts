/**
 * The unique-root enclosure (unique-root.ts, where its proof is) on dyadic intervals, for the certified
 * orbit (dynamics/certified-orbit.ts) at any working precision.
 *
 * What the row chooses: a split point is a + (b - a) SPLIT rounded to the working precision (a dyadic
 * with at most `bits` bits). The shrinking phase stops at a relative width of 2^-(bits - 8), at a step
 * budget, or when the band where p's enclosure contains 0 is pinned down relative to the current
 * enclosure (further steps could then not narrow it much: the width comes from the parameter box, not
 * from the search). A root segment may start at the upper end of the lower end's enclosure (closedEnds):
 * a point state's whole bracket is then one root segment. And the segment budget follows the
 * precision: a root 2^-k (relative) above a bracket end is separated from it only by a chain of about
 * k splits towards that end, each leaving a sibling to classify, and split points resolve about `bits`
 * levels; a fixed budget of 64 ran out on a root 2.4e-12 above its lower end (k = 39) at every
 * precision, where 64 bits suffice.
 */
import { addRounded, cmpDyadic, Dyadic, DyadicArith, dyadicFromDouble, DyadicInterval, mulRounded } from './dyadic.js';
import { encloseUniqueRootOver, type EvalPD as UniqueRootEvalPD, type RootSearch } from './unique-root.js';

/** Same fraction as root-enclosure.ts's SPLIT (taken exactly from its double), for the same reason: a short dyadic root must never sit on a split point forever. */
const SPLIT = dyadicFromDouble(0.5 - 0.6180339887498949 / 64);

export type EvalPD = UniqueRootEvalPD<DyadicInterval>;

export interface DyadicRootOptions {
  /** Segments classified before giving up (default 2 bits + 64: two a level, down to the split points' resolution). */
  maxSegments?: number;
  /** Point evaluations per shrinking run (default bits + 64). */
  maxSteps?: number;
}

function neg(x: Dyadic): Dyadic {
  return x.m === 0n ? x : new Dyadic(-x.m, x.e, x.n);
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

/** The row's operations used here (order, points, hulls) are exact: its precision does not enter. */
const ENDS = new DyadicArith(64);

/**
 * An interval containing, for every admissible state, the unique root of p in (lo, hi), with p
 * proved to have no other root there; undefined when that cannot be proved within the budgets.
 * `bits` is the working precision of split points (that of the caller's arithmetic).
 */
export function encloseUniqueRootDyadic(evalPD: EvalPD, lo: DyadicInterval, hi: DyadicInterval, bits: number, options: DyadicRootOptions = {}): DyadicInterval | undefined {
  const target = Math.max(1, bits - 8);
  const search: RootSearch<Dyadic> = {
    split: (a, b) => splitPoint(a, b, bits),
    shrinkPoint: (a, b) => splitPoint(a, b, bits),
    maxSegments: options.maxSegments ?? 2 * bits + 64,
    maxSteps: options.maxSteps ?? bits + 64,
    narrow: (a, b) => narrow(a, b, target),
    sideDone: (x, y, a, b) => smallAgainst(x, y, a, b, 6),
    closedEnds: true,
  };
  return encloseUniqueRootOver(ENDS, search, evalPD, lo, hi);
}
