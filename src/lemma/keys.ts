import { didYouMean } from '../model/did-you-mean.js';
import type { Hypotheses, LemmaSpec } from './types.js';

// Records over the spec types, so a field added to LemmaSpec that is missing here fails to compile
// (it would otherwise be refused as an unknown key).
const LEMMA: Record<keyof LemmaSpec, true> = {
  id: true, title: true, claim: true, provenance: true, description: true, hypotheses: true, quantifier: true,
  constants: true, statement: true, assume: true, steps: true, expect: true, tightness: true, runs: true,
};
const HYPOTHESES: Record<keyof Hypotheses, true> = { hyper: true, init: true, where: true, along: true };
const TIGHTNESS: Record<keyof NonNullable<LemmaSpec['tightness']>, true> = { constant: true, needed: true };

export const LEMMA_KEYS = Object.keys(LEMMA);
export const HYPOTHESES_KEYS = Object.keys(HYPOTHESES);
export const TIGHTNESS_KEYS = Object.keys(TIGHTNESS);
export const RANGE_KEYS = ['min', 'max', 'scale'];

/** The known name a misspelling stands for, if one is close. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  return /did you mean "(.*)"\?/.exec(didYouMean(name, known))?.[1];
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Reports each key of `obj` that is not in `known` (field `<prefix><key>`, with the nearest known
 * key). Returns the known keys that a misspelling stands for: the caller does not report those as
 * missing too, since the one problem is the misspelling.
 */
export function checkKeys(
  obj: Record<string, unknown>,
  known: readonly string[],
  prefix: string,
  what: string,
  fail: (field: string, detail: string) => void,
): Set<string> {
  const meant = new Set<string>();
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const near = nearest(key, known);
    if (near !== undefined && !Object.hasOwn(obj, near)) meant.add(near);
    fail(`${prefix}${key}`, `${what}${didYouMean(key, known)}`);
  }
  return meant;
}
