import type { ModelSpec } from '../model/spec.js';
import type { Outcome } from './outcome.js';
import type { VerifyOptions } from './verify.js';

/** What a lemma-verification worker is started with: everything it needs to load the same lemmas. */
export interface VerifyWorkerData {
  modelSpec: ModelSpec;
  files: string[];
  opts: Omit<VerifyOptions, 'seed' | 'signal'> & { seed: number };
}

export type ToVerifyWorker = { type: 'lemma'; index: number };

export type FromVerifyWorker =
  | { type: 'ready' }
  | { type: 'outcome'; index: number; outcome: Outcome }
  | { type: 'error'; message: string };
