import type { Row } from './cell.js';

/** Messages between the pool (run.ts) and a worker (worker.ts). */
export type ToWorker = { type: 'cells'; cells: number[] };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'row'; row: Row; ms: number }
  | { type: 'batch-done' }
  | { type: 'error'; message: string };
