import { importDerivation } from '../symbolic/derivation-data.js';
import { lemmaFromData, loadLemmas, type LoadedLemma } from '../lemma/load.js';
import { serveWork } from '../dynamics/work-worker.js';
import { UnitRunner } from './shard.js';
import type { UnitPayload, VerifyUnit } from './verify-protocol.js';
import type { WarmWorkerData } from './verify-pool.js';

/**
 * A verification worker of the work pool. It starts warm: the model from the derivation the calling
 * thread exported (its kernels compiled here, nothing derived again), and each lemma compiled from
 * the data the calling thread loaded, on the first unit that needs it. Only when the data could not be
 * copied does it derive the model from its spec, or load the lemma files (in the parent's order, so
 * lemma indices agree). Units (a whole lemma, or one block of a lemma's draws) run in the order they came. A pool of
 * several catalogues (verifyCatalogues) sends one such start per catalogue; each is set up on its first unit.
 */
await serveWork<VerifyUnit, UnitPayload>(async (catalogues: WarmWorkerData[]) => {
  // Each catalogue's model and lemmas, made on the first unit that needs them.
  const runners: Promise<(u: VerifyUnit) => Promise<UnitPayload>>[] = [];
  const setup = async ({ modelSpec, files, opts, derivation, lemmas }: WarmWorkerData) => {
    // The derivation code (mathjs's derivative, nerdamer) is loaded only when there is no derivation to import.
    const model = derivation ? importDerivation(derivation) : (await import('../symbolic/derive.js')).deriveModel(modelSpec);
    const loaded: (LoadedLemma | undefined)[] = lemmas ? [] : await loadLemmas(files, model);
    const lemmaAt = (i: number): LoadedLemma => {
      if (!lemmas) return loaded[i]!;
      const d = lemmas[i];
      if (!d) throw new Error(`verification worker: no data for lemma ${i}, which the run does not check`);
      return (loaded[i] ??= lemmaFromData(d, model));
    };
    const runner = new UnitRunner(model, opts);
    return (u: VerifyUnit) => runner.run(lemmaAt(u.index), u.block);
  };
  return async (u) => {
    const k = u.catalogue ?? 0;
    return (await (runners[k] ??= setup(catalogues[k]!)))(u);
  };
});
