import { deriveModel, type DerivedModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { lemmaFiles, loadLemmas } from '../../src/lemma/load.js';
import { quantifierKind } from '../../src/lemma/quantifiers/index.js';
import type { CompiledLemma } from '../../src/lemma/compile.js';
import { drawGrids, gridToPoint } from '../../src/check/draw.js';

/** A start of one of a pack's trajectory lemmas, as the checker draws it. */
export interface PackDraw {
  lemma: CompiledLemma;
  hyper: Record<string, number>;
  init: number[];
}

/** A pack's model and `perLemma` draws (seed `seed`) of each of its trajectory lemmas, in load order. */
export async function packDraws(packName: string, seed: number, perLemma: number): Promise<{ model: DerivedModel; draws: PackDraw[] }> {
  const pack = loadPack(packName);
  const model = deriveModel(pack.spec);
  const draws: PackDraw[] = [];
  for (const l of await loadLemmas(lemmaFiles(pack.lemmaDir!), model)) {
    if (!l.ok || quantifierKind(l.lemma.quantifier.kind)?.mode !== 'trajectory') continue;
    for (const g of drawGrids(l.lemma, seed, perLemma)) {
      const p = gridToPoint(l.lemma, g);
      draws.push({ lemma: l.lemma, hyper: p.hyper, init: model.params.map((k) => p.init[k]!) });
    }
  }
  return { model, draws };
}
