import { parentPort, workerData } from 'node:worker_threads';
import { batchArrays, makeBatchKernel, type BatchLayout } from './batch.js';

/**
 * Worker side of batch-pool.ts: compiles the kernel from its source text (no derivation in the
 * worker) and, when asked, takes chunks of lanes from the shared counter until none are left.
 */
const { source, layout, buffer, counter } = (workerData as { data: { source: string; layout: BatchLayout; buffer: SharedArrayBuffer; counter: SharedArrayBuffer } })
  .data;
const kernel = makeBatchKernel(source, layout.n);
const a = batchArrays(layout, buffer);
const next = new Int32Array(counter);

parentPort!.on('message', (msg: { steps: number; chunk: number }) => {
  const t0 = performance.now();
  let lanes = 0;
  try {
    for (;;) {
      const lo = Atomics.add(next, 0, msg.chunk);
      if (lo >= layout.N) break;
      const hi = Math.min(lo + msg.chunk, layout.N);
      kernel(lo, hi, layout.N, msg.steps, a.th, a.thE, a.h, a.hE, a.warm, a.rec);
      lanes += hi - lo;
    }
    parentPort!.postMessage({ ok: true, ms: performance.now() - t0, lanes });
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
});
parentPort!.postMessage({ ready: true });
