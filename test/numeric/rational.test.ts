import { describe, expect, it } from 'vitest';
import { log2AbsOfDyadic, Rational, ratMax, ratMin } from '../../src/numeric/rational.js';
import { mulberry32 } from '../support/prng.js';

const view = new DataView(new ArrayBuffer(8));
const u32 = (rand: () => number) => Math.floor(rand() * 4294967296) >>> 0;

/** A random finite double from random bits; biased so that every binary exponent field is equally likely. */
function randomDouble(rand: () => number): number {
  const bexp = Math.floor(rand() * 2047); // 0 (subnormal/zero) .. 2046
  const sign = rand() < 0.5 ? 0x80000000 : 0;
  view.setUint32(0, (sign | (bexp << 20) | (u32(rand) & 0xfffff)) >>> 0);
  view.setUint32(4, u32(rand));
  return view.getFloat64(0);
}

function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const bits = (BigInt(hi) << 32n) | BigInt(lo);
  const nb = x > 0 ? bits + 1n : bits - 1n;
  view.setUint32(0, Number(nb >> 32n));
  view.setUint32(4, Number(nb & 0xffffffffn));
  return view.getFloat64(0);
}
const nextDown = (x: number) => -nextUp(-x);

const R = (s: string) => Rational.fromDecimalString(s);
const big = (n: bigint) => Rational.fromBigInt(n);

function randomRational(rand: () => number): Rational {
  const n = BigInt(Math.floor(rand() * 2e6) - 1e6) * (rand() < 0.3 ? 10n ** BigInt(Math.floor(rand() * 40)) : 1n);
  const d = BigInt(1 + Math.floor(rand() * 1e6)) * (rand() < 0.3 ? 3n ** BigInt(Math.floor(rand() * 40)) : 1n);
  return Rational.of(n, d);
}

/** x is the double nearest to r (ties to even), checked exactly. */
function isCorrectlyRounded(r: Rational, x: number): boolean {
  // Overflow happens exactly from the midpoint between MAX_VALUE and 2^1024 on.
  const mid = Rational.fromDouble(Number.MAX_VALUE).add(Rational.fromInt(2).pow(970));
  if (!Number.isFinite(x)) return x > 0 ? r.ge(mid) : r.le(mid.neg());
  if (r.abs().ge(mid)) return false;
  const d = r.sub(Rational.fromDouble(x)).abs();
  for (const y of [nextUp(x), nextDown(x)]) {
    if (!Number.isFinite(y)) continue;
    const dy = r.sub(Rational.fromDouble(y)).abs();
    if (dy.lt(d)) return false;
  }
  return true;
}

describe('Rational normalization and construction', () => {
  it('keeps lowest terms with a positive denominator', () => {
    const r = Rational.of(6n, -4n);
    expect(r.num).toBe(-3n);
    expect(r.den).toBe(2n);
    expect(Rational.of(0n, -7n).toString()).toBe('0');
    expect(Rational.of(0n, -7n).den).toBe(1n);
    expect(Rational.of(10n, 5n).toString()).toBe('2');
    expect(() => Rational.of(1n, 0n)).toThrow(RangeError);
  });

  it('fromInt accepts integers only', () => {
    expect(Rational.fromInt(-12).toString()).toBe('-12');
    expect(Rational.fromInt(1e20).num).toBe(100000000000000000000n);
    expect(() => Rational.fromInt(0.5)).toThrow(RangeError);
    expect(() => Rational.fromInt(NaN)).toThrow(RangeError);
  });

  it('fromDouble is exact', () => {
    const r = Rational.fromDouble(0.1);
    expect(r.num).toBe(3602879701896397n);
    expect(r.den).toBe(36028797018963968n);
    const m = Rational.fromDouble(Number.MIN_VALUE);
    expect(m.num).toBe(1n);
    expect(m.den).toBe(1n << 1074n);
    expect(Rational.fromDouble(Number.MAX_VALUE).num).toBe(((1n << 53n) - 1n) << 971n);
    expect(Rational.fromDouble(2 ** -1022).den).toBe(1n << 1022n);
    expect(Rational.fromDouble(-0.75).toString()).toBe('-3/4');
    expect(Rational.fromDouble(3 * 2 ** -1074).toString()).toBe(`3/${1n << 1074n}`);
    expect(Rational.fromDouble(-1.5 * 2 ** 100).num).toBe(-3n << 99n);
  });

  it('fromDouble maps -0 to 0 and rejects NaN and infinities, naming the value', () => {
    const z = Rational.fromDouble(-0);
    expect(z.isZero()).toBe(true);
    expect(z.eq(Rational.ZERO)).toBe(true);
    expect(Object.is(z.toNumber(), 0)).toBe(true);
    expect(() => Rational.fromDouble(NaN)).toThrow(RangeError);
    expect(() => Rational.fromDouble(NaN)).toThrow(/NaN/);
    expect(() => Rational.fromDouble(Infinity)).toThrow(/Infinity/);
    expect(() => Rational.fromDouble(-Infinity)).toThrow(/-Infinity/);
  });

  it('round-trips 10^4 random doubles across all exponents, subnormals included', () => {
    const rand = mulberry32(12345);
    let subnormals = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = randomDouble(rand);
      if (x !== 0 && Math.abs(x) < 2 ** -1022) subnormals++;
      const r = Rational.fromDouble(x);
      expect(r.den > 0n).toBe(true);
      expect(Object.is(r.toNumber(), x === 0 ? 0 : x)).toBe(true);
    }
    expect(subnormals).toBeGreaterThan(0);
  });

  it('fromDouble agrees with the bit-level definition mant * 2^(exp - 1075)', () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const x = randomDouble(rand);
      view.setFloat64(0, x);
      const hi = view.getUint32(0);
      const bexp = (hi >>> 20) & 0x7ff;
      let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
      if (bexp !== 0) mant += 1n << 52n;
      const e = (bexp === 0 ? 1 : bexp) - 1075;
      let ref = Rational.fromBigInt(mant).mul(Rational.fromInt(2).pow(e));
      if (hi >>> 31) ref = ref.neg();
      expect(Rational.fromDouble(x).eq(ref)).toBe(true);
    }
  });

  it('fromDecimalString is exact', () => {
    expect(R('1e-3').eq(Rational.of(1n, 1000n))).toBe(true);
    expect(R('0.001').eq(R('1e-3'))).toBe(true);
    expect(R('-2.5').toString()).toBe('-5/2');
    expect(R('3/7').toString()).toBe('3/7');
    expect(R('-3/-7').toString()).toBe('3/7');
    expect(R('1.5e+21').toString()).toBe('1500000000000000000000');
    expect(R('.5').toString()).toBe('1/2');
    expect(R('5.').toString()).toBe('5');
    expect(R(' +12 ').toString()).toBe('12');
    expect(R('0.1').eq(Rational.fromDouble(0.1))).toBe(false);
    expect(R('1e-928').log2Abs()).toBeCloseTo(-928 / Math.log10(2), 9);
    expect(R(String(1e-7)).toString()).toBe('1/10000000');
    expect(R('2.5/0.5').toString()).toBe('5');
    for (const bad of ['', 'abc', '1e', '1.2.3', 'NaN', 'Infinity', '-Infinity', '1/', '/2', '0x10', '1e99999999']) {
      expect(() => R(bad), bad).toThrow(RangeError);
    }
    expect(() => R('1/0')).toThrow(RangeError);
  });

  it('fromExtended is exact for exponents -5000..5000', () => {
    const rand = mulberry32(99);
    const two = Rational.fromInt(2);
    for (let e = -5000; e <= 5000; e++) {
      const m = e % 7 === 0 ? randomDouble(rand) : (rand() - 0.5) * 2 ** Math.floor(rand() * 200 - 100);
      const r = Rational.fromExtended(m, e);
      if (e % 50 === 0 || Math.abs(e) < 30) {
        expect(r.eq(Rational.fromDouble(m).mul(two.pow(e)))).toBe(true);
      }
      if (m !== 0) expect(r.log2Abs()).toBeCloseTo(Math.log2(Math.abs(m)) + e, 9);
      else expect(r.isZero()).toBe(true);
    }
    expect(Rational.fromExtended(1, -5000).den).toBe(1n << 5000n);
    expect(Rational.fromExtended(-3, 5000).num).toBe(-3n << 5000n);
    expect(Rational.fromExtended(0.5, 1).toString()).toBe('1');
    expect(() => Rational.fromExtended(1, 0.5)).toThrow(RangeError);
    expect(() => Rational.fromExtended(NaN, 3)).toThrow(RangeError);
  });
});

describe('Rational arithmetic', () => {
  it('satisfies the field axioms on random rationals', () => {
    const rand = mulberry32(2024);
    const zero = Rational.ZERO;
    const one = Rational.ONE;
    for (let i = 0; i < 500; i++) {
      const a = randomRational(rand);
      const b = randomRational(rand);
      const c = randomRational(rand);
      expect(a.add(b).eq(b.add(a))).toBe(true);
      expect(a.mul(b).eq(b.mul(a))).toBe(true);
      expect(a.add(b).add(c).eq(a.add(b.add(c)))).toBe(true);
      expect(a.mul(b).mul(c).eq(a.mul(b.mul(c)))).toBe(true);
      expect(a.mul(b.add(c)).eq(a.mul(b).add(a.mul(c)))).toBe(true);
      expect(a.add(zero).eq(a)).toBe(true);
      expect(a.mul(one).eq(a)).toBe(true);
      expect(a.add(a.neg()).isZero()).toBe(true);
      expect(a.sub(b).eq(a.add(b.neg()))).toBe(true);
      if (!a.isZero()) {
        expect(a.mul(a.inv()).eq(one)).toBe(true);
        expect(b.div(a).mul(a).eq(b)).toBe(true);
      }
      // Normalized representation, so equality is structural.
      const s = a.add(b);
      expect(Rational.of(s.num * 6n, s.den * 6n).eq(s)).toBe(true);
      expect(s.den > 0n).toBe(true);
      // Order is compatible with addition and agrees with the doubles where they are distinct.
      expect(a.cmp(b)).toBe(-b.cmp(a));
      if (a.lt(b)) expect(a.add(c).lt(b.add(c))).toBe(true);
      const x = a.toNumber();
      const y = b.toNumber();
      if (x < y) expect(a.lt(b)).toBe(true);
      expect(isCorrectlyRounded(a, x)).toBe(true);
    }
  });

  it('throws on division by zero', () => {
    expect(() => Rational.ONE.div(Rational.ZERO)).toThrow(RangeError);
    expect(() => Rational.ZERO.div(Rational.ZERO)).toThrow(RangeError);
    expect(() => Rational.ZERO.inv()).toThrow(RangeError);
    expect(() => Rational.ZERO.pow(-1)).toThrow(RangeError);
  });

  it('pow handles negative and zero exponents', () => {
    const r = Rational.of(-2n, 3n);
    expect(r.pow(3).toString()).toBe('-8/27');
    expect(r.pow(-3).toString()).toBe('-27/8');
    expect(r.pow(-2).toString()).toBe('9/4');
    expect(r.pow(0).toString()).toBe('1');
    expect(Rational.ZERO.pow(0).toString()).toBe('1');
    expect(Rational.ZERO.pow(5).isZero()).toBe(true);
    expect(() => r.pow(1.5)).toThrow(RangeError);
  });

  it('sign, comparisons, abs, floor, ceil, min, max', () => {
    const a = R('-7/2');
    const b = R('5/3');
    expect(a.sign()).toBe(-1);
    expect(Rational.ZERO.sign()).toBe(0);
    expect(b.sign()).toBe(1);
    expect(a.cmp(b)).toBe(-1);
    expect(b.cmp(a)).toBe(1);
    expect(a.cmp(R('-14/4'))).toBe(0);
    expect(a.lt(b) && a.le(b) && b.gt(a) && b.ge(a) && a.le(a) && a.ge(a)).toBe(true);
    expect(a.abs().toString()).toBe('7/2');
    expect(a.floor()).toBe(-4n);
    expect(a.ceil()).toBe(-3n);
    expect(b.floor()).toBe(1n);
    expect(b.ceil()).toBe(2n);
    expect(R('4').floor()).toBe(4n);
    expect(R('4').isInteger()).toBe(true);
    expect(b.isInteger()).toBe(false);
    expect(ratMin(b, a, Rational.ZERO)).toBe(a);
    expect(ratMax(a, Rational.ZERO, b)).toBe(b);
  });
});

describe('Rational.toNumber and log2Abs', () => {
  const ten400 = 10n ** 400n;
  it('handles numerators and denominators far outside the double range', () => {
    expect(Rational.of(ten400 + 1n, ten400).toNumber()).toBe(1);
    expect(Rational.of(1n, ten400).toNumber()).toBe(0);
    expect(big(ten400).toNumber()).toBe(Infinity);
    expect(big(-ten400).toNumber()).toBe(-Infinity);
    expect(Rational.of(ten400, 3n * ten400).toNumber()).toBe(1 / 3);
    expect(Rational.of(1n, 10n ** 310n).toNumber()).toBe(1e-310);
    expect(Rational.of(-(10n ** 320n), 10n ** 10n).toNumber()).toBe(-Infinity);
    expect(big(10n ** 308n).toNumber()).toBe(1e308);
  });

  it('integers whose double rounds up to a power of two (the bit length read off the double): toNumber is Number()', () => {
    for (let k = 50; k <= 1030; k++) {
      const p = 1n << BigInt(k);
      for (const x of [p - 1n, p, p + 1n, p - (p >> 60n), 3n * p - 1n]) {
        expect(big(x).toNumber(), `${k}`).toBe(Number(x));
      }
      expect(Rational.of(1n, p).toNumber(), `2^-${k}`).toBe(2 ** -k);
    }
  });

  it('rounds to nearest, ties to even, at the edges of the range', () => {
    const two = Rational.fromInt(2);
    expect(two.pow(-1074).toNumber()).toBe(Number.MIN_VALUE);
    expect(two.pow(-1075).toNumber()).toBe(0); // tie, rounds to even 0
    expect(two.pow(-1075).add(two.pow(-2000)).toNumber()).toBe(Number.MIN_VALUE);
    expect(Rational.fromInt(3).mul(two.pow(-1075)).toNumber()).toBe(2 * Number.MIN_VALUE); // tie to even
    expect(Rational.fromInt(3).mul(two.pow(-1076)).toNumber()).toBe(Number.MIN_VALUE);
    const max = Rational.fromDouble(Number.MAX_VALUE);
    const halfUlp = two.pow(970);
    expect(max.add(halfUlp).toNumber()).toBe(Infinity); // tie, even is 2^1024
    expect(max.add(halfUlp).sub(two.pow(-5)).toNumber()).toBe(Number.MAX_VALUE);
    expect(two.pow(1024).toNumber()).toBe(Infinity);
    // 1 + 2^-53 is a tie between 1 and 1 + 2^-52: even is 1.
    expect(Rational.ONE.add(two.pow(-53)).toNumber()).toBe(1);
    expect(Rational.ONE.add(two.pow(-53)).add(two.pow(-200)).toNumber()).toBe(1 + 2 ** -52);
    expect(Rational.fromInt(1).add(two.pow(-52)).add(two.pow(-53)).toNumber()).toBe(1 + 2 * 2 ** -52);
  });

  it('is correctly rounded for random large quotients', () => {
    // The checker itself is not vacuous.
    expect(isCorrectlyRounded(R('1/3'), 1 / 3)).toBe(true);
    expect(isCorrectlyRounded(R('1/3'), nextUp(1 / 3))).toBe(false);
    expect(isCorrectlyRounded(big(10n ** 400n), Number.MAX_VALUE)).toBe(false);
    const rand = mulberry32(31337);
    for (let i = 0; i < 1000; i++) {
      const p = BigInt(Math.floor(rand() * 2 ** 53)) * 10n ** BigInt(Math.floor(rand() * 330)) + BigInt(Math.floor(rand() * 1000));
      const q = BigInt(1 + Math.floor(rand() * 2 ** 53)) * 7n ** BigInt(Math.floor(rand() * 400));
      const r = Rational.of(rand() < 0.5 ? -p : p, q);
      expect(isCorrectlyRounded(r, r.toNumber())).toBe(true);
    }
  });

  it('log2Abs works far outside the double range', () => {
    expect(Rational.ZERO.log2Abs()).toBe(-Infinity);
    expect(Rational.fromInt(-8).log2Abs()).toBe(3);
    expect(Rational.fromExtended(1, -5000).log2Abs()).toBe(-5000);
    expect(Rational.fromExtended(3, 10000).div(Rational.fromInt(7)).log2Abs()).toBeCloseTo(10000 + Math.log2(3 / 7), 9);
    expect(Rational.of(1n, ten400).log2Abs()).toBeCloseTo(-400 * Math.log2(10), 9);
  });
});

describe('log2AbsOfDyadic', () => {
  it("is Rational.log2Abs of m 2^e bit for bit, without the rational (even mantissas, exponents far below and above 1000 bits)", () => {
    const rand = mulberry32(77);
    let n = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const bits = 1 + Math.floor(rand() * 300);
      let m = 0n;
      for (let b = 0; b < bits; b += 30) m = (m << 30n) | BigInt(Math.floor(rand() * 2 ** 30));
      // Trailing zeros beside the exponent's (the rational reduces them away).
      m <<= BigInt(Math.floor(rand() * 40));
      if (m === 0n) continue;
      if (rand() < 0.5) m = -m;
      const e = Math.floor(rand() * 6000) - 5000;
      const viaRational = (e >= 0 ? Rational.of(m << BigInt(e)) : Rational.of(m, 1n << BigInt(-e))).log2Abs();
      expect(Object.is(log2AbsOfDyadic(m, e), viaRational), `${m} 2^${e}`).toBe(true);
      n++;
    }
    expect(n).toBeGreaterThan(2900);
    expect(log2AbsOfDyadic(0n, -7)).toBe(Rational.ZERO.log2Abs());
  });
});
