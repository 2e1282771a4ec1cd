import type { ModelSpec } from '../model/spec.js';
import type { Outcome } from './outcome.js';
import type { VerifyOptions } from './verify.js';
import type { BlockResult } from './evidence.js';
import type { KeptResult } from './box-invariant.js';
import type { ReachUnit } from './box-reach.js';

/** What a lemma-verification worker is started with: everything it needs to load the same lemmas. */
export interface VerifyWorkerData {
  modelSpec: ModelSpec;
  files: string[];
  opts: Omit<VerifyOptions, 'seed' | 'signal'> & { seed: number };
}

/**
 * A unit of work (an item of the work pool): a whole lemma (block null: identities, load errors), one block of a
 * sampled lemma's draws, or for a lemma decided on boxes of starts the proof of its set and its box units first.
 */
export interface VerifyUnit {
  index: number;
  block: number | null;
  /** Which catalogue of the pool (check/verify-pool.ts, verifyCatalogues); 0 where there is one. */
  catalogue?: number;
}

/**
 * The units of a lemma decided on boxes of starts (check/box-reach.ts, shard.ts): the proof that its set is kept
 * (`kept`, null when it names none), or the leaves of one top box of its hypothesis box (`reach`).
 */
export type ReachPayload = { kind: 'kept'; kept: KeptResult | null } | { kind: 'reach'; boxes: ReachUnit };

export type UnitPayload = { kind: 'outcome'; outcome: Outcome } | { kind: 'block'; block: BlockResult } | { kind: 'error'; message: string } | ReachPayload;
