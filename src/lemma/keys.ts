import { didYouMean } from '../model/did-you-mean.js';
import type { Hypotheses, LemmaSpec } from './types.js';

// Records over the spec types, so a field added to LemmaSpec that is missing here fails to compile
// (it would otherwise be refused as an unknown key).
const LEMMA: Record<keyof LemmaSpec, true> = {
  id: true, title: true, claim: true, provenance: true, description: true, hypotheses: true, quantifier: true,
  constants: true, statement: true, assume: true, steps: true, expect: true, tightness: true, runs: true,
};
const HYPOTHESES: Record<keyof Hypotheses, true> = { hyper: true, init: true, params: true, where: true, along: true };
const TIGHTNESS: Record<keyof NonNullable<LemmaSpec['tightness']>, true> = { constant: true, needed: true };

export const LEMMA_KEYS = Object.keys(LEMMA);
export const HYPOTHESES_KEYS = Object.keys(HYPOTHESES);
export const TIGHTNESS_KEYS = Object.keys(TIGHTNESS);
export const RANGE_KEYS = ['min', 'max', 'scale'];

/**
 * The known name a misspelling stands for, if one is close. Two neighbouring letters swapped, the
 * commonest slip, counts as two edits to didYouMean, too many for a short name ("knid"): tried too.
 */
export function nearest(name: string, known: readonly string[]): string | undefined {
  const near = /did you mean "(.*)"\?/.exec(didYouMean(name, known))?.[1];
  if (near !== undefined) return near;
  for (let i = 0; i + 1 < name.length; i++) {
    const swapped = name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
    if (known.includes(swapped)) return swapped;
  }
  return undefined;
}

/** The "did you mean" hint for a misspelled key or value ('' if nothing is close). */
export function suggest(name: string, known: readonly string[]): string {
  return hint(nearest(name, known));
}

function hint(near: string | undefined): string {
  return near === undefined ? '' : ` (did you mean "${near}"?)`;
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
    if (near !== undefined && obj[near] === undefined) meant.add(near);
    fail(`${prefix}${key}`, `${what}${hint(near)}`);
  }
  return meant;
}
