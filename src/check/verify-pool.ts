import type { Worker } from 'node:worker_threads';
import type { DerivedModel } from '../symbolic/derive.js';
import { startTsWorker } from '../dynamics/ts-worker.js';
import type { Outcome } from './outcome.js';
import { InterruptedError, type VerifyOptions } from './verify.js';
import type { FromVerifyWorker, ToVerifyWorker, VerifyWorkerData } from './verify-protocol.js';

/**
 * Verifies the lemmas at `indices` (positions in the load order of `files`) on `jobs` worker threads.
 * Lemmas are handed out one at a time to whichever worker is free, so a slow lemma (a Z3 proof) does
 * not hold up the rest. Each lemma's seed depends only on the report seed and its id, so the
 * outcomes are those of a single-thread run; they are returned in index order, and `onOutcome` sees
 * them as they finish. On abort the workers are terminated at once (they hold no files or other
 * state worth a clean stop) and the promise rejects with InterruptedError.
 */
export function verifyInWorkers(
  model: DerivedModel,
  files: string[],
  indices: number[],
  opts: Omit<VerifyOptions, 'seed'> & { seed: number },
  jobs: number,
  onOutcome?: (o: Outcome) => void,
): Promise<Outcome[]> {
  const { signal, ...plain } = opts;
  const data: VerifyWorkerData = { modelSpec: model.spec, files, opts: plain };
  const results = new Map<number, Outcome>();
  const workers: Worker[] = [];
  let next = 0;
  let settled = false;
  return new Promise<Outcome[]>((resolve, reject) => {
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(indices.map((i) => results.get(i)!));
    };
    const feed = (w: Worker) => {
      if (next < indices.length) w.postMessage({ type: 'lemma', index: indices[next++]! } satisfies ToVerifyWorker);
    };
    const onAbort = () => finish(new InterruptedError());
    signal?.addEventListener('abort', onAbort);
    const n = Math.min(jobs, indices.length);
    for (let k = 0; k < n; k++) {
      const w = startTsWorker(new URL('./verify-worker.ts', import.meta.url), data);
      workers.push(w);
      w.on('message', (m: FromVerifyWorker) => {
        if (settled) return;
        if (m.type === 'ready') feed(w);
        else if (m.type === 'outcome') {
          results.set(m.index, m.outcome);
          onOutcome?.(m.outcome);
          if (results.size === indices.length) finish();
          else feed(w);
        } else finish(new Error(`verification worker ${k + 1}: ${m.message}`));
      });
      w.on('error', (e) => finish(new Error(`verification worker ${k + 1}: ${e.message}`)));
      w.on('exit', (code) => {
        if (!settled) finish(new Error(`verification worker ${k + 1} exited (code ${code}) before its lemmas were done`));
      });
    }
    if (signal?.aborted) onAbort();
  });
}
