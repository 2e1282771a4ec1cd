import type { DerivedModel } from '../symbolic/derive.js';
import { runWorkPool } from '../dynamics/work-pool.js';
import { siblingModule } from '../dynamics/ts-worker.js';
import type { Outcome } from './outcome.js';
import { InterruptedError, type VerifyOptions } from './verify.js';
import type { UnitPayload, VerifyUnit, VerifyWorkerData } from './verify-protocol.js';
import { lemmaData, type LemmaData, type LoadedLemma } from '../lemma/load.js';
import { exportDerivation, type DerivationData } from '../symbolic/derivation-data.js';
import { drawBlockOf, lemmaUnits, outcomeFromUnits, reachUnitOf, UnitRunner, unitsSettle } from './shard.js';
import { BLOCK, searchBudget } from './sample.js';
import { lemmaRuns } from './verify.js';

/**
 * Estimated work of a unit, in lemma-iterates: a block's trajectories (its draws and its search) times
 * the lemma's steps plus TRAJECTORY_WORK each (setting a trajectory up, its exact decisions, a flow
 * limit); an identity counts as IDENTITY_WORK (the catapult-n2
 * identities took 0.5-4.6 s each, loaded machine), a lemma that did not load nothing. Only the number of threads started depends on it,
 * never an outcome.
 */
const IDENTITY_WORK = 1e6;
const TRAJECTORY_WORK = 2e3;
/** A box-step of a box unit (check/box-reach.ts): about 1.4 ms, against about 1.2 us per estimated lemma-iterate of a sampled block (scalar-d2, helper measurement, load 12.5). */
const BOX_STEP_WORK = 1e3;
/**
 * Work that pays for one more worker thread, in estimated lemma-iterates, before anything has run
 * (workersFor; the tests' fixed sizing). verifyInWorkers itself sizes the threads by time instead
 * (WORKER_PAYS_MS), because the estimate is off by up to tenfold between packs.
 */
export const WORK_PER_WORKER = 4e6;
/**
 * Projected single-thread time of the remaining work that pays for one more worker thread: four times
 * what a worker's start-up costs. A worker starts warm (WarmWorkerData: no derivation, no lemma file
 * imported), so what is left is module loading, the kernels, each lemma's compilation on its first
 * unit, and Z3 if it ends up with an identity (workers take blocks of draws first); about 2.5 s of CPU
 * beside a busy machine (load 13), against 3.7 s when workers derived and imported everything again
 * (bench/worker-warmup.ts). Kept at 4 s, sized when start-up cost about a second on a quiet machine:
 * below it a thread would still be starting when the work is done, and on a busy machine its start-up
 * takes CPU from the work.
 */
export const WORKER_PAYS_MS = 4000;

/**
 * What a verification worker starts with: besides the model's spec and the lemma files (from which it
 * could derive and load everything again), the derivation as plain data and the lemmas as loaded here,
 * so that it starts warm: no derivation, no cross-check, no TypeScript lemma file imported again
 * (symbolic/derivation-data.ts, lemma/load.ts lemmaData). `lemmas[i]` is null for a lemma the run does
 * not check. Either is null when it cannot be copied to a thread (a tree or a lemma file's export that
 * has no plain form); the worker then derives or loads it itself, with the same outcomes.
 */
export interface WarmWorkerData extends VerifyWorkerData {
  derivation: DerivationData | null;
  lemmas: (LemmaData | null)[] | null;
}

export function warmWorkerData(model: DerivedModel, files: string[], loaded: LoadedLemma[], indices: number[], opts: VerifyWorkerData['opts']): WarmWorkerData {
  let derivation: DerivationData | null = null;
  try {
    derivation = exportDerivation(model);
  } catch {
    // A node type without a plain form: the workers derive the model from its spec.
  }
  const wanted = new Set(indices);
  let lemmas: (LemmaData | null)[] | null = loaded.map((l, i) => (wanted.has(i) ? lemmaData(l) : null));
  try {
    structuredClone(lemmas);
  } catch {
    // A code file exported something a thread cannot receive (a function, a symbol): workers import the files.
    lemmas = null;
  }
  return { modelSpec: model.spec, files, opts, derivation, lemmas };
}

export function unitWork(l: LoadedLemma, block: number | null, opts: Parameters<typeof lemmaRuns>[1]): number {
  if (!l.ok) return 0;
  if (block === null) return IDENTITY_WORK;
  const reach = reachUnitOf(l, block, opts);
  if (reach) return reach.kind === 'kept' ? reach.obligations * IDENTITY_WORK : reach.boxSteps * BOX_STEP_WORK;
  const draw = drawBlockOf(l, block, opts)!;
  const runs = lemmaRuns(l.lemma, opts);
  const draws = Math.min(BLOCK, runs - draw * BLOCK);
  return (draws + searchBudget(draws, l.lemma.tightness !== undefined)) * (l.lemma.steps + 1 + TRAJECTORY_WORK);
}

/** Worker threads beside the calling thread for this much work with `jobs` threads allowed in all. */
export function workersFor(work: number, jobs: number, perWorker = WORK_PER_WORKER): number {
  return Math.max(0, Math.min(jobs - 1, perWorker > 0 ? Math.floor(work / perWorker) : jobs - 1));
}

/**
 * Verifies the lemmas at `indices` (positions in the load order of `files`) on `jobs` threads: the
 * calling thread, which starts at once, and up to jobs - 1 worker threads, started as the run goes when
 * the calling thread's own pace (its time per unit of estimated work) projects at least WORKER_PAYS_MS
 * of single-thread work left per thread, so more jobs do not make a small run slower. Which thread ran
 * a unit never changes an outcome.
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
  tuning: { workPerWorker?: number; onWorkers?: (workers: number) => void; onThread?: (unit: VerifyUnit, worker: number) => void } = {},
): Promise<Outcome[]> {
  const { signal, onBlock: _callback, ...plain } = opts;
  const data = warmWorkerData(model, files, loaded, indices, plain);
  const units = lemmaUnits(loaded, indices, plain);
  const workOf = units.map((u) => unitWork(loaded[u.index]!, u.block, plain));
  // A block of draws yields between its trajectories; a whole lemma and a unit of boxes of starts do not.
  const yields = units.map((u) => u.block !== null && reachUnitOf(loaded[u.index]!, u.block, plain) === null);
  let workLeft = workOf.reduce((a, b) => a + b, 0);
  const maxWorkers = Math.max(0, Math.min(jobs - 1, units.length - 1));
  // With a fixed size (tests), that many threads from the start; else none until the pace is known.
  const fixed = tuning.workPerWorker === undefined ? null : Math.min(maxWorkers, workersFor(workLeft, jobs, tuning.workPerWorker));
  let started = fixed ?? 0;
  let localMs = 0;
  let localWork = 0;
  const wantWorkers = () => {
    if (fixed !== null || localWork === 0) return started;
    const projectedMs = (localMs / localWork) * workLeft;
    started = Math.max(started, Math.min(maxWorkers, Math.floor(projectedMs / WORKER_PAYS_MS)));
    return started;
  };
  // The calling thread's runner, made on its first unit with the pool's stop signal (one per run).
  let local: UnitRunner | null = null;
  const perLemma = new Map<number, (UnitPayload | undefined)[]>();
  for (const u of units) {
    const list = perLemma.get(u.index) ?? [];
    list.push(undefined);
    perLemma.set(u.index, list);
  }
  const results = new Map<number, Outcome>();
  const times = new Map<number, number>();
  // Units are handed out once each; head: every unit before it is handed out or not needed; blockHead and
  // wholeHead: the same for the units that yield (blocks of draws) and for the others.
  const handed = new Uint8Array(units.length);
  let head = 0;
  let blockHead = 0;
  let wholeHead = 0;
  // Units of a lemma already settled (a violation in an earlier block) are not needed.
  const open = (i: number): boolean => {
    if (handed[i]) return false;
    if (!results.has(units[i]!.index)) return true;
    handed[i] = 1;
    workLeft -= workOf[i]!;
    return false;
  };
  /** The first unit from `from` on that is still to hand out and yields (or does not). */
  const firstOpen = (from: number, yielding: boolean): number => {
    while (from < units.length && (yields[from] !== yielding || !open(from))) from++;
    return from;
  };
  return runWorkPool<VerifyUnit, UnitPayload>({
    worker: siblingModule(import.meta.url, './verify-worker'),
    data,
    workers: started,
    maxWorkers,
    wantWorkers,
    // Abandoned (an InterruptedError) when the run completes or the caller's signal aborts.
    local: (u, stop) => {
      local ??= new UnitRunner(model, { ...plain, signal: signal ? AbortSignal.any([signal, stop]) : stop });
      return local.run(loaded[u.index]!, u.block);
    },
    name: 'verification worker',
    signal,
    aborted: () => new InterruptedError(),
    // Alone, the calling thread takes units in order. Once a worker thread runs, the calling thread takes blocks
    // of draws first and the workers the other units first: a whole lemma (a region proof, an induction proof) or a
    // unit of boxes of starts can run for half a minute without yielding, and on the calling thread that stalls the
    // dispatch, so a worker that finishes its unit meanwhile waits with nothing to do
    // (c5-region-sharpness-rises-in-phase-one left one of two cores idle for 28 s of the main job); a block of
    // draws yields between its trajectories.
    next: (worker) => {
      while (head < units.length && !open(head)) head++;
      if (head >= units.length) return null;
      let i = head;
      if (worker >= 0) {
        wholeHead = firstOpen(wholeHead, false);
        blockHead = firstOpen(blockHead, true);
        i = wholeHead < units.length ? wholeHead : blockHead < units.length ? blockHead : head;
      } else if (started > 0) {
        blockHead = firstOpen(blockHead, true);
        if (blockHead < units.length) i = blockHead;
      }
      handed[i] = 1;
      const u = units[i]!;
      return { id: i, item: { index: u.index, block: u.block } };
    },
    onDone: (id, result, ms, worker) => {
      const u = units[id]!;
      tuning.onThread?.(u, worker);
      workLeft -= workOf[id]!;
      if (worker === -1) {
        localMs += ms;
        localWork += workOf[id]!;
      }
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
  }).then(() => {
    tuning.onWorkers?.(started);
    return indices.map((i) => results.get(i)!);
  });
}
