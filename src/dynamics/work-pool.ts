import type { Worker } from 'node:worker_threads';
import { startTsWorker } from './ts-worker.js';

/**
 * The one worker pool of verify, report and sweep: one protocol, one dispatcher. A worker is started
 * with its data, says `ready`, and then does the items it is handed one after another, answering each
 * with `done` (or `error`, which fails the run). The caller decides what to hand out next (`next`:
 * an item, `undefined` for "nothing right now", `null` for "nothing more") and what a result means
 * (`onDone`, which returns true when the run is complete). Each worker keeps at most `queue` items,
 * so fast and slow items balance themselves. On abort, or on any error, every worker is terminated at
 * once (workers hold no files or other state worth a clean stop).
 *
 * (The bench's BatchPool is not a client: it shares a SharedArrayBuffer of lanes with its workers and
 * hands out lanes through an atomic counter, with no messages per item.)
 */
export type ToWorkWorker<T> = { type: 'work'; id: number; item: T };
export type FromWorkWorker<R> = { type: 'ready' } | { type: 'done'; id: number; result: R; ms: number } | { type: 'error'; message: string };

export interface WorkPoolOptions<T, R> {
  /** The worker module (it calls serveWork, work-worker.ts). */
  worker: URL;
  /** What every worker is started with. */
  data: unknown;
  workers: number;
  /** Items kept queued in each worker (default 1). */
  queue?: number;
  next: () => { id: number; item: T } | undefined | null;
  onDone: (id: number, result: R, ms: number, worker: number) => boolean;
  signal?: AbortSignal;
  /** The error the run rejects with when the signal aborts. */
  aborted: () => Error;
  /** Names the pool in errors ("verification worker 2: ..."). */
  name: string;
}

export function runWorkPool<T, R>(o: WorkPoolOptions<T, R>): Promise<void> {
  if (o.signal?.aborted) return Promise.reject(o.aborted());
  const queue = o.queue ?? 1;
  return new Promise<void>((resolve, reject) => {
    const pool: { w: Worker; ready: boolean; queued: number }[] = [];
    let finished = false;
    let exhausted = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      o.signal?.removeEventListener('abort', onAbort);
      for (const x of pool) void x.w.terminate();
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish(o.aborted());
    o.signal?.addEventListener('abort', onAbort);
    // Hand out items to every ready worker with room, in worker order (deterministic dispatch).
    const fill = () => {
      for (const x of pool) {
        while (!finished && !exhausted && x.ready && x.queued < queue) {
          const n = o.next();
          if (n === null) exhausted = true;
          if (!n) break;
          x.queued++;
          x.w.postMessage({ type: 'work', id: n.id, item: n.item } satisfies ToWorkWorker<T>);
        }
      }
    };
    for (let k = 0; k < Math.max(1, o.workers); k++) {
      const x = { w: startTsWorker(o.worker, o.data), ready: false, queued: 0 };
      pool.push(x);
      x.w.on('message', (m: FromWorkWorker<R>) => {
        if (finished) return;
        if (m.type === 'ready') {
          x.ready = true;
          fill();
        } else if (m.type === 'done') {
          x.queued--;
          let complete: boolean;
          try {
            complete = o.onDone(m.id, m.result, m.ms, k);
          } catch (e) {
            finish(e as Error);
            return;
          }
          if (complete) finish();
          else fill();
        } else finish(new Error(`${o.name} ${k + 1}: ${m.message}`));
      });
      x.w.on('error', (e) => finish(new Error(`${o.name} ${k + 1}: ${e.message}`)));
      x.w.on('exit', (code) => {
        if (!finished) finish(new Error(`${o.name} ${k + 1} exited (code ${code}) before the work was done`));
      });
    }
  });
}
