import { GRID, type Grid } from './draw.js';
import { mulberry32 } from '../numeric/prng.js';

/**
 * The guided search for the worst case of a sampled lemma, in the spirit of Hypothesis's
 * `target()`: a (1+lambda) evolution strategy on the draw grid that maximises a score (how close a
 * trajectory comes to violating the claim; +Infinity for a violation). Its budget is a count of
 * evaluations and its randomness a seeded generator, so a seed gives the same chain on any machine.
 *
 * Coordinates are the grid's integers scaled to [0, 1] (uniform or log-uniform ranges alike, as
 * draw.ts maps them); fixed coordinates never move. A step that improves the parent widens the
 * mutation (x1.5, at most 0.5), one that does not narrows it (x0.5); a chain whose step falls below
 * 1e-4 of the range restarts from the best point with the initial width.
 *
 * Every other child moves a few coordinates only (each free one with probability 1/d, at least one): a worst case
 * often sits on faces of the box (eta at its largest, beta1 at its smallest) with the rest interior, and a move of
 * every coordinate at once leaves those faces with probability 1 - 2^-k, so an isotropic chain stalls on a
 * slope it could climb along one coordinate (c9-limit-sharpness-near-threshold-after-eos: lambda2 stopped at 0.0074
 * with the needed delta rising to its bound 0.01).
 */
export interface SearchOptions {
  /** Evaluations the search may spend (each is one trajectory check). */
  budget: number;
  /** Offspring per generation. */
  lambda?: number;
  seed: number;
}

export interface Evaluated {
  grid: Grid;
  score: number;
}

const SIGMA0 = 0.1;
const SIGMA_MIN = 1e-4;

/**
 * Run the chain from `start` (already evaluated: its score is given). `evaluate` returns the score
 * of a grid point, or null when the point is outside the hypotheses (it still costs one evaluation)
 * and `stop` ends the search at once (a violation was found). Returns every evaluated point in order.
 */
export async function searchWorstCase(start: Evaluated, free: boolean[], evaluate: (g: Grid) => Promise<number | null>, opts: SearchOptions): Promise<Evaluated[]> {
  const rand = mulberry32(opts.seed);
  const gauss = () => {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const lambda = opts.lambda ?? 4;
  const out: Evaluated[] = [];
  let parent = start;
  let best = start;
  let sigma = SIGMA0;
  let left = opts.budget;
  const freeIdx = free.flatMap((f, i) => (f ? [i] : []));
  const d = freeIdx.length;
  if (d === 0) return out;
  const moves = new Array<boolean>(free.length).fill(false);
  while (left > 0) {
    let child: Evaluated | null = null;
    for (let k = 0; k < lambda && left > 0; k++) {
      if (k % 2 === 0) for (const i of freeIdx) moves[i] = true;
      else {
        let any = false;
        for (const i of freeIdx) any = (moves[i] = rand() * d < 1) || any;
        if (!any) moves[freeIdx[Math.floor(rand() * d)]!] = true;
      }
      const g = parent.grid.map((x, i) => (moves[i] ? Math.round(Math.min(1, Math.max(0, x / GRID + sigma * gauss())) * GRID) : x));
      left--;
      const s = await evaluate(g);
      if (s === null) continue;
      const e = { grid: g, score: s };
      out.push(e);
      if (s === Infinity) return out;
      if (child === null || s > child.score) child = e;
    }
    if (child !== null && child.score > parent.score) {
      parent = child;
      sigma = Math.min(0.5, sigma * 1.5);
      if (child.score > best.score) best = child;
    } else sigma *= 0.5;
    // A rugged landscape (catapult dynamics) rewards restarts over ever finer steps: below SIGMA_MIN
    // the chain starts again from the best point with the initial width.
    if (sigma < SIGMA_MIN) {
      parent = best;
      sigma = SIGMA0;
    }
  }
  return out;
}

/** Up to `max` corners of the free coordinates' box (all of them when 2^d <= max), in a fixed order. */
export function corners(template: Grid, free: boolean[], max = 16): Grid[] {
  const idx = free.flatMap((f, i) => (f ? [i] : []));
  const d = idx.length;
  // With nothing free there is no box, only the one point the draws already cover.
  if (d === 0) return [];
  const count = Math.min(max, 2 ** d);
  const out: Grid[] = [];
  for (let c = 0; c < count; c++) {
    // With more corners than `max`, spread the chosen ones over the binary codes.
    const code = 2 ** d <= max ? c : Math.floor((c * (2 ** d - 1)) / (count - 1));
    out.push(template.map((x, i) => {
      const k = idx.indexOf(i);
      return k < 0 ? x : (Math.floor(code / 2 ** k) % 2 === 1 ? GRID : 0);
    }));
  }
  return out;
}
