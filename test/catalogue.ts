import { it, expect } from 'vitest';
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import { lemmaFiles, loadLemmas } from '../src/lemma/load.js';
import { DEFAULT_SEED, verifyLoaded } from '../src/check/catalogue.js';
import type { Outcome } from '../src/check/outcome.js';

declare module 'vitest' {
  interface TaskMeta {
    outcome?: Outcome;
  }
}

export const SEED = Number(process.env.EOS_SEED ?? DEFAULT_SEED);

/**
 * Registers one test per lemma in lemmas/ whose index is `part` mod `parts`: the catalogue is
 * split over several test files so vitest spreads it over both cores.
 */
export async function catalogueTests(part: number, parts: number): Promise<void> {
  const model = deriveModel(minimalistModel);
  const files = lemmaFiles('lemmas').filter((_, i) => i % parts === part);
  const loaded = await loadLemmas(files, model);
  for (const l of loaded) {
    const name = l.ok ? l.lemma.id : `${l.file} (${l.id ?? 'unloadable'})`;
    it(name, async ({ task }) => {
      const o = await verifyLoaded(model, l, { seed: SEED });
      task.meta.outcome = o;
      expect(o.kind, o.detail).not.toBe('ERROR');
      expect(o.asExpected, `${o.id}: expected ${o.expect === 'holds' ? 'PROVED or VERIFIED' : 'FALSIFIED'}, got ${o.kind}: ${o.detail}`).toBe(true);
    });
  }
}
