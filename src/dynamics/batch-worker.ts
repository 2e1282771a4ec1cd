import { parentPort, workerData } from 'node:worker_threads';
import { batchArrays, makeBatchKernel, type BatchLayout } from './batch.js';

/**
 * Worker side of batch-pool.ts: compiles the kernel from its source text (no derivation in the
 * worker) and runs lane ranges on the shared state when asked.
 */
const { source, layout, buffer } = (workerData as { data: { source: string; layout: BatchLayout; buffer: SharedArrayBuffer } }).data;
const kernel = makeBatchKernel(source, layout.n);
const a = batchArrays(layout, buffer);

parentPort!.on('message', (msg: { lo: number; hi: number; steps: number }) => {
  const t0 = performance.now();
  try {
    kernel(msg.lo, msg.hi, layout.N, msg.steps, a.th, a.thE, a.h, a.hE, a.warm, a.rec);
    parentPort!.postMessage({ ok: true, ms: performance.now() - t0 });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
});
parentPort!.postMessage({ ready: true });
