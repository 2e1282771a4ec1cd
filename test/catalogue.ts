import { it, expect } from 'vitest';
import { deriveModel } from '../src/symbolic/derive.js';
import { loadPack, packNames } from '../src/model/pack.js';
import { lemmaFiles, loadLemmas } from '../src/lemma/load.js';
import { DEFAULT_SEED, verifyLoaded } from '../src/check/catalogue.js';
import type { Outcome } from '../src/check/outcome.js';

declare module 'vitest' {
  interface TaskMeta {
    outcome?: Outcome;
    /** The model pack the lemma belongs to. */
    pack?: string;
  }
}

export const SEED = Number(process.env.EOS_SEED ?? DEFAULT_SEED);

/** The registered packs other than the default one (their catalogues run in catalogue-part4 and -part5). */
export const OTHER_PACKS = packNames().filter((n) => n !== 'minimalist');

/**
 * Registers one test per lemma of the pack's catalogue whose file index is `part` mod `parts`: a
 * catalogue is split over several test files so vitest spreads it over both cores.
 */
export async function catalogueTests(part: number, parts: number, packName = 'minimalist'): Promise<void> {
  const pack = loadPack(packName);
  const model = deriveModel(pack.spec);
  const files = lemmaFiles(pack.lemmaDir!).filter((_, i) => i % parts === part);
  const loaded = await loadLemmas(files, model);
  for (const l of loaded) {
    const name = `${packName === 'minimalist' ? '' : `${packName}: `}${l.ok ? l.lemma.id : `${l.file} (${l.id ?? 'unloadable'})`}`;
    it(name, async ({ task }) => {
      const o = await verifyLoaded(model, l, { seed: SEED, modelArg: packName === 'minimalist' ? '' : ` --model ${packName}` });
      task.meta.outcome = o;
      task.meta.pack = packName;
      expect(o.kind, o.detail).not.toBe('ERROR');
      expect(o.asExpected, `${o.id}: expected ${o.expect === 'holds' ? 'PROVED or VERIFIED' : 'FALSIFIED'}, got ${o.kind}: ${o.detail}`).toBe(true);
    });
  }
}
