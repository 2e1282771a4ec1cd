import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Interval, imonotone } from '../../src/numeric/interval.js';
import { Rational } from '../../src/numeric/rational.js';
import { CertainlyUndefined, MaybeUndefined } from '../../src/numeric/partial.js';

// The exact evaluators' logarithms at magnitudes outside the double range (a parameter of 1e-3071 on an
// extended-exponent orbit, as in run R3): c7's window reads log10 |beta1| there.

const pow2 = (k: number) => (k >= 0 ? Rational.of(1n << BigInt(k), 1n) : Rational.of(1n, 1n << BigInt(-k)));
const log10 = (x: Rational) => imonotone(new Interval(x, x), Math.log10, 'log10', true);

describe('log enclosures at any magnitude', () => {
  it('log10 2^k contains k log10 2 for k far outside the double exponent range, and is narrow', () => {
    for (const k of [-10203, -3500, -1100, -1001, 1001, 1100, 5000]) {
      const r = log10(pow2(k));
      // k log10(2) to 40 digits, from the 40-digit constant log10(2) = 0.30102999566398119521373889472449302677
      const L = Rational.fromDecimalString('0.3010299956639811952137388947244930267682');
      const exact = L.mul(Rational.fromInt(k));
      expect(r.lo.le(exact) && exact.le(r.hi), `k = ${k}: [${r.lo.toNumber()}, ${r.hi.toNumber()}]`).toBe(true);
      expect(r.hi.sub(r.lo).toNumber()).toBeLessThan(1e-9 * Math.max(1, Math.abs(k)));
    }
  });

  it('log10 of 3^-2000 (not a power of two) is enclosed around -2000 log10 3', () => {
    const x = Rational.of(1n, 3n ** 2000n);
    const r = log10(x);
    const L3 = Rational.fromDecimalString('0.4771212547196624372950279032551153092001');
    const exact = L3.mul(Rational.fromInt(-2000));
    expect(r.lo.le(exact) && exact.le(r.hi)).toBe(true);
  });

  it('agrees with the plain path where both apply: the ends of 2^k (|k| < 1000) lie within a few ulps of each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: -999, max: 999 }), fc.integer({ min: 1, max: 1000 }), (k, m) => {
        const x = pow2(k).mul(Rational.fromInt(m));
        const plain = log10(x);
        const far = log10(x.mul(pow2(-3000)));
        // log10(x 2^-3000) + 3000 log10 2 must meet the plain enclosure of log10 x.
        const shift = 3000 * Math.log10(2);
        return far.lo.toNumber() + shift <= plain.hi.toNumber() + 1e-9 && far.hi.toNumber() + shift >= plain.lo.toNumber() - 1e-9;
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('keeps the partial-term semantics: 0 is undefined, an enclosure reaching 0 may be', () => {
    expect(() => log10(Rational.ZERO)).toThrow(CertainlyUndefined);
    expect(() => imonotone(new Interval(Rational.ZERO, pow2(-3000)), Math.log10, 'log10', true)).toThrow(MaybeUndefined);
  });
});
