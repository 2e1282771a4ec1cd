import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { verifyLoaded, DEFAULT_SEED } from '../../src/check/catalogue.js';
import { drawGrids, END_GAP, fastCheckShare, GRID, pointArbitrary, type Grid } from '../../src/check/draw.js';
import type { CompiledLemma } from '../../src/lemma/compile.js';

/**
 * The random draws' law (check/draw.ts): the interior of the hypotheses gets its uniform share, the
 * ends and corners are still drawn. The fixture's five free coordinates (eta, lambda2 log, alpha,
 * beta1 log, beta2) and its statement, false exactly on the box where every coordinate lies in the
 * middle 51% of its range (3.45% of the hypotheses under uniform draws).
 */
const FIXTURE = 'test/fixtures/draw/interior.json';
const N = 4000;

const model = deriveModel(loadPack('minimalist').spec);
const [loaded] = await loadLemmas([FIXTURE], model);
const lemma = (loaded as Extract<typeof loaded, { ok: true }>).lemma;
const free = [...lemma.hyperDraws, ...lemma.initDraws].flatMap((d, i) => ('fixed' in d.draw ? [] : [i]));

const share = (draws: Grid[], f: (g: Grid) => boolean) => draws.filter(f).length / draws.length;
const inMiddle = (k: number, frac: number) => k >= ((1 - frac) / 2) * GRID && k <= ((1 + frac) / 2) * GRID;
const atEnd = (k: number) => k <= END_GAP || k >= GRID - END_GAP;
/** Three standard deviations of a share p over N draws: the tolerance of a test that must not fail by chance. */
const tol = (p: number) => 3 * Math.sqrt((p * (1 - p)) / N);
const oldLaw = (l: CompiledLemma, seed: number, runs: number): Grid[] => fc.sample(pointArbitrary(l), { seed, numRuns: runs });

describe('the draw law', () => {
  const draws = drawGrids(lemma, DEFAULT_SEED, N);
  const before = oldLaw(lemma, DEFAULT_SEED, N);

  it('has five free coordinates and leaves the fixed one at the grid origin', () => {
    expect(free.length).toBe(5);
    expect(draws.every((g) => g.every((k, i) => free.includes(i) || k === 0))).toBe(true);
  });

  it('gives the middle box (all five coordinates in the middle 80% of their ranges) at least its uniform share (fast-check alone did not)', () => {
    const all = (g: Grid) => free.every((i) => inMiddle(g[i]!, 0.8));
    expect(share(draws, all)).toBeGreaterThan(0.8 ** 5 - tol(0.8 ** 5));
    // The law before (fast-check's biased integers): well under it, which is what this law fixes.
    expect(share(before, all)).toBeLessThan(0.8 * 0.8 ** 5);
    // Each coordinate alone is in its middle more often than before (not at its uniform 80%: the ends take their share).
    for (const i of free) expect(share(draws, (g) => inMiddle(g[i]!, 0.8))).toBeGreaterThan(share(before, (g) => inMiddle(g[i]!, 0.8)));
  });

  it('hits the fixture box (every coordinate in its middle 51%, inside the middle box) at least at its uniform rate, over twice as often as before', () => {
    const box = (g: Grid) => free.every((i) => inMiddle(g[i]!, 0.51));
    const p = 0.51 ** 5;
    expect(share(draws, box)).toBeGreaterThan(p - tol(p));
    expect(share(draws, box)).toBeGreaterThan(2 * share(before, box));
  });

  it("keeps fast-check's ends and corners: its draw i, unchanged, in an evenly spread share fastCheckShare(5) of the slots", () => {
    const { num, den } = fastCheckShare(5);
    const q = Number(num) / Number(den);
    expect(q).toBeCloseTo(0.679, 3);
    const isSlot = (i: number) => (BigInt(i + 1) * num) / den > (BigInt(i) * num) / den;
    const slots = draws.flatMap((_, i) => (isSlot(i) ? [i] : []));
    expect(slots.length).toBe(Number((BigInt(N) * num) / den));
    for (const i of slots) expect(draws[i]).toEqual(before[i]);
    // The other draws lie in the middle box.
    const others = draws.filter((_, i) => !isSlot(i));
    expect(others.every((g) => free.every((i) => inMiddle(g[i]!, 0.8)))).toBe(true);
    for (const i of free) expect(share(draws, (g) => atEnd(g[i]!))).toBeGreaterThan(q * share(before, (g) => atEnd(g[i]!)) - tol(0.2));
  });

  it('fastCheckShare is the largest share for which a region inside the middle box gets its uniform share at any bias factor', () => {
    for (let d = 1; d <= 12; d++) {
      const { num, den } = fastCheckShare(d);
      const q = Number(num) / Number(den);
      // Worst case: fast-check's draws in the region at 2^-d of the uniform rate; the rest uniform on the middle box (0.8^d of the hypotheses).
      expect(q * 2 ** -d + (1 - q) / 0.8 ** d).toBeCloseTo(1, 12);
      expect(q).toBeGreaterThan(0);
      expect(q).toBeLessThan(1);
    }
    expect(fastCheckShare(0)).toEqual({ num: 1n, den: 1n });
  });

  it('is a function of the seed, and draw i does not depend on how many come after it', () => {
    expect(drawGrids(lemma, DEFAULT_SEED, N)).toEqual(draws);
    expect(drawGrids(lemma, DEFAULT_SEED, 100)).toEqual(draws.slice(0, 100));
    expect(drawGrids(lemma, DEFAULT_SEED + 1, 100)).not.toEqual(draws.slice(0, 100));
    for (const n of [1, 7, 257]) expect(drawGrids(lemma, DEFAULT_SEED, n)).toEqual(draws.slice(0, n));
  });
});

describe('a false claim violated only in the interior', () => {
  it('is FALSIFIED at its budget (100 runs) with the default seed, by a random draw (it was VERIFIED under the biased law)', async () => {
    const o = await verifyLoaded(model, loaded!, { seed: DEFAULT_SEED });
    expect(o.kind, o.detail).toBe('FALSIFIED');
    const path = o.counterexample!.path!;
    expect(Number(path.split(':')[0])).toBeLessThan(100);
    // How often the old law hit the box in those 100 draws (the lemma's seed is derived from the id): never.
    const seed = o.seed;
    const box = (g: Grid) => free.every((i) => inMiddle(g[i]!, 0.51));
    expect(oldLaw(lemma, seed, 100).filter(box).length).toBe(0);
    expect(drawGrids(lemma, seed, 100).filter(box).length).toBeGreaterThan(0);
  }, 120_000);
});
