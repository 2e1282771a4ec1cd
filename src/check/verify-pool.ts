import type { DerivedModel } from '../symbolic/derive.js';
import { runWorkPool } from '../dynamics/work-pool.js';
import { siblingModule } from '../dynamics/ts-worker.js';
import type { Outcome } from './outcome.js';
import { InterruptedError, type VerifyOptions } from './verify.js';
import type { UnitPayload, VerifyUnit, VerifyWorkerData } from './verify-protocol.js';
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
 * they settle (with the lemma's index), `onUnit` each unit of a lemma not yet settled. The pool is the one of dynamics/work-pool.ts; on abort it rejects with InterruptedError.
 */
export function verifyInWorkers(
  model: DerivedModel,
  files: string[],
  loaded: LoadedLemma[],
  indices: number[],
  opts: Omit<VerifyOptions, 'seed'> & { seed: number },
  jobs: number,
  onOutcome?: (o: Outcome, index: number) => void,
  onUnit?: (index: number, iterates: number) => void,
): Promise<Outcome[]> {
  const { signal, onBlock: _callback, ...plain } = opts;
  const data: VerifyWorkerData = { modelSpec: model.spec, files, opts: plain };
  const units = lemmaUnits(loaded, indices, plain);
  const perLemma = new Map<number, (UnitPayload | undefined)[]>();
  for (const u of units) {
    const list = perLemma.get(u.index) ?? [];
    list.push(undefined);
    perLemma.set(u.index, list);
  }
  const results = new Map<number, Outcome>();
  const times = new Map<number, number>();
  let next = 0;
  return runWorkPool<VerifyUnit, UnitPayload>({
    worker: siblingModule(import.meta.url, './verify-worker'),
    data,
    workers: Math.min(jobs, units.length),
    name: 'verification worker',
    signal,
    aborted: () => new InterruptedError(),
    next: () => {
      // Units of a lemma already settled (a violation in an earlier block) are not needed.
      while (next < units.length && results.has(units[next]!.index)) next++;
      if (next >= units.length) return null;
      const u = units[next]!;
      return { id: next++, item: { index: u.index, block: u.block } };
    },
    onDone: (id, result, ms) => {
      const u = units[id]!;
      times.set(u.index, (times.get(u.index) ?? 0) + ms);
      const list = perLemma.get(u.index)!;
      if (!results.has(u.index)) {
        onUnit?.(u.index, result.kind === 'block' ? result.block.iterates : 0);
        list[u.block ?? 0] = result;
        if (unitsSettle(list)) {
          const l = loaded[u.index]!;
          const payloads = list.filter((x): x is UnitPayload => x !== undefined);
          const o = l.ok ? outcomeFromUnits(l, payloads, plain, model) : (payloads[0] as Extract<UnitPayload, { kind: 'outcome' }>).outcome;
          o.timeMs = Math.round(times.get(u.index)!);
          results.set(u.index, o);
          onOutcome?.(o, u.index);
        }
      }
      return results.size === indices.length;
    },
  }).then(() => indices.map((i) => results.get(i)!));
}
