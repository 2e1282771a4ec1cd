import { deriveModel } from '../symbolic/derive.js';
import { loadLemmas } from '../lemma/load.js';
import { serveWork } from '../dynamics/work-worker.js';
import { UnitRunner } from './shard.js';
import type { UnitPayload, VerifyUnit, VerifyWorkerData } from './verify-protocol.js';

/**
 * A verification worker of the work pool: derives the model and loads the lemma files once (in the
 * same order as the parent, so lemma indices agree), then runs the units it is handed (a whole lemma,
 * or one block of a lemma's draws) in the order they came.
 */
await serveWork<VerifyUnit, UnitPayload>(async ({ modelSpec, files, opts }: VerifyWorkerData) => {
  const model = deriveModel(modelSpec);
  const loaded = await loadLemmas(files, model);
  const runner = new UnitRunner(model, opts);
  return (u) => runner.run(loaded[u.index]!, u.block);
});
