import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { emptyBlock, foldBlocks, foldTwo, outcomeEvidence, OUTCOME_EVIDENCE, type BlockResult, type WorstCase } from '../../src/check/evidence.js';
import { compareFigures, type Figure } from '../../src/check/figures.js';
import type { Counterexample, Point } from '../../src/check/outcome.js';

// Blocks as the sampler makes them: counts, extremes with ties (small ranges of values), figures beyond the
// double range (a decimal beside Number.MIN_VALUE), constants that repeat or vary, and now and then a violation.
const point: fc.Arbitrary<Point> = fc.record({ hyper: fc.record({ eta: fc.constantFrom(1, 1.5, 2) }), init: fc.record({ a: fc.integer({ min: -3, max: 3 }) }) });
const count = fc.nat({ max: 1000 });
const step = fc.nat({ max: 8 });
const tiny = fc.constantFrom('1e-400', '[1e-400, 3e-400]', '[2e-400, 2.5e-400]', '[1.9e-400, 4e-400]');
const figure: fc.Arbitrary<Figure> = fc.oneof(
  fc.record({ value: fc.constantFrom(-2, -1, 0, 0.5, 1) }),
  tiny.map((decimal) => ({ value: Number.MIN_VALUE, decimal })),
);
const worst = (foundBy: 'random' | 'search'): fc.Arbitrary<WorstCase> =>
  fc.record({ score: fc.constantFrom(-Infinity, -1, 0, 0.5, 1, Infinity), index: fc.nat({ max: 999 }), point, foundBy: fc.constant(foundBy) });
const failure = fc.record({ counterexample: fc.record({ step, what: fc.string({ maxLength: 3 }) }), numShrinks: count }).map((f) => f as unknown as { counterexample: Counterexample; numShrinks: number });

const block: fc.Arbitrary<BlockResult> = fc
  .record({
    block: fc.nat({ max: 20 }),
    counts: fc.array(count, { minLength: 15, maxLength: 15 }),
    testedPerStatement: fc.array(count, { maxLength: 3 }),
    firstStall: fc.option(fc.record({ step, point })),
    maxStepDefect: fc.option(fc.constantFrom(0, 1e-17, 2e-16, 3e-16)),
    worstSlack: fc.option(fc.tuple(figure, step, point).map(([f, s, p]) => ({ ...f, step: s, point: p }))),
    undecided: fc.option(fc.record({ step, point, comparison: fc.constantFrom('S <= 2', 'L > 0'), why: fc.constantFrom('x', 'y') })),
    firstSkipped: fc.option(fc.record({ point, failed: fc.constantFrom('eta', 'b1') })),
    needed: fc.option(figure),
    maxRatio: fc.option(fc.constantFrom(0.5, 0.9, 1)),
    constant: fc.option(fc.record({ first: fc.constantFrom(2, 3), varies: fc.boolean() })),
    randomWorst: fc.option(worst('random')),
    searchWorst: fc.option(worst('search')),
    failure: fc.option(failure, { freq: 6 }),
  })
  .map((r) => {
    const [skipped, searchSkipped, trajectories, searchTrajectories, trajectoriesWithPremise, iterates, premiseIterates, decidedExactly, decidedByFloat, undecided, undefinedIterates, stalledTrajectories, diverged, leftHypotheses] = r.counts;
    return {
      block: r.block,
      skipped: skipped!,
      searchSkipped: searchSkipped!,
      trajectories: trajectories!,
      searchTrajectories: searchTrajectories!,
      trajectoriesWithPremise: trajectoriesWithPremise!,
      iterates: iterates!,
      premiseIterates: premiseIterates!,
      decidedExactly: decidedExactly!,
      decidedByFloat: decidedByFloat!,
      undecided: undecided!,
      undefinedIterates: undefinedIterates!,
      testedPerStatement: r.testedPerStatement,
      stalledTrajectories: stalledTrajectories!,
      firstStall: r.firstStall,
      diverged: diverged!,
      leftHypotheses: leftHypotheses!,
      maxStepDefect: r.maxStepDefect,
      worstSlack: r.worstSlack,
      firstUndecided: r.undecided ? r.undecided.why : null,
      undecidedAt: r.undecided,
      firstSkipped: r.firstSkipped,
      maxNeeded: r.needed ? r.needed.value : null,
      ...(r.needed?.decimal !== undefined ? { maxNeededDecimal: r.needed.decimal } : {}),
      maxRatio: r.maxRatio,
      constant: r.constant,
      randomWorst: r.randomWorst,
      searchWorst: r.searchWorst,
      failure: r.failure,
    };
  });

/** The evidence of a block, without its index (which the fold does not combine). */
const evidenceOf = ({ block: _, ...rest }: BlockResult) => rest;

/**
 * The fold that evidence.ts replaced, copied as it was (check/sample.ts before the table): the table's fold
 * must agree with it on every sequence of blocks.
 */
function handWrittenFold(blocks: BlockResult[]): BlockResult {
  const neededOf = (b: BlockResult): Figure | null => (b.maxNeeded === null ? null : { value: b.maxNeeded, ...(b.maxNeededDecimal !== undefined ? { decimal: b.maxNeededDecimal } : {}) });
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
    if (needed && (out.maxNeeded === null || compareFigures(needed, neededOf(out)!) > 0)) {
      out.maxNeeded = needed.value;
      if (needed.decimal !== undefined) out.maxNeededDecimal = needed.decimal;
      else delete out.maxNeededDecimal;
    }
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

describe('the evidence table (check/evidence.ts)', () => {
  it('has the empty block as identity on either side', () => {
    fc.assert(
      fc.property(block, (b) => {
        expect(evidenceOf(foldTwo(emptyBlock(b.block), b))).toEqual(evidenceOf(b));
        expect(evidenceOf(foldTwo(b, emptyBlock(b.block)))).toEqual(evidenceOf(b));
      }),
      { numRuns: 300 },
    );
  });

  it('folds associatively, so blocks fold alike however they were grouped (threads, workers, shards)', () => {
    fc.assert(
      fc.property(block, block, block, (a, b, c) => {
        expect(evidenceOf(foldTwo(foldTwo(a, b), c))).toEqual(evidenceOf(foldTwo(a, foldTwo(b, c))));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the hand-written fold it replaced, in every order the blocks arrive, and does not change its inputs', () => {
    fc.assert(
      // A lemma's blocks have distinct indices; they arrive in any order.
      fc.property(fc.array(block, { maxLength: 6 }).map((bs) => bs.map((b, i) => ({ ...b, block: i }))), (blocks) => {
        const before = structuredClone(blocks);
        const folded = foldBlocks(blocks);
        expect(folded).toEqual(handWrittenFold(structuredClone(blocks)));
        expect(blocks).toEqual(before);
        expect(foldBlocks([...blocks].reverse())).toEqual(handWrittenFold(structuredClone(blocks)));
      }),
      { numRuns: 300 },
    );
  });

  it('stops at the first block with a violation: later blocks add nothing', () => {
    fc.assert(
      fc.property(block, block, (a, b) => {
        const failed = { ...a, failure: a.failure ?? { counterexample: {} as Counterexample, numShrinks: 0 } };
        expect(foldTwo(failed, b)).toBe(failed);
      }),
    );
  });

  it('reads a field a block lacks (an older shard file) as empty', () => {
    const b = { ...emptyBlock(1), skipped: 3 } as Partial<BlockResult>;
    delete b.searchSkipped;
    delete b.undecidedAt;
    const folded = foldBlocks([b as BlockResult]);
    expect(folded.searchSkipped).toBe(0);
    expect(folded.undecidedAt).toBeNull();
    expect(folded.skipped).toBe(3);
  });

  it('projects a folded block to the Outcome evidence fields, in the Outcome order', () => {
    const b: BlockResult = { ...emptyBlock(0), trajectories: 10, searchTrajectories: 4, skipped: 5, searchSkipped: 2, maxStepDefect: 1e-16 };
    const o = outcomeEvidence(b, 500);
    expect(Object.keys(o)).toEqual([...OUTCOME_EVIDENCE]);
    expect(o.draws).toEqual({ drawn: 9, kept: 6, checked: 10 });
    expect(o.skippedDraws).toBe(5);
    expect(o.defectEvery).toBe(500);
    expect(outcomeEvidence(emptyBlock(0), 500).defectEvery).toBeNull();
    const p = { hyper: {}, init: {} };
    const withWorst = { ...b, randomWorst: { score: 1, index: 3, point: p, foundBy: 'random' as const }, searchWorst: { score: 1, index: 300, point: p, foundBy: 'search' as const } };
    // A tie goes to the random draw; an infinite score (a violation's, or nothing scored) is no worst case.
    expect(outcomeEvidence(withWorst, 500).worstCase).toEqual({ score: 1, foundBy: 'random', path: '3', point: p, randomBest: 1, searchBest: 1 });
    expect(outcomeEvidence({ ...withWorst, searchWorst: { ...withWorst.searchWorst, score: Infinity } }, 500).worstCase).toBeNull();
  });
});
