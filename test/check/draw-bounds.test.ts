import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { doubleAtLeast } from '../../src/check/verify.js';
import { Rational } from '../../src/numeric/rational.js';
import { nextDown, nextUp } from '../../src/numeric/float-interval.js';

/**
 * A draw's range is checked in doubles (verify.ts, drawBounds): v >= min iff v >= the least double >= min, for a
 * decimal min as written. Held against the exact rational comparison at the doubles around decimals.
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
      }),
      { seed: 8, numRuns: 3000 },
    );
    expect(checked).toBeGreaterThan(2500);
  });

  it('the double 0.1 is above 0.1 as written, so it lies outside [0, 0.1]', () => {
    const hi = -doubleAtLeast(Rational.fromDecimalString('0.1').neg());
    expect(0.1 <= hi).toBe(false);
    expect(hi).toBe(nextDown(0.1));
    expect(doubleAtLeast(Rational.fromDecimalString('0'))).toBe(0);
  });
});
