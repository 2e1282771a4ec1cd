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
 * With `local`, the calling thread is one more worker: it takes items from the same `next` from the
 * start, so the run does not wait for the threads' start-up (module loading, the model's kernels),
 * and with `workers: 0` nothing is started at all. Its item in progress when the run completes is
 * abandoned through `localSignal` (the caller's code must check it between steps).
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
  /** Asked by a free thread (`worker`: its index, -1 for the calling thread), so a caller can route items by thread. */
  next: (worker: number) => { id: number; item: T } | undefined | null;
  onDone: (id: number, result: R, ms: number, worker: number) => boolean;
  signal?: AbortSignal;
  /** The error the run rejects with when the signal aborts. */
  aborted: () => Error;
  /** Names the pool in errors ("verification worker 2: ..."). */
  name: string;
  /** Does one item on the calling thread (its results reach onDone with worker -1). */
  local?: (item: T, signal: AbortSignal) => Promise<R>;
  /**
   * With `local`: asked after each item the calling thread finishes how many worker threads the run
   * wants by now (it may start more than `workers`, up to `maxWorkers`), so a run can start threads
   * once it has seen how long its items take.
   */
  wantWorkers?: () => number;
  maxWorkers?: number;
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
      localStop.abort();
      wake?.();
      if (err) reject(err);
      else resolve();
    };
    const onAbort = () => finish(o.aborted());
    o.signal?.addEventListener('abort', onAbort);
    // Ends the calling thread's item in progress once the run is over (complete, aborted or failed).
    const localStop = new AbortController();
    let wake: (() => void) | null = null;
    // Starts the worker threads wantWorkers asks for beyond those running (after each item of the calling thread).
    let grow = () => {};
    const done = (id: number, result: R, ms: number, worker: number): void => {
      let complete: boolean;
      try {
        complete = o.onDone(id, result, ms, worker);
      } catch (e) {
        finish(e as Error);
        return;
      }
      if (complete) finish();
      else fill();
    };
    // Hand out items to every ready worker with room, in worker order (deterministic dispatch).
    const fill = () => {
      for (const [k, x] of pool.entries()) {
        while (!finished && !exhausted && x.ready && x.queued < queue) {
          const n = o.next(k);
          if (n === null) exhausted = true;
          if (!n) break;
          x.queued++;
          x.w.postMessage({ type: 'work', id: n.id, item: n.item } satisfies ToWorkWorker<T>);
        }
      }
      // The calling thread may be waiting for an item that was not there before.
      const w = wake;
      wake = null;
      w?.();
    };
    const local = o.local;
    if (local) {
      void (async () => {
        while (!finished && !exhausted) {
          const n = o.next(-1);
          if (n === null) exhausted = true;
          if (!n) {
            if (!exhausted) await new Promise<void>((r) => (wake = r));
            continue;
          }
          const t0 = performance.now();
          let result: R;
          try {
            result = await local(n.item, localStop.signal);
          } catch (e) {
            finish(localStop.signal.aborted ? undefined : (e as Error));
            return;
          }
          if (!finished) done(n.id, result, performance.now() - t0, -1);
          grow();
        }
      })();
    }
    const start = () => {
      const k = pool.length;
      const x = { w: startTsWorker(o.worker, o.data), ready: false, queued: 0 };
      pool.push(x);
      x.w.on('message', (m: FromWorkWorker<R>) => {
        if (finished) return;
        if (m.type === 'ready') {
          x.ready = true;
          fill();
        } else if (m.type === 'done') {
          x.queued--;
          done(m.id, m.result, m.ms, k);
        } else finish(new Error(`${o.name} ${k + 1}: ${m.message}`));
      });
      x.w.on('error', (e) => finish(new Error(`${o.name} ${k + 1}: ${e.message}`)));
      x.w.on('exit', (code) => {
        if (!finished) finish(new Error(`${o.name} ${k + 1} exited (code ${code}) before the work was done`));
      });
    };
    grow = () => {
      const want = Math.min(o.maxWorkers ?? o.workers, o.wantWorkers?.() ?? 0);
      while (!finished && !exhausted && pool.length < want) start();
    };
    for (let k = 0; k < (local ? o.workers : Math.max(1, o.workers)); k++) start();
  });
}
