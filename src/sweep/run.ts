import type { ModelSpec } from '../model/spec.js';
import { runWorkPool } from '../dynamics/work-pool.js';
import { siblingModule } from '../dynamics/ts-worker.js';
import type { Row } from './cell.js';
import { shardCell, shardSize, cellCount, type Shard, type SweepSpec } from './grid.js';

/**
 * The sweep on the work pool. Cells are handed out in index order to whichever worker has room
 * (each keeps at most two small batches of cells queued), so fast and slow cells balance themselves.
 * Rows come back in any order and leave through `onRow` in index order.
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

/** Runs the cells of one shard on `workers` threads (the work pool of dynamics/work-pool.ts); resolves with per-worker statistics once every row has gone through onRow. */
export function runSweep(spec: SweepSpec, modelSpec: ModelSpec, shard: Shard, opts: PoolOptions): Promise<WorkerStats[]> {
  const total = shardSize(cellCount(spec), shard);
  const nWorkers = Math.max(1, Math.min(opts.workers, total));
  const batch = opts.batch ?? defaultBatch(total, nWorkers);
  const window = opts.window ?? WINDOW;
  if (total === 0) return Promise.resolve([]);
  const order = new InOrder<Row>(opts.onRow);
  const stats: WorkerStats[] = Array.from({ length: nWorkers }, () => ({ cells: 0, busyMs: 0 }));
  let nextDispatch = 0;
  return runWorkPool<number, Row>({
    worker: siblingModule(import.meta.url, './worker'),
    data: { spec, modelSpec },
    workers: nWorkers,
    // Each worker keeps up to QUEUED_BATCHES batches of cells queued, so it never idles between cells.
    queue: QUEUED_BATCHES * batch,
    name: 'worker',
    signal: opts.signal,
    aborted: () => new SweepAborted(order.next, total),
    next: () => {
      if (nextDispatch >= total) return null;
      // The memory bound: nothing more than `window` positions ahead of the next row to be written.
      if (nextDispatch >= order.next + window) return undefined;
      const p = nextDispatch++;
      return { id: p, item: shardCell(shard, p) };
    },
    onDone: (position, row, ms, k) => {
      stats[k]!.cells++;
      stats[k]!.busyMs += ms;
      const before = order.next;
      order.put(position, row);
      if (order.next !== before) opts.onProgress?.(order.next, total);
      return order.next === total;
    },
  }).then(() => stats);
}
