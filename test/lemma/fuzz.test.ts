import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { LemmaError } from '../../src/lemma/errors.js';
import { verifyLemma } from '../../src/check/verify.js';
import type { LemmaSpec } from '../../src/lemma/types.js';
import { main } from '../../src/cli/main.js';

const model = deriveModel(minimalistModel);

const base: LemmaSpec = {
  id: 'fuzz',
  title: 't',
  claim: 'C6',
  provenance: 'variant',
  description: 'd',
  hypotheses: { hyper: { eta: { min: 0.5, max: 1.5 }, lambda1: 1, lambda2: 0.01 }, init: { alpha: 1, beta1: 0.01, beta2: 0 } },
  quantifier: { kind: 'every-step' },
  statement: 'eta * S <= 2',
  steps: 5,
  runs: 2,
  expect: 'holds',
};

const fragments = ['alpha', 'beta1', 'S', 'S_next', 'L_0', 'C', 'eta', '*', '+', '/', '^', '(', ')', '<=', '==', '>', '1', '0', '-2', 'sqrt(', 'log(', 'import(', 'constructor', '.', ',', '"x"', 'T_event', 'zeta', '1e308', ' '];
const expr = fc.array(fc.constantFrom(...fragments), { maxLength: 8 }).map((xs) => xs.join(' '));
const anyValue = fc.oneof(expr, fc.double(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.constant(NaN), fc.boolean(), fc.array(expr, { maxLength: 2 }), fc.object({ maxDepth: 1 }));
const fields = ['id', 'title', 'claim', 'provenance', 'statement', 'quantifier', 'hypotheses', 'constants', 'steps', 'runs', 'expect', 'assume', 'tightness'];
const mutation = fc.record({ field: fc.constantFrom(...fields), value: anyValue });

describe('fuzz: every mutated lemma gets a result or a clean LemmaError, never a crash', () => {
  it('compile + verify of mutated lemma specs', async () => {
    let ran = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (muts) => {
        const spec: any = structuredClone(base);
        for (const m of muts) spec[m.field] = m.value;
        let lemma;
        try {
          lemma = compileLemma(spec, model, 'fuzz.ts');
        } catch (e) {
          expect(e).toBeInstanceOf(LemmaError);
          expect((e as LemmaError).message).toMatch(/^fuzz\.ts/);
          refused++;
          return;
        }
        const o = await verifyLemma(model, lemma, { seed: 1, runs: 2 });
        expect(['PROVED', 'VERIFIED', 'FALSIFIED', 'VACUOUS', 'UNDECIDED', 'ERROR']).toContain(o.kind);
        ran++;
      }),
      { seed: 424242, numRuns: 150 },
    );
    // Both paths were exercised: some mutants still ran, some were refused with a LemmaError.
    expect(ran).toBeGreaterThan(5);
    expect(refused).toBeGreaterThan(5);
  });

  it('random CLI argument lists: a result or exit code 2 with one line, never a stack trace', async () => {
    const tokens = ['trajectory', 'verify', '--eta', '--lambda1', '--lambda2', '--init', '--steps', '--json', '--arith', '--every', '1', '0', '-1', '1e-3', 'abc', 'NaN', '1,0.01,0', '1,2', 'float64', 'extended', '3', '--seed', '--runs', '--bogus', ''];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...tokens), { maxLength: 10 }), async (argv) => {
        const out: string[] = [];
        const err: string[] = [];
        // Keep runs short: the fuzz is about argument handling, not about long trajectories or the catalogue.
        if (argv[0] === 'verify') argv = ['verify', 'test/fixtures/exact-lemmas/float-passes-exact-fails.ts', '--allow-code', ...argv.slice(1)];
        const code = await main(argv, (s) => out.push(s), (s) => err.push(s));
        expect([0, 1, 2]).toContain(code);
        if (code === 2) {
          expect(err.join('\n')).toMatch(/^eos-check/);
          expect(err.join('\n')).not.toMatch(/\n\s+at /);
        }
      }),
      { seed: 777, numRuns: 200 },
    );
  });
});
