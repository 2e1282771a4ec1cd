import fc from 'fast-check';
import type { CompiledLemma, DrawSpec } from '../lemma/compile.js';
import type { Point } from './outcome.js';
import { Rational } from '../numeric/rational.js';
import { nextDown, nextUp } from '../numeric/float-interval.js';
import { constantToRational } from '../symbolic/rational-function.js';

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
