/**
 * The package's public entry (`import { defineLemma } from 'eos-check'`): what a lemma file needs, and the
 * library calls behind the CLI for scripts that check lemmas themselves.
 */
export { defineLemma } from './lemma/types.js';
export type { LemmaSpec, Hypotheses, Quantifier, Draw, Provenance, ClaimId } from './lemma/types.js';
export { loadPack, listPacks, packNames } from './model/pack.js';
export type { ModelPack } from './model/pack.js';
export type { ModelSpec } from './model/spec.js';
export { deriveModel } from './symbolic/derive.js';
export { verifyFiles } from './check/catalogue.js';
export type { Outcome, OutcomeKind } from './check/outcome.js';
