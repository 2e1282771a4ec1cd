import { createHash } from 'node:crypto';
import type { DerivedModel } from '../symbolic/derive.js';
import { loadLemmas, type LoadedLemma } from '../lemma/load.js';
import type { Outcome } from './outcome.js';
import { errorOutcome, InterruptedError, verifyLemma, type VerifyOptions } from './verify.js';

/** The default seed of every report; each lemma gets its own seed derived from it and its id. */
export const DEFAULT_SEED = 20250304;

/** Per-lemma seed: independent of the order and number of lemma files. */
export function lemmaSeed(seed: number, id: string): number {
  return createHash('sha256').update(`${seed}:${id}`).digest().readUInt32BE(0) & 0x7fffffff;
}

export async function verifyLoaded(model: DerivedModel, l: LoadedLemma, opts: Omit<VerifyOptions, 'seed'> & { seed: number }): Promise<Outcome> {
  if (!l.ok) return errorOutcome(l, opts.seed);
  return verifyLemma(model, l.lemma, { ...opts, seed: lemmaSeed(opts.seed, l.lemma.id), reportSeed: opts.seed });
}

export async function verifyFiles(
  model: DerivedModel,
  files: string[],
  opts: Omit<VerifyOptions, 'seed'> & { seed: number; only?: string },
  onOutcome?: (o: Outcome) => void,
): Promise<Outcome[]> {
  const loaded = await loadLemmas(files, model);
  const out: Outcome[] = [];
  for (const l of loaded) {
    if (opts.only !== undefined && (!l.ok || l.lemma.id !== opts.only)) continue;
    const o = await verifyLoaded(model, l, opts);
    if (opts.signal?.aborted) throw new InterruptedError();
    onOutcome?.(o);
    out.push(o);
  }
  return out;
}
