import type { Worker } from 'node:worker_threads';
import type { ModelSpec } from '../model/spec.js';
import { startTsWorker } from '../dynamics/ts-worker.js';
import type { Row } from './cell.js';
import { shardCell, shardSize, cellCount, type Shard, type SweepSpec } from './grid.js';
import type { FromWorker, ToWorker } from './protocol.js';

/**
 * The worker pool. Cells are handed out in index order, in small batches, to whichever worker asks
 * (each keeps at most two batches queued), so fast and slow cells balance themselves. Rows come back
 * in any order and leave through `onRow` in index order.
 *
 * Memory bound: no cell is handed out more than WINDOW positions ahead of the next row to be written,
 * so the reorder buffer never holds more than WINDOW rows (a few hundred bytes each), whatever the grid
 * size. A very slow cell can therefore stall the other workers once they are WINDOW cells ahead; with
 * WINDOW = 4096 and cells of comparable cost that does not happen in practice.
 */
export const WINDOW = 4096;
const QUEUED_BATCHES = 2;

export interface PoolOptions {
  workers: number;
  /** Cells per batch; default: small enough that the last batches spread over all workers. */
  batch?: number;
  window?: number;
  signal?: AbortSignal;
  onRow: (row: Row) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface WorkerStats {
  cells: number;
  /** Time spent computing cells (not waiting), ms. */
  busyMs: number;
}

export class SweepAborted extends Error {
  constructor(readonly done: number, readonly total: number) {
    super(`interrupted after ${done} of ${total} cells`);
    this.name = 'SweepAborted';
  }
}

/** Releases values in position order 0, 1, 2, ... whatever order they arrive in; holds only the early arrivals. */
export class InOrder<T> {
  private readonly early = new Map<number, T>();
  next = 0;

  constructor(private readonly emit: (v: T) => void) {}

  get held(): number {
    return this.early.size;
  }

  put(position: number, v: T): void {
    this.early.set(position, v);
    for (let r = this.early.get(this.next); r !== undefined; r = this.early.get(this.next)) {
      this.early.delete(this.next);
      this.next++;
      this.emit(r);
    }
  }
}

export function defaultBatch(total: number, workers: number): number {
  return Math.max(1, Math.min(16, Math.floor(total / (workers * 16))));
}

/** Runs the cells of one shard on `workers` threads; resolves with per-worker statistics once every row has gone through onRow. */
export function runSweep(spec: SweepSpec, modelSpec: ModelSpec, shard: Shard, opts: PoolOptions): Promise<WorkerStats[]> {
  const total = shardSize(cellCount(spec), shard);
  const nWorkers = Math.max(1, Math.min(opts.workers, total));
  const batch = opts.batch ?? defaultBatch(total, nWorkers);
  const window = opts.window ?? WINDOW;
  if (total === 0) return Promise.resolve([]);
  if (opts.signal?.aborted) return Promise.reject(new SweepAborted(0, total));

  return new Promise((resolve, reject) => {
    const order = new InOrder<Row>(opts.onRow);
    let nextDispatch = 0;
    let finished = false;
    const workers: { w: Worker; queued: number; ready: boolean; stats: WorkerStats }[] = [];

    const stop = (err?: Error) => {
      if (finished) return;
      finished = true;
      opts.signal?.removeEventListener('abort', onAbort);
      for (const x of workers) void x.w.terminate();
      if (err) reject(err);
      else resolve(workers.map((x) => x.stats));
    };
    const onAbort = () => stop(new SweepAborted(order.next, total));
    opts.signal?.addEventListener('abort', onAbort);

    const fill = (x: (typeof workers)[number]) => {
      while (!finished && x.ready && x.queued < QUEUED_BATCHES && nextDispatch < total && nextDispatch < order.next + window) {
        const end = Math.min(nextDispatch + batch, total, order.next + window);
        const cells: number[] = [];
        for (let p = nextDispatch; p < end; p++) cells.push(shardCell(shard, p));
        nextDispatch = end;
        x.queued++;
        x.w.postMessage({ type: 'cells', cells } satisfies ToWorker);
      }
    };

    const onMessage = (x: (typeof workers)[number], m: FromWorker) => {
      if (finished) return;
      switch (m.type) {
        case 'ready':
          x.ready = true;
          fill(x);
          return;
        case 'batch-done':
          x.queued--;
          fill(x);
          return;
        case 'error':
          stop(new Error(m.message));
          return;
        case 'row': {
          x.stats.cells++;
          x.stats.busyMs += m.ms;
          const before = order.next;
          try {
            order.put((m.row.cell - (shard.k - 1)) / shard.n, m.row);
          } catch (e) {
            stop(e as Error);
            return;
          }
          if (order.next !== before) {
            opts.onProgress?.(order.next, total);
            if (order.next === total) stop();
            // The window moved: workers held back by it may take more.
            else for (const y of workers) fill(y);
          }
        }
      }
    };

    for (let i = 0; i < nWorkers; i++) {
      const w = startTsWorker(new URL('./worker.ts', import.meta.url), { spec, modelSpec });
      const x = { w, queued: 0, ready: false, stats: { cells: 0, busyMs: 0 } };
      workers.push(x);
      w.on('message', (m: FromWorker) => onMessage(x, m));
      w.on('error', (e) => stop(new Error(`worker ${i + 1}: ${e.message}`)));
      w.on('exit', (code) => {
        if (!finished) stop(new Error(`worker ${i + 1} exited (code ${code}) before the sweep finished`));
      });
    }
  });
}
