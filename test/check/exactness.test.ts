import { describe, it, expect } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { Interval, icompare, isqrt, roundDyadic, roundToGrid } from '../../src/numeric/interval.js';
import { mulberry32 } from '../../src/numeric/prng.js';
import { Rational } from '../../src/numeric/rational.js';
import { certifyTopEigenvalue } from '../../src/numeric/certified-eigen.js';

const model = deriveModel(minimalistModel);
const r = (s: string) => Rational.fromDecimalString(s);

describe('what "holds" means at an iterate', () => {
  it('a claim whose float check passes but whose exact check fails is FALSIFIED, confirmed exactly', async () => {
    const [o] = await verifyFiles(model, ['test/fixtures/exact-lemmas/float-passes-exact-fails.ts'], { seed: 1 });
    expect(o!.kind).toBe('FALSIFIED');
    expect(o!.counterexample!.confirmedExactly).toBe(true);
  });

  it('overlapping enclosures do not decide: the comparison is undefined, never a pass', () => {
    const a = new Interval(r('1'), r('1.0000001'));
    const b = new Interval(r('1.00000005'), r('2'));
    expect(icompare(a, b)).toBeUndefined();
    expect(icompare(Interval.point(r('1')), b)).toBe(-1);
  });

  it('outward dyadic rounding brackets the exact value', () => {
    const third = Rational.fromBigInt(1n).div(Rational.fromBigInt(3n ** 300n));
    const lo = roundDyadic(third, 100, 'down');
    const hi = roundDyadic(third, 100, 'up');
    expect(lo.lt(third) && hi.gt(third)).toBe(true);
    expect(hi.sub(lo).div(third).toNumber()).toBeLessThan(1e-29);
    const neg = third.neg();
    expect(roundDyadic(neg, 100, 'down').lt(neg) && roundDyadic(neg, 100, 'up').gt(neg)).toBe(true);
  });

  it('rounding to a grid 2^-k is the floor (down) or ceiling (up) of x 2^k, for dyadic and other denominators', () => {
    // Reference: floor by sign-aware bigint division, no shift path.
    const floorTimes2k = (x: Rational, k: number) => {
      const n = k >= 0 ? x.num << BigInt(k) : x.num;
      const d = k >= 0 ? x.den : x.den << BigInt(-k);
      const q = n / d;
      return q * d === n ? q : n < 0n ? q - 1n : q;
    };
    const rnd = mulberry32(91);
    for (let trial = 0; trial < 3000; trial++) {
      const num = BigInt(Math.floor(rnd() * 2 ** 40) - 2 ** 39) * (1n << BigInt(Math.floor(rnd() * 120)));
      const den = trial % 3 === 0 ? 3n ** BigInt(1 + Math.floor(rnd() * 30)) : 1n << BigInt(Math.floor(rnd() * 200));
      const x = Rational.of(num, den);
      const k = Math.floor(rnd() * 300) - 100;
      const f = floorTimes2k(x, k);
      const onGrid = (q: bigint) => (k >= 0 ? Rational.of(q, 1n << BigInt(k)) : Rational.of(q << BigInt(-k), 1n));
      expect(roundToGrid(x, k, 'down').eq(onGrid(f)), `${x} at 2^-${k}`).toBe(true);
      const exact = onGrid(f).eq(x);
      expect(roundToGrid(x, k, 'up').eq(onGrid(exact ? f : f + 1n)), `${x} at 2^-${k} up`).toBe(true);
    }
  });

  it('square roots are enclosed, also of numbers beyond the double range', () => {
    const two = isqrt(Interval.point(r('2')));
    expect(two.lo.mul(two.lo).lt(r('2'))).toBe(true);
    expect(two.hi.mul(two.hi).gt(r('2'))).toBe(true);
    const big = Rational.fromBigInt(10n ** 400n);
    const e = isqrt(Interval.point(big));
    const root = Rational.fromBigInt(10n ** 200n);
    expect(e.lo.le(root) && e.hi.ge(root)).toBe(true);
    expect(e.hi.sub(e.lo).div(root).toNumber()).toBeLessThan(1e-40);
  });

  it('the certified top eigenvalue encloses the true one; a poor eigenvector gives "undecidable", never a wrong enclosure', () => {
    // diag(3, 1, 2) rotated by nothing: top eigenvalue exactly 3.
    const H = [
      [r('3'), r('0'), r('0')],
      [r('0'), r('1'), r('0')],
      [r('0'), r('0'), r('2')],
    ];
    const good = certifyTopEigenvalue(H, [1, 0, 0]);
    expect(good.lo.le(r('3')) && good.hi.ge(r('3'))).toBe(true);
    expect(good.hi.sub(good.lo).toNumber()).toBeLessThan(1e-25);
    expect(() => certifyTopEigenvalue(H, [0.9, 0.1, 0.3])).toThrow(/could not certify/);
    // hi must stay above the true eigenvalue: a matrix whose top eigenvalue is just above the estimate
    const near = certifyTopEigenvalue(H, [1, 1e-9, 0]);
    expect(near.lo.le(r('3')) && near.hi.ge(r('3'))).toBe(true);
  });
});
