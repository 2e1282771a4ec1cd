import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { GradientDescent } from '../../src/dynamics/gd.js';
import { ReferenceGD } from '../support/reference-gd.js';
import { ExtArith, ExtFloat, ExtPairScratch, add, div, ext, fromParts, max, min, mul, sqrt, sub } from '../../src/numeric/extfloat.js';
import { mulberry32 } from '../support/prng.js';

const model = deriveModel(minimalistModel);

/** Both components, with -0 distinguished from 0 and NaN equal to NaN. */
function same(m: number, e: number, x: ExtFloat): boolean {
  return Object.is(m, x.m) && Object.is(e, x.e);
}

function compareRun(hyper: Record<string, number>, init: number[], steps: number): void {
  const gd = new ReferenceGD(model, hyper, init, 'extended');
  const st = new GradientDescent(model, hyper, init, 'extended');
  for (let t = 1; t <= steps; t++) {
    const r = gd.advance();
    const d = st.advance();
    expect(d.kind).toBe(r.kind);
    if (r.kind === 'diverged') {
      expect(d.kind === 'diverged' && d.step === r.step && d.what === r.what).toBe(true);
      return;
    }
    const ref = gd.thExt;
    for (let i = 0; i < 3; i++) {
      if (!same(st.th[i]!, st.thE[i]!, ref[i]!))
        throw new Error(`step ${t} param ${i}: lane kernel (${st.th[i]}, ${st.thE[i]}) vs ExtArith (${ref[i]!.m}, ${ref[i]!.e})`);
    }
  }
}

describe('the engine\'s extended GD step (lane kernel) equals the ExtArith reference', () => {
  // docs/paper.md section 3: R3 is the run where beta1 leaves the double range (1e-3071).
  it.each([
    ['R1', { eta: 1.9, lambda1: 1, lambda2: 1e-3 }, [1, 0.01, 0], 4000],
    ['R2', { eta: 1.5, lambda1: 1, lambda2: 1e-3 }, [1, 0.01, 0], 6000],
    ['R3', { eta: 1.5, lambda1: 1, lambda2: 1e-4 }, [1, 0.001, 0], 40000],
  ] as const)('%s: every step, every parameter, mantissa and exponent equal to the reference', (_n, hyper, init, steps) => {
    compareRun(hyper, [...init], steps);
  });

  it('random starts, including divergent ones and hypers outside the band', () => {
    const rnd = mulberry32(606);
    for (let k = 0; k < 40; k++) {
      const hyper = { eta: 0.3 + 2 * rnd(), lambda1: 10 ** (-1 + 2 * rnd()), lambda2: 10 ** (-6 + 5 * rnd()) };
      if (k === 0) hyper.lambda2 = 1e-130; // out of the exponent-0 band: a nonzero hyper exponent
      const init = [0.2 + 2 * rnd(), (rnd() - 0.5) * 10 ** (-6 * rnd()), (rnd() - 0.5) * 2];
      if (k % 7 === 3) init[0] = 4 + 4 * rnd(); // runs away
      compareRun(hyper, init, 600);
    }
  });

  it('matches the ExtArith gradient, Hessian, loss and quantity kernels at random extended points', () => {
    const rnd = mulberry32(77);
    const K = model.kernels;
    const gM = new Float64Array(3);
    const gE = new Float64Array(3);
    const HM = new Float64Array(9);
    const HE = new Float64Array(9);
    const out = new Float64Array(2);
    const g: ExtFloat[] = [];
    const H: ExtFloat[] = [];
    for (let k = 0; k < 2000; k++) {
      const th = [0, 1, 2].map(() => fromParts((rnd() < 0.5 ? -1 : 1) * (1 + rnd()), Math.round((rnd() - 0.5) * (k % 2 ? 40 : 2000))));
      if (k % 11 === 0) th[2] = ext(0);
      const h = [ext(0.1 + 2 * rnd()), ext(1), fromParts(1 + rnd(), -Math.round(600 * rnd()))];
      const thM = th.map((x) => x.m);
      const thE = th.map((x) => x.e);
      const hM = h.map((x) => x.m);
      const hE = h.map((x) => x.e);
      K.gradientArith(ExtArith, th, h, g);
      K.gradientExtPair!(thM, thE, hM, hE, gM, gE);
      g.forEach((x, i) => expect(same(gM[i]!, gE[i]!, x)).toBe(true));
      K.hessianArith(ExtArith, th, h, H);
      K.hessianExtPair!(thM, thE, hM, hE, HM, HE);
      H.forEach((x, i) => expect(same(HM[i]!, HE[i]!, x)).toBe(true));
      K.lossExtPair!(thM, thE, hM, hE, out);
      expect(same(out[0]!, out[1]!, K.lossArith(ExtArith, th, h))).toBe(true);
      for (const [name, f] of K.quantitiesExtPair) {
        f(thM, thE, hM, hE, out);
        const ref = K.quantitiesArith.get(name)!(ExtArith, th, h) as ExtFloat;
        if (!same(out[0]!, out[1]!, ref)) throw new Error(`${name}: (${out[0]}, ${out[1]}) vs (${ref.m}, ${ref.e})`);
      }
    }
  });
});

describe('ExtPairScratch operations', () => {
  const view = new DataView(new ArrayBuffer(8));
  const rnd = mulberry32(5000);
  function randomExt(): ExtFloat {
    const r = rnd();
    if (r < 0.03) return ext([0, -0, NaN, Infinity, -Infinity][Math.floor(rnd() * 5)]!);
    const e = Math.round((rnd() - 0.5) * 10000);
    view.setUint32(0, (((rnd() < 0.5 ? 0x80000000 : 0) | (1023 << 20) | Math.floor(rnd() * 0x100000)) >>> 0));
    view.setUint32(4, Math.floor(rnd() * 4294967296) >>> 0);
    // Sometimes stay near the other operand's exponent so that sums really cancel or round.
    return fromParts(view.getFloat64(0), r < 0.3 ? Math.round((rnd() - 0.5) * 8) : e);
  }
  it('add, sub, mul, div, sqrt, max, min equal ExtFloat bit for bit over exponents -5000..5000', () => {
    const P = new ExtPairScratch();
    const ops: [string, (a: ExtFloat, b: ExtFloat) => ExtFloat][] = [
      ['add', add],
      ['sub', sub],
      ['mul', mul],
      ['div', div],
      ['max', max],
      ['min', min],
    ];
    for (let k = 0; k < 20000; k++) {
      const a = randomExt();
      const b = k % 5 === 0 ? fromParts(-a.m * (1 + 2 ** -40), a.e) : randomExt();
      for (const [name, f] of ops) {
        (P as any)[name](a.m, a.e, b.m, b.e);
        const r = f(a, b);
        if (!same(P.m, P.e, r)) throw new Error(`${name}(${a.m}*2^${a.e}, ${b.m}*2^${b.e}): (${P.m}, ${P.e}) vs (${r.m}, ${r.e})`);
      }
      P.sqrt(a.m, a.e);
      expect(same(P.m, P.e, sqrt(a))).toBe(true);
    }
  });
});
