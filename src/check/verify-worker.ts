import { parentPort, workerData } from 'node:worker_threads';
import { deriveModel } from '../symbolic/derive.js';
import { loadLemmas } from '../lemma/load.js';
import { UnitRunner } from './shard.js';
import type { FromVerifyWorker, ToVerifyWorker, VerifyWorkerData } from './verify-protocol.js';

/**
 * A verification worker: derives the model and loads the lemma files once (in the same order as the
 * parent, so lemma indices agree), then runs the units it is handed (a whole lemma, or one block of
 * a lemma's draws), one at a time, in the order they came. The parent stops it by terminating the thread.
 */
const { modelSpec, files, opts } = (workerData as { data: VerifyWorkerData }).data;
const port = parentPort!;
const send = (m: FromVerifyWorker) => port.postMessage(m);

try {
  const model = deriveModel(modelSpec);
  const loaded = await loadLemmas(files, model);
  const runner = new UnitRunner(model, opts);
  let chain = Promise.resolve();
  port.on('message', (m: ToVerifyWorker) => {
    chain = chain.then(async () => {
      try {
        const t0 = performance.now();
        const result = await runner.run(loaded[m.index]!, m.block);
        send({ type: 'unit', index: m.index, block: m.block, result, ms: performance.now() - t0 });
      } catch (e) {
        send({ type: 'error', message: (e as Error).message });
      }
    });
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'error', message: (e as Error).message });
}
