import fc from 'fast-check';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import type { Arithmetic } from '../dynamics/gd.js';
import { checkTrajectory, DEFECT_EVERY, type TrajectoryResult } from './trajectory-check.js';
import { drawGrids, GRID, gridToPoint, pointArbitrary, type Grid } from './draw.js';
import { mulberry32 } from '../numeric/prng.js';
import { corners, searchWorstCase } from './search.js';
import { REDRAWS, type Counterexample, type Point } from './outcome.js';
import type { Figure } from './figures.js';
import { emptyBlock, foldBlocks, foldTwo, outcomeEvidence, type BlockResult, type OutcomeEvidence, type WorstCase } from './evidence.js';

/**
 * A sampled lemma's draws, in blocks: the unit of work that verify runs in order, that `--shard`
 * spreads over machines, and that `report merge` folds back together.
 *
 * The random draws are one fast-check sample of `runs` grid points from the lemma's seed; block b
 * owns draws [b BLOCK, (b + 1) BLOCK). After its random draws pass, a block runs the guided search
 * (search.ts) from its worst draw (block 0 also tries up to 32 corners of the ranges first), with a
 * budget of half its draws (all of them for a lemma with a tightness figure; at least SEARCH_MIN). A block depends on nothing but the seed and its index, so a lemma's
 * outcome is the fold of its blocks in order (up to the first block with a violation) however the
 * blocks were run. Every draw has an index, the first element of its replay path: i < runs is
 * random draw i; runs + b SEARCH_STRIDE + k is evaluation k of block b's search.
 */
export const BLOCK = 256;
/** Index space reserved per block for search evaluations (a block's budget is at most BLOCK / 2). */
export const SEARCH_STRIDE = BLOCK;

/**
 * Search evaluations after a block of n random draws: half as many (as many for a lemma with a
 * tightness figure, whose worst case is part of the verdict a reader cites), and at least SEARCH_MIN
 * (a chain needs a few generations). At most SEARCH_STRIDE.
 */
export const SEARCH_MIN = 48;
export function searchBudget(n: number, tight: boolean): number {
  return Math.max(SEARCH_MIN, Math.ceil(tight ? n : n / 2));
}

export interface SampleContext {
  model: DerivedModel;
  lemma: CompiledLemma;
  seed: number;
  runs: number;
  arith: Arithmetic;
  exactAll?: boolean;
  shrinkRuns: number;
  /** The hypothesis a draw fails, or null when it satisfies them all exactly (verify.ts). */
  rejects: (p: Point) => string | null;
  replayCommand: (path: string | null) => string;
  /** Awaited between trajectories: lets a Ctrl-C handler run, and throws once it has. */
  checkpoint?: () => Promise<void>;
}

export function blockCount(runs: number): number {
  return Math.ceil(runs / BLOCK);
}

/** How close a trajectory came to violating the claim: the tightness figure where the lemma has one, else minus the worst slack. */
export function score(lemma: CompiledLemma, r: TrajectoryResult): number {
  if (r.violation) return Infinity;
  if (lemma.tightness) {
    if (r.maxNeededRatio !== null) return r.maxNeededRatio;
    if (Number.isFinite(r.maxNeeded)) return r.maxNeeded;
  }
  if (r.worstSlack && Number.isFinite(r.worstSlack.value)) return -r.worstSlack.value;
  return -Infinity;
}

/**
 * One trajectory's evidence, as a block to fold into its block's (evidence.ts), with the draw's index where the
 * trajectory competes for the block's worst case (a replay's does not). Its worst margin's figure is exact work
 * where the margin is not yet one: it is made only where it may be the block's (`against`'s) worst.
 */
function trajectoryEvidence(lemma: CompiledLemma, r: TrajectoryResult, p: Point, fromSearch: boolean, against: BlockResult, index?: number): BlockResult {
  const m = r.worstMargin;
  const f = m && (against.worstSlack === null || m.value <= against.worstSlack.value) ? m.figure() : null;
  const worst: WorstCase | null = index === undefined ? null : { score: score(lemma, r), index, point: p, foundBy: fromSearch ? 'search' : 'random' };
  return {
    ...emptyBlock(against.block),
    trajectories: 1,
    searchTrajectories: fromSearch ? 1 : 0,
    trajectoriesWithPremise: r.premiseIterates > 0 ? 1 : 0,
    iterates: r.iterates,
    premiseIterates: r.premiseIterates,
    decidedExactly: r.decidedExactly,
    decidedByFloat: r.decidedByFloat,
    undecided: r.undecided,
    undefinedIterates: r.undefinedIterates,
    testedPerStatement: r.tested,
    stalledTrajectories: r.stalledAt !== null ? 1 : 0,
    firstStall: r.stalledAt !== null ? { step: r.stalledAt, point: p } : null,
    diverged: r.diverged !== null ? 1 : 0,
    leftHypotheses: r.leftHypothesesAt !== null ? 1 : 0,
    maxStepDefect: r.maxDefect,
    worstSlack: f && { value: f.value, step: m!.step, point: p, ...(f.decimal === undefined ? {} : { decimal: f.decimal }) },
    firstUndecided: r.firstUndecided,
    undecidedAt: r.firstUndecided !== null ? { step: r.firstUndecidedAt!.step, point: p, comparison: r.firstUndecidedAt!.comparison, why: r.firstUndecided } : null,
    ...(Number.isFinite(r.maxNeeded) ? { maxNeeded: r.maxNeeded, ...(r.maxNeededDecimal !== null ? { maxNeededDecimal: r.maxNeededDecimal } : {}) } : {}),
    maxRatio: r.maxNeededRatio,
    constant: r.constantValue !== null ? { first: r.constantValue, varies: false } : null,
    ...(worst === null ? {} : fromSearch ? { searchWorst: worst } : { randomWorst: worst }),
  };
}

/** One draw outside the hypotheses, as a block; `first`: the draw and what it failed, where the block records it. */
function skippedEvidence(block: number, fromSearch: boolean, first: BlockResult['firstSkipped']): BlockResult {
  return { ...emptyBlock(block), skipped: 1, searchSkipped: fromSearch ? 1 : 0, firstSkipped: first };
}

/**
 * Draw i, then its redraws, in the order they are tried. A random draw outside the hypotheses (a range is
 * satisfied by construction, a `where` relation may not be) is redrawn: up to REDRAWS points uniform on the grid,
 * each from a stream of its own (seed, draw, attempt), so draw i stays the first of them inside the hypotheses
 * whatever else is drawn, and its replay path still starts with i. Without them a lemma whose `where` keeps a
 * fifth of the box checked a fifth of its `runs` (d4-gd-converges-in-the-eos-range-d2 kept 3 of 16 draws at
 * budget 1). Every point drawn outside counts as a skipped draw, so the report's kept / drawn is still the share
 * of the box inside the hypotheses.
 */
function* attempts(ctx: SampleContext, draws: Grid[], i: number): Generator<Grid> {
  yield draws[i]!;
  const free = freeCoordinates(ctx.lemma);
  for (let j = 1; j <= REDRAWS; j++) {
    const rand = mulberry32((Math.imul(ctx.seed ^ 0x2545f491, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca6b) + Math.imul(j, 0xc2b2ae35)) >>> 0);
    yield free.map((f) => (f ? Math.min(GRID, Math.floor(rand() * (GRID + 1))) : 0));
  }
}

/** Draw i as it is checked: the first of its attempts inside the hypotheses, or the draw itself when none is. */
function drawInside(ctx: SampleContext, draws: Grid[], i: number): Grid {
  for (const g of attempts(ctx, draws, i)) if (ctx.rejects(gridToPoint(ctx.lemma, g)) === null) return g;
  return draws[i]!;
}

/** The lemma's random draws (all blocks'), from its seed (the law is draw.ts drawGrids'). */
export function randomDraws(ctx: SampleContext): Grid[] {
  return drawGrids(ctx.lemma, ctx.seed, ctx.runs);
}

function freeCoordinates(lemma: CompiledLemma): boolean[] {
  return [...lemma.hyperDraws, ...lemma.initDraws].map((d) => !('fixed' in d.draw));
}

function blockSeed(seed: number, block: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + block * 0x85ebca6b) >>> 0;
}

/**
 * Run block b: its random draws, then (if none violated the claim) its search. Stops at the first
 * violation and shrinks it with a budget of `shrinkRuns` trajectory checks. With `upTo`, returns
 * as soon as the draw with that index has been generated (replay), without checking it.
 */
/** The trajectory check of one draw, or the hypothesis it fails (then it is not checked). */
function checkDraw(ctx: SampleContext, p: Point, defectFloor: number | null = null): TrajectoryResult | { skipped: string } {
  const failed = ctx.rejects(p);
  if (failed !== null) return { skipped: failed };
  return checkTrajectory(ctx.model, ctx.lemma, p.hyper, ctx.model.params.map((k) => p.init[k]!), { arith: ctx.arith, exactAll: ctx.exactAll, defectFloor });
}

/** The trajectory check of one draw, or null when the draw is outside the hypotheses. */
function checkedOrNull(ctx: SampleContext, p: Point): TrajectoryResult | null {
  const r = checkDraw(ctx, p);
  return 'skipped' in r ? null : r;
}

export async function runBlock(ctx: SampleContext, draws: Grid[], b: number, upTo?: number): Promise<{ result: BlockResult; grid?: Grid }> {
  const { lemma } = ctx;
  let res = emptyBlock(b);
  const run = (g: Grid) => checkedOrNull(ctx, gridToPoint(lemma, g));
  const lo = b * BLOCK;
  const hi = Math.min(ctx.runs, lo + BLOCK);
  let failed: { index: number; grid: Grid } | null = null;
  // The grid each random draw was checked at (its first attempt inside the hypotheses).
  const checkedAt = new Map<number, Grid>();
  const consider = async (index: number, g: Grid, fromSearch: boolean): Promise<number | null> => {
    await ctx.checkpoint?.();
    const p = gridToPoint(lemma, g);
    // The block reports only its largest defect: samples bounded below the largest so far need no exact step.
    const r = checkDraw(ctx, p, res.maxStepDefect);
    if ('skipped' in r) {
      res = foldTwo(res, skippedEvidence(b, fromSearch, { point: p, failed: r.skipped }));
      return null;
    }
    if (!fromSearch) checkedAt.set(index, g);
    res = foldTwo(res, trajectoryEvidence(lemma, r, p, fromSearch, res, index));
    if (r.violation && failed === null) failed = { index, grid: g };
    return score(lemma, r);
  };
  for (let i = lo; i < hi && failed === null; i++) {
    if (upTo === i) return { result: res, grid: drawInside(ctx, draws, i) };
    for (const g of attempts(ctx, draws, i)) if ((await consider(i, g, false)) !== null || failed !== null) break;
  }
  if (failed === null) {
    // The search: corners first in block 0, then the evolution strategy from the worst point so far.
    const budget = searchBudget(hi - lo, lemma.tightness !== undefined);
    let k = 0;
    const base = ctx.runs + b * SEARCH_STRIDE;
    const free = freeCoordinates(lemma);
    const evaluate = async (g: Grid): Promise<number | null> => {
      const index = base + k++;
      if (upTo === index) throw new Found(g);
      return consider(index, g, true);
    };
    try {
      // The block's worst random draw (its index is the draw's).
      const w = res.randomWorst;
      let start: { grid: Grid; score: number } | null = w ? { grid: checkedAt.get(w.index)!, score: w.score } : null;
      if (b === 0 && draws.length > 0) {
        for (const g of corners(draws[0]!, free, Math.min(32, Math.floor(budget / 2)))) {
          if (failed !== null) break;
          const s = await evaluate(g);
          if (s !== null && (start === null || s > start.score)) start = { grid: g, score: s };
        }
      }
      if (start !== null && failed === null && start.score > -Infinity && budget - k > 0) {
        await searchWorstCase(start, free, async (g) => (failed !== null ? null : evaluate(g)), { budget: budget - k, seed: blockSeed(ctx.seed, b) });
      }
    } catch (e) {
      if (e instanceof Found) return { result: res, grid: e.grid };
      throw e;
    }
  }
  if (upTo !== undefined) return { result: res };
  if (failed !== null) res.failure = await shrink(ctx, run, failed);
  return { result: res };
}

class Found {
  constructor(readonly grid: Grid) {}
}

/**
 * Shrink a failing draw with fast-check (the draw as its example), bounded by a count of
 * trajectory checks: once spent, every further candidate passes at once, so fast-check keeps the
 * smallest failure found so far. The replay path is the draw's index followed by fast-check's path.
 */
async function shrink(ctx: SampleContext, run: (g: Grid) => TrajectoryResult | null, failed: { index: number; grid: Grid }): Promise<BlockResult['failure']> {
  let left = ctx.shrinkRuns;
  // An interruption inside the property would read as a failing case to fast-check: note it, pass, rethrow after.
  let stopped: unknown = null;
  const property = fc.asyncProperty(pointArbitrary(ctx.lemma), async (g) => {
    if (left <= 0 || stopped !== null) return true;
    left--;
    try {
      await ctx.checkpoint?.();
    } catch (e) {
      stopped = e;
      return true;
    }
    const r = run(g);
    return r === null || r.violation === null;
  });
  const details = await fc.check(property, { seed: ctx.seed, numRuns: 1, examples: [[failed.grid]] });
  if (stopped !== null) throw stopped;
  const g = details.failed && details.counterexample ? details.counterexample[0] : failed.grid;
  const rest = details.failed && details.counterexamplePath ? details.counterexamplePath.split(':').slice(1) : [];
  return { counterexample: counterexampleAt(ctx, run, g, [String(failed.index), ...rest].join(':')), numShrinks: details.numShrinks ?? 0 };
}

function counterexampleAt(ctx: SampleContext, run: (g: Grid) => TrajectoryResult | null, g: Grid, path: string): Counterexample {
  const p = gridToPoint(ctx.lemma, g);
  const r = run(g)!;
  const v = r.violation!;
  // The sides and margin from the values that decided (exact work, for this one violation); null where there are none.
  const f = v.figures();
  const side = (x: Figure | undefined) => (x !== undefined && Number.isFinite(x.value) ? x.value : null);
  return {
    ...p,
    step: v.step,
    statement: v.statement,
    lhs: side(f?.lhs),
    rhs: side(f?.rhs),
    ...(f?.lhs.decimal !== undefined ? { lhsDecimal: f.lhs.decimal } : {}),
    ...(f?.rhs.decimal !== undefined ? { rhsDecimal: f.rhs.decimal } : {}),
    ...(f && Number.isFinite(f.slack.value) ? { slack: f.slack.value, ...(f.slack.decimal !== undefined ? { slackDecimal: f.slack.decimal } : {}) } : {}),
    confirmedExactly: v.confirmedExactly,
    what: v.what,
    seed: ctx.seed,
    path,
    command: ctx.replayCommand(path),
    // Filled in once, for the lemma's reported counterexample (check/certify.ts via verify.assemble).
    trueOrbit: null,
  };
}

/**
 * Replay one path: regenerate its draw (a random draw, or a search evaluation by rerunning its
 * block's search up to it), follow fast-check's shrink path from it, and check that point alone.
 */
export async function replayPath(ctx: SampleContext, draws: Grid[], path: string): Promise<{ result: BlockResult; ok: boolean }> {
  const [head, ...rest] = path.split(':');
  const index = Number(head);
  const block = index < ctx.runs ? Math.floor(index / BLOCK) : Math.floor((index - ctx.runs) / SEARCH_STRIDE);
  const g0 = index < ctx.runs ? (draws[index] && drawInside(ctx, draws, index)) : (await runBlock(ctx, draws, block, index)).grid;
  const res = emptyBlock(block);
  if (!g0) return { result: res, ok: false };
  const run = (g: Grid) => checkedOrNull(ctx, gridToPoint(ctx.lemma, g));
  let last: Grid = g0;
  const property = fc.property(pointArbitrary(ctx.lemma), (g) => {
    last = g;
    const r = run(g);
    return r === null || r.violation === null;
  });
  // endOnFailure: the replay stops at the path's point (fast-check would otherwise shrink further from it).
  const details = fc.check(property, { seed: ctx.seed, numRuns: 1, examples: [[g0]], path: ['0', ...rest].join(':'), endOnFailure: true });
  if (details.failed && details.counterexample) last = details.counterexample[0];
  const r = run(last);
  // A replayed draw is not a candidate for the worst case, and a skipped one is not the block's first.
  if (r === null) return { result: foldTwo(res, skippedEvidence(block, index >= ctx.runs, null)), ok: true };
  const found = foldTwo(res, trajectoryEvidence(ctx.lemma, r, gridToPoint(ctx.lemma, last), index >= ctx.runs, res));
  if (details.failed && r.violation) found.failure = { counterexample: counterexampleAt(ctx, run, last, path), numShrinks: 0 };
  return { result: found, ok: true };
}

/** The evidence fields of an Outcome from a folded block. */
export function evidence(b: BlockResult): OutcomeEvidence {
  return outcomeEvidence(b, DEFECT_EVERY);
}
