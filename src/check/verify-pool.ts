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

/** One catalogue of a pool run: a model, its lemma files as loaded, the lemmas to check (positions in load order), its options. */
export interface PoolCatalogue {
  model: DerivedModel;
  files: string[];
  loaded: LoadedLemma[];
  indices: number[];
  opts: Omit<VerifyOptions, 'seed'> & { seed: number };
  /** Sees each outcome as it settles, with the lemma's index. */
  onOutcome?: (o: Outcome, index: number) => void;
  /** Sees each unit of a lemma not yet settled, with the iterates it checked. */
  onUnit?: (index: number, iterates: number) => void;
}

export interface PoolTuning {
  workPerWorker?: number;
  onWorkers?: (workers: number) => void;
  onThread?: (unit: VerifyUnit, worker: number) => void;
  /** False: the calling thread only hands units out and every unit runs on a worker thread (tests that must see one there). */
  callerRuns?: boolean;
}

/**
 * Verifies the lemmas at `indices` (positions in the load order of `files`) on `jobs` threads: verifyCatalogues with
 * one catalogue.
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
  tuning: PoolTuning = {},
): Promise<Outcome[]> {
  return verifyCatalogues([{ model, files, loaded, indices, opts, onOutcome, onUnit }], jobs, opts.signal, tuning).then((r) => r[0]!);
}

/**
 * Verifies the lemmas of several catalogues (each its own model: `report --model all`) on `jobs` threads: the
 * calling thread, which starts at once, and up to jobs - 1 worker threads, started as the run goes when
 * the calling thread's own pace (its time per unit of estimated work) projects at least WORKER_PAYS_MS
 * of single-thread work left per thread, so more jobs do not make a small run slower. Which thread ran
 * a unit never changes an outcome. One pool for all the catalogues: a worker starts once and holds each catalogue's
 * model as it first needs it, and no catalogue ends on a tail of one busy thread before the next one starts.
 * The work is handed out in units, one at a time to whichever worker is free: a whole lemma
 * (identities, load errors) or one block of a sampled lemma's draws (check/sample.ts), so a large
 * lemma spreads over all workers and a slow one (a Z3 proof) does not hold up the rest. A lemma's
 * outcome is the fold of its units in order (check/shard.ts, the same code as `report merge`), so
 * the outcomes are those of a single-thread run; blocks after a violation are not handed out, and
 * one already running is ignored. Outcomes are returned per catalogue in index order; a catalogue's `onOutcome`
 * sees them as they settle, `onUnit` each unit of a lemma not yet settled. The pool is the one of
 * dynamics/work-pool.ts; on abort (`signal`) it rejects with InterruptedError.
 */
export function verifyCatalogues(cats: PoolCatalogue[], jobs: number, signal?: AbortSignal, tuning: PoolTuning = {}): Promise<Outcome[][]> {
  const plains = cats.map((c) => {
    const { signal: _signal, onBlock: _callback, ...plain } = c.opts;
    return plain;
  });
  const data = cats.map((c, k) => warmWorkerData(c.model, c.files, c.loaded, c.indices, plains[k]!));
  const units = cats.flatMap((c, k) => lemmaUnits(c.loaded, c.indices, plains[k]!).map((u) => ({ ...u, catalogue: k })));
  const lemmaOf = (u: { catalogue: number; index: number }) => cats[u.catalogue]!.loaded[u.index]!;
  const workOf = units.map((u) => unitWork(lemmaOf(u), u.block, plains[u.catalogue]!));
  // A block of draws yields between its trajectories; a whole lemma and a unit of boxes of starts do not.
  const yields = units.map((u) => u.block !== null && reachUnitOf(lemmaOf(u), u.block, plains[u.catalogue]!) === null);
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
  // The calling thread's runners, one per catalogue, made on its first unit with the pool's stop signal (one per run).
  const local: (UnitRunner | null)[] = cats.map(() => null);
  // Per catalogue and lemma: its units' payloads, its outcome once settled, its thread time.
  const perLemma = cats.map(() => new Map<number, (UnitPayload | undefined)[]>());
  for (const u of units) {
    const m = perLemma[u.catalogue]!;
    const list = m.get(u.index) ?? [];
    list.push(undefined);
    m.set(u.index, list);
  }
  const results = cats.map(() => new Map<number, Outcome>());
  const times = cats.map(() => new Map<number, number>());
  let settled = 0;
  const total = cats.reduce((a, c) => a + c.indices.length, 0);
  // Units are handed out once each; head: every unit before it is handed out or not needed; blockHead and
  // wholeHead: the same for the units that yield (blocks of draws) and for the others.
  const handed = new Uint8Array(units.length);
  let head = 0;
  let blockHead = 0;
  let wholeHead = 0;
  // Units of a lemma already settled (a violation in an earlier block) are not needed.
  const open = (i: number): boolean => {
    if (handed[i]) return false;
    if (!results[units[i]!.catalogue]!.has(units[i]!.index)) return true;
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
    local: tuning.callerRuns === false ? undefined : (u, stop) => {
      const k = u.catalogue ?? 0;
      const runner = (local[k] ??= new UnitRunner(cats[k]!.model, { ...plains[k]!, signal: signal ? AbortSignal.any([signal, stop]) : stop }));
      return runner.run(lemmaOf({ catalogue: k, index: u.index }), u.block);
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
      return { id: i, item: { index: u.index, block: u.block, catalogue: u.catalogue } };
    },
    onDone: (id, result, ms, worker) => {
      const u = units[id]!;
      const k = u.catalogue;
      const cat = cats[k]!;
      tuning.onThread?.(u, worker);
      workLeft -= workOf[id]!;
      if (worker === -1) {
        localMs += ms;
        localWork += workOf[id]!;
      }
      times[k]!.set(u.index, (times[k]!.get(u.index) ?? 0) + ms);
      const list = perLemma[k]!.get(u.index)!;
      if (!results[k]!.has(u.index)) {
        cat.onUnit?.(u.index, result.kind === 'block' ? result.block.iterates : 0);
        list[u.block ?? 0] = result;
        if (unitsSettle(list)) {
          const l = cat.loaded[u.index]!;
          const payloads = list.filter((x): x is UnitPayload => x !== undefined);
          const o = l.ok ? outcomeFromUnits(l, payloads, plains[k]!, cat.model) : (payloads[0] as Extract<UnitPayload, { kind: 'outcome' }>).outcome;
          o.timeMs = Math.round(times[k]!.get(u.index)!);
          results[k]!.set(u.index, o);
          settled++;
          cat.onOutcome?.(o, u.index);
        }
      }
      return settled === total;
    },
  }).then(() => {
    tuning.onWorkers?.(started);
    return cats.map((c, k) => c.indices.map((i) => results[k]!.get(i)!));
  });
}
