import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from './ts-worker.js';
import type { GDBatch } from './batch.js';

export interface WorkerShare {
  lanes: [number, number];
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
 * owns a contiguous lane range, so no two threads touch the same element.
 */
export class BatchPool {
  private constructor(
    private readonly workers: Worker[],
    private readonly ranges: [number, number][],
  ) {}

  static async create(batch: GDBatch, nWorkers = availableParallelism()): Promise<BatchPool> {
    if (!(batch.buffer instanceof SharedArrayBuffer)) throw new Error('BatchPool needs a GDBatch created with shared = true');
    const k = Math.max(1, Math.min(nWorkers, batch.N));
    const ranges: [number, number][] = [];
    for (let w = 0; w < k; w++) ranges.push([Math.floor((w * batch.N) / k), Math.floor(((w + 1) * batch.N) / k)]);
    const data = { source: batch.kernelSource(), layout: batch.layout, buffer: batch.buffer };
    const workers = ranges.map(() => startTsWorker(new URL('./batch-worker.ts', import.meta.url), data));
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('error', reject);
            w.once('message', () => resolve());
          }),
      ),
    );
    return new BatchPool(workers, ranges);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Advance every lane by `steps` steps, in parallel. */
  async run(steps: number): Promise<PoolRun> {
    const t0 = performance.now();
    const shares = await Promise.all(
      this.workers.map(
        (w, i) =>
          new Promise<WorkerShare>((resolve, reject) => {
            const onError = (e: unknown) => reject(e);
            w.once('error', onError);
            w.once('message', (m: { ok: boolean; ms?: number; error?: string }) => {
              w.off('error', onError);
              if (m.ok) resolve({ lanes: this.ranges[i]!, ms: m.ms! });
              else reject(new Error(`batch worker ${i}: ${m.error}`));
            });
            w.postMessage({ lo: this.ranges[i]![0], hi: this.ranges[i]![1], steps });
          }),
      ),
    );
    return { wallMs: performance.now() - t0, workers: shares };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
