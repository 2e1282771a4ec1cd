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

  it('an undecided length decides nothing while both candidate deadlines are at or past the last step', () => {
    // The window at step 0 is 3 exactly (above), enclosed with ends whose ceilings are 3 and 4. With T = 3 the
    // deadline is 3 or 4, and within.ts fails only at a step after it: no step can be late, so nothing is undecided.
    // With T = 4 the deadline decides whether step 4 is late: the length is undecided there.
    const hyper = { eta: 3, lambda1: 1, lambda2: 0.01 };
    const run = (steps: number) => checkTrajectory(model, lemma, hyper, [1, 0.25, 0.3], { arith: 'extended', steps });
    const w = windowLength(model, lemma, () => {
      const st = new IterateState(model, lemma, hyper, [1, 0.25, 0.3], 'extended');
      st.recordStart();
      return st.exact();
    });
    expect(w).toMatchObject({ lower: 3, upper: 4 });
    expect(run(3).undecided).toBe(0);
    expect(run(4).undecided).toBeGreaterThan(0);
  });
});
