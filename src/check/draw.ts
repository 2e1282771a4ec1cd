import fc from 'fast-check';
import type { CompiledLemma, DrawSpec } from '../lemma/compile.js';
import type { Point } from './outcome.js';
import { Rational } from '../numeric/rational.js';
import { nextDown, nextUp } from '../numeric/float-interval.js';
import { constantToRational } from '../symbolic/rational-function.js';
import { mulberry32 } from '../numeric/prng.js';

/**
 * Hypothesis draws on an integer grid: fast-check's own doubles are biased toward tiny values and
 * the bounds, while an integer k in [0, GRID] maps to a uniform or log-uniform point of the
 * range, and shrinks toward the range's lower end.
 */
export const GRID = 1 << 20;

export function mapDraw(d: DrawSpec['draw'], k: number): number {
  if ('fixed' in d) return d.fixed;
  const u = k / GRID;
  // exp(log ...) and min + (max - min) u can land an ulp outside the range: clamp to the doubles
  // inside the range as written (max 0.01 is 1/100, and the double 0.01 is above it), so the ends
  // of the grid, where the search's corners are, are draws inside the hypotheses.
  const x = d.scale === 'log' ? Math.exp(Math.log(d.min) + (Math.log(d.max) - Math.log(d.min)) * u) : d.min + (d.max - d.min) * u;
  const [lo, hi] = innerBounds(d);
  return Math.min(hi, Math.max(lo, x));
}

const INNER = new WeakMap<object, [number, number]>();

/** The smallest and largest doubles inside the decimal range [min, max]. */
function innerBounds(d: { min: number; max: number }): [number, number] {
  let b = INNER.get(d);
  if (!b) {
    const lo = Rational.fromDouble(d.min).lt(constantToRational(d.min)) ? nextUp(d.min) : d.min;
    const hi = Rational.fromDouble(d.max).gt(constantToRational(d.max)) ? nextDown(d.max) : d.max;
    b = [lo, hi];
    INNER.set(d, b);
  }
  return b;
}

export type Grid = number[];

/**
 * The random draws' law: a deterministic mixture of fast-check's biased draws (its integers put a
 * coordinate within END_GAP grid points of an end in 1/2 to 1/5 of the draws, its bias factor falling
 * with the run index) and draws uniform on the middle box M, where every free coordinate lies in the
 * middle 1 - 2 END_BAND of its range (log-uniform on a log range, as the grid is). fast-check alone
 * gives the interior too little: with five free coordinates 12% of 20000 draws had all five in the
 * middle 80% of their ranges, against 0.8^5 = 33% uniform (bench/draw-law.ts). The share of
 * fast-check's draws, fastCheckShare(d) (1/3 for d = 1, 0.68 for d = 5, 0.83 for d = 8), is the largest for which every region inside M gets at least
 * its uniform share whatever the bias factor: fast-check's draws fall in such a region at least 2^-d
 * times as often as uniform ones (each coordinate is unbiased with probability >= 1/2). Draw i is
 * fast-check's own draw i when i is one of its slots, so its ends, edges and corners stay as they were
 * in those slots (a counterexample with three coordinates at an end, k5-n3-divergence-with-nonzero-
 * target, needs them). What M gives up: a band near an end that is not the end itself (a coordinate
 * in the outer END_BAND of its range, off its end) is drawn only by the fast-check share.
 */
export const END_BAND = 0.1;
/** fast-check's "close to the bound" width on [0, GRID]: floor(log2(GRID)). */
export const END_GAP = 20;
const BAND = Math.floor(END_BAND * GRID);

/**
 * The share of fast-check's draws with d free coordinates, q = (a - 1) / (a - 2^-d) with a = 1.25^d (the
 * middle box holds 0.8^d of the hypotheses), as the exact fraction (5^d - 4^d) / (5^d - 2^d): the slots
 * are chosen in integers, so no rounding decides whether a draw is fast-check's.
 */
export function fastCheckShare(d: number): { num: bigint; den: bigint } {
  const D = BigInt(d);
  return d === 0 ? { num: 1n, den: 1n } : { num: 5n ** D - 4n ** D, den: 5n ** D - 2n ** D };
}

/**
 * A lemma's `runs` random grid points from its seed. The slots are spread evenly (draw i is
 * fast-check's when floor((i + 1) q) > floor(i q)), and the uniform draws come from a stream of their
 * own with one output per free coordinate, so draw i does not depend on how many draws follow it.
 */
export function drawGrids(lemma: CompiledLemma, seed: number, runs: number): Grid[] {
  const free = [...lemma.hyperDraws, ...lemma.initDraws].map((d) => !('fixed' in d.draw));
  const { num, den } = fastCheckShare(free.filter(Boolean).length);
  const biased = fc.sample(pointArbitrary(lemma), { seed, numRuns: runs });
  // Seeded apart from the guided search's generators, which also derive from the lemma seed.
  const rand = mulberry32(Math.imul(seed ^ 0x27d4eb2f, 0x165667b1) >>> 0);
  const out: Grid[] = [];
  // i num mod den: floor((i + 1) q) > floor(i q) exactly when it reaches den once num is added.
  let acc = 0n;
  for (let i = 0; i < runs; i++) {
    acc += num;
    if (acc >= den) {
      acc -= den;
      out.push(biased[i]!);
    } else out.push(free.map((f) => (f ? BAND + Math.min(GRID - 2 * BAND, Math.floor(rand() * (GRID - 2 * BAND + 1))) : 0)));
  }
  return out;
}

/** The arbitrary fast-check shrinks draws with (and replays shrink paths on): integers on the grid, shrinking toward 0. */
export function pointArbitrary(lemma: CompiledLemma): fc.Arbitrary<Grid> {
  const all = [...lemma.hyperDraws, ...lemma.initDraws];
  return fc.tuple(...all.map((d) => ('fixed' in d.draw ? fc.constant(0) : fc.integer({ min: 0, max: GRID }))));
}

export function gridToPoint(lemma: CompiledLemma, g: Grid): Point {
  const hyper: Record<string, number> = {};
  const init: Record<string, number> = {};
  lemma.hyperDraws.forEach((d, i) => (hyper[d.name] = mapDraw(d.draw, g[i]!)));
  lemma.initDraws.forEach((d, i) => (init[d.name] = mapDraw(d.draw, g[lemma.hyperDraws.length + i]!)));
  return { hyper, init };
}
