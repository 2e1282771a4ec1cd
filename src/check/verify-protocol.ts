import type { ModelSpec } from '../model/spec.js';
import type { Outcome } from './outcome.js';
import type { VerifyOptions } from './verify.js';
import type { BlockResult } from './sample.js';

/** What a lemma-verification worker is started with: everything it needs to load the same lemmas. */
export interface VerifyWorkerData {
  modelSpec: ModelSpec;
  files: string[];
  opts: Omit<VerifyOptions, 'seed' | 'signal'> & { seed: number };
}

/** A unit of work (an item of the work pool): a whole lemma (block null: identities, load errors) or one block of a sampled lemma's draws. */
export interface VerifyUnit {
  index: number;
  block: number | null;
}

export type UnitPayload = { kind: 'outcome'; outcome: Outcome } | { kind: 'block'; block: BlockResult } | { kind: 'error'; message: string };
