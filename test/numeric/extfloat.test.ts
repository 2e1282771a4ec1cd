import { describe, expect, it } from 'vitest';
import {
  ExtArith,
  ExtFloat,
  FloatArith,
  abs,
  add,
  cmp,
  div,
  ext,
  fromParts,
  isFinite as extIsFinite,
  log10Abs,
  max,
  min,
  mul,
  neg,
  powInt,
  sqrt,
  sub,
  toNumber,
  toRational,
} from '../../src/numeric/extfloat.js';
import type { Arith } from '../../src/numeric/extfloat.js';
import { Rational } from '../../src/numeric/rational.js';
import { mulberry32 } from '../support/prng.js';

const view = new DataView(new ArrayBuffer(8));

/** A random normal double with random 52-bit fraction and binary exponent uniform in [emin, emax]. */
function randomNormal(rand: () => number, emin: number, emax: number): number {
  const e = emin + Math.floor(rand() * (emax - emin + 1));
  const sign = rand() < 0.5 ? 0x80000000 : 0;
  view.setUint32(0, (sign | ((e + 1023) << 20) | Math.floor(rand() * 0x100000)) >>> 0);
  view.setUint32(4, Math.floor(rand() * 4294967296) >>> 0);
  return view.getFloat64(0);
}

const isNormalOrZero = (x: number) => x === 0 || (Number.isFinite(x) && Math.abs(x) >= 2 ** -1022);

/** The representation invariant every exported operation promises. */
function expectCanonical(a: ExtFloat): void {
  expect(Number.isInteger(a.e)).toBe(true);
  if (a.e === 0) {
    const ok = a.m === 0 || !Number.isFinite(a.m) || (Math.abs(a.m) >= 2 ** -400 && Math.abs(a.m) < 2 ** 400);
    expect(ok, `m=${a.m} e=0`).toBe(true);
  } else {
    expect(Math.abs(a.m) >= 1 && Math.abs(a.m) < 2, `m=${a.m} e=${a.e}`).toBe(true);
  }
}

type Op = [string, (a: ExtFloat, b: ExtFloat) => ExtFloat, (a: number, b: number) => number];
const OPS: Op[] = [
  ['add', add, (a, b) => a + b],
  ['sub', sub, (a, b) => a - b],
  ['mul', mul, (a, b) => a * b],
  ['div', div, (a, b) => a / b],
];

/** |exact - got| <= 2^-53 |exact|, decided exactly. */
function withinHalfUlp(exact: Rational, got: ExtFloat): boolean {
  const err = exact.sub(toRational(got)).abs();
  return err.mul(Rational.fromInt(2).pow(53)).le(exact.abs());
}

describe('ExtFloat representation', () => {
  it('keeps ordinary magnitudes at e = 0 and moves others into the exponent exactly', () => {
    expect(ext(1.5)).toEqual(new ExtFloat(1.5, 0));
    expect(ext(1e-100).e).toBe(0);
    expect(ext(1e100).e).toBe(0);
    const big = ext(1e200);
    expect(big.e).toBe(664);
    expect(toNumber(big)).toBe(1e200);
    const tiny = ext(Number.MIN_VALUE);
    expect(tiny).toEqual(new ExtFloat(1, -1074));
    expect(toNumber(tiny)).toBe(Number.MIN_VALUE);
    // Back into the band: the exponent folds into m again.
    expect(mul(ext(1e200), ext(1e-200))).toEqual(new ExtFloat(1e200 * 1e-200, 0));
    expect(fromParts(3, -1)).toEqual(new ExtFloat(1.5, 0));
    expect(fromParts(3, -5000)).toEqual(new ExtFloat(1.5, -4999));
    expect(() => fromParts(1, 0.5)).toThrow(RangeError);
    expect(Object.is(ext(-0).m, -0)).toBe(true);
    expect(Object.is(toNumber(ext(-0)), -0)).toBe(true);
  });

  it('round-trips doubles of every exponent, subnormals included', () => {
    const rand = mulberry32(5);
    for (let i = 0; i < 10_000; i++) {
      const x = i % 10 === 0 ? (rand() - 0.5) * 2 ** -1022 : randomNormal(rand, -1022, 1023);
      const a = ext(x);
      expectCanonical(a);
      expect(Object.is(toNumber(a), x)).toBe(true);
      expect(toRational(a).eq(Rational.fromDouble(x))).toBe(true);
    }
  });
});

describe('ExtFloat agrees with float64 bit for bit in the normal range', () => {
  for (const [name, f, g] of OPS) {
    it(`${name} on 10^4 random pairs`, () => {
      const rand = mulberry32(1000 + name.charCodeAt(0));
      let checked = 0;
      for (let i = 0; i < 10_000; i++) {
        const kind = i % 4;
        // Full range, around the band edges (2^±400), near-equal operands (cancellation), small.
        const a = kind === 0 ? randomNormal(rand, -1022, 1023) : kind === 1 ? randomNormal(rand, -700, 700) : randomNormal(rand, -60, 60);
        let b = kind === 0 ? randomNormal(rand, -1022, 1023) : kind === 1 ? randomNormal(rand, -700, 700) : randomNormal(rand, -60, 60);
        if (kind === 2) b = a * (1 + (rand() - 0.5) * 2 ** -(1 + Math.floor(rand() * 52)));
        if (kind === 3 && i % 8 === 3) b = -a;
        const want = g(a, b);
        if (!isNormalOrZero(want)) continue;
        const got = f(ext(a), ext(b));
        expectCanonical(got);
        if (!Object.is(toNumber(got), want)) expect.fail(`${name}(${a}, ${b}) = ${toNumber(got)}, float64 gives ${want}`);
        checked++;
      }
      expect(checked).toBeGreaterThan(6000);
    });
  }

  it('sqrt, neg, abs and powInt (same rounding sequence as FloatArith)', () => {
    const rand = mulberry32(77);
    for (let i = 0; i < 10_000; i++) {
      const x = randomNormal(rand, -1022, 1023);
      expect(Object.is(toNumber(sqrt(ext(Math.abs(x)))), Math.sqrt(Math.abs(x)))).toBe(true);
      expect(Object.is(toNumber(neg(ext(x))), -x)).toBe(true);
      expect(Object.is(toNumber(abs(ext(x))), Math.abs(x))).toBe(true);
      const y = randomNormal(rand, -8, 8);
      const k = Math.floor(rand() * 41) - 20;
      const want = FloatArith.powInt(y, k);
      if (isNormalOrZero(want)) expect(Object.is(toNumber(powInt(ext(y), k)), want)).toBe(true);
    }
  });

  it('subnormal and overflowing results convert like a double', () => {
    expect(toNumber(mul(ext(2 ** -600), ext(2 ** -460)))).toBe(2 ** -1060);
    expect(toNumber(mul(ext(1e-300), ext(1e-300)))).toBe(0);
    expect(Object.is(toNumber(mul(ext(-1e-300), ext(1e-300))), -0)).toBe(true);
    expect(toNumber(mul(ext(1e300), ext(1e300)))).toBe(Infinity);
    expect(toNumber(mul(ext(-1e300), ext(1e300)))).toBe(-Infinity);
    expect(toNumber(fromParts(1, 1024))).toBe(Infinity);
    expect(toNumber(fromParts(2 - 2 ** -52, 1023))).toBe(Number.MAX_VALUE);
    expect(toNumber(fromParts(1, -1075))).toBe(0); // tie to even
    expect(toNumber(fromParts(1.5, -1075))).toBe(Number.MIN_VALUE);
    expect(toNumber(fromParts(1, -5000))).toBe(0);
    // Values outside the double range come back when the result is in range.
    const huge = mul(ext(1e300), ext(1e300));
    expect(extIsFinite(huge)).toBe(true);
    expect(toNumber(div(huge, ext(2 ** 1000)))).toBe(toNumber(div(mul(ext(1e300), ext(1e300 / 2 ** 1000)), ext(1))));
  });
});

describe('ExtFloat beyond the double range', () => {
  it('a product chain of 20000 factors 0.9 stays positive and is undone by (1/0.9)^20000', () => {
    const f = ext(0.9);
    let x = ext(0.01);
    for (let t = 0; t < 20_000; t++) {
      x = mul(x, f);
      if (!(x.m > 0)) expect.fail(`not positive at step ${t}`);
    }
    expectCanonical(x);
    expect(toNumber(x)).toBe(0);
    const want = 20_000 * Math.log10(0.9) - 2;
    expect(Math.abs(log10Abs(x) - want) / Math.abs(want)).toBeLessThan(1e-9);
    expect(cmp(x, ext(0))).toBe(1);
    expect(cmp(x, ext(Number.MIN_VALUE))).toBe(-1);

    const back = mul(x, powInt(ext(1 / 0.9), 20_000));
    expect(Math.abs(toNumber(back) / 0.01 - 1)).toBeLessThan(1e-10);
    let y = x;
    const g = ext(1 / 0.9);
    for (let t = 0; t < 20_000; t++) y = mul(y, g);
    expect(y.e).toBe(0);
    expect(Math.abs(toNumber(y) / 0.01 - 1)).toBeLessThan(1e-10);

    // The exact value agrees with its logarithm.
    const r = toRational(x);
    expect(r.eq(Rational.fromExtended(x.m, x.e))).toBe(true);
    expect(r.log2Abs() * Math.log10(2)).toBeCloseTo(log10Abs(x), 9);
  });

  it('mul, div, add and sub are rounded to 53 bits over exponents -5000..5000 (checked exactly)', () => {
    const rand = mulberry32(4242);
    const randomExt = (e: number) => fromParts(randomNormal(rand, 0, 0), e);
    for (let i = 0; i < 1500; i++) {
      const ea = Math.floor(rand() * 10001) - 5000;
      const eb = i % 2 === 0 ? ea + Math.floor(rand() * 121) - 60 : Math.floor(rand() * 10001) - 5000;
      const a = randomExt(ea);
      const b = i % 10 === 1 ? neg(a) : randomExt(eb);
      const ra = toRational(a);
      const rb = toRational(b);
      const cases: [ExtFloat, Rational][] = [
        [mul(a, b), ra.mul(rb)],
        [div(a, b), ra.div(rb)],
        [add(a, b), ra.add(rb)],
        [sub(a, b), ra.sub(rb)],
      ];
      for (const [got, exact] of cases) {
        expectCanonical(got);
        expect(extIsFinite(got)).toBe(true);
        if (!withinHalfUlp(exact, got)) expect.fail(`${toRational(got)} vs ${exact}`);
      }
      expect(cmp(a, b)).toBe(ra.cmp(rb));
      const s = sqrt(abs(a));
      expectCanonical(s);
      // sqrt(|a|) within half an ulp: s^2 within about one ulp of |a|.
      const s2 = toRational(s).mul(toRational(s));
      expect(s2.sub(ra.abs()).abs().mul(Rational.fromInt(2).pow(51)).le(ra.abs())).toBe(true);
    }
  });

  it('adding numbers whose exponents differ by more than ~1100 returns the larger', () => {
    const tiny = fromParts(1.25, -5000);
    expect(add(ext(1), tiny)).toEqual(ext(1));
    expect(add(tiny, ext(-3))).toEqual(ext(-3));
    expect(sub(tiny, ext(3))).toEqual(ext(-3));
    expect(add(fromParts(1, 3000), fromParts(1, 1000))).toEqual(fromParts(1, 3000));
    expect(add(ext(0), tiny)).toEqual(tiny);
    expect(add(tiny, ext(0))).toEqual(tiny);
    expect(sub(ext(0), tiny)).toEqual(neg(tiny));
    expect(sub(tiny, tiny)).toEqual(ext(0));
    // Close exponents still add exactly.
    expect(toRational(add(tiny, fromParts(1, -5001))).eq(Rational.fromExtended(1.75, -5000))).toBe(true);
  });

  it('log10Abs, cmp, min and max', () => {
    expect(log10Abs(ext(0))).toBe(-Infinity);
    expect(log10Abs(ext(-1000))).toBeCloseTo(3, 14);
    const r = Rational.fromDecimalString('1e-928');
    const x = fromParts(1, Math.floor(r.log2Abs()));
    expect(log10Abs(x)).toBeCloseTo(Math.floor(r.log2Abs()) * Math.log10(2), 10);
    const a = fromParts(1.5, -3000);
    const b = fromParts(1.25, -2000);
    expect(cmp(a, b)).toBe(-1);
    expect(cmp(neg(a), neg(b))).toBe(1);
    expect(cmp(neg(b), a)).toBe(-1);
    expect(cmp(a, a)).toBe(0);
    expect(cmp(ext(0), a)).toBe(-1);
    expect(cmp(ext(Infinity), fromParts(1, 9000))).toBe(1);
    expect(cmp(ext(-Infinity), fromParts(-1, 9000))).toBe(-1);
    expect(max(a, b)).toBe(b);
    expect(min(a, b)).toBe(a);
    expect(a.toString()).toMatch(/^1\.2192822938\d*e-903$/); // 1.5 * 2^-3000
  });
});

describe('ExtFloat non-finite values propagate', () => {
  const nan = ext(NaN);
  const inf = ext(Infinity);
  const tiny = fromParts(1, -5000);
  const huge = fromParts(1, 5000);
  it('NaN and Infinity never become finite', () => {
    for (const [, f] of OPS) {
      for (const other of [ext(1), ext(0), tiny, huge, neg(huge), nan, inf]) {
        expect(Number.isNaN(f(nan, other).m)).toBe(true);
        expect(Number.isNaN(f(other, nan).m)).toBe(true);
        expect(extIsFinite(f(inf, other))).toBe(false);
        if (f !== div) expect(extIsFinite(f(other, inf))).toBe(false);
      }
    }
    expect(toNumber(add(inf, tiny))).toBe(Infinity);
    expect(toNumber(add(tiny, inf))).toBe(Infinity);
    expect(toNumber(add(huge, ext(-Infinity)))).toBe(-Infinity);
    expect(Number.isNaN(toNumber(sub(inf, inf)))).toBe(true);
    expect(Number.isNaN(toNumber(mul(inf, ext(0))))).toBe(true);
    expect(toNumber(div(ext(1), ext(0)))).toBe(Infinity);
    expect(toNumber(div(tiny, ext(0)))).toBe(Infinity);
    expect(Number.isNaN(toNumber(div(ext(0), ext(0))))).toBe(true);
    expect(Number.isNaN(toNumber(sqrt(ext(-1))))).toBe(true);
    expect(Number.isNaN(toNumber(sqrt(neg(tiny))))).toBe(true);
    expect(Number.isNaN(toNumber(powInt(nan, 0)))).toBe(true);
    expect(Number.isNaN(toNumber(powInt(inf, 0)))).toBe(true);
    expect(toNumber(powInt(tiny, 0))).toBe(1);
    expect(Number.isNaN(toNumber(powInt(nan, 3)))).toBe(true);
    expect(Number.isNaN(FloatArith.powInt(NaN, 0))).toBe(true);
    expect(Number.isNaN(log10Abs(nan))).toBe(true);
    expect(cmp(nan, ext(1))).toBeNaN();
    expect(Number.isNaN(max(nan, ext(1)).m)).toBe(true);
    expect(Number.isNaN(min(ext(1), nan).m)).toBe(true);
    expect(extIsFinite(nan)).toBe(false);
    expect(extIsFinite(inf)).toBe(false);
    expect(extIsFinite(tiny)).toBe(true);
    expect(() => toRational(nan)).toThrow(RangeError);
    expect(() => toRational(inf)).toThrow(RangeError);
    expect(() => powInt(ext(2), 0.5)).toThrow(RangeError);
  });
});

describe('ExtArith and FloatArith', () => {
  it('run the same generated code', () => {
    // A kernel in the shape symbolic/compile.ts emits.
    const kernel = <T>(A: typeof ExtArith | typeof FloatArith, x: T, y: T): T => {
      const B = A as unknown as Arith<T>;
      const c = B.fromNumber(0.5);
      return B.add(B.mul(c, B.powInt(x, 3)), B.div(B.sqrt(B.abs(B.sub(x, y))), B.max(B.neg(y), B.min(x, c))));
    };
    const rand = mulberry32(3);
    for (let i = 0; i < 2000; i++) {
      const x = randomNormal(rand, -20, 20);
      const y = randomNormal(rand, -20, 20);
      const want = kernel(FloatArith, x, y);
      const got = ExtArith.toNumber(kernel(ExtArith, ext(x), ext(y)));
      expect(Object.is(got, want)).toBe(true);
    }
    expect(FloatArith.toNumber(FloatArith.fromNumber(0.1))).toBe(0.1);
  });
});
