import { createHash } from 'node:crypto';
import type { ModelSpec } from '../model/spec.js';

/** sha256 of the model text (its own module: a worker checks an imported derivation without loading the derivation code). */
export function modelHash(spec: ModelSpec): string {
  // A projection changes the dynamics, so it changes the hash (models without one keep theirs).
  const canon = JSON.stringify({ p: spec.params, h: spec.hypers, l: spec.loss, q: spec.quantities ?? {}, ...(spec.projection ? { pr: spec.projection } : {}) });
  return createHash('sha256').update(canon).digest('hex').slice(0, 16);
}
