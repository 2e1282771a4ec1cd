import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fiFromRational, nextDown, nextUp } from '../../src/numeric/float-interval.js';
import { Rational } from '../../src/numeric/rational.js';

const doubleAtLeast = (q: Rational) => fiFromRational(q).hi;
const doubleAtMost = (q: Rational) => fiFromRational(q).lo;

/**
 * A draw's range is checked in doubles (verify.ts, drawBounds, from fiFromRational): v >= min iff v >= the least
 * double >= min, for a decimal min as written, and v <= max iff v <= the largest double <= max. Held against the exact rational comparison at the doubles around decimals.
 */
describe('the least double at or above a decimal', () => {
  it('a double is >= the decimal exactly when it is >= that double (doubles within 3 ulps of it, both signs, tiny and huge)', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.integer({ min: -999_999, max: 999_999 }), fc.integer({ min: -330, max: 300 }), fc.integer({ min: -3, max: 3 }), (m, e, shift) => {
        const text = `${m}e${e}`;
        const q = Rational.fromDecimalString(text);
        const d = doubleAtLeast(q);
        expect(Rational.fromDouble(d).lt(q), text).toBe(false);
        if (Number.isFinite(nextDown(d)) && d !== 0) expect(Rational.fromDouble(nextDown(d)).lt(q), text).toBe(true);
        let v = Number(text);
        for (let k = 0; k < Math.abs(shift); k++) v = shift > 0 ? nextUp(v) : nextDown(v);
        if (!Number.isFinite(v)) return;
        checked++;
        expect(v >= d, `${v} against ${text}`).toBe(!Rational.fromDouble(v).lt(q));
        expect(v <= doubleAtMost(q), `${v} against ${text}`).toBe(!Rational.fromDouble(v).gt(q));
      }),
      { seed: 8, numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(2500);
  });

  it('the double 0.1 is above 0.1 as written, so it lies outside [0, 0.1]', () => {
    const hi = doubleAtMost(Rational.fromDecimalString('0.1'));
    expect(0.1 <= hi).toBe(false);
    expect(hi).toBe(nextDown(0.1));
    expect(doubleAtLeast(Rational.fromDecimalString('0'))).toBe(0);
  });
});
