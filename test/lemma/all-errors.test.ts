import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { LemmaError } from '../../src/lemma/errors.js';
import type { LemmaSpec } from '../../src/lemma/types.js';
import { runCli } from '../support/cli.js';

const model = deriveModel(minimalistModel);
const FIX = 'test/fixtures/data-lemmas';

const base = {
  id: 'all-errors',
  title: 't',
  claim: 'C1',
  provenance: 'variant',
  description: 'd',
  hypotheses: { hyper: { eta: 1, lambda1: 1, lambda2: 0.01 }, init: { alpha: 1, beta1: 0.01, beta2: 0 } },
  quantifier: { kind: 'every-step' },
  statement: 'L >= 0',
  steps: 10,
  runs: 2,
  expect: 'holds',
};

/** The problems compileLemma finds in `base` changed by `patch`, as [field, detail]. */
function problems(patch: Record<string, unknown>): [string, string][] {
  try {
    compileLemma({ ...base, ...patch } as unknown as LemmaSpec, model, 'x.json');
  } catch (e) {
    if (!(e instanceof LemmaError)) throw e;
    return e.problems.map((p) => [p.field, p.detail]);
  }
  return [];
}
const fields = (patch: Record<string, unknown>) => problems(patch).map(([f]) => f);

describe('every problem of a lemma at once', () => {
  it('a YAML lemma with six independent mistakes reports each with file, id, field and the near miss, and nothing else', async () => {
    const [l] = await loadLemmas([join(FIX, 'many-mistakes.yaml')], model);
    if (!l || l.ok) throw new Error('loaded');
    const e = l.error;
    const byField = new Map(e.problems.map((p) => [p.field, p.detail]));
    // No cascade: the misspelled keys are not reported a second time as missing description, lambda2 or max.
    expect([...byField.keys()].sort()).toEqual(
      ['descripton', 'expect', 'hypotheses.hyper.lambda_2', 'hypotheses.init.alpha.maxx', 'quantifier.whenn', 'statement'].sort(),
    );
    expect(byField.get('descripton')).toMatch(/not a lemma field .*did you mean "description"/);
    expect(byField.get('hypotheses.hyper.lambda_2')).toMatch(/did you mean "lambda2"/);
    expect(byField.get('hypotheses.init.alpha.maxx')).toMatch(/did you mean "max"/);
    expect(byField.get('statement')).toMatch(/unknown symbol "lamda1" .*did you mean "lambda1"/);
    expect(byField.get('expect')).toMatch(/got "hold" \(did you mean "holds"\?\)/);
    expect(byField.get('quantifier.whenn')).toMatch(/not a field of after-event .*did you mean "when"/);
    expect(e.problems.every((p) => p.lemmaId === 'many-mistakes')).toBe(true);
    // The first problem is the error's field and detail; the message has one line per problem.
    expect([e.field, e.detail]).toEqual([e.problems[0]!.field, e.problems[0]!.detail]);
    const lines = e.message.split('\n');
    expect(lines).toHaveLength(6);
    lines.forEach((line, i) => expect(line.startsWith(`many-mistakes.yaml [many-mistakes]: ${e.problems[i]!.field}: `)).toBe(true));
  });

  it('the report row carries every problem, "did you mean" included', async () => {
    const r = await runCli(['verify', join(FIX, 'many-mistakes.yaml'), '--json']);
    const [o] = JSON.parse(r.out).outcomes;
    expect(o).toMatchObject({ id: 'many-mistakes', file: 'many-mistakes.yaml', kind: 'ERROR', error: { file: 'many-mistakes.yaml', field: 'descripton' } });
    for (const near of ['description', 'lambda2', 'max', 'lambda1', 'holds', 'when']) expect(o.detail).toContain(`did you mean "${near}"`);
  });

  it('one good and one bad lemma in a file: the good one still runs; a failed constant is not reported again where it is used', async () => {
    const loaded = await loadLemmas([join(FIX, 'two-lemmas.yaml')], model);
    expect(loaded.map((l) => l.ok)).toEqual([true, false]);
    const bad = loaded[1]!;
    if (bad.ok) throw new Error('loaded');
    expect(bad.error.problems.map((p) => [p.lemmaId, p.field])).toEqual([
      ['yaml-bad', 'constants.delta'],
      ['yaml-bad', 'statement[1]'],
    ]);
    expect(bad.error.problems[1]!.detail).toMatch(/unknown symbol "gradnorm" .*did you mean "gradNorm"/);
    expect(bad.error.message).not.toMatch(/unknown symbol "delta"/);

    const r = await runCli(['verify', join(FIX, 'two-lemmas.yaml'), '--json']);
    const outcomes = JSON.parse(r.out).outcomes;
    expect(outcomes.map((o: { id: string; kind: string }) => [o.id, o.kind])).toEqual([
      ['yaml-good', 'VERIFIED'],
      ['yaml-bad', 'ERROR'],
    ]);
  });

  it('independent top-level fields are all reported', () => {
    expect(fields({ title: '', provenance: 'papper', claim: 'C99', steps: 0, runs: 1.5, expect: 'maybe' })).toEqual(['title', 'provenance', 'claim', 'expect', 'steps', 'runs']);
    expect(problems({ provenance: 'papper' })[0]![1]).toMatch(/did you mean "paper"/);
  });

  it('an unknown top-level key is an error, with or without a near miss (it used to be ignored)', () => {
    expect(problems({ notes: 'a remark' })).toEqual([['notes', expect.stringMatching(/^not a lemma field \(the fields: id, title, .*\)$/)]]);
    // A misspelling of an optional field: the lemma would otherwise run without it.
    expect(problems({ constants: undefined, tightnes: { constant: 'delta', needed: 'L' } })).toEqual([['tightnes', expect.stringMatching(/did you mean "tightness"/)]]);
  });

  it('a misspelled key at every level gets a "did you mean", and its field is not also reported missing', () => {
    const h = base.hypotheses;
    expect(problems({ hypothesis: h, hypotheses: undefined })).toEqual([['hypothesis', expect.stringMatching(/did you mean "hypotheses"/)]]);
    expect(problems({ hypotheses: { ...h, wher: ['eta < 2'] } })).toEqual([['hypotheses.wher', expect.stringMatching(/not a field of hypotheses .*did you mean "where"/)]]);
    expect(problems({ hypotheses: { hyper: h.hyper, inti: h.init } })).toEqual([['hypotheses.inti', expect.stringMatching(/did you mean "init"/)]]);
    expect(problems({ hypotheses: { ...h, hyper: { eta: { min: 1, max: 2, scal: 'log' }, lambda1: 1, lambda2: 0.01 } } })).toEqual([['hypotheses.hyper.eta.scal', expect.stringMatching(/did you mean "scale"/)]]);
    expect(problems({ hypotheses: { ...h, hyper: { eta: { min: 1, max: 2, scale: 'logg' }, lambda1: 1, lambda2: 0.01 } } })).toEqual([['hypotheses.hyper.eta.scale', expect.stringMatching(/did you mean "log"/)]]);
    expect(problems({ constants: { delta: '1' }, tightness: { constnt: 'delta', needed: 'L' } })).toEqual([['tightness.constnt', expect.stringMatching(/did you mean "constant"/)]]);
    expect(problems({ constants: { delta: '1' }, tightness: { constant: 'delt', needed: 'L' } })).toEqual([['tightness.constant', expect.stringMatching(/did you mean "delta"/)]]);
    // A swap of two neighbouring letters counts as one slip, even in a short name.
    expect(problems({ quantifier: { knid: 'every-step' } })).toEqual([['quantifier.knid', expect.stringMatching(/did you mean "kind"/)]]);
    expect(problems({ hypotheses: { ...h, hyper: { eta: { mni: 1, max: 2 }, lambda1: 1, lambda2: 0.01 } } })).toEqual([['hypotheses.hyper.eta.mni', expect.stringMatching(/did you mean "min"/)]]);
    expect(problems({ quantifier: { kind: 'after-event', evnt: 'L > 0' } })).toEqual([['quantifier.evnt', expect.stringMatching(/did you mean "event"/)]]);
  });

  it('checks that need a failed field are skipped; the independent ones still run', () => {
    // The quantifier's fields and symbol rules depend on its kind: only the kind is reported.
    expect(fields({ quantifier: { kind: 'sometimes', whenn: 'L > 0', evnt: 'x' } })).toEqual(['quantifier.kind']);
    // Missing hypotheses: one problem, not one per hyperparameter and parameter.
    expect(fields({ hypotheses: undefined })).toEqual(['hypotheses']);
    expect(fields({ hypotheses: { init: base.hypotheses.init } })).toEqual(['hypotheses.hyper']);
    // A bad draw does not stop the expressions from being checked.
    expect(fields({ hypotheses: { ...base.hypotheses, hyper: { eta: { min: 2, max: 1 }, lambda1: 1, lambda2: 0.01 } }, statement: ['L >= 0', 'zeta <= 1'] })).toEqual(['hypotheses.hyper.eta', 'statement[1]']);
    // Each symbol a kind refuses is reported once, in the field that uses it.
    expect(problems({ quantifier: { kind: 'at-end', event: 'L_next < 1' }, statement: ['L <= 1', 'S_flow >= 0'] })).toEqual([
      ['statement[1]', '"S_flow" needs quantifier kind flow-limit'],
      ['quantifier.event', '"L_next": there is no next iterate at the end'],
    ]);
  });

  it("an optional field left empty (YAML's null) is not given", () => {
    expect(fields({ quantifier: { kind: 'every-step', when: null }, tightness: null, constants: null })).toEqual([]);
    expect(fields({ quantifier: { kind: 'after-event', event: null } })).toEqual(['quantifier.event']);
  });

  it('assume is checked with the rest: parameters only, and only in identities', () => {
    const identity = { quantifier: { kind: 'identity' }, statement: 'L >= 0' };
    expect(problems({ ...identity, assume: { alpa: 'beta1', beta1: 'zeta' } })).toEqual([
      ['assume.alpa', expect.stringMatching(/only parameters can be assumed .*did you mean "alpha"/)],
      ['assume.beta1', expect.stringMatching(/unknown symbol "zeta"/)],
    ]);
    expect(fields({ assume: { alpha: '1' } })).toEqual(['assume']);
    expect(fields({ ...identity, assume: { alpha: '1' } })).toEqual([]);
  });
});
