import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { compileLemma } from '../../src/lemma/compile.js';
import { LemmaError } from '../../src/lemma/errors.js';
import { QUANTIFIER_KINDS } from '../../src/lemma/quantifiers/index.js';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import type { LemmaSpec } from '../../src/lemma/types.js';

const model = deriveModel(minimalistModel);
const lemma = (quantifier: unknown): LemmaSpec =>
  ({
    id: 'q-test',
    title: 't',
    claim: 'C1',
    provenance: 'variant',
    description: 'd',
    hypotheses: { hyper: { eta: 1, lambda1: 1, lambda2: 0.01 }, init: { alpha: 1, beta1: 0.01, beta2: 0 } },
    quantifier,
    statement: 'L >= 0',
    expect: 'holds',
  }) as LemmaSpec;

function error(q: unknown): LemmaError {
  try {
    compileLemma(lemma(q), model, 'q.ts');
  } catch (e) {
    if (e instanceof LemmaError) return e;
    throw e;
  }
  throw new Error('compiled');
}

describe('quantifier kinds (src/lemma/quantifiers/)', () => {
  it('a field the kind does not declare is an error naming the kind\'s fields (it used to be ignored)', () => {
    const e = error({ kind: 'within', trigger: 'L > 0', within: '3', when: 'L > 1' });
    expect(e.field).toBe('quantifier.when');
    expect(e.detail).toMatch(/not a field of within \(its fields: trigger, within\)/);
    expect(error({ kind: 'after-event', event: 'L > 0', whenn: 'L > 1' }).detail).toMatch(/did you mean "when"/);
  });

  it('a required field is required, with the kind\'s reason', () => {
    expect(error({ kind: 'after-event' }).detail).toBe('after-event needs an event');
    expect(error({ kind: 'within', within: '3' }).detail).toBe('within needs a trigger');
    expect(error({ kind: 'eventually' }).field).toBe('quantifier.from');
  });

  it('an unknown kind gets a suggestion; every registered kind compiles with its required fields', () => {
    expect(error({ kind: 'every_step' }).detail).toMatch(/did you mean "every-step"/);
    const fill: Record<string, string> = { comparisons: 'L >= 0', comparison: 'L >= 0', 'state-expression': '2', 'start-expression': '1' };
    // A kind whose fields combine by a rule (validate) gets its smallest valid combination.
    const combination: Record<string, Record<string, string>> = { 'leads-to': { decrease: '1' } };
    for (const k of QUANTIFIER_KINDS) {
      const q: Record<string, string> = { kind: k.kind, ...combination[k.kind] };
      for (const [name, f] of Object.entries(k.fields)) if (f.required) q[name] = fill[f.type]!;
      expect(() => compileLemma(lemma(q), model, 'q.ts'), k.kind).not.toThrow();
    }
  });

  it('the README lists exactly the registered kinds', () => {
    const readme = readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('| kind | the statement is tested |'));
    const rows = [...table.matchAll(/^\| `([a-z-]+)`/gm)].map((m) => m[1]).slice(0, QUANTIFIER_KINDS.length + 1);
    expect(new Set(rows.filter((r) => QUANTIFIER_KINDS.some((k) => k.kind === r)))).toEqual(new Set(QUANTIFIER_KINDS.map((k) => k.kind)));
  });
});

describe('the within state machine', () => {
  /** Runs `within` over steps 0..T with a trigger and statement given per step; the failures it reports. */
  const run = (T: number, window: number | [number, number], trigger: (t: number) => boolean, statement: (t: number) => boolean): string[] => {
    const [lower, upper] = typeof window === 'number' ? [window, window] : window;
    const failures: string[] = [];
    const machine = QUANTIFIER_KINDS.find((k) => k.kind === 'within')!.start!();
    // The checker stops a trajectory at its violation.
    for (let t = 0; t <= T && failures.length === 0; t++) {
      machine.step({
        t,
        T,
        hasEvent: false,
        holds: (f) => f === 'trigger' && trigger(t),
        markEvent: () => {},
        value: () => NaN,
        window: () => ({ lower, upper, why: lower === upper ? null : 'undecided length' }),
        undecidedWindow: () => failures.push('undecided'),
        assert: () => {},
        statementsHold: () => statement(t),
        countPremise: () => {},
        failLate: (_from, deadline, text) => failures.push(`${deadline}: ${text}`),
      });
    }
    return failures;
  };

  it('a statement first met one step after the deadline is late (triggered at 0, window 2, met at 3)', () => {
    expect(run(5, 2, (t) => t === 0, (t) => t === 3)).toEqual(['2: triggered at step 0, the statement did not hold at any step up to 2']);
  });

  it('met at the deadline or before it, the trigger is released', () => {
    expect(run(5, 2, (t) => t === 0, (t) => t === 2)).toEqual([]);
    expect(run(5, 2, (t) => t === 0, (t) => t === 1)).toEqual([]);
  });

  it('a window whose last unit is undecided (2 or 3 steps) is undecided only where that unit matters', () => {
    const trig = (t: number) => t === 0;
    // Met by the lower count, or past the upper one (late either way): decided.
    expect(run(6, [2, 3], trig, (t) => t === 2)).toEqual([]);
    expect(run(6, [2, 3], trig, (t) => t === 4)).toEqual(['3: triggered at step 0, the statement did not hold at any step up to 3']);
    // Met at step 3, in time only if the window is 3: undecided.
    expect(run(6, [2, 3], trig, (t) => t === 3)).toEqual(['undecided']);
    // Never met, and the last step is the lower count: no step can be late; one step more and step 3 may be.
    expect(run(2, [2, 3], trig, () => false)).toEqual([]);
    expect(run(3, [2, 3], trig, () => false)).toEqual(['undecided']);
  });
});
