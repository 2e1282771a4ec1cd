import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorkWorker, ToWorkWorker } from './work-pool.js';

/**
 * The worker side of work-pool.ts: `setup` runs once with the pool's data and returns the function
 * that does one item. Items are done one after another in the order they came (messages queue while
 * one runs, so the thread never idles between items); a failure is reported and ends the run.
 */
export async function serveWork<T, R>(setup: (data: any) => Promise<(item: T) => Promise<R> | R> | ((item: T) => Promise<R> | R)): Promise<void> {
  const port = parentPort!;
  const send = (m: FromWorkWorker<R>) => port.postMessage(m);
  try {
    const work = await setup((workerData as { data: unknown }).data);
    let chain = Promise.resolve();
    port.on('message', (m: ToWorkWorker<T>) => {
      chain = chain.then(async () => {
        try {
          const t0 = performance.now();
          const result = await work(m.item);
          send({ type: 'done', id: m.id, result, ms: performance.now() - t0 });
        } catch (e) {
          send({ type: 'error', message: (e as Error).message });
        }
      });
    });
    send({ type: 'ready' });
  } catch (e) {
    send({ type: 'error', message: (e as Error).message });
  }
}
