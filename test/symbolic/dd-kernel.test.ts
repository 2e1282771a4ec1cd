import { describe, it, expect } from 'vitest';
import { parse, type MathNode } from 'mathjs';
import { compileDDKernel } from '../../src/symbolic/dd-kernel.js';
import { fold, type Backend } from '../../src/symbolic/algebra.js';
import { DDOps, GiveUp } from '../../src/numeric/double-double.js';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { mulberry32 } from '../../src/numeric/prng.js';

/**
 * The double-double kernels write add, sub and mul out inline (symbolic/dd-kernel.ts). Their rigour is DDOps' (its
 * bounds are tested in test/numeric/double-double.test.ts), so each kernel must give DDOps' bits: here against the
 * same trees folded through DDOps' methods one operation at a time, over random inputs from 2^-960 to 2^960 (values
 * that go below the tier's range, and results beyond it, which must give up in both).
 */

type Ball = [number, number, number];
const D = new DDOps();
const got = (): Ball => [D.hi, D.lo, D.err];

function reference(trees: readonly MathNode[], slot: Map<string, number>, E: Float64Array): Ball[] {
  const backend: Backend<Ball> = {
    name: 'DDOps, one call per operation',
    constant(value) {
      if (!Number.isInteger(value)) throw new Error(`test trees use integer constants only (${value})`);
      return [value, 0, 0];
    },
    symbol(name) {
      const i = slot.get(name)!;
      return [E[3 * i]!, E[3 * i + 1]!, E[3 * i + 2]!];
    },
    neg: (a) => (D.neg(...a), got()),
    add: (a, b) => (D.add(...a, ...b), got()),
    sub: (a, b) => (D.sub(...a, ...b), got()),
    mul: (a, b) => (D.mul(...a, ...b), got()),
    div: (a, b) => (D.div(...a, ...b), got()),
    // The kernel's square and multiply.
    powi(a, k) {
      const pow = (x: Ball, n: number): Ball => {
        if (n === 0) return [1, 0, 0];
        if (n < 0) return (D.div(1, 0, 0, ...pow(x, -n)), got());
        if (n === 1) return x;
        const half = pow(x, Math.floor(n / 2));
        D.mul(...half, ...half);
        const sq = got();
        if (n % 2 === 0) return sq;
        D.mul(...sq, ...x);
        return got();
      };
      return pow(a, k);
    },
    sqrt: (a) => (D.sqrt(...a), got()),
    abs: (a) => (D.abs(...a), got()),
    max: (a, b) => (D.maxMin(true, ...a, ...b), got()),
    min: (a, b) => (D.maxMin(false, ...a, ...b), got()),
  };
  return trees.map((t) => fold(t, backend));
}

/** A random lane of inputs: a double-double with an error bound, at a magnitude drawn from 2^-960 to 2^960. */
function draw(rand: () => number, E: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const r = rand();
    const mag = r < 0.05 ? 0 : 2 ** Math.round((rand() < 0.7 ? 40 : 960) * (2 * rand() - 1));
    const hi = (rand() < 0.5 ? -1 : 1) * mag * (1 + rand());
    const lo = hi * 2 ** -53 * (2 * rand() - 1);
    E[3 * i] = hi;
    E[3 * i + 1] = hi + lo === hi ? lo : 0;
    E[3 * i + 2] = rand() < 0.5 ? 0 : Math.abs(hi) * 2 ** -(60 + Math.floor(50 * rand()));
  }
}

function agree(trees: readonly MathNode[], names: readonly string[], lanes: number, seed: number): { compared: number; gaveUp: number } {
  const slot = new Map(names.map((s, i) => [s, i]));
  const kernel = compileDDKernel(trees, (s) => slot.get(s)!)!;
  expect(kernel).toBeDefined();
  const E = new Float64Array(3 * names.length);
  const O = new Float64Array(3 * trees.length);
  const rand = mulberry32(seed);
  let compared = 0;
  let gaveUp = 0;
  for (let lane = 0; lane < lanes; lane++) {
    draw(rand, E, names.length);
    let want: Ball[] | 'gave up';
    try {
      want = reference(trees, slot, E);
    } catch (e) {
      if (!(e instanceof GiveUp)) throw e;
      want = 'gave up';
    }
    let have: Ball[] | 'gave up';
    try {
      kernel(E, O);
      have = trees.map((_, k) => [O[3 * k]!, O[3 * k + 1]!, O[3 * k + 2]!]);
    } catch (e) {
      if (!(e instanceof GiveUp)) throw e;
      have = 'gave up';
    }
    if (want === 'gave up') gaveUp++;
    else compared++;
    // toEqual tells -0 from 0 and compares NaN as equal: bit for bit on these values.
    expect(have, `lane ${lane}: ${Array.from(E).join(', ')}`).toEqual(want);
  }
  return { compared, gaveUp };
}

describe('double-double kernels give DDOps\' results bit for bit', () => {
  it('on polynomials with cancellation, powers, max/min/abs/sqrt/div between the inline operations', () => {
    const trees = ['x * y - z', 'x^3 - 3 * x * y^2 + z * w', '(x - y) * (x + y) - (x^2 - y^2)', 'max(x, y) * abs(z) - min(w, x) + sqrt(abs(w))', 'x / (abs(y) + 1) - z * (w - x)^2'].map((t) => parse(t));
    const r = agree(trees, ['x', 'y', 'z', 'w'], 4000, 20261207);
    // Both kinds of lanes occur: results inside the tier's range and ones beyond it.
    expect(r.compared).toBeGreaterThan(1000);
    expect(r.gaveUp).toBeGreaterThan(100);
  });

  it('on the minimalist model\'s Hessian and GD map (the kernels S\'s second tier runs)', () => {
    const model = deriveModel(loadPack('minimalist').spec);
    const names = [...model.params, ...model.hypers];
    const h = model.hessian;
    const trees = [h[0]![0]!, h[0]![1]!, h[0]![2]!, h[1]![1]!, h[1]![2]!, h[2]![2]!, ...model.step];
    const r = agree(trees, names, 4000, 7);
    expect(r.compared).toBeGreaterThan(1000);
  });
});
