import { createHash } from 'node:crypto';

/** The default seed of every report; each lemma gets its own seed derived from it and its id. */
export const DEFAULT_SEED = 20250304;

/** Per-lemma seed: independent of the order and number of lemma files. */
export function lemmaSeed(seed: number, id: string): number {
  return createHash('sha256').update(`${seed}:${id}`).digest().readUInt32BE(0) & 0x7fffffff;
}
