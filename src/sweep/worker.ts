import { parentPort, workerData } from 'node:worker_threads';
import type { ModelSpec } from '../model/spec.js';
import { deriveModel } from '../symbolic/derive.js';
import { runCell } from './cell.js';
import type { SweepSpec } from './grid.js';
import type { FromWorker, ToWorker } from './protocol.js';

/**
 * A sweep worker: derives the model once, then runs the cells it is handed, one batch per message,
 * and streams every row back as soon as it is done. The messages queue while a batch runs, so the
 * pool can keep a second batch waiting here and the thread never idles between batches.
 */
const { spec, modelSpec } = (workerData as { data: { spec: SweepSpec; modelSpec: ModelSpec } }).data;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

try {
  const model = deriveModel(modelSpec);
  if (model.hash !== spec.model.hash) throw new Error(`model hash ${model.hash} differs from the grid's ${spec.model.hash}`);
  port.on('message', (m: ToWorker) => {
    for (const k of m.cells) {
      const t0 = performance.now();
      let row;
      try {
        row = runCell(model, spec, k);
      } catch (e) {
        send({ type: 'error', message: `cell ${k}: ${(e as Error).message}` });
        return;
      }
      send({ type: 'row', row, ms: performance.now() - t0 });
    }
    send({ type: 'batch-done' });
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'error', message: (e as Error).message });
}
