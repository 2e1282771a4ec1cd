import { it, expect } from 'vitest';
import { basename } from 'node:path';
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
    /** The lemma's place in its pack's catalogue: the file's index, then the lemma's index in the file. */
    order?: [number, number];
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
  const all = lemmaFiles(pack.lemmaDir!);
  const files = all.filter((_, i) => i % parts === part);
  const loaded = await loadLemmas(files, model);
  const inFile = new Map<string, number>();
  for (const l of loaded) {
    const file = l.ok ? l.lemma.file : l.file;
    const order: [number, number] = [all.findIndex((f) => basename(f) === basename(file)), inFile.get(file) ?? 0];
    inFile.set(file, order[1] + 1);
    const name = `${packName === 'minimalist' ? '' : `${packName}: `}${l.ok ? l.lemma.id : `${l.file} (${l.id ?? 'unloadable'})`}`;
    it(name, async ({ task }) => {
      const o = await verifyLoaded(model, l, { seed: SEED, modelArg: packName === 'minimalist' ? '' : ` --model ${packName}` });
      task.meta.outcome = o;
      task.meta.pack = packName;
      task.meta.order = order;
      expect(o.kind, o.detail).not.toBe('ERROR');
      expect(o.asExpected, `${o.id}: expected ${o.expect === 'holds' ? 'PROVED or VERIFIED' : 'FALSIFIED'}, got ${o.kind}: ${o.detail}`).toBe(true);
    });
  }
}
