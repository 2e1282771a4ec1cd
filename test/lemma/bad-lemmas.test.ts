import { describe, it, expect } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { lemmaFiles, loadLemmas } from '../../src/lemma/load.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import type { Outcome } from '../../src/check/outcome.js';

const model = deriveModel(minimalistModel);
const files = lemmaFiles('test/fixtures/bad-lemmas');

describe('bad lemma files: a clear error naming file, lemma and field; the rest still runs', async () => {
  const outcomes = await verifyFiles(model, files, { seed: 1 });
  const byId = new Map<string, Outcome>(outcomes.map((o) => [o.id, o]));
  const err = (id: string) => byId.get(id)!;

  it('a file that throws when loaded is an ERROR row for that file', () => {
    const o = outcomes.find((x) => x.file === 'throws.ts')!;
    expect(o.kind).toBe('ERROR');
    expect(o.detail).toContain('throws.ts');
    expect(o.detail).toContain('this lemma file throws when loaded');
  });

  it.each([
    ['bad-syntax', 'statement', /cannot parse/],
    ['unknown-symbol', 'statement', /unknown symbol "zeta"/],
    ['not-a-comparison', 'statement', /expected a comparison/],
    ['empty-range', 'hypotheses.hyper.eta', /empty range: min 2 > max 1/],
    ['bad-quantifier', 'quantifier.kind', /must be one of/],
    ['eta-not-positive', 'hypotheses.hyper.eta', /eta must be > 0/],
    ['nan-value', 'hypotheses.init.alpha', /must be finite/],
    ['host-access', 'statement', /unknown symbol "constructor"/],
    ['import-call', 'statement', /function "import" is not allowed/],
    ['missing-hyper', 'hypotheses.hyper.lambda2', /missing/],
  ])('%s: ERROR naming the field %s', (id, field, msg) => {
    const o = err(id);
    expect(o.kind).toBe('ERROR');
    expect(o.error!.field).toBe(field);
    expect(o.error!.message).toMatch(msg);
    expect(o.detail).toContain(id);
    expect(o.detail).toMatch(/\.ts/);
  });

  it('a duplicate id is an ERROR, the first one still runs', () => {
    const dups = outcomes.filter((o) => o.id === 'ok-lemma');
    expect(dups.map((o) => o.kind).sort()).toEqual(['ERROR', 'VERIFIED']);
    expect(dups.find((o) => o.kind === 'ERROR')!.detail).toMatch(/duplicate id/);
  });

  it('a premise that never holds is VACUOUS, never a pass', () => {
    expect(err('vacuous').kind).toBe('VACUOUS');
    expect(err('vacuous').asExpected).toBe(false);
  });

  it('divergence inside the hypotheses is an outcome with its step, not a NaN', () => {
    const o = err('diverges');
    expect(o.kind).toBe('FALSIFIED');
    expect(o.counterexample!.what).toMatch(/diverged at step \d+/);
  });

  it('an expression that is not finite is never a silent pass: undefined everywhere, so VACUOUS', () => {
    const o = err('not-finite-everywhere');
    expect(o.kind).toBe('VACUOUS');
    expect(o.detail).toMatch(/never tested: its terms were undefined/);
    expect(o.asExpected).toBe(false);
  });

  it('loading reports every file', async () => {
    const loaded = await loadLemmas(files, model);
    expect(loaded.filter((l) => !l.ok).length).toBeGreaterThanOrEqual(11);
  });
});
