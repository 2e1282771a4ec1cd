import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { verifyLemma, drawSatisfiesHypotheses, lemmaRuns } from '../../src/check/verify.js';
import { drawGrids, gridToPoint } from '../../src/check/draw.js';
import { REDRAWS } from '../../src/check/outcome.js';
import type { CompiledLemma } from '../../src/lemma/compile.js';

/**
 * Redraws (check/sample.ts): a random draw outside a `where` relation is redrawn, so a lemma checks about its
 * `runs` starts however small the share of the box its hypotheses keep, and a counterexample found at a redraw
 * replays from its path.
 */
const model = deriveModel(loadPack('minimalist').spec);
const loaded = await loadLemmas(['test/fixtures/draw/redraw.json'], model);
const lemmas = new Map(loaded.flatMap((l) => (l.ok ? [[l.lemma.id, l.lemma] as const] : [])));
const trueLemma = lemmas.get('true-on-a-quarter-of-the-box')!;
const falseLemma = lemmas.get('false-on-a-corner-of-a-quarter-of-the-box')!;

/** The random draws outside the hypotheses, as drawn (before any redraw). */
function outsideAsDrawn(lemma: CompiledLemma, seed: number): boolean[] {
  return drawGrids(lemma, seed, lemmaRuns(lemma, {})).map((g) => !drawSatisfiesHypotheses(lemma, model, gridToPoint(lemma, g)));
}

describe('redraws of draws outside the hypotheses', () => {
  it('checks nearly all of a lemma\'s runs when its where relation keeps a quarter of the box', async () => {
    const o = await verifyLemma(model, trueLemma, { seed: 7 });
    expect(o.kind).toBe('VERIFIED');
    const outside = outsideAsDrawn(trueLemma, 7).filter(Boolean).length;
    // Most first draws are outside: without redraws about a quarter of the 100 runs would be checked.
    expect(outside).toBeGreaterThan(60);
    // With 15 redraws a slot stays empty with probability about 0.744^16 = 0.9%.
    expect(o.draws!.kept).toBeGreaterThanOrEqual(95);
    expect(o.draws!.kept).toBeLessThanOrEqual(100);
    // Every point drawn outside is counted: kept / drawn is the share of the box inside, not the share of the slots.
    expect(o.draws!.drawn - o.draws!.kept).toBeGreaterThanOrEqual(outside);
    expect(o.draws!.drawn).toBeLessThanOrEqual(100 * (1 + REDRAWS));
    expect(o.draws!.kept / o.draws!.drawn).toBeLessThan(0.4);
  });

  it('a counterexample at a redrawn slot replays from its path, at the same point', async () => {
    let replayed = 0;
    for (let seed = 1; seed <= 12 && replayed < 2; seed++) {
      const o = await verifyLemma(model, falseLemma, { seed });
      expect(o.kind).toBe('FALSIFIED');
      const c = o.counterexample!;
      const path = c.path!;
      const slot = Number(path.split(':')[0]);
      if (slot >= lemmaRuns(falseLemma, {}) || !outsideAsDrawn(falseLemma, seed)[slot]) continue;
      const r = await verifyLemma(model, falseLemma, { seed, path });
      expect(r.kind).toBe('FALSIFIED');
      expect({ hyper: r.counterexample!.hyper, init: r.counterexample!.init }).toEqual({ hyper: c.hyper, init: c.init });
      expect(drawSatisfiesHypotheses(falseLemma, model, c)).toBe(true);
      replayed++;
    }
    expect(replayed).toBe(2);
  });
});
