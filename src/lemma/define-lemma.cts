/**
 * The CommonJS face of the package (`require('eos-check')`, the package's "require" export). Node treats a
 * .ts lemma file outside any "type": "module" package as CommonJS, so its `import { defineLemma } from
 * 'eos-check'` becomes a synchronous require, which cannot load the ES-module package. defineLemma is the
 * identity, typed, as in lemma/types.ts.
 */
import type { LemmaSpec } from './types.js';

export function defineLemma(spec: LemmaSpec): LemmaSpec {
  return spec;
}
