import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { defineLemma } from '../../src/lemma/types.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { IterateState } from '../../src/check/iterate-state.js';
import { windowLength, type WindowLength } from '../../src/check/window-length.js';
import { checkTrajectory } from '../../src/check/trajectory-check.js';
import { mulberry32 } from '../support/prng.js';

/**
 * A `within` window's length, tried first in the float filter's interval arithmetic (check/window-length.ts): where
 * that decides it, the exact enclosures give the same length; where the exact value is an integer (no enclosure can
 * give its ceiling), the float try must not decide it either.
 */
const model = deriveModel(minimalistModel);
// c7's window (lemmas/c7-self-stabilization.ts).
const lemma = compileLemma(
  defineLemma({
    id: 'window-length-test',
    title: 'window',
    claim: 'C7',
    provenance: 'variant',
    description: 'test',
    hypotheses: { hyper: { eta: { min: 0.5, max: 4 }, lambda1: 1, lambda2: { min: 1e-3, max: 1e-1 } }, init: { alpha: { min: 0.1, max: 2 }, beta1: { min: -1, max: 1 }, beta2: { min: -1, max: 1 } } },
    quantifier: { kind: 'within', trigger: ['eta * S > 2', 'q_osc > 2'], within: '1 + max(1, -log10abs_beta1 / log10(q_osc - 1))' },
    statement: 'eta * S <= 2',
    steps: 10,
    runs: 1,
    expect: 'holds',
  }),
  model,
  'window-length.test.ts',
);

function both(hyper: Record<string, number>, init: number[]): { exact: WindowLength; tried: WindowLength } {
  const st = new IterateState(model, lemma, hyper, init, 'extended');
  st.recordStart();
  const exact = windowLength(model, lemma, () => st.exact());
  const tried = windowLength(model, lemma, () => st.exact(), () => {
    st.enclosures();
    return st.enc.E;
  });
  return { exact, tried };
}

describe('within window lengths', () => {
  it('the float try gives the exact length wherever it decides, at random states and near integer lengths', () => {
    const rand = mulberry32(2502);
    let decidedByFloat = 0;
    for (let t = 0; t < 400; t++) {
      const eta = 0.5 + 3.5 * rand();
      const alpha = Math.sqrt((2.001 + 30 * rand()) / eta);
      // Every fourth beta1 a power of (q - 1) nudged by an ulp or so: lengths a hair from an integer.
      const q = eta * alpha * alpha;
      const k = 1 + Math.floor(rand() * 8);
      const b1 = t % 4 === 0 ? (q - 1) ** -k * (1 + (rand() - 0.5) * 4e-16) : (rand() < 0.5 ? -1 : 1) * 10 ** (-12 * rand());
      const { exact, tried } = both({ eta, lambda1: 1, lambda2: 0.01 }, [alpha, b1, 0.3]);
      if ('steps' in exact) expect(tried).toEqual(exact);
      else expect('undecided' in tried).toBe(true);
      const st = new IterateState(model, lemma, { eta, lambda1: 1, lambda2: 0.01 }, [alpha, b1, 0.3], 'extended');
      st.recordStart();
      st.enclosures();
      const O = new Float64Array(2);
      if (lemma.withinKernel!(st.enc.E, O) === 0 && Math.ceil(O[0]!) === Math.ceil(O[1]!)) decidedByFloat++;
    }
    expect(decidedByFloat).toBeGreaterThan(200);
  });

  it('a length that is exactly an integer is left to the exact enclosures (which cannot decide it either)', () => {
    // q = 3 and beta1 = 1/4: -log10(1/4) / log10(2) = 2 exactly, the window 1 + max(1, 2) = 3; rounded to nearest
    // without widening, the doubles give exactly 3 as well, and would claim its ceiling.
    const { exact, tried } = both({ eta: 3, lambda1: 1, lambda2: 0.01 }, [1, 0.25, 0.3]);
    expect('undecided' in exact).toBe(true);
    expect(tried).toEqual(exact);
    expect(-Math.log10(0.25) / Math.log10(2)).toBe(2);
  });

  it('an undecided length (3 or 4 steps) is undecided only where its last unit matters', () => {
    // The window at step 0 is 3 exactly (above), enclosed with ends whose ceilings are 3 and 4.
    const hyper = { eta: 3, lambda1: 1, lambda2: 0.01 };
    const start = [1, 0.25, 0.3];
    const w = windowLength(model, lemma, () => {
      const st = new IterateState(model, lemma, hyper, start, 'extended');
      st.recordStart();
      return st.exact();
    });
    expect(w).toMatchObject({ lower: 3, upper: 4 });
    const run = (l: typeof lemma, steps: number) => checkTrajectory(model, l, hyper, start, { arith: 'extended', steps });
    // eta S <= 2 is met within 3 steps: in time whatever the last unit, at every horizon.
    for (const T of [3, 4, 6]) expect(run(lemma, T).undecided).toBe(0);
    // eta S <= 1/2 is never met. T = 3: no step can be late. T = 4: step 4 is late only if the window is 3.
    // T = 5: not met by step 4, late whichever the window: a violation, confirmed.
    const never = compileLemma({ ...lemma.spec, statement: 'eta * S <= 0.5' }, model, 'window-length.test.ts');
    expect(run(never, 3).undecided).toBe(0);
    expect(run(never, 3).violation).toBeNull();
    expect(run(never, 4).undecided).toBeGreaterThan(0);
    expect(run(never, 4).firstUndecided).toMatch(/different ceilings/);
    const late = run(never, 5);
    expect(late.undecided).toBe(0);
    expect(late.violation).toMatchObject({ step: 0, confirmedExactly: true });
  });
});
