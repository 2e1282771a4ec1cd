/**
 * The random draws' law (check/draw.ts) against fast-check's biased integers alone (the law before),
 * on the five free coordinates of test/fixtures/draw/interior.json: shares of draws with every
 * coordinate in the middle 80% of its range, in the fixture's violating box (each coordinate in the
 * middle 51%), per coordinate in its middle 80% and at an end. Run: npx tsx bench/draw-law.ts [draws]
 */
import fc from 'fast-check';
import { deriveModel } from '../src/symbolic/derive.js';
import { loadPack } from '../src/model/pack.js';
import { loadLemmas } from '../src/lemma/load.js';
import { drawGrids, END_GAP, fastCheckShare, GRID, pointArbitrary, type Grid } from '../src/check/draw.js';
import type { CompiledLemma } from '../src/lemma/compile.js';

const model = deriveModel(loadPack('minimalist').spec);
const [l] = await loadLemmas(['test/fixtures/draw/interior.json'], model);
const lemma = (l as Extract<typeof l, { ok: true }>).lemma as CompiledLemma;
const free = [...lemma.hyperDraws, ...lemma.initDraws].flatMap((d, i) => ('fixed' in d.draw ? [] : [i]));
const N = Number(process.argv[2] ?? 20000);
const mid = (k: number, f: number) => k >= ((1 - f) / 2) * GRID && k <= ((1 + f) / 2) * GRID;
const end = (k: number) => k <= END_GAP || k >= GRID - END_GAP;
console.log(`${N} draws, seed 20250304, ${free.length} free coordinates, fast-check share ${(Number(fastCheckShare(free.length).num) / Number(fastCheckShare(free.length).den)).toFixed(3)}`);
const laws: [string, Grid[]][] = [['now', drawGrids(lemma, 20250304, N)], ['before', fc.sample(pointArbitrary(lemma), { seed: 20250304, numRuns: N })]];
for (const [name, d] of laws) {
  const s = (f: (g: Grid) => boolean) => (d.filter(f).length / N).toFixed(4);
  console.log(
    `${name.padEnd(6)} all in middle 80%: ${s((g) => free.every((i) => mid(g[i]!, 0.8)))} (uniform ${(0.8 ** 5).toFixed(4)});`,
    `fixture box: ${s((g) => free.every((i) => mid(g[i]!, 0.51)))} (uniform ${(0.51 ** 5).toFixed(4)});`,
    `per coordinate in middle 80%: ${free.map((i) => s((g) => mid(g[i]!, 0.8))).join(' ')};`,
    `at an end: ${free.map((i) => s((g) => end(g[i]!))).join(' ')};`,
    `three or more at an end: ${s((g) => free.filter((i) => end(g[i]!)).length >= 3)}`,
  );
}
