import { describe, expect, it } from 'vitest';
import { logInterval, twoAtanh, type LogBase } from '../../src/numeric/log-enclosure.js';
import { Interval } from '../../src/numeric/interval.js';
import { Rational } from '../../src/numeric/rational.js';
import { Dyadic, DyadicArith, DyadicInterval } from '../../src/numeric/dyadic.js';
import { CertainlyUndefined, MaybeUndefined } from '../../src/numeric/partial.js';
import { mulberry32 } from '../support/prng.js';
import fc from 'fast-check';

/**
 * Logarithms at any precision (numeric/log-enclosure.ts), checked without a logarithm: exp of the enclosure's ends,
 * by its Taylor series in rationals with the remainder bounded, must bracket x; and the width must be near the
 * precision asked for.
 */
const point = (x: Rational) => new Interval(x, x);

/**
 * exp(L) enclosed by its Taylor series in dyadic intervals at 400 bits (outward rounding, the remainder
 * |L / 2^s|^n e / n! added), with L / 2^s <= 1/2 and the result squared s times: no logarithm involved.
 */
function expEnclosure(L: Rational): [Rational, Rational] {
  const A = new DyadicArith(400);
  let s = 1;
  while (Math.abs(L.toNumber()) / 2 ** s > 0.5) s++;
  const y = A.fromRational(L.div(Rational.of(1n << BigInt(s))));
  const n = 140;
  let term = A.fromRational(Rational.fromInt(1));
  let sum = term;
  for (let k = 1; k < n; k++) {
    term = A.div(A.mul(term, y), A.fromRational(Rational.fromInt(k)));
    sum = A.add(sum, term);
  }
  // |y| <= 1/2: the rest is below 2 |y|^n / n! <= 2^(1-n) / n!.
  let fact = 1n;
  for (let k = 2n; k <= BigInt(n); k++) fact *= k;
  const r = A.fromRational(Rational.of(2n, fact << BigInt(n - 1))).hi;
  let e = A.add(sum, new DyadicInterval(new Dyadic(-r.m, r.e, r.n), r));
  for (let i = 0; i < s; i++) e = A.mul(e, e);
  return [e.lo.toRational(), e.hi.toRational()];
}

describe('logarithms enclosed at any precision', () => {
  it('exp of the ends brackets x, and the enclosure is about as narrow as the precision asked for', () => {
    const rand = mulberry32(31);
    for (let t = 0; t < 60; t++) {
      const x = Rational.fromDouble(Math.exp((rand() - 0.5) * 40));
      for (const bits of [64, 160, 300]) {
        const e = logInterval(point(x), 'log', bits);
        expect(expEnclosure(e.lo)[1].le(x), `exp(lo) <= x at x = ${x.toNumber()}, ${bits} bits`).toBe(true);
        expect(expEnclosure(e.hi)[0].ge(x), `exp(hi) >= x at x = ${x.toNumber()}, ${bits} bits`).toBe(true);
        const width = e.hi.sub(e.lo).toNumber();
        expect(width).toBeLessThan(2 ** -(bits - 8) * Math.max(1, Math.abs(e.lo.toNumber())));
      }
    }
  });

  it("the series' remainder is part of the enclosure: two terms of 2 atanh(1/5) = log(3/2) still enclose it", () => {
    const A = new DyadicArith(200);
    const fifth = Rational.of(1n, 5n);
    const e = twoAtanh(A.fromRational(fifth), fifth, A, 2);
    const x = Rational.of(3n, 2n);
    expect(expEnclosure(e.lo.toRational())[1].le(x)).toBe(true);
    expect(expEnclosure(e.hi.toRational())[0].ge(x)).toBe(true);
    // The two terms alone fall short of log(3/2) by about (1/5)^5 2/5.
    expect(Math.log(1.5) - e.lo.toNumber()).toBeGreaterThan(1e-4);
  });

  it('log10 and log2 agree with the library to double precision, at huge and tiny values too', () => {
    const rand = mulberry32(32);
    for (let t = 0; t < 200; t++) {
      const y = 0.5 + rand();
      const k = Math.floor((rand() - 0.5) * 6000);
      const x = Rational.fromDouble(y).mul(k >= 0 ? Rational.of(1n << BigInt(k)) : Rational.of(1n, 1n << BigInt(-k)));
      const want10 = Math.log10(y) + k * Math.log10(2);
      const want2 = Math.log2(y) + k;
      for (const [base, want] of [['log10', want10], ['log2', want2]] as [LogBase, number][]) {
        const e = logInterval(point(x), base, 160);
        const tol = 4e-15 * Math.max(1, Math.abs(want));
        expect(e.lo.toNumber()).toBeLessThanOrEqual(want + tol);
        expect(e.hi.toNumber()).toBeGreaterThanOrEqual(want - tol);
        expect(e.hi.sub(e.lo).toNumber()).toBeLessThan(1e-40 * Math.max(1, Math.abs(want)));
      }
    }
  });

  it('encloses exact values: log 1 = 0, log2 2^k = k, log10 10^k = k', () => {
    const e1 = logInterval(point(Rational.fromInt(1)), 'log', 128);
    expect(e1.lo.le(Rational.ZERO) && e1.hi.ge(Rational.ZERO)).toBe(true);
    for (const k of [-3000, -1, 1, 7, 1024]) {
      const p2 = logInterval(point(k >= 0 ? Rational.of(1n << BigInt(k)) : Rational.of(1n, 1n << BigInt(-k))), 'log2', 128);
      expect(p2.lo.le(Rational.fromInt(k)) && p2.hi.ge(Rational.fromInt(k))).toBe(true);
      const p10 = logInterval(point(k >= 0 ? Rational.of(10n ** BigInt(k)) : Rational.of(1n, 10n ** BigInt(-k))), 'log10', 128);
      expect(p10.lo.le(Rational.fromInt(k)) && p10.hi.ge(Rational.fromInt(k))).toBe(true);
    }
  });

  it('an interval: the ends of its ends, increasing; at or below 0 undefined as everywhere', () => {
    const e = logInterval(new Interval(Rational.of(1n, 3n), Rational.fromInt(5)), 'log', 128);
    expect(e.lo.toNumber()).toBeCloseTo(Math.log(1 / 3), 14);
    expect(e.hi.toNumber()).toBeCloseTo(Math.log(5), 14);
    expect(() => logInterval(new Interval(Rational.fromInt(-1), Rational.ZERO), 'log', 128)).toThrow(CertainlyUndefined);
    expect(() => logInterval(new Interval(Rational.ZERO, Rational.fromInt(1)), 'log10', 128)).toThrow(MaybeUndefined);
  });
});

const pow2 = (k: number) => (k >= 0 ? Rational.of(1n << BigInt(k), 1n) : Rational.of(1n, 1n << BigInt(-k)));
const log10 = (x: Rational) => logInterval(new Interval(x, x), 'log10', 160);

// The exact evaluators' logarithms at magnitudes outside the double range (a parameter of 1e-3071 on an
// extended-exponent orbit, as in run R3): c7's window reads log10 |beta1| there.

describe('log enclosures at any magnitude (the cases of the double-precision path they replace)', () => {
  it('log10 2^k contains k log10 2 for k far outside the double exponent range, and is narrow', () => {
    for (const k of [-10203, -3500, -1100, -1001, 1001, 1100, 5000]) {
      const r = log10(pow2(k));
      // k log10(2) to 40 digits, from the 40-digit constant log10(2) = 0.30102999566398119521373889472449302677
      const L = Rational.fromDecimalString('0.3010299956639811952137388947244930267682');
      // The constant is known to 40 digits: the enclosure (about 2^-160 wide) must meet [exact - err, exact + err].
      const exact = L.mul(Rational.fromInt(k));
      const err = Rational.fromDecimalString('1e-40').mul(Rational.fromInt(Math.abs(k)));
      expect(r.lo.le(exact.add(err)) && exact.sub(err).le(r.hi), `k = ${k}: [${r.lo.toNumber()}, ${r.hi.toNumber()}]`).toBe(true);
      expect(r.hi.sub(r.lo).toNumber()).toBeLessThan(1e-40 * Math.max(1, Math.abs(k)));
    }
  });

  it('log10 of 3^-2000 (not a power of two) is enclosed around -2000 log10 3', () => {
    const x = Rational.of(1n, 3n ** 2000n);
    const r = log10(x);
    const L3 = Rational.fromDecimalString('0.4771212547196624372950279032551153092001');
    const exact = L3.mul(Rational.fromInt(-2000));
    const err = Rational.fromDecimalString('2e-37');
    expect(r.lo.le(exact.add(err)) && exact.sub(err).le(r.hi)).toBe(true);
    expect(r.hi.sub(r.lo).toNumber()).toBeLessThan(1e-40);
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
    expect(() => logInterval(new Interval(Rational.ZERO, pow2(-3000)), 'log10', 160)).toThrow(MaybeUndefined);
  });
});
