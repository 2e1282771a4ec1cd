import fc from 'fast-check';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import type { Arithmetic } from '../dynamics/gd.js';
import { checkTrajectory, DEFECT_EVERY, type TrajectoryResult } from './trajectory-check.js';
import { drawGrids, gridToPoint, pointArbitrary, type Grid } from './draw.js';
import { corners, searchWorstCase } from './search.js';
import type { Counterexample, Outcome, Point } from './outcome.js';
import { compareFigures, type Figure } from './figures.js';

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

export type WorstCase = { score: number; index: number; point: Point; foundBy: 'random' | 'search' };

/**
 * What one block found: sums and extremes that fold associatively. Not JSON-safe as it stands (a score
 * can be +-Infinity or -0): a shard file spells those out (check/shard.ts encodeUnit).
 */
export interface BlockResult {
  block: number;
  /** Draws outside the hypotheses (skipped, not checked), random and search together. */
  skipped: number;
  /** Of those, the guided search's evaluations. */
  searchSkipped: number;
  trajectories: number;
  searchTrajectories: number;
  trajectoriesWithPremise: number;
  iterates: number;
  premiseIterates: number;
  decidedExactly: number;
  decidedByFloat: number;
  undecided: number;
  undefinedIterates: number;
  testedPerStatement: number[];
  stalledTrajectories: number;
  firstStall: { step: number; point: Point } | null;
  diverged: number;
  leftHypotheses: number;
  maxStepDefect: number | null;
  /** The smallest margin of the decided statements (its figure, check/figures.ts), its step and start. */
  worstSlack: { value: number; step: number; point: Point; decimal?: string } | null;
  firstUndecided: string | null;
  /** The first undecided comparison of the block: its trajectory's start, step, text and why (the diagnosis of UNDECIDED). */
  undecidedAt: { step: number; point: Point; comparison: string; why: string } | null;
  /** The block's first draw outside the hypotheses, and the range or relation it failed (the diagnosis of VACUOUS). */
  firstSkipped: { point: Point; failed: string } | null;
  /** Largest needed value and ratio (null: none seen); the value's decimal where its double does not say it. */
  maxNeeded: number | null;
  maxNeededDecimal?: string;
  maxRatio: number | null;
  /** The lemma's tightness constant: its first value, and whether it changed between draws. */
  constant: { first: number; varies: boolean } | null;
  randomWorst: WorstCase | null;
  searchWorst: WorstCase | null;
  failure: { counterexample: Counterexample; numShrinks: number } | null;
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

export function emptyBlock(block: number): BlockResult {
  return {
    block,
    skipped: 0,
    searchSkipped: 0,
    trajectories: 0,
    searchTrajectories: 0,
    trajectoriesWithPremise: 0,
    iterates: 0,
    premiseIterates: 0,
    decidedExactly: 0,
    decidedByFloat: 0,
    undecided: 0,
    undefinedIterates: 0,
    testedPerStatement: [],
    stalledTrajectories: 0,
    firstStall: null,
    diverged: 0,
    leftHypotheses: 0,
    maxStepDefect: null,
    worstSlack: null,
    firstUndecided: null,
    undecidedAt: null,
    firstSkipped: null,
    maxNeeded: null,
    maxRatio: null,
    constant: null,
    randomWorst: null,
    searchWorst: null,
    failure: null,
  };
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

function accumulate(b: BlockResult, r: TrajectoryResult, p: Point, fromSearch: boolean): void {
  b.trajectories++;
  if (fromSearch) b.searchTrajectories++;
  if (r.premiseIterates > 0) b.trajectoriesWithPremise++;
  b.iterates += r.iterates;
  b.premiseIterates += r.premiseIterates;
  b.decidedExactly += r.decidedExactly;
  b.decidedByFloat += r.decidedByFloat;
  b.undecided += r.undecided;
  if (b.firstUndecided === null && r.firstUndecided !== null) {
    b.firstUndecided = r.firstUndecided;
    b.undecidedAt = { step: r.firstUndecidedAt!.step, point: p, comparison: r.firstUndecidedAt!.comparison, why: r.firstUndecided };
  }
  b.undefinedIterates += r.undefinedIterates;
  r.tested.forEach((n, k) => (b.testedPerStatement[k] = (b.testedPerStatement[k] ?? 0) + n));
  if (r.stalledAt !== null) {
    b.stalledTrajectories++;
    if (b.firstStall === null || r.stalledAt < b.firstStall.step) b.firstStall = { step: r.stalledAt, point: p };
  }
  if (r.diverged !== null) b.diverged++;
  if (r.leftHypothesesAt !== null) b.leftHypotheses++;
  if (r.maxDefect !== null) b.maxStepDefect = Math.max(b.maxStepDefect ?? 0, r.maxDefect);
  // A trajectory whose worst margin may be the block's has its figure made (exact work where it is not yet one).
  const m = r.worstMargin;
  if (m && (b.worstSlack === null || m.value <= b.worstSlack.value)) {
    const f = m.figure();
    if (b.worstSlack === null || compareFigures(f, b.worstSlack) < 0) b.worstSlack = { value: f.value, step: m.step, point: p, ...withDecimal(f) };
  }
  const needed = { value: r.maxNeeded, ...(r.maxNeededDecimal !== null ? { decimal: r.maxNeededDecimal } : {}) };
  if (Number.isFinite(r.maxNeeded) && (b.maxNeeded === null || compareFigures(needed, neededOf(b)!) > 0)) setNeeded(b, needed);
  if (r.maxNeededRatio !== null && (b.maxRatio === null || r.maxNeededRatio > b.maxRatio)) b.maxRatio = r.maxNeededRatio;
  if (r.constantValue !== null) {
    if (b.constant === null) b.constant = { first: r.constantValue, varies: false };
    else if (b.constant.first !== r.constantValue) b.constant.varies = true;
  }
}

/** The `decimal` key of a figure, where it has one (absent, not undefined: the JSON has one shape). */
function withDecimal(f: Figure): { decimal?: string } {
  return f.decimal === undefined ? {} : { decimal: f.decimal };
}

function neededOf(b: BlockResult): Figure | null {
  return b.maxNeeded === null ? null : { value: b.maxNeeded, ...(b.maxNeededDecimal !== undefined ? { decimal: b.maxNeededDecimal } : {}) };
}

function setNeeded(b: BlockResult, f: Figure): void {
  b.maxNeeded = f.value;
  if (f.decimal !== undefined) b.maxNeededDecimal = f.decimal;
  else delete b.maxNeededDecimal;
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
function checkDraw(ctx: SampleContext, p: Point): TrajectoryResult | { skipped: string } {
  const failed = ctx.rejects(p);
  if (failed !== null) return { skipped: failed };
  return checkTrajectory(ctx.model, ctx.lemma, p.hyper, ctx.model.params.map((k) => p.init[k]!), { arith: ctx.arith, exactAll: ctx.exactAll });
}

/** The trajectory check of one draw, or null when the draw is outside the hypotheses. */
function checkedOrNull(ctx: SampleContext, p: Point): TrajectoryResult | null {
  const r = checkDraw(ctx, p);
  return 'skipped' in r ? null : r;
}

export async function runBlock(ctx: SampleContext, draws: Grid[], b: number, upTo?: number): Promise<{ result: BlockResult; grid?: Grid }> {
  const { lemma } = ctx;
  const res = emptyBlock(b);
  const run = (g: Grid) => checkedOrNull(ctx, gridToPoint(lemma, g));
  const lo = b * BLOCK;
  const hi = Math.min(ctx.runs, lo + BLOCK);
  let failed: { index: number; grid: Grid } | null = null;
  const consider = async (index: number, g: Grid, fromSearch: boolean): Promise<number | null> => {
    await ctx.checkpoint?.();
    const p = gridToPoint(lemma, g);
    const r = checkDraw(ctx, p);
    if ('skipped' in r) {
      res.skipped++;
      if (fromSearch) res.searchSkipped++;
      res.firstSkipped ??= { point: p, failed: r.skipped };
      return null;
    }
    accumulate(res, r, p, fromSearch);
    const s = score(lemma, r);
    const slot = fromSearch ? 'searchWorst' : 'randomWorst';
    const w = res[slot];
    if (w === null || s > w.score) res[slot] = { score: s, index, point: p, foundBy: fromSearch ? 'search' : 'random' };
    if (r.violation && failed === null) failed = { index, grid: g };
    return s;
  };
  for (let i = lo; i < hi && failed === null; i++) {
    if (upTo === i) return { result: res, grid: draws[i]! };
    await consider(i, draws[i]!, false);
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
      let start: { grid: Grid; score: number } | null = w ? { grid: draws[w.index]!, score: w.score } : null;
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
  const g0 = index < ctx.runs ? draws[index] : (await runBlock(ctx, draws, block, index)).grid;
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
  if (r === null) {
    res.skipped++;
    if (index >= ctx.runs) res.searchSkipped++;
    return { result: res, ok: true };
  }
  accumulate(res, r, gridToPoint(ctx.lemma, last), index >= ctx.runs);
  if (details.failed && r.violation) res.failure = { counterexample: counterexampleAt(ctx, run, last, path), numShrinks: 0 };
  return { result: res, ok: true };
}

/** Fold blocks in order into one block, up to and including the first with a violation. */
export function foldBlocks(blocks: BlockResult[]): BlockResult {
  const out = emptyBlock(0);
  for (const b of [...blocks].sort((x, y) => x.block - y.block)) {
    out.skipped += b.skipped;
    out.searchSkipped += b.searchSkipped ?? 0;
    out.trajectories += b.trajectories;
    out.searchTrajectories += b.searchTrajectories;
    out.trajectoriesWithPremise += b.trajectoriesWithPremise;
    out.iterates += b.iterates;
    out.premiseIterates += b.premiseIterates;
    out.decidedExactly += b.decidedExactly;
    out.decidedByFloat += b.decidedByFloat;
    out.undecided += b.undecided;
    out.undefinedIterates += b.undefinedIterates;
    b.testedPerStatement.forEach((n, k) => (out.testedPerStatement[k] = (out.testedPerStatement[k] ?? 0) + n));
    out.stalledTrajectories += b.stalledTrajectories;
    if (b.firstStall && (out.firstStall === null || b.firstStall.step < out.firstStall.step)) out.firstStall = b.firstStall;
    out.diverged += b.diverged;
    out.leftHypotheses += b.leftHypotheses;
    if (b.maxStepDefect !== null) out.maxStepDefect = Math.max(out.maxStepDefect ?? 0, b.maxStepDefect);
    if (b.worstSlack && (out.worstSlack === null || compareFigures(b.worstSlack, out.worstSlack) < 0)) out.worstSlack = b.worstSlack;
    if (out.firstUndecided === null) {
      out.firstUndecided = b.firstUndecided;
      out.undecidedAt = b.undecidedAt ?? null;
    }
    out.firstSkipped ??= b.firstSkipped ?? null;
    const needed = neededOf(b);
    if (needed && (out.maxNeeded === null || compareFigures(needed, neededOf(out)!) > 0)) setNeeded(out, needed);
    if (b.maxRatio !== null && (out.maxRatio === null || b.maxRatio > out.maxRatio)) out.maxRatio = b.maxRatio;
    if (b.constant) {
      if (out.constant === null) out.constant = { ...b.constant };
      else if (b.constant.varies || b.constant.first !== out.constant.first) out.constant.varies = true;
    }
    for (const slot of ['randomWorst', 'searchWorst'] as const) {
      const w = b[slot];
      if (w && (out[slot] === null || w.score > out[slot]!.score)) out[slot] = w;
    }
    if (b.failure) {
      out.failure = b.failure;
      break;
    }
  }
  return out;
}

/** The evidence fields of an Outcome from a folded block. */
export function evidence(b: BlockResult): Pick<Outcome, 'trajectories' | 'searchTrajectories' | 'trajectoriesWithPremise' | 'skippedDraws' | 'draws' | 'iterates' | 'premiseIterates' | 'decidedExactly' | 'decidedByFloat' | 'undecided' | 'undefinedIterates' | 'testedPerStatement' | 'stalledTrajectories' | 'firstStall' | 'diverged' | 'leftHypotheses' | 'maxStepDefect' | 'defectEvery' | 'worstSlack' | 'worstCase'> {
  const worst = b.searchWorst && (b.randomWorst === null || b.searchWorst.score > b.randomWorst.score) ? b.searchWorst : b.randomWorst;
  return {
    trajectories: b.trajectories,
    searchTrajectories: b.searchTrajectories,
    trajectoriesWithPremise: b.trajectoriesWithPremise,
    skippedDraws: b.skipped,
    draws: { drawn: b.trajectories - b.searchTrajectories + b.skipped - (b.searchSkipped ?? 0), kept: b.trajectories - b.searchTrajectories, checked: b.trajectories },
    iterates: b.iterates,
    premiseIterates: b.premiseIterates,
    decidedExactly: b.decidedExactly,
    decidedByFloat: b.decidedByFloat,
    undecided: b.undecided,
    undefinedIterates: b.undefinedIterates,
    testedPerStatement: b.testedPerStatement,
    stalledTrajectories: b.stalledTrajectories,
    firstStall: b.firstStall,
    diverged: b.diverged,
    leftHypotheses: b.leftHypotheses,
    maxStepDefect: b.maxStepDefect,
    defectEvery: b.maxStepDefect === null ? null : DEFECT_EVERY,
    worstSlack: b.worstSlack,
    worstCase:
      worst === null || !Number.isFinite(worst.score)
        ? null
        : { score: worst.score, foundBy: worst.foundBy, path: String(worst.index), point: worst.point, randomBest: b.randomWorst?.score ?? null, searchBest: b.searchWorst?.score ?? null },
  };
}
