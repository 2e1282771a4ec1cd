import { GradientDescent } from '../../src/dynamics/gd.js';
import { describe, expect, it } from 'vitest';
import type { MathNode } from 'mathjs';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { buildFunction, floatSource } from '../../src/symbolic/compile.js';
import { ExtArith, ExtFloat, fromParts } from '../../src/numeric/extfloat.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { mulberry32 } from '../support/prng.js';

/** The kernels as the generator built them before common-subexpression elimination. */
function reference(m: ReturnType<typeof deriveModel>, node: MathNode): (th: ArrayLike<number>, h: ArrayLike<number>) => number {
  const slots = new Map<string, string>();
  m.params.forEach((p, i) => slots.set(p, `th[${i}]`));
  m.hypers.forEach((h, i) => slots.set(h, `h[${i}]`));
  return buildFunction(['th', 'h'], `return ${floatSource(node, slots)};`);
}

const variant: ModelSpec = {
  name: 'codegen-variant',
  params: ['x', 'y'],
  hypers: ['eta', 'c'],
  loss: 'x^4 / 4 - c * x^3 * y + (x*y - 1)^2 / 2 + c / (1 + y^2) - x^(-2) * y - (-x)^5',
  quantities: { q: 'abs(x - y) ^ (-3) + min(x, y, c) - x^5 + sqrt(x^2 + y^6) / max(c, x, 2) + x^0' },
};

describe('float64 codegen with common subexpressions', () => {
  it.each([minimalistModel, variant])('kernels are bit-identical to the uneliminated source ($name)', (spec) => {
    const m = deriveModel(spec);
    const rnd = mulberry32(11);
    const n = m.params.length;
    const g = new Float64Array(n);
    const H = new Float64Array(n * n);
    const g2 = new Float64Array(n);
    const H2 = new Float64Array(n * n);
    const refG = m.gradient.map((nd) => reference(m, nd));
    const refH = m.hessian.flat().map((nd) => reference(m, nd));
    const refL = reference(m, m.loss);
    for (let k = 0; k < 500; k++) {
      const th = Array.from({ length: n }, () => (rnd() - 0.5) * 10 ** (4 * rnd() - 2));
      const h = m.hypers.map(() => 10 ** (2 * rnd() - 1));
      m.kernels.gradient(th, h, g);
      m.kernels.hessian(th, h, H);
      m.kernels.gradHess(th, h, g2, H2);
      refG.forEach((f, i) => {
        expect(Object.is(g[i], f(th, h))).toBe(true);
        expect(Object.is(g2[i], g[i])).toBe(true);
      });
      refH.forEach((f, i) => {
        expect(Object.is(H[i], f(th, h))).toBe(true);
        expect(Object.is(H2[i], H[i])).toBe(true);
      });
      expect(Object.is(m.kernels.loss(th, h), refL(th, h))).toBe(true);
      for (const [name, f] of m.kernels.quantities) expect(Object.is(f(th, h), reference(m, m.quantities.get(name)!)(th, h))).toBe(true);
    }
  });

  it('reads every input once, computes shared subterms once and writes x^2 as x*x', () => {
    const m = deriveModel(minimalistModel);
    const src = m.kernels.gradHess.toString();
    for (let i = 0; i < 3; i++) expect(src.split(`th[${i}]`).length - 1).toBe(1);
    expect(src).not.toContain('Math.pow');
    // alpha*beta2 appears in the gradient and in two Hessian entries: computed into one local.
    const lines = src.split('\n').filter((l) => l.includes('const t'));
    const rhs = lines.map((l) => l.replace(/^.*= /, ''));
    expect(new Set(rhs).size).toBe(rhs.length);
  });

  it('pair (extended) kernels equal the ExtArith kernels bit for bit on a model with division, negative and odd powers, sqrt, max, min', () => {
    const m = deriveModel(variant);
    const rnd = mulberry32(12);
    const same = (mm: number, e: number, x: ExtFloat) => Object.is(mm, x.m) && Object.is(e, x.e);
    const gM = new Float64Array(2);
    const gE = new Float64Array(2);
    const HM = new Float64Array(4);
    const HE = new Float64Array(4);
    const out = new Float64Array(2);
    const g: ExtFloat[] = [];
    const H: ExtFloat[] = [];
    for (let k = 0; k < 1000; k++) {
      const th = [0, 1].map(() => fromParts((rnd() < 0.5 ? -1 : 1) * (1 + rnd()), Math.round((rnd() - 0.5) * (k % 2 ? 10 : 3000))));
      const h = [fromParts(1 + rnd(), -1), fromParts(1 + rnd(), Math.round((rnd() - 0.5) * 1000))];
      const args = [th.map((x) => x.m), th.map((x) => x.e), h.map((x) => x.m), h.map((x) => x.e)] as const;
      m.kernels.gradientArith(ExtArith, th, h, g);
      m.kernels.gradientExtPair!(...args, gM, gE);
      g.forEach((x, i) => expect(same(gM[i]!, gE[i]!, x)).toBe(true));
      m.kernels.hessianArith(ExtArith, th, h, H);
      m.kernels.hessianExtPair!(...args, HM, HE);
      H.forEach((x, i) => expect(same(HM[i]!, HE[i]!, x)).toBe(true));
      m.kernels.quantitiesExtPair.get('q')!(...args, out);
      expect(same(out[0]!, out[1]!, m.kernels.quantitiesArith.get('q')!(ExtArith, th, h))).toBe(true);
      m.kernels.lossExtPair!(...args, out);
      expect(same(out[0]!, out[1]!, m.kernels.lossArith(ExtArith, th, h))).toBe(true);
    }
  });

  it('pair (extended) kernels exist for integer-power models and not for fractional powers', () => {
    expect(deriveModel(minimalistModel).kernels.gradientExtPair).toBeDefined();
    const frac = deriveModel({ name: 'frac-pair', params: ['x'], hypers: ['eta'], loss: 'x^(3/2)' });
    expect(() => new GradientDescent(frac, { eta: 0.1 }, [1], 'extended')).toThrow(/--arith float64/);
    expect(new GradientDescent(frac, { eta: 0.1 }, [1], 'float64').advance().kind).toBe('completed');
    expect(frac.kernels.gradientExtPair).toBeUndefined();
  });
});

describe('mixed extended code', () => {
  it('computes every subtree over in-range inputs in float64 (one lift), not in pair code', async () => {
    const { MixedProgram, ShadowProgram } = await import('../../src/symbolic/compile.js');
    const { parse } = await import('../../src/symbolic/mathjs.js');
    const slots = new Map(['x', 'y', 'z'].map((v) => [v, { m: `${v}m`, e: `${v}e` }]));
    const fslots = new Map(['x', 'y', 'z'].map((v) => [v, `${v}m`]));
    // x and y are in range, z is not: (x*y + x^2) is one float64 subtree, lifted once into a pair.
    const mixed = new MixedProgram(slots, new ShadowProgram(fslots), new Set(['x', 'y']));
    mixed.emit(parse('(x * y + x^2) * z'));
    expect(mixed.shadow.lines.join('\n')).toMatch(/xm \* ym/);
    expect(mixed.lines.filter((l) => l.includes('P.norm') || l.startsWith('let l')).length).toBeGreaterThan(0);
    expect(mixed.lines.join('\n')).not.toMatch(/xm \* ym/);
  });
});
