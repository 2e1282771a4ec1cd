import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { siblingModule, startTsWorker } from './ts-worker.js';
import type { GDBatch } from './batch.js';

export interface WorkerShare {
  /** Lanes this worker advanced (it took chunks of lanes as it became free). */
  lanes: number;
  /** Kernel time inside the worker. */
  ms: number;
}

export interface PoolRun {
  /** Wall time of the run as seen by the caller (dispatch to last answer). */
  wallMs: number;
  workers: WorkerShare[];
}

/**
 * Runs a GDBatch over worker threads. The batch's state lives on a SharedArrayBuffer, so workers
 * write their lanes in place and nothing is copied; each worker compiles the same kernel source and
 * takes chunks of lanes from a shared atomic counter until none are left, so no two threads touch the
 * same element and a worker whose lanes are cheap (float64-exact steps) takes more of them. Lanes are
 * independent, so the result does not depend on which worker ran which lane.
 */
export class BatchPool {
  private constructor(
    private readonly workers: Worker[],
    private readonly next: Int32Array,
    private readonly N: number,
  ) {}

  static async create(batch: GDBatch, nWorkers = availableParallelism()): Promise<BatchPool> {
    if (!(batch.buffer instanceof SharedArrayBuffer)) throw new Error('BatchPool needs a GDBatch created with shared = true');
    const k = Math.max(1, Math.min(nWorkers, batch.N));
    const counter = new SharedArrayBuffer(4);
    const data = { source: batch.kernelSource(), layout: batch.layout, buffer: batch.buffer, counter };
    const workers = Array.from({ length: k }, () => startTsWorker(siblingModule(import.meta.url, './batch-worker'), data));
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('error', reject);
            w.once('message', () => resolve());
          }),
      ),
    );
    return new BatchPool(workers, new Int32Array(counter), batch.N);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Advance every lane by `steps` steps, in parallel. */
  async run(steps: number): Promise<PoolRun> {
    const t0 = performance.now();
    // About 16 chunks per worker: small enough to even out, large enough that the counter is not contended.
    const chunk = Math.max(1, Math.ceil(this.N / (16 * this.workers.length)));
    Atomics.store(this.next, 0, 0);
    const shares = await Promise.all(
      this.workers.map(
        (w, i) =>
          new Promise<WorkerShare>((resolve, reject) => {
            const onError = (e: unknown) => reject(e);
            w.once('error', onError);
            w.once('message', (m: { ok: boolean; ms?: number; lanes?: number; error?: string }) => {
              w.off('error', onError);
              if (m.ok) resolve({ lanes: m.lanes!, ms: m.ms! });
              else reject(new Error(`batch worker ${i}: ${m.error}`));
            });
            w.postMessage({ steps, chunk });
          }),
      ),
    );
    return { wallMs: performance.now() - t0, workers: shares };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
