import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { GradientDescent } from '../../src/dynamics/gd.js';
import { ExactGD } from '../../src/dynamics/exact-step.js';
import { compileLemma } from '../../src/lemma/compile.js';
import { defineLemma, type LemmaSpec } from '../../src/lemma/types.js';
import { verifyLemma } from '../../src/check/verify.js';
import { Rational } from '../../src/numeric/rational.js';
import { main } from '../../src/cli/main.js';
import { nextDown } from '../../src/numeric/float-interval.js';

/**
 * Projected GD (issue 14, item 4): a model's projection enters the one GD map (model.step), so the
 * generated kernels, the filter, the exact map and `_next` in lemmas all apply it.
 */
const BOX = 'test/fixtures/projected/box.json';
const HALF = 'test/fixtures/projected/halfspace.json';
const box = deriveModel(JSON.parse(readFileSync(BOX, 'utf8')) as ModelSpec);
const half = deriveModel(JSON.parse(readFileSync(HALF, 'utf8')) as ModelSpec);
const plain = deriveModel(minimalistModel);
const R1 = { eta: 1.9, lambda1: 1, lambda2: 1e-3 };

const lemma = (id: string, statement: string): LemmaSpec =>
  defineLemma({
    id,
    title: statement,
    claim: 'C6',
    provenance: 'variant',
    description: 'projection fixture',
    hypotheses: {
      hyper: { eta: { min: 1.5, max: 1.95 }, lambda1: 1, lambda2: { min: 1e-3, max: 1e-2, scale: 'log' } },
      init: { alpha: { min: 0.9, max: 1.0 }, beta1: { min: 1e-3, max: 5e-2, scale: 'log' }, beta2: { min: 0, max: 0.2 } },
    },
    quantifier: { kind: 'every-step' },
    statement,
    steps: 1500,
    runs: 30,
    expect: 'holds',
  });

describe('projected gradient descent', () => {
  it.each(['float64', 'extended'] as const)('onto a box: every iterate stays in it, and the computed step is the exact projected map to rounding (%s)', (arith) => {
    const gd = new GradientDescent(box, R1, [1, 0.01, 0], arith);
    const exact = new ExactGD(box, R1);
    let clamped = 0;
    for (let t = 0; t < 3000; t++) {
      const s = gd.observe();
      expect(s.theta[0]! >= 0 && s.theta[0]! <= 1.05 && Math.abs(s.theta[2]!) <= 2).toBe(true);
      if (s.theta[0] === nextDown(1.05)) clamped++;
      const want = exact.next(ExactGD.iterate(s));
      expect(gd.advance().kind).toBe('completed');
      const got = ExactGD.iterate(gd.observe());
      got.forEach((g, i) => {
        const d = g.sub(want[i]!).abs().toNumber();
        expect(d, `t=${t} param ${i}`).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(want[i]!.toNumber())));
      });
    }
    // The catapult pushes alpha against the bound: the projection is active, not vacuous.
    expect(clamped).toBeGreaterThan(0);
  });

  it('every arithmetic clamps at the double inside the stated bound (the double 1.05 is above 21/20, the one below it is inside)', () => {
    const exact = new ExactGD(box, R1);
    const out = exact.next([Rational.fromDouble(1.2), Rational.fromDouble(0.001), Rational.fromDouble(0)]);
    expect(out[0]!.eq(Rational.fromDouble(nextDown(1.05)))).toBe(true);
    expect(out[0]!.lt(Rational.of(21n, 20n))).toBe(true);
    const gd = new GradientDescent(box, R1, [1.2, 0.001, 0], 'float64');
    gd.advance();
    expect(gd.observe().theta[0]).toBe(nextDown(1.05));
  });

  it('a claim true under the projection is VERIFIED there and FALSIFIED under plain GD', async () => {
    const spec = lemma('alpha-stays-at-most-the-box-bound', 'alpha <= 1.05');
    const onBox = await verifyLemma(box, compileLemma(spec, box, 'projection.test.ts'), { seed: 3 });
    expect(onBox.kind, onBox.detail).toBe('VERIFIED');
    const onPlain = await verifyLemma(plain, compileLemma(spec, plain, 'projection.test.ts'), { seed: 3 });
    expect(onPlain.kind, onPlain.detail).toBe('FALSIFIED');
  });

  it('onto a half-space: computed iterates satisfy the constraint to rounding, and the checker says where they do not exactly', async () => {
    // The float projection onto a half-space rounds: a computed iterate can lie 1e-16 outside, and the
    // checker, deciding at the computed iterate, says so; to rounding the constraint holds.
    const near = { ...lemma('half-space-constraint-holds-to-rounding', 'alpha + 0.5 * beta2 <= 1.2 + 1e-15'), quantifier: { kind: 'every-step' as const, when: 't >= 1' }, runs: 10 };
    const o = await verifyLemma(half, compileLemma(near, half, 'projection.test.ts'), { seed: 4 });
    expect(o.kind, o.detail).toBe('VERIFIED');
    const exactly = { ...near, id: 'half-space-constraint-holds-exactly', statement: 'alpha + 0.5 * beta2 <= 1.2' };
    const e = await verifyLemma(half, compileLemma(exactly, half, 'projection.test.ts'), { seed: 4 });
    expect(e.kind, e.detail).toBe('FALSIFIED');
    expect(e.counterexample!.lhs! - 1.2).toBeLessThan(1e-15);
    // An exact projected step lands exactly on the constraint, so deciding "alpha_next + 0.5 beta2_next <= 1.2"
    // needs exact arithmetic at every such iterate (equality leaves no margin): too slow for a unit test.
    const c = e.counterexample!;
    void c;
  });

  it('bad projections are refused with the field named; the report and trajectory say which dynamics ran', async () => {
    const bad = (projection: unknown) => () => deriveModel({ ...minimalistModel, name: 'bad', projection } as ModelSpec);
    expect(bad({ kind: 'box', bounds: { gamma: [0, 1] } })).toThrow(/projection\.bounds\.gamma.*not a parameter/);
    expect(bad({ kind: 'box', bounds: { alpha: [2, 1] } })).toThrow(/projection\.bounds\.alpha.*empty/);
    expect(bad({ kind: 'halfspace', normal: { alpha: 0 }, offset: 1 })).toThrow(/projection\.normal.*zero/);
    expect(bad({ kind: 'ball' })).toThrow(/projection\.kind/);
    const out: string[] = [];
    const code = await main(['trajectory', '--model', BOX, '--eta', '1.9', '--lambda1', '1', '--lambda2', '1e-3', '--init', '1,0.01,0', '--steps', '100', '--json'], (s) => out.push(s), () => {});
    expect(code).toBe(0);
    expect(JSON.parse(out[0]!).dynamics).toBe('projected gradient descent onto the box alpha in [0, 1.05], beta2 in [-2, 2]');
    expect(box.hash).not.toBe(plain.hash);
  });
});
