import type { Worker } from 'node:worker_threads';
import type { DerivedModel } from '../symbolic/derive.js';
import { startTsWorker } from '../dynamics/ts-worker.js';
import type { Outcome } from './outcome.js';
import { InterruptedError, type VerifyOptions } from './verify.js';
import type { FromVerifyWorker, ToVerifyWorker, UnitPayload, VerifyWorkerData } from './verify-protocol.js';
import type { LoadedLemma } from '../lemma/load.js';
import { lemmaUnits, outcomeFromUnits, unitsSettle } from './shard.js';

/**
 * Verifies the lemmas at `indices` (positions in the load order of `files`) on `jobs` worker threads.
 * The work is handed out in units, one at a time to whichever worker is free: a whole lemma
 * (identities, load errors) or one block of a sampled lemma's draws (check/sample.ts), so a large
 * lemma spreads over all workers and a slow one (a Z3 proof) does not hold up the rest. A lemma's
 * outcome is the fold of its units in order (check/shard.ts, the same code as `report merge`), so
 * the outcomes are those of a single-thread run; blocks after a violation are not handed out, and
 * one already running is ignored. Outcomes are returned in index order; `onOutcome` sees them as
 * they settle. On abort the workers are terminated at once (they hold no files or other state
 * worth a clean stop) and the promise rejects with InterruptedError.
 */
export function verifyInWorkers(
  model: DerivedModel,
  files: string[],
  loaded: LoadedLemma[],
  indices: number[],
  opts: Omit<VerifyOptions, 'seed'> & { seed: number },
  jobs: number,
  onOutcome?: (o: Outcome) => void,
): Promise<Outcome[]> {
  const { signal, ...plain } = opts;
  const data: VerifyWorkerData = { modelSpec: model.spec, files, opts: plain };
  const units = lemmaUnits(loaded, indices, plain);
  const perLemma = new Map<number, (UnitPayload | undefined)[]>();
  for (const u of units) {
    const list = perLemma.get(u.index) ?? [];
    list.push(undefined);
    perLemma.set(u.index, list);
  }
  const blockSlot = (u: { block: number | null }) => u.block ?? 0;
  const results = new Map<number, Outcome>();
  const times = new Map<number, number>();
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
      // Units of a lemma already settled (a violation in an earlier block) are not needed.
      while (next < units.length && results.has(units[next]!.index)) next++;
      if (next < units.length) {
        const u = units[next++]!;
        w.postMessage({ type: 'unit', index: u.index, block: u.block } satisfies ToVerifyWorker);
      }
    };
    const onAbort = () => finish(new InterruptedError());
    signal?.addEventListener('abort', onAbort);
    const n = Math.min(jobs, units.length);
    for (let k = 0; k < n; k++) {
      const w = startTsWorker(new URL('./verify-worker.ts', import.meta.url), data);
      workers.push(w);
      w.on('message', (m: FromVerifyWorker) => {
        if (settled) return;
        if (m.type === 'ready') feed(w);
        else if (m.type === 'unit') {
          times.set(m.index, (times.get(m.index) ?? 0) + m.ms);
          const list = perLemma.get(m.index)!;
          if (!results.has(m.index)) {
            list[blockSlot(m)] = m.result;
            if (unitsSettle(list)) {
              const l = loaded[m.index]!;
              const payloads = list.filter((x): x is UnitPayload => x !== undefined);
              const o = l.ok ? outcomeFromUnits(l, payloads, plain) : (payloads[0] as Extract<UnitPayload, { kind: 'outcome' }>).outcome;
              o.timeMs = Math.round(times.get(m.index)!);
              results.set(m.index, o);
              onOutcome?.(o);
            }
          }
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
