/**
 * The unique-root enclosure (unique-root.ts) on outward doubles: the fast filter in front of the exact
 * decider (real-roots.ts), allocation-light for the sampled checker's hot path. undefined is always
 * safe (the caller falls back to exact arithmetic).
 *
 * Contract of evalPD(zlo, zhi, out) (zlo <= zhi finite doubles): it writes [out[0], out[1]] ⊇
 * { p(z) : z ∈ [zlo, zhi] } and [out[2], out[3]] ⊇ { p'(z) : z ∈ [zlo, zhi] }, for every admissible
 * model state (the caller bakes the state's enclosure in), and returns false when it cannot (p
 * undefined, an enclosure not finite). lo = [lo_lo, lo_hi] encloses the bracket's lower end over
 * every admissible state, hi likewise the upper end, and lo_hi < hi_lo is required.
 *
 * What the row chooses (the proof is unique-root.ts's): split points while classifying at a + (b - a)
 * SPLIT; while shrinking at the ordinal midpoint of the ends (the doubles in order), so each of the (at
 * most three) bisection runs reaches adjacent doubles within 64 steps whatever the magnitudes and the
 * result is as narrow as the point evaluations allow, typically a few ulps; a root segment touching an
 * end enclosure is split further; 64 segments. A non-finite enclosure (an overflow) decides nothing.
 */
import { OUTWARD, type DoubleInterval } from './outward.js';
import { encloseUniqueRootOver, type RootSearch } from './unique-root.js';

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

function doubleSearch(maxSegments: number): RootSearch<number> {
  return {
    split: (a, b) => {
      const w = b - a;
      return Number.isFinite(w) ? a + w * SPLIT : a / 2 + b / 2; // rounding only moves the point; checked by the caller
    },
    shrinkPoint: between,
    maxSegments,
    maxSteps: 64,
    narrow: () => false,
    sideDone: () => false,
    closedEnds: false,
  };
}

const DEFAULT_SEARCH = doubleSearch(64);

/**
 * A double interval [a, b] containing the unique root of p in the open bracket (lo, hi), with p
 * proved to have no other root in it, for every admissible state; undefined when that cannot be
 * proved within maxSegments segments.
 */
export function encloseUniqueRoot(
  evalPD: (zlo: number, zhi: number, out: Float64Array) => boolean,
  lo: readonly [number, number],
  hi: readonly [number, number],
  maxSegments = 64,
): [number, number] | undefined {
  if (![lo[0], lo[1], hi[0], hi[1]].every(Number.isFinite)) return undefined;
  const out = new Float64Array(4);
  const finite = (i: number) => Number.isFinite(out[i]!);
  const evaluate = (z: DoubleInterval) =>
    // An interval literal, not a hull: an inverted enclosure must stay inverted so that it decides nothing.
    evalPD(z.lo, z.hi, out) && finite(0) && finite(1) && finite(2) && finite(3) ? { p: { lo: out[0]!, hi: out[1]! }, dp: { lo: out[2]!, hi: out[3]! } } : undefined;
  const search = maxSegments === 64 ? DEFAULT_SEARCH : doubleSearch(maxSegments);
  const r = encloseUniqueRootOver(OUTWARD, search, evaluate, { lo: lo[0], hi: lo[1] }, { lo: hi[0], hi: hi[1] });
  return r && [r.lo, r.hi];
}
