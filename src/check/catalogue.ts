import type { DerivedModel } from '../symbolic/derive.js';
import { loadLemmas, type LoadedLemma } from '../lemma/load.js';
import type { Outcome } from './outcome.js';
import { errorOutcome, InterruptedError, verifyLemma, type VerifyOptions } from './verify.js';
import { verifyInWorkers } from './verify-pool.js';

export { DEFAULT_SEED, lemmaSeed } from './seeds.js';
import { lemmaSeed } from './seeds.js';

export async function verifyLoaded(model: DerivedModel, l: LoadedLemma, opts: Omit<VerifyOptions, 'seed'> & { seed: number }): Promise<Outcome> {
  if (!l.ok) return errorOutcome(l, opts.seed);
  return verifyLemma(model, l.lemma, { ...opts, seed: lemmaSeed(opts.seed, l.lemma.id), reportSeed: opts.seed });
}

/**
 * Verifies every lemma of `files` (or the one named `only`). With `jobs` > 1 and more than one lemma
 * to check, the lemmas are spread over that many worker threads; the outcomes are the same.
 */
export async function verifyFiles(
  model: DerivedModel,
  files: string[],
  opts: Omit<VerifyOptions, 'seed'> & { seed: number; only?: string; jobs?: number },
  onOutcome?: (o: Outcome) => void,
): Promise<Outcome[]> {
  const { only, jobs = 1, ...vopts } = opts;
  const loaded = await loadLemmas(files, model);
  const indices = loaded.flatMap((l, i) => (only === undefined || (l.ok && l.lemma.id === only) ? [i] : []));
  if (jobs > 1) return verifyInWorkers(model, files, loaded, indices, vopts, jobs, onOutcome);
  const out: Outcome[] = [];
  for (const i of indices) {
    const o = await verifyLoaded(model, loaded[i]!, vopts);
    if (opts.signal?.aborted) throw new InterruptedError();
    onOutcome?.(o);
    out.push(o);
  }
  return out;
}
