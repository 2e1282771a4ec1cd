/**
 * The evidence of a sampled lemma, declared once. A block of draws (check/sample.ts) carries every field of
 * RULES; RULES says how two blocks' values of it fold, the earlier block first. Each rule is associative
 * with its empty value as identity (test/check/evidence.test.ts), so a lemma's blocks fold to the same
 * evidence whether one thread ran them in order, a worker pool or shards did (`report merge`), and one
 * trajectory's evidence is a block of its own folded into its block's. Empty, fold and the projection to
 * an Outcome are generic over the table: a new counter is one line of RULES (and, if the report shows it,
 * one of OUTCOME_EVIDENCE).
 */
import type { Counterexample, Outcome, OutcomeCommon, Point } from './outcome.js';
import { compareFigures, type Figure } from './figures.js';

export type WorstCase = { score: number; index: number; point: Point; foundBy: 'random' | 'search' };

/** The fields a block and an Outcome share, with the meaning outcome.ts gives them. */
type Shared = Pick<
  OutcomeCommon,
  | 'trajectories'
  | 'searchTrajectories'
  | 'trajectoriesWithPremise'
  | 'iterates'
  | 'premiseIterates'
  | 'decidedExactly'
  | 'decidedByFloat'
  | 'undecided'
  | 'undefinedIterates'
  | 'testedPerStatement'
  | 'stalledTrajectories'
  | 'firstStall'
  | 'diverged'
  | 'leftHypotheses'
  | 'maxStepDefect'
  | 'worstSlack'
>;

/**
 * What one block found: sums and extremes that fold associatively. Not JSON-safe as it stands (a score
 * can be +-Infinity or -0): a shard file spells those out (check/shard.ts encodeUnit).
 */
export interface BlockResult extends Shared {
  block: number;
  /** Draws outside the hypotheses (skipped, not checked), random and search together. */
  skipped: number;
  /** Of those, the guided search's evaluations. */
  searchSkipped: number;
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

/** The evidence of a block: all of it but its index. */
export type Evidence = Omit<BlockResult, 'block'>;

/** How some fields of a block fold: their empty value, and the fold of an earlier block's with a later one's. */
interface Rule<K extends keyof Evidence> {
  keys: readonly K[];
  empty: () => Pick<Evidence, K>;
  fold: (a: Pick<Evidence, K>, b: Pick<Evidence, K>) => Pick<Evidence, K>;
  /**
   * A rule of one field: the same empty value and fold on the value itself (folding a trajectory into its block at
   * every draw, the generic path's objects per rule were a twentieth of a trajectory lemma's time).
   */
  single?: { key: K; empty: () => Evidence[K]; fold: (a: Evidence[K], b: Evidence[K]) => Evidence[K] };
}

/** A rule of one field. */
function one<K extends keyof Evidence>(key: K, empty: () => Evidence[K], fold: (a: Evidence[K], b: Evidence[K]) => Evidence[K]): Rule<K> {
  return {
    keys: [key],
    empty: () => ({ [key]: empty() }) as Pick<Evidence, K>,
    fold: (a, b) => ({ [key]: fold(a[key], b[key]) }) as Pick<Evidence, K>,
    single: { key, empty, fold },
  };
}

const sum = <K extends keyof Evidence>(key: K) => one(key, () => 0 as Evidence[K], (a, b) => ((a as number) + (b as number)) as Evidence[K]);
/** The earlier non-null value. */
const first = <K extends keyof Evidence>(key: K) => one(key, () => null as Evidence[K], (a, b) => a ?? b);
/** The least by `cmp`, the earlier of equals (null: none). */
function leastBy<T>(cmp: (x: T, y: T) => number) {
  return (a: T | null, b: T | null): T | null => (b !== null && (a === null || cmp(b, a) < 0) ? b : a);
}
/** The largest by `cmp`, the earlier of equals (null: none). */
function largestBy<T>(cmp: (x: T, y: T) => number) {
  return (a: T | null, b: T | null): T | null => (b !== null && (a === null || cmp(b, a) > 0) ? b : a);
}
const byNumber = (x: number, y: number) => (x < y ? -1 : x > y ? 1 : 0);
const byScore = (x: WorstCase, y: WorstCase) => byNumber(x.score, y.score);
const none = <T>() => null as T | null;

type Needed = Pick<Evidence, 'maxNeeded' | 'maxNeededDecimal'>;
const neededFigure = (n: Needed): Figure | null => (n.maxNeeded === null ? null : { value: n.maxNeeded, ...(n.maxNeededDecimal !== undefined ? { decimal: n.maxNeededDecimal } : {}) });
/** The figure's fields, the decimal absent (not undefined) where it has none: a block has one shape. */
const neededFields = (f: Figure | null): Needed => (f === null ? { maxNeeded: null } : { maxNeeded: f.value, ...(f.decimal !== undefined ? { maxNeededDecimal: f.decimal } : {}) });

/** Every field of a block's evidence and its fold rule, in the order a block lists them. */
const RULES = [
  sum('skipped'),
  sum('searchSkipped'),
  sum('trajectories'),
  sum('searchTrajectories'),
  sum('trajectoriesWithPremise'),
  sum('iterates'),
  sum('premiseIterates'),
  sum('decidedExactly'),
  sum('decidedByFloat'),
  sum('undecided'),
  sum('undefinedIterates'),
  one('testedPerStatement', () => [], (a, b) => {
    const out = a.slice();
    b.forEach((n, k) => (out[k] = (out[k] ?? 0) + n));
    return out;
  }),
  sum('stalledTrajectories'),
  one('firstStall', none, leastBy((x, y) => byNumber(x.step, y.step))),
  sum('diverged'),
  sum('leftHypotheses'),
  // Math.max, so a NaN defect, should one occur, is not hidden by a later number.
  one('maxStepDefect', none, (a, b) => (a === null ? b : b === null ? a : Math.max(a, b))),
  one('worstSlack', none, leastBy<NonNullable<Evidence['worstSlack']>>(compareFigures)),
  // The first undecided comparison and where it was: one pair, from the earlier block that has one.
  {
    keys: ['firstUndecided', 'undecidedAt'],
    empty: () => ({ firstUndecided: null, undecidedAt: null }),
    fold: (a, b) => (a.firstUndecided !== null ? a : b),
  } satisfies Rule<'firstUndecided' | 'undecidedAt'>,
  first('firstSkipped'),
  // The needed value and its decimal: one figure, the largest.
  {
    keys: ['maxNeeded', 'maxNeededDecimal'],
    empty: () => ({ maxNeeded: null }),
    fold: (a, b) => neededFields(largestBy(compareFigures)(neededFigure(a), neededFigure(b))),
  } satisfies Rule<'maxNeeded' | 'maxNeededDecimal'>,
  one('maxRatio', none, largestBy(byNumber)),
  // The first value of the constant, and whether any block saw another (or saw it vary).
  one('constant', none, (a, b) => (a === null ? b && { ...b } : b === null ? a : { first: a.first, varies: a.varies || b.varies || a.first !== b.first })),
  one('randomWorst', none, largestBy(byScore)),
  one('searchWorst', none, largestBy(byScore)),
  first('failure'),
] as const;

/** A field of a block without a rule in RULES does not compile: its name is the type error. */
type Uncovered = Exclude<keyof Evidence, (typeof RULES)[number]['keys'][number]>;
const everyFieldHasARule: [Uncovered] extends [never] ? true : Uncovered = true;
void everyFieldHasARule;

/** A block's values of a rule's fields; a field a block lacks (a shard file of an older version) reads as empty. */
function valuesOf(b: BlockResult, rule: Rule<keyof Evidence>): Pick<Evidence, keyof Evidence> {
  const empty = rule.empty();
  const out = {} as Record<string, unknown>;
  for (const k of rule.keys) {
    const v = (b as unknown as Record<string, unknown>)[k];
    if (v !== undefined || k in empty) out[k] = v ?? (empty as Record<string, unknown>)[k];
  }
  return out as Pick<Evidence, keyof Evidence>;
}

export function emptyBlock(block: number): BlockResult {
  const out = { block } as BlockResult;
  const o = out as unknown as Record<string, unknown>;
  for (const r of RULES as readonly Rule<keyof Evidence>[]) {
    if (r.single) o[r.single.key] = r.single.empty();
    else Object.assign(out, r.empty());
  }
  return out;
}

/**
 * The evidence of block a then block b. A block with a violation ends its lemma's evidence: later blocks add
 * nothing to it (the fold of a lemma's blocks stops at its first violation; this keeps that associative).
 * The result keeps a's index; neither block is changed (their parts, a point or a worst slack, are shared, not copied).
 */
export function foldTwo(a: BlockResult, b: BlockResult): BlockResult {
  if (a.failure) return a;
  const out = { block: a.block } as BlockResult;
  const o = out as unknown as Record<string, unknown>;
  const av = a as unknown as Record<string, unknown>;
  const bv = b as unknown as Record<string, unknown>;
  for (const r of RULES as readonly Rule<keyof Evidence>[]) {
    const one = r.single;
    if (one) {
      // As valuesOf reads it: a field a block lacks is empty.
      const x = av[one.key] ?? one.empty();
      const y = bv[one.key] ?? one.empty();
      o[one.key] = one.fold(x as never, y as never);
    } else Object.assign(out, r.fold(valuesOf(a, r), valuesOf(b, r)));
  }
  return out;
}

/** Blocks folded in the order of their indices, up to and including the first with a violation. */
export function foldBlocks(blocks: BlockResult[]): BlockResult {
  return [...blocks].sort((x, y) => x.block - y.block).reduce(foldTwo, emptyBlock(0));
}

/** The evidence fields of an Outcome, in the Outcome's order. */
export const OUTCOME_EVIDENCE = [
  'trajectories',
  'searchTrajectories',
  'trajectoriesWithPremise',
  'skippedDraws',
  'draws',
  'iterates',
  'premiseIterates',
  'decidedExactly',
  'decidedByFloat',
  'undecided',
  'undefinedIterates',
  'testedPerStatement',
  'stalledTrajectories',
  'firstStall',
  'diverged',
  'leftHypotheses',
  'maxStepDefect',
  'defectEvery',
  'worstSlack',
  'worstCase',
] as const;

export type OutcomeEvidence = Pick<Outcome, (typeof OUTCOME_EVIDENCE)[number]>;

/** The Outcome's evidence fields that are not a block's field of the same name, from the folded block. */
function derived(defectEvery: number): { [K in keyof OutcomeEvidence]?: (b: BlockResult) => OutcomeEvidence[K] } {
  return {
    skippedDraws: (b) => b.skipped,
    draws: (b) => ({ drawn: b.trajectories - b.searchTrajectories + b.skipped - b.searchSkipped, kept: b.trajectories - b.searchTrajectories, checked: b.trajectories }),
    defectEvery: (b) => (b.maxStepDefect === null ? null : defectEvery),
    worstCase: (b) => {
      const worst = largestBy(byScore)(b.randomWorst, b.searchWorst);
      return worst === null || !Number.isFinite(worst.score)
        ? null
        : { score: worst.score, foundBy: worst.foundBy, path: String(worst.index), point: worst.point, randomBest: b.randomWorst?.score ?? null, searchBest: b.searchWorst?.score ?? null };
    },
  };
}

/** The evidence fields of an Outcome from a folded block; `defectEvery` is the sampling period of the one-step defect. */
export function outcomeEvidence(b: BlockResult, defectEvery: number): OutcomeEvidence {
  const d = derived(defectEvery) as Record<string, (b: BlockResult) => unknown>;
  const out = {} as Record<string, unknown>;
  for (const k of OUTCOME_EVIDENCE) out[k] = d[k] ? d[k](b) : (b as unknown as Record<string, unknown>)[k];
  return out as OutcomeEvidence;
}
