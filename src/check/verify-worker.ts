import { parentPort, workerData } from 'node:worker_threads';
import { deriveModel } from '../symbolic/derive.js';
import { loadLemmas } from '../lemma/load.js';
import { verifyLoaded } from './catalogue.js';
import type { FromVerifyWorker, ToVerifyWorker, VerifyWorkerData } from './verify-protocol.js';

/**
 * A verification worker: derives the model and loads the lemma files once (in the same order as the
 * parent, so lemma indices agree), then verifies the lemmas it is handed, one at a time, in the order
 * they came. The parent stops it by terminating the thread.
 */
const { modelSpec, files, opts } = (workerData as { data: VerifyWorkerData }).data;
const port = parentPort!;
const send = (m: FromVerifyWorker) => port.postMessage(m);

try {
  const model = deriveModel(modelSpec);
  const loaded = await loadLemmas(files, model);
  let chain = Promise.resolve();
  port.on('message', (m: ToVerifyWorker) => {
    chain = chain.then(async () => {
      try {
        send({ type: 'outcome', index: m.index, outcome: await verifyLoaded(model, loaded[m.index]!, opts) });
      } catch (e) {
        send({ type: 'error', message: (e as Error).message });
      }
    });
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'error', message: (e as Error).message });
}
