import { describe, expect, it } from 'vitest';
import { encloseUniqueRootOver, type RootSearch } from '../../src/numeric/unique-root.js';
import { encloseUniqueRoot } from '../../src/numeric/root-enclosure.js';
import { encloseUniqueRootDyadic } from '../../src/numeric/dyadic-root.js';
import { RationalArith, type Interval } from '../../src/numeric/interval.js';
import { DyadicArith, dyadicFromDouble, DyadicInterval } from '../../src/numeric/dyadic.js';
import { Rational } from '../../src/numeric/rational.js';
import type { Enclosures } from '../../src/numeric/enclosure.js';
import { OUTWARD } from '../../src/numeric/outward.js';

/**
 * The unique-root enclosure is written once (unique-root.ts); each number type is a row with its own
 * split points. Here the same polynomials go through three rows (outward doubles, dyadic intervals, and
 * exact rationals, a row no production code uses, to show that a new number type needs only a search),
 * and every answer is checked against the exact root.
 */

/** p(z) = z^2 - c and p'(z) = 2z over an interval, in any row. */
function square<T, E>(A: Enclosures<T, E>, c: T) {
  return (z: T) => ({ p: A.sub(A.sqr(z), c), dp: A.add(z, z) });
}

/** (z - r1)(z - r2) and its derivative 2z - r1 - r2, in any row. */
function twoRoots<T, E>(A: Enclosures<T, E>, r1: T, r2: T) {
  return (z: T) => ({ p: A.mul(A.sub(z, r1), A.sub(z, r2)), dp: A.sub(A.add(z, z), A.add(r1, r2)) });
}

const Q = new RationalArith(160);
const SPLIT_Q = Rational.fromDouble(0.5 - 0.6180339887498949 / 64);
const rationalSearch: RootSearch<Rational> = {
  split: (a, b) => a.add(b.sub(a).mul(SPLIT_Q)),
  shrinkPoint: (a, b) => a.add(b.sub(a).mul(SPLIT_Q)),
  maxSegments: 200,
  maxSteps: 60,
  narrow: () => false,
  sideDone: () => false,
  closedEnds: true,
};
const qi = (lo: number, hi: number): Interval => Q.hull(Q.fromDouble(lo), Q.fromDouble(hi));

describe('the unique-root enclosure, written once over the enclosure interface', () => {
  it('encloses sqrt 2 in every row, and each enclosure holds the exact root', () => {
    // sqrt 2 is in [lo, hi] iff lo <= 0 or lo^2 <= 2, and hi^2 >= 2: decided exactly.
    const two = Rational.fromInt(2);
    const holdsSqrt2 = (lo: Rational, hi: Rational) => lo.mul(lo).cmp(two) <= 0 && hi.mul(hi).cmp(two) >= 0 && hi.sign() > 0;

    const sq = square(OUTWARD, OUTWARD.fromDouble(2));
    const d = encloseUniqueRoot(
      (zlo, zhi, out) => {
        const r = sq({ lo: zlo, hi: zhi });
        out[0] = r.p.lo;
        out[1] = r.p.hi;
        out[2] = r.dp.lo;
        out[3] = r.dp.hi;
        return true;
      },
      [1, 1],
      [2, 2],
    );
    expect(d).toBeDefined();
    expect(holdsSqrt2(Rational.fromDouble(d![0]), Rational.fromDouble(d![1]))).toBe(true);
    expect(d![1] - d![0]).toBeLessThan(1e-14);

    const D = new DyadicArith(128);
    const y = encloseUniqueRootDyadic(square(D, D.fromDouble(2)), D.fromDouble(1), D.fromDouble(2), 128);
    expect(y).toBeDefined();
    expect(holdsSqrt2(D.toRational(y!.lo), D.toRational(y!.hi))).toBe(true);
    expect(D.toNumber(y!.hi) - D.toNumber(y!.lo)).toBeLessThan(1e-30);

    const q = encloseUniqueRootOver(Q, rationalSearch, square(Q, Q.fromDouble(2)), Q.fromDouble(1), Q.fromDouble(2));
    expect(q).toBeDefined();
    expect(holdsSqrt2(q!.lo, q!.hi)).toBe(true);
  });

  it('over a box of states: one enclosure holds the root of every state', () => {
    // c in [1.9, 2.1]: the roots sqrt c fill [1.378, 1.450]; the answer must contain both ends.
    const c = qi(1.9, 2.1);
    const q = encloseUniqueRootOver(Q, rationalSearch, square(Q, c), Q.fromDouble(1), Q.fromDouble(2));
    expect(q).toBeDefined();
    expect(q!.lo.mul(q!.lo).cmp(Rational.fromDouble(1.9))).toBeLessThanOrEqual(0);
    expect(q!.hi.mul(q!.hi).cmp(Rational.fromDouble(2.1))).toBeGreaterThanOrEqual(0);
  });

  it('says undecided, never a wrong enclosure, where the root is not unique or not in the bracket', () => {
    const D = new DyadicArith(128);
    const f = (x: number) => D.fromDouble(x);
    // Two roots in the bracket: not unique.
    expect(encloseUniqueRootDyadic(twoRoots(D, f(1.25), f(1.75)), f(1), f(2), 128)).toBeUndefined();
    expect(encloseUniqueRootOver(Q, rationalSearch, twoRoots(Q, Q.fromDouble(1.25), Q.fromDouble(1.75)), Q.fromDouble(1), Q.fromDouble(2))).toBeUndefined();
    // No root in the bracket.
    expect(encloseUniqueRootOver(Q, rationalSearch, square(Q, Q.fromDouble(9)), Q.fromDouble(1), Q.fromDouble(2))).toBeUndefined();
    // A double root (p' vanishes at it): never monotone around it, so never certified.
    expect(encloseUniqueRootOver(Q, rationalSearch, twoRoots(Q, Q.fromDouble(1.5), Q.fromDouble(1.5)), Q.fromDouble(1), Q.fromDouble(2))).toBeUndefined();
    // Ends out of order: not ours to prove.
    expect(encloseUniqueRootDyadic(square(D, f(2)), new DyadicInterval(dyadicFromDouble(1), dyadicFromDouble(2)), f(1.5), 128)).toBeUndefined();
  });
});
