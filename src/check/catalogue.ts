import type { DerivedModel } from '../symbolic/derive.js';
import { loadLemmas, type LoadedLemma } from '../lemma/load.js';
import type { Outcome } from './outcome.js';
import { errorOutcome, InterruptedError, verifyLemma, type VerifyOptions } from './verify.js';
import { verifyCatalogues, type PoolCatalogue } from './verify-pool.js';
import { lemmaUnits } from './shard.js';
import { InputError } from '../dynamics/inputs.js';
import { didYouMean } from '../model/did-you-mean.js';

/** How far a verifyFiles call has come, in counts (a display adds the clock). */
export interface VerifyProgress {
  lemmas: number;
  lemmasDone: number;
  /** Units of work (check/shard.ts): a lemma's blocks of draws, or the whole lemma; a lemma that settles early counts all its units. */
  units: number;
  unitsDone: number;
  iterates: number;
}

export { DEFAULT_SEED, lemmaSeed } from './seeds.js';
import { lemmaSeed } from './seeds.js';
import { ObligationCache } from './induction.js';

export async function verifyLoaded(model: DerivedModel, l: LoadedLemma, opts: Omit<VerifyOptions, 'seed'> & { seed: number }): Promise<Outcome> {
  if (!l.ok) return errorOutcome(l, opts.seed);
  return verifyLemma(model, l.lemma, { ...opts, seed: lemmaSeed(opts.seed, l.lemma.id), reportSeed: opts.seed });
}

/** One catalogue to verify: a model, its lemma files, and the options of its run. */
export interface CatalogueRun {
  model: DerivedModel;
  files: string[];
  opts: Omit<VerifyOptions, 'seed'> & { seed: number; only?: string; onProgress?: (p: VerifyProgress) => void };
  /** Sees each outcome as it settles, with the lemma's position in the load order of `files`. */
  onOutcome?: (o: Outcome, index: number) => void;
}

/**
 * Verifies every lemma of `files` (or the one named `only`). With `jobs` > 1 and more than one lemma
 * to check, the lemmas are spread over that many worker threads; the outcomes are the same.
 */
export async function verifyFiles(
  model: DerivedModel,
  files: string[],
  opts: Omit<VerifyOptions, 'seed'> & { seed: number; only?: string; jobs?: number; onProgress?: (p: VerifyProgress) => void },
  onOutcome?: (o: Outcome) => void,
): Promise<Outcome[]> {
  const { jobs = 1, ...rest } = opts;
  return (await verifyCatalogueRuns([{ model, files, opts: rest, onOutcome }], jobs, opts.signal))[0]!;
}

/**
 * Verifies several catalogues (`report --model all`), each as verifyFiles would, with `jobs` > 1 in one pool of
 * threads (check/verify-pool.ts, verifyCatalogues); the outcomes per catalogue, the same as separate runs give.
 */
export async function verifyCatalogueRuns(runs: CatalogueRun[], jobs: number, signal?: AbortSignal): Promise<Outcome[][]> {
  const prepared: { pool: PoolCatalogue; alone: () => Promise<Outcome[]> }[] = [];
  for (const r of runs) prepared.push(await prepareCatalogue(r));
  if (jobs > 1) return verifyCatalogues(prepared.map((p) => p.pool), jobs, signal);
  const out: Outcome[][] = [];
  for (const p of prepared) out.push(await p.alone());
  return out;
}

/** A catalogue loaded, its lemmas chosen, and its progress wired: as a pool catalogue, or run on this thread alone. */
async function prepareCatalogue(run: CatalogueRun): Promise<{ pool: PoolCatalogue; alone: () => Promise<Outcome[]> }> {
  const { model, files, onOutcome } = run;
  const { only, onProgress, ...vopts } = run.opts;
  const loaded = await loadLemmas(files, model);
  const indices = loaded.flatMap((l, i) => (only === undefined || (l.ok && l.lemma.id === only) ? [i] : []));
  const ids = loaded.flatMap((l) => (l.ok ? [l.lemma.id] : []));
  if (only !== undefined && indices.length === 0) throw new InputError(`no lemma ${only} in ${files.join(', ')}${didYouMean(only, ids)} (its lemmas: ${ids.join(', ')})`, '--id');
  // A path is one lemma's draw: applied to the other lemmas of a file it names other draws, or none.
  if (vopts.path !== undefined && indices.length > 1) throw new InputError(`a path names a draw of one lemma: add --id (the lemmas here: ${ids.join(', ')})`, '--path');
  const unitsOf = new Map<number, number>();
  for (const u of lemmaUnits(loaded, indices, vopts)) unitsOf.set(u.index, (unitsOf.get(u.index) ?? 0) + 1);
  const progress: VerifyProgress = { lemmas: indices.length, lemmasDone: 0, units: [...unitsOf.values()].reduce((a, b) => a + b, 0), unitsDone: 0, iterates: 0 };
  const seen = new Map<number, number>();
  const unit = (index: number, iterates: number) => {
    seen.set(index, (seen.get(index) ?? 0) + 1);
    progress.unitsDone++;
    progress.iterates += iterates;
    onProgress?.({ ...progress });
  };
  onProgress?.({ ...progress });
  const settle = (index: number, o: Outcome) => {
    progress.lemmasDone++;
    progress.unitsDone += (unitsOf.get(index) ?? 1) - (seen.get(index) ?? 0);
    onOutcome?.(o, index);
    onProgress?.({ ...progress });
  };
  const alone = async () => {
    const out: Outcome[] = [];
    const obligations = new ObligationCache();
    for (const i of indices) {
      const o = await verifyLoaded(model, loaded[i]!, { ...vopts, obligations, onBlock: (iterates) => unit(i, iterates) });
      if (vopts.signal?.aborted) throw new InterruptedError();
      settle(i, o);
      out.push(o);
    }
    return out;
  };
  return { pool: { model, files, loaded, indices, opts: vopts, onOutcome: (o, index) => settle(index, o), onUnit: unit }, alone };
}
