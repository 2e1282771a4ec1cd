/**
 * Kind invariant with `when` premises and `reach`: where the premises hold every relation of the set I, the claim is
 * "every orbit enters I, and from then on the statement holds" (a point where the premises hold lies in I, where the
 * use obligation decides it), so boxes are asked only to enter I; the independent checker applies the same rule. Pack
 * scalar-d2: from w_0 in
 * [0.4, 0.9]^2 the orbits climb into w >= 1/2, 1/4 <= p <= 1, where L_next <= L (tight at p = 1: a use certificate).
 */
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { compileLemma } from '../../src/lemma/compile.js';
import type { LemmaSpec } from '../../src/lemma/types.js';
import { verifyLemma } from '../../src/check/verify.js';
import { premisesInSet } from '../../src/check/box-reach.js';
import { checkReachCertificate } from '../../src/certificate/reach.js';

const model = deriveModel(loadPack('scalar-d2').spec);
const set = ['w1 >= 0.5', 'w2 >= 0.5', 'w1 <= 2', 'w2 <= 2', 'p <= 1', 'p >= 0.25'];
const m = '(eta*(w1^2 + w2^2) + eta^2*(1 - p)*p)';

const lemma = (id: string, when: string[]) =>
  compileLemma(
    {
      id,
      title: id,
      claim: 'D4',
      provenance: 'variant',
      description: 'enters, then the loss falls',
      hypotheses: { hyper: { eta: { min: 0.05, max: 0.1 } }, init: { w1: { min: 0.4, max: 0.9 }, w2: { min: 0.4, max: 0.9 } } },
      quantifier: { kind: 'invariant', invariant: set, when, reach: '64', use: [{ relation: 'L_next <= L', terms: [`(1 - p)^2*${m}*(2 - ${m})/2`] }] },
      statement: 'L_next <= L',
      steps: 200,
      runs: 8,
      expect: 'holds',
    } as unknown as LemmaSpec,
    model,
    'reach-when.json',
  );

describe('premises that hold the whole set: every orbit enters it, and the statement is claimed from then on', async () => {
  const [whole, part] = await Promise.all([
    verifyLemma(model, lemma('loss-falls-after-entering', set), { seed: 1 }),
    verifyLemma(model, lemma('loss-falls-where-part-of-the-set-holds', set.slice(0, -1)), { seed: 1 }),
  ]);

  it('is PROVED for every t when every box enters the set, the steps before asking nothing', () => {
    expect(whole.kind, whole.detail).toBe('PROVED');
    expect(whole.reach!.fractions.proved).toBe('1');
    expect(whole.detail).toMatch(/every box entered the invariant set/);
  });

  it('with one relation of the set missing from the premises, a step before entry asks for the statement on its enclosure', () => {
    expect(part.kind).toBe('VERIFIED');
    expect(part.detail).toMatch(/"L_next <= L" undecided at step/);
  });

  it('the certificate carries the premises, and the independent checker re-establishes every leaf', () => {
    // The checker applies the same rule; on this certificate its own zonotope enclosures also decide the steps before
    // entry (dropping premises from the certificate still re-checks), so the rule is not what this leaf check rests on.
    const c = whole.reachCertificate! as unknown as { when: { text: string }[] };
    expect(c.when.map((w) => w.text)).toEqual(set);
    expect(checkReachCertificate(c).ok).toBe(true);
  });

  it('compares the relations as written, spaces aside', () => {
    const c = (...t: string[]) => t.map((text) => ({ text }));
    expect(premisesInSet(c('p<=1', 'w1 >= 0.5'), c('w1 >= 0.5', 'p <= 1'))).toBe(true);
    expect(premisesInSet(c('w1 >= 0.5'), c('w1 >= 0.5', 'p <= 1'))).toBe(false);
    expect(premisesInSet(c('w1 >= 0.5'), undefined)).toBe(false);
    expect(premisesInSet([], [])).toBe(false);
  });
});
