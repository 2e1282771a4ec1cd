import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { verifyLemma } from '../../src/check/verify.js';
import { ObligationCache } from '../../src/check/induction.js';
import { decideIdentity } from '../../src/check/identity-decision.js';
import { defineLemma } from '../../src/lemma/types.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { DEFAULT_SEED, lemmaSeed } from '../../src/check/catalogue.js';
import type { Outcome } from '../../src/check/outcome.js';

/**
 * One run's induction obligations decided once (check/induction.ts ObligationCache): c8's three stable-phase rows
 * share their invariant, so its initiation, consecution and kept certificates are the same claims. With the cache
 * shared the outcomes are those of each row proved alone.
 */
const model = deriveModel(minimalistModel);
const strip = (o: Outcome) => JSON.stringify({ ...o, timeMs: undefined });

describe('the run-wide cache of decided obligations', () => {
  it("gives c8's stable-phase rows the outcomes they get alone, deciding the shared obligations once", async () => {
    const loaded = await loadLemmas(['lemmas/c8-stable-phase-every-t.ts'], model);
    // Two of the three rows: the second decides the shared obligations from the cache.
    const rows = loaded.flatMap((l) => (l.ok && l.lemma.quantifier.kind === 'invariant' ? [l.lemma] : [])).slice(0, 2);
    expect(rows.length).toBe(2);
    const opts = (id: string) => ({ seed: lemmaSeed(DEFAULT_SEED, id), reportSeed: DEFAULT_SEED, budget: 0.25 });
    const alone: string[] = [];
    for (const l of rows) alone.push(strip(await verifyLemma(model, l, opts(l.id))));
    const shared = new ObligationCache();
    const together: string[] = [];
    for (const l of rows) together.push(strip(await verifyLemma(model, l, { ...opts(l.id), obligations: shared })));
    expect(together).toEqual(alone);
    expect(together.every((o) => o.includes('"kind":"PROVED"'))).toBe(true);
    expect(shared.hits).toBeGreaterThan(3);
  });

  it('does not give one claim a decision whose text names another (Z3 scripts name their claim)', async () => {
    const claim = (id: string) => ({
      model,
      compiled: compileLemma(
        defineLemma({
          id,
          title: id,
          claim: 'C1',
          provenance: 'variant',
          description: 'the same one-step claim under two names',
          hypotheses: { hyper: { eta: { min: 0.5, max: 2 }, lambda1: 1, lambda2: { min: 0.001, max: 0.1 } }, init: { alpha: 0, beta1: 0, beta2: 0 } },
          quantifier: { kind: 'identity', when: ['alpha >= 1'] },
          statement: 'alpha^3 + beta1^2 >= 1',
          expect: 'holds',
        }),
        model,
        'obligation-cache.test.ts',
      ),
    });
    const cache = new ObligationCache();
    const first = await cache.decide(claim('first-claim'));
    expect(JSON.stringify(first)).toContain('first-claim');
    const second = await cache.decide(claim('second-claim'));
    expect(second).toEqual(await decideIdentity(model, claim('second-claim').compiled));
    expect(JSON.stringify(second)).not.toContain('first-claim');
    expect(await cache.decide(claim('first-claim'))).toBe(first);
    expect(cache.hits).toBe(1);
  });
});
