import { topEigenvalueEnclosure, topEigenvalueEnclosure3 } from '../../src/numeric/outward.js';
import { ddTopEigenvalue3 } from '../../src/numeric/dd-eigen.js';
import { describe, expect, it } from 'vitest';
import {
  CertainlyUndefined,
  FI,
  MaybeUndefined,
  fiAbs,
  fiAdd,
  fiCompare,
  fiDiv,
  fiExp,
  fiFromExt,
  fiFromExtended,
  fiFromRational,
  fiLog,
  fiLog10,
  fiLog2,
  fiMax,
  fiMin,
  fiMul,
  fiNeg,
  fiPowInt,
  fiSqr,
  fiSqrt,
  fiSub,
  fiTopEigenvalue,
  nextDown,
  nextUp,
} from './oracle/float-interval.js';
import { Rational } from '../../src/numeric/rational.js';
import { fromParts } from '../../src/numeric/extfloat.js';
import { positiveDefinite } from '../../src/numeric/certified-eigen.js';
import { mulberry32 } from '../support/prng.js';
import { identity, randomOrthogonal, randomSpectrum, spectral, type RMat } from './oracle/matrices.js';

const MIN = Number.MIN_VALUE;
const MAX = Number.MAX_VALUE;
const R = (x: number) => Rational.fromDouble(x);
const ZERO = Rational.ZERO;
/** Far outside the double range: stands in for points near an infinite endpoint. */
const HUGE = Rational.fromBigInt(1n << 1100n);

// ---- random inputs ------------------------------------------------------------------------------

const view = new DataView(new ArrayBuffer(8));

function randInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/** A normal double with random 52-bit fraction and binary exponent uniform in [emin, emax]. */
function randomNormal(rand: () => number, emin: number, emax: number): number {
  const e = randInt(rand, emin, emax);
  view.setUint32(0, (((e + 1023) << 20) | Math.floor(rand() * 0x100000)) >>> 0);
  view.setUint32(4, Math.floor(rand() * 4294967296) >>> 0);
  return view.getFloat64(0);
}

const SPECIALS = [0, -0, MIN, 3 * MIN, 2 ** -1022, 2 ** -1022 - MIN, MAX, 1, 2, 0.5, 3, 0.1, 1 + 2 ** -52, 1 - 2 ** -53, 2 ** 1023, 1e308, 1e-308];

function randomDouble(rand: () => number): number {
  const sign = rand() < 0.5 ? -1 : 1;
  const k = Math.floor(rand() * 12);
  let x: number;
  if (k < 3) x = randomNormal(rand, -1022, 1023);
  else if (k < 6) x = randomNormal(rand, -30, 30);
  else if (k < 7) x = randomNormal(rand, 900, 1023);
  else if (k < 8) x = randomNormal(rand, -1022, -900);
  else if (k < 9) x = Math.floor(rand() * 2 ** 52) * MIN; // subnormal (exact)
  else if (k < 10) x = SPECIALS[Math.floor(rand() * SPECIALS.length)]!;
  else x = randInt(rand, -1000, 1000) / 2 ** randInt(rand, 0, 12); // short dyadics: many exact results
  return sign * x;
}

function randomFI(rand: () => number): FI {
  const k = Math.floor(rand() * 14);
  const x = randomDouble(rand);
  const y = randomDouble(rand);
  switch (k) {
    case 0:
    case 1:
      return FI.point(x);
    case 2:
    case 3:
    case 4:
      return x <= y ? FI.of(x, y) : FI.of(y, x);
    case 5:
    case 6: {
      let h = x;
      for (let i = randInt(rand, 1, 5); i > 0; i--) h = nextUp(h);
      return FI.of(x, h);
    }
    case 7:
    case 8:
      return FI.of(-Math.abs(x), Math.abs(y)); // straddles 0 (or touches it)
    case 9:
      return rand() < 0.5 ? FI.of(0, Math.abs(x)) : FI.of(-Math.abs(x), 0);
    case 10:
      return FI.of(-Infinity, x);
    case 11:
      return FI.of(x, Infinity);
    case 12:
      return rand() < 0.2 ? FI.ENTIRE : FI.of(Math.min(x, y), Math.max(x, y));
    default:
      return rand() < 0.5 ? FI.point(0) : FI.point(x);
  }
}

/** Real points of a: the endpoints (or points far out for infinite ones), an interior rational, 0 and ±MIN/3 when inside. */
function samplePoints(a: FI, rand: () => number): Rational[] {
  const pts: Rational[] = [];
  const lo = a.lo === -Infinity ? HUGE.neg() : R(a.lo);
  const hi = a.hi === Infinity ? HUGE : R(a.hi);
  pts.push(lo, hi);
  if (a.lo === -Infinity && a.hi !== Infinity) pts.push(R(a.hi).sub(R(Math.abs(randomDouble(rand)))));
  if (a.hi === Infinity && a.lo !== -Infinity) pts.push(R(a.lo).add(R(Math.abs(randomDouble(rand)))));
  const t = Rational.of(BigInt(randInt(rand, 0, 65536)), 65536n);
  pts.push(lo.add(hi.sub(lo).mul(t)));
  if (a.lo < 0 && a.hi > 0) pts.push(ZERO, R(MIN).div(Rational.fromInt(3)), R(-MIN).div(Rational.fromInt(3)));
  return pts;
}

function wellFormed(a: FI): boolean {
  return a.lo === a.lo && a.hi === a.hi && a.lo <= a.hi && a.lo !== Infinity && a.hi !== -Infinity;
}

/** Exact membership; also usable on the malformed results of the deliberately wrong versions below. */
function contains(a: FI, r: Rational): boolean {
  if (a.lo !== a.lo || a.hi !== a.hi || a.lo === Infinity || a.hi === -Infinity) return false;
  return (a.lo === -Infinity || R(a.lo).le(r)) && (a.hi === Infinity || r.le(R(a.hi)));
}

function rmin(xs: Rational[]): Rational {
  return xs.reduce((m, x) => (x.lt(m) ? x : m));
}
function rmax(xs: Rational[]): Rational {
  return xs.reduce((m, x) => (x.gt(m) ? x : m));
}

/**
 * Tightness: the result lies within one ulp outside the rounded exact hull [exactLo, exactHi]
 * (checked where the rounded bounds are finite).
 */
function expectTight(name: string, got: FI, exactLo: Rational, exactHi: Rational): void {
  const dl = exactLo.toNumber();
  const dh = exactHi.toNumber();
  if (Number.isFinite(dl) && !(got.lo >= nextDown(dl))) expect.fail(`${name}: lo ${got.lo} is more than an ulp below the exact ${dl}`);
  if (Number.isFinite(dh) && !(got.hi <= nextUp(dh))) expect.fail(`${name}: hi ${got.hi} is more than an ulp above the exact ${dh}`);
}

type BinOp = (a: FI, b: FI) => FI;
type ExactBin = (x: Rational, y: Rational) => Rational;

/** Number of sampled (x, y) whose exact op(x, y) lies outside f(a, b), over `count` random pairs. */
function countMisses(f: BinOp, exact: ExactBin, seed: number, count: number, skip?: (a: FI, b: FI) => boolean): { misses: number; checked: number } {
  const rand = mulberry32(seed);
  let misses = 0;
  let checked = 0;
  for (let i = 0; i < count; i++) {
    const a = randomFI(rand);
    const b = randomFI(rand);
    if (skip?.(a, b)) continue;
    const got = f(a, b);
    const pa = samplePoints(a, rand);
    const pb = samplePoints(b, rand);
    for (const x of pa)
      for (const y of pb) {
        checked++;
        if (!contains(got, exact(x, y))) misses++;
      }
  }
  return { misses, checked };
}

const containsZero = (b: FI) => b.lo <= 0 && b.hi >= 0;

// ---- nextUp / nextDown ----------------------------------------------------------------------------

describe('nextUp / nextDown', () => {
  it('steps correctly at 0, subnormals, the normal boundary, MAX_VALUE and the infinities', () => {
    expect(nextUp(0)).toBe(MIN);
    expect(nextUp(-0)).toBe(MIN);
    expect(nextDown(0)).toBe(-MIN);
    expect(nextDown(-0)).toBe(-MIN);
    expect(nextUp(-MIN) === 0).toBe(true); // -0
    expect(nextDown(MIN) === 0).toBe(true);
    expect(nextUp(MIN)).toBe(2 * MIN);
    expect(nextUp(2 ** -1022 - MIN)).toBe(2 ** -1022);
    expect(nextDown(2 ** -1022)).toBe(2 ** -1022 - MIN);
    expect(nextUp(1)).toBe(1 + 2 ** -52);
    expect(nextDown(1)).toBe(1 - 2 ** -53);
    expect(nextUp(-1)).toBe(-1 + 2 ** -53);
    expect(nextDown(-1)).toBe(-1 - 2 ** -52);
    expect(nextUp(MAX)).toBe(Infinity);
    expect(nextDown(-MAX)).toBe(-Infinity);
    expect(nextDown(Infinity)).toBe(MAX);
    expect(nextUp(-Infinity)).toBe(-MAX);
    expect(nextUp(Infinity)).toBe(Infinity);
    expect(nextDown(-Infinity)).toBe(-Infinity);
    expect(nextUp(NaN)).toBeNaN();
    expect(nextDown(NaN)).toBeNaN();
  });

  const dv = new DataView(new ArrayBuffer(8));
  const ref = (x: number): number => {
    if (x === 0) return MIN;
    dv.setFloat64(0, x);
    const b = dv.getBigInt64(0);
    dv.setBigInt64(0, x > 0 ? b + 1n : b - 1n);
    return dv.getFloat64(0);
  };

  it('agrees with an independent BigInt bit-pattern implementation at every binade edge', () => {
    // ±2^e and its 4 neighbours each way, for every exponent: where the spacing changes.
    for (let e = -1074; e <= 1023; e++) {
      let below = 2 ** e;
      let above = 2 ** e;
      const xs = [below];
      for (let k = 0; k < 4; k++) {
        below = ref(-below) * -1;
        above = ref(above);
        xs.push(below, above);
      }
      for (const x0 of xs)
        for (const x of [x0, -x0]) {
          if (!Number.isFinite(x)) continue;
          const u = nextUp(x);
          const d = nextDown(x);
          if (!Object.is(u, ref(x)) || !Object.is(d, -ref(-x))) expect.fail(`nextUp/nextDown(${x}) = ${u}, ${d}; want ${ref(x)}, ${-ref(-x)}`);
        }
    }
  });

  it('agrees with an independent BigInt bit-pattern implementation on random doubles', () => {
    const rand = mulberry32(11);
    for (let i = 0; i < 20_000; i++) {
      const x = randomDouble(rand);
      const u = nextUp(x);
      const d = nextDown(x);
      if (!Object.is(u, ref(x)) || !Object.is(d, -ref(-x))) expect.fail(`nextUp/nextDown(${x}) = ${u}, ${d}`);
      if (Number.isFinite(u) && (nextDown(u) !== x || !R(u).gt(R(x)))) expect.fail(`nextDown(nextUp(${x})) = ${nextDown(u)}`);
    }
  });
});

// ---- construction -----------------------------------------------------------------------------

describe('FI construction', () => {
  it('points, ENTIRE and validation', () => {
    expect(FI.point(2.5)).toEqual(new FI(2.5, 2.5));
    expect(FI.ENTIRE.lo).toBe(-Infinity);
    expect(FI.ENTIRE.hi).toBe(Infinity);
    expect(() => FI.point(NaN)).toThrow(RangeError);
    expect(() => FI.point(Infinity)).toThrow(RangeError);
    expect(() => FI.of(2, 1)).toThrow(RangeError);
    expect(() => FI.of(Infinity, Infinity)).toThrow(RangeError);
    expect(() => FI.of(NaN, 1)).toThrow(RangeError);
    expect(FI.of(-Infinity, 3)).toEqual(new FI(-Infinity, 3));
  });

  it('fiFromRational is the tightest double interval, with underflow and overflow', () => {
    const rand = mulberry32(21);
    const cases: Rational[] = [
      Rational.of(1n, 3n),
      Rational.of(-2n, 3n),
      Rational.of(1n, 10n),
      R(0.1),
      ZERO,
      R(MIN).div(Rational.fromInt(3)),
      R(-MIN).div(Rational.fromInt(3)),
      R(MIN).mul(Rational.of(7n, 2n)),
      R(MAX).add(Rational.fromInt(1)),
      R(MAX).mul(Rational.fromInt(2)),
      R(-MAX).mul(Rational.fromInt(2)),
      HUGE.div(Rational.fromInt(3)),
      Rational.of(1n, 3n ** 800n),
      Rational.of(-1n, 3n ** 800n),
    ];
    for (let i = 0; i < 3000; i++) {
      const k = i % 4;
      if (k === 0) cases.push(R(randomDouble(rand)));
      else if (k === 1) cases.push(Rational.of(BigInt(randInt(rand, -1e9, 1e9)), BigInt(randInt(rand, 1, 1e9))));
      else if (k === 2) cases.push(R(randomDouble(rand)).mul(Rational.of(BigInt(randInt(rand, 1, 1e6)), BigInt(randInt(rand, 1, 1e6)))));
      else cases.push(R(randomDouble(rand)).add(R(randomDouble(rand))));
    }
    for (const r of cases) {
      const a = fiFromRational(r);
      expect(wellFormed(a)).toBe(true);
      expect(contains(a, r), `${r.toString()} in ${a.toString()}`).toBe(true);
      if (a.lo === a.hi) expect(R(a.lo).eq(r)).toBe(true);
      else {
        // r strictly inside two adjacent doubles (or beyond MAX_VALUE)
        expect(a.hi === nextUp(a.lo)).toBe(true); // (nextUp(-MIN_VALUE) is -0)
        if (a.lo !== -Infinity) expect(R(a.lo).lt(r)).toBe(true);
        if (a.hi !== Infinity) expect(r.lt(R(a.hi))).toBe(true);
      }
    }
    expect(fiFromRational(R(MAX).mul(Rational.fromInt(2)))).toEqual(new FI(MAX, Infinity));
    expect(fiFromRational(R(MIN).div(Rational.fromInt(3)))).toEqual(new FI(0, MIN));
    expect(fiFromRational(R(-MIN).div(Rational.fromInt(3)))).toEqual(new FI(-MIN, 0));
    expect(fiFromRational(Rational.of(1n, 4n))).toEqual(FI.point(0.25));
  });

  it('fiFromExtended equals fiFromRational of the exact value, for exponents far outside the double range', () => {
    const rand = mulberry32(31);
    for (let i = 0; i < 5000; i++) {
      const m = i % 7 === 0 ? Math.floor(rand() * 2 ** 52) * MIN * (rand() < 0.5 ? -1 : 1) : randomDouble(rand);
      if (m === 0) continue;
      const k = i % 5;
      // Exponents that land the value near the subnormal range, near overflow, or far away.
      const top = Math.floor(Math.log2(Math.abs(m)));
      const e =
        k === 0 ? randInt(rand, -3000, 3000) : k === 1 ? -1074 - top + randInt(rand, -3, 60) : k === 2 ? 1023 - top + randInt(rand, -3, 3) : k === 3 ? randInt(rand, -100, 100) : randInt(rand, -1074 - top - 200, 1023 - top + 200);
      const a = fiFromExtended(m, e);
      const b = fiFromRational(Rational.fromExtended(m, e));
      expect(wellFormed(a)).toBe(true);
      if (!(a.lo === b.lo && a.hi === b.hi)) expect.fail(`fiFromExtended(${m}, ${e}) = ${a.toString()}, tightest is ${b.toString()}`);
    }
    expect(fiFromExtended(1, -1075)).toEqual(new FI(0, MIN));
    expect(fiFromExtended(-1, -1075)).toEqual(new FI(-MIN, 0));
    expect(fiFromExtended(1, -1074)).toEqual(FI.point(MIN));
    expect(fiFromExtended(1, 1024)).toEqual(new FI(MAX, Infinity));
    expect(fiFromExtended(-1.5, 1e9)).toEqual(new FI(-Infinity, -MAX));
    expect(fiFromExtended(3, 1e15)).toEqual(new FI(MAX, Infinity));
    expect(fiFromExtended(-MIN, -1e15)).toEqual(new FI(-MIN, 0));
    expect(fiFromExtended(MAX, -2046)).toEqual(fiFromRational(Rational.fromExtended(MAX, -2046)));
    expect(fiFromExtended(MIN, 2097)).toEqual(FI.point(2 ** 1023));
    expect(fiFromExtended(1.5, 2)).toEqual(FI.point(6));
    expect(fiFromExtended(0, 1e9)).toEqual(FI.point(0));
    expect(() => fiFromExtended(NaN, 0)).toThrow(RangeError);
    expect(() => fiFromExtended(1, 0.5)).toThrow(RangeError);
    expect(fiFromExt(fromParts(1.25, -5000))).toEqual(new FI(0, MIN));
    expect(fiFromExt(fromParts(1.25, 10))).toEqual(FI.point(1280));
    expect(fiFromExt(fromParts(1.5, -1074))).toEqual(fiFromRational(Rational.fromExtended(1.5, -1074)));
  });
});

// ---- arithmetic: containment on random boxes --------------------------------------------------------

describe('arithmetic encloses the exact result at every sampled real point', () => {
  const N = 4000;

  it('add, sub (and they are tight: at most one ulp outside the rounded exact result)', () => {
    for (const [name, f, g, seed] of [
      ['add', fiAdd, (x: Rational, y: Rational) => x.add(y), 101],
      ['sub', fiSub, (x: Rational, y: Rational) => x.sub(y), 102],
    ] as const) {
      const { misses, checked } = countMisses(f, g, seed, N);
      expect(misses, name).toBe(0);
      expect(checked).toBeGreaterThan(N * 9);
      const rand = mulberry32(seed + 50);
      for (let i = 0; i < N; i++) {
        const a = randomFI(rand);
        const b = randomFI(rand);
        const r = f(a, b);
        expect(wellFormed(r)).toBe(true);
        if (Number.isFinite(a.lo) && Number.isFinite(a.hi) && Number.isFinite(b.lo) && Number.isFinite(b.hi)) {
          const lo = name === 'add' ? R(a.lo).add(R(b.lo)) : R(a.lo).sub(R(b.hi));
          const hi = name === 'add' ? R(a.hi).add(R(b.hi)) : R(a.hi).sub(R(b.lo));
          expectTight(name, r, lo, hi);
          // Exact sums stay exact.
          if (Number.isFinite(lo.toNumber()) && R(lo.toNumber()).eq(lo)) expect(r.lo === lo.toNumber()).toBe(true);
        }
      }
    }
    expect(fiAdd(FI.point(1), FI.point(2))).toEqual(FI.point(3));
    expect(fiAdd(FI.point(0.1), FI.point(0.2))).toEqual(new FI(nextDown(0.1 + 0.2), 0.1 + 0.2));
    expect(fiAdd(FI.point(MAX), FI.point(MAX))).toEqual(new FI(MAX, Infinity));
    expect(fiSub(FI.point(-MAX), FI.point(MAX))).toEqual(new FI(-Infinity, -MAX));
    expect(fiAdd(new FI(-Infinity, 1), new FI(2, Infinity))).toEqual(FI.ENTIRE);
  });

  it('mul (with 0 * Infinity endpoints) and tightness', () => {
    const { misses } = countMisses(fiMul, (x, y) => x.mul(y), 103, N);
    expect(misses).toBe(0);
    const rand = mulberry32(153);
    for (let i = 0; i < N; i++) {
      const a = randomFI(rand);
      const b = randomFI(rand);
      const r = fiMul(a, b);
      expect(wellFormed(r)).toBe(true);
      if ([a.lo, a.hi, b.lo, b.hi].every(Number.isFinite)) {
        const c = [R(a.lo).mul(R(b.lo)), R(a.lo).mul(R(b.hi)), R(a.hi).mul(R(b.lo)), R(a.hi).mul(R(b.hi))];
        expectTight('mul', r, rmin(c), rmax(c));
      }
    }
    // Products at the overflow edge (where the error-free transformation itself overflows) and at
    // the underflow edge of the exactness test.
    for (let i = 0; i < 4000; i++) {
      const edge = i % 2 === 0;
      const x = randomNormal(rand, edge ? 400 : -600, edge ? 620 : -300);
      let y = (edge ? MAX : 2 ** -969) / x;
      for (let k = randInt(rand, -3, 3); k !== 0; k -= Math.sign(k)) y = k > 0 ? nextUp(y) : nextDown(y);
      const r = fiMul(FI.point(x), FI.point(y));
      const exact = R(x).mul(R(y));
      if (!contains(r, exact)) expect.fail(`mul(${x}, ${y}) = ${r.toString()}`);
      expectTight('mul edge', r, exact, exact);
    }
    expect(fiMul(FI.point(0), FI.ENTIRE)).toEqual(FI.point(0));
    expect(fiMul(new FI(0, 1), new FI(1, Infinity))).toEqual(new FI(0, Infinity));
    expect(fiMul(new FI(-1, 0), new FI(1, Infinity))).toEqual(new FI(-Infinity, 0));
    expect(fiMul(new FI(0, 1), new FI(-Infinity, Infinity))).toEqual(FI.ENTIRE);
    expect(fiMul(FI.ENTIRE, FI.ENTIRE)).toEqual(FI.ENTIRE);
    expect(fiMul(new FI(-Infinity, 0), new FI(-Infinity, 0))).toEqual(new FI(0, Infinity));
    // Underflow keeps the sign: a positive product is never below 0.
    expect(fiMul(FI.point(1e-200), FI.point(1e-200))).toEqual(new FI(0, MIN));
    expect(fiMul(FI.point(-1e-200), FI.point(1e-200))).toEqual(new FI(-MIN, 0));
  });

  it('div (outside 0) and tightness; MaybeUndefined / CertainlyUndefined around 0', () => {
    const { misses, checked } = countMisses(fiDiv, (x, y) => x.div(y), 104, N, (_a, b) => containsZero(b));
    expect(misses).toBe(0);
    expect(checked).toBeGreaterThan(N * 3);
    const rand = mulberry32(154);
    let maybe = 0;
    let certainly = 0;
    for (let i = 0; i < N; i++) {
      const a = randomFI(rand);
      const b = randomFI(rand);
      if (containsZero(b)) {
        const isZero = b.lo === 0 && b.hi === 0;
        try {
          fiDiv(a, b);
          expect.fail(`fiDiv by ${b.toString()} did not throw`);
        } catch (e) {
          expect(e).toBeInstanceOf(isZero ? CertainlyUndefined : MaybeUndefined);
          if (isZero) certainly++;
          else maybe++;
        }
        continue;
      }
      const r = fiDiv(a, b);
      expect(wellFormed(r)).toBe(true);
      if ([a.lo, a.hi, b.lo, b.hi].every(Number.isFinite)) {
        const c = [R(a.lo).div(R(b.lo)), R(a.lo).div(R(b.hi)), R(a.hi).div(R(b.lo)), R(a.hi).div(R(b.hi))];
        expectTight('div', r, rmin(c), rmax(c));
      }
    }
    expect(maybe).toBeGreaterThan(100);
    expect(certainly).toBeGreaterThan(10);
    expect(() => fiDiv(FI.point(1), new FI(0, 1))).toThrow(MaybeUndefined);
    expect(() => fiDiv(FI.point(1), new FI(-1, -0))).toThrow(MaybeUndefined);
    expect(() => fiDiv(FI.point(0), new FI(-0, 0))).toThrow(CertainlyUndefined);
    expect(fiDiv(new FI(1, 2), new FI(1, Infinity))).toEqual(new FI(0, 2));
    expect(fiDiv(FI.point(1), FI.point(3))).toEqual(fiFromRational(Rational.of(1n, 3n)));
    expect(fiDiv(new FI(1, Infinity), new FI(1, Infinity))).toEqual(new FI(0, Infinity));
    expect(fiDiv(FI.point(1), FI.point(1e-320))).toEqual(new FI(MAX, Infinity));
  });

  it('neg, abs, max, min, sqr', () => {
    const unary: [string, (a: FI) => FI, (x: Rational) => Rational][] = [
      ['neg', fiNeg, (x) => x.neg()],
      ['abs', fiAbs, (x) => x.abs()],
      ['sqr', fiSqr, (x) => x.mul(x)],
    ];
    const rand = mulberry32(105);
    for (let i = 0; i < N; i++) {
      const a = randomFI(rand);
      const pts = samplePoints(a, rand);
      for (const [name, f, g] of unary) {
        const r = f(a);
        expect(wellFormed(r)).toBe(true);
        for (const x of pts) if (!contains(r, g(x))) expect.fail(`${name}(${a.toString()}) = ${r.toString()} misses ${g(x).toString()}`);
        if (name === 'sqr' && Number.isFinite(a.lo) && Number.isFinite(a.hi)) {
          const l = R(a.lo).mul(R(a.lo));
          const h = R(a.hi).mul(R(a.hi));
          expectTight('sqr', r, a.lo < 0 && a.hi > 0 ? ZERO : rmin([l, h]), rmax([l, h]));
        }
      }
    }
    for (const [name, f, g, seed] of [
      ['max', fiMax, (x: Rational, y: Rational) => (x.gt(y) ? x : y), 106],
      ['min', fiMin, (x: Rational, y: Rational) => (x.lt(y) ? x : y), 107],
    ] as const) {
      expect(countMisses(f, g, seed, N).misses, name).toBe(0);
    }
    // sqr knows both factors are the same real.
    expect(fiSqr(new FI(-2, 3))).toEqual(new FI(0, 9));
    expect(fiMul(new FI(-2, 3), new FI(-2, 3))).toEqual(new FI(-6, 9));
    expect(fiAbs(new FI(-5, 3))).toEqual(new FI(0, 5));
  });

  it('powInt for k from -9 to 33 (negative powers throw around 0)', () => {
    const rand = mulberry32(108);
    const ks = [-9, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 7, 8, 13, 33];
    let maybe = 0;
    for (let i = 0; i < 1200; i++) {
      const a = randomFI(rand);
      const pts = samplePoints(a, rand);
      for (const k of ks) {
        if (k < 0 && containsZero(a)) {
          const isZero = a.lo === 0 && a.hi === 0;
          expect(() => fiPowInt(a, k)).toThrow(isZero ? CertainlyUndefined : MaybeUndefined);
          maybe++;
          continue;
        }
        const r = fiPowInt(a, k);
        expect(wellFormed(r)).toBe(true);
        for (const x of pts) if (!contains(r, x.pow(k))) expect.fail(`powInt(${a.toString()}, ${k}) = ${r.toString()} misses x = ${x.toNumber()}`);
      }
    }
    expect(maybe).toBeGreaterThan(250);
    expect(fiPowInt(FI.point(0), 0)).toEqual(FI.point(1));
    expect(fiPowInt(FI.point(3), 3)).toEqual(FI.point(27));
    expect(fiPowInt(FI.point(1.1), 2)).toEqual(fiFromRational(R(1.1).pow(2)));
    expect(fiPowInt(new FI(-2, 1), 2)).toEqual(new FI(0, 4));
    expect(fiPowInt(new FI(-2, 1), 3)).toEqual(new FI(-8, 1));
    expect(fiPowInt(FI.point(2), -3)).toEqual(FI.point(0.125));
    // 1e-200 ^ -2 = 1e400 overflows, but is defined: no spurious division by an interval containing 0.
    expect(fiPowInt(FI.point(1e-200), -2)).toEqual(new FI(MAX, Infinity));
    expect(() => fiPowInt(FI.point(2), 0.5)).toThrow(RangeError);
    expect(() => fiPowInt(new FI(-1, 1), -1)).toThrow(MaybeUndefined);
    expect(() => fiPowInt(new FI(0, 1), -2)).toThrow(MaybeUndefined);
    expect(() => fiPowInt(FI.point(0), -3)).toThrow(CertainlyUndefined);
  });

  it('sqrt: containment decided by exact squares; domain errors without clipping', () => {
    const rand = mulberry32(109);
    let ok = 0;
    for (let i = 0; i < N; i++) {
      const a = randomFI(rand);
      if (a.hi < 0) {
        expect(() => fiSqrt(a)).toThrow(CertainlyUndefined);
        continue;
      }
      if (a.lo < 0) {
        expect(() => fiSqrt(a)).toThrow(MaybeUndefined);
        continue;
      }
      const r = fiSqrt(a);
      expect(wellFormed(r)).toBe(true);
      expect(r.lo).toBeGreaterThanOrEqual(0);
      for (const x of samplePoints(a, rand)) {
        // lo <= sqrt(x) <= hi  <=>  lo^2 <= x <= hi^2 (lo, hi >= 0)
        const loOk = R(r.lo).mul(R(r.lo)).le(x);
        const hiOk = r.hi === Infinity || x.le(R(r.hi).mul(R(r.hi)));
        if (!loOk || !hiOk) expect.fail(`sqrt(${a.toString()}) = ${r.toString()} misses sqrt(${x.toNumber()})`);
        ok++;
      }
    }
    expect(ok).toBeGreaterThan(3000);
    expect(() => fiSqrt(new FI(-1, 4))).toThrow(MaybeUndefined);
    expect(() => fiSqrt(new FI(-4, -1))).toThrow(CertainlyUndefined);
    expect(fiSqrt(new FI(-0, 4))).toEqual(new FI(0, 2));
    expect(fiSqrt(new FI(4, Infinity))).toEqual(new FI(2, Infinity));
    // fl(sqrt 2) = 1.41421356237309514547... is above sqrt 2 = 1.41421356237309504880...
    expect(fiSqrt(FI.point(2))).toEqual(new FI(nextDown(Math.SQRT2), Math.SQRT2));
    expect(new MaybeUndefined('x')).not.toBeInstanceOf(CertainlyUndefined);
    expect(new CertainlyUndefined('x')).not.toBeInstanceOf(MaybeUndefined);
  });

  it('operations on points give the tightest double enclosure away from overflow and underflow', () => {
    const rand = mulberry32(111);
    const inRange = (r: Rational) => {
      const l = r.log2Abs();
      return r.isZero() || (l > -955 && l < 990);
    };
    let exact = 0;
    for (let i = 0; i < N; i++) {
      const x = randomDouble(rand);
      const y = randomDouble(rand);
      if (!(Math.abs(x) >= 2 ** -1022 && Math.abs(x) <= 2 ** 990 && Math.abs(y) >= 2 ** -1022 && Math.abs(y) <= 2 ** 990)) continue;
      const a = FI.point(x);
      const b = FI.point(y);
      const ops: [string, FI, Rational][] = [
        ['add', fiAdd(a, b), R(x).add(R(y))],
        ['sub', fiSub(a, b), R(x).sub(R(y))],
        ['mul', fiMul(a, b), R(x).mul(R(y))],
        ['div', fiDiv(a, b), R(x).div(R(y))],
      ];
      for (const [name, got, r] of ops) {
        // (the remainder of a quotient is about as large as the dividend: it too must be in range)
        if (!inRange(r) || (name === 'div' && !inRange(R(x)))) continue;
        const want = fiFromRational(r);
        if (!(got.lo === want.lo && got.hi === want.hi)) expect.fail(`${name}(${x}, ${y}) = ${got.toString()}, tightest ${want.toString()}`);
        if (want.lo === want.hi) exact++;
      }
      const ax = Math.abs(x);
      if (ax >= 2 ** -955) {
        const s = fiSqrt(FI.point(ax));
        const X = R(ax);
        if (s.lo === s.hi) expect(R(s.lo).mul(R(s.lo)).eq(X)).toBe(true);
        else {
          expect(s.hi === nextUp(s.lo)).toBe(true);
          expect(R(s.lo).mul(R(s.lo)).lt(X) && X.lt(R(s.hi).mul(R(s.hi)))).toBe(true);
        }
      }
    }
    expect(exact).toBeGreaterThan(500);
  });

  it('fiCompare decides only separated enclosures, and then correctly', () => {
    const rand = mulberry32(110);
    let decided = 0;
    for (let i = 0; i < N; i++) {
      const a = randomFI(rand);
      const b = rand() < 0.3 ? a : randomFI(rand);
      const c = fiCompare(a, b);
      if (c === undefined) {
        expect(a.hi >= b.lo && a.lo <= b.hi).toBe(true);
        continue;
      }
      decided++;
      for (const x of samplePoints(a, rand)) for (const y of samplePoints(b, rand)) expect(x.cmp(y)).toBe(c);
    }
    expect(decided).toBeGreaterThan(N / 4);
    expect(fiCompare(FI.point(1), FI.point(1))).toBeUndefined();
    expect(fiCompare(FI.point(1), FI.point(nextUp(1)))).toBe(-1);
  });
});

// ---- exp and logarithms against a BigInt reference ---------------------------------------------

/** Fixed point with P fractional bits; every reference value below is within TOL units of the truth. */
const P = 320n;
const ONE = 1n << P;
const TOL = 1n << 40n;

/** 2 atanh(t) = log((1 + t) / (1 - t)) for 0 <= t <= 1/3, t in fixed point. */
function twoAtanh(t: bigint): bigint {
  const t2 = (t * t) >> P;
  let pow = t;
  let sum = 0n;
  for (let k = 1n; pow !== 0n; k += 2n) {
    sum += pow / k;
    pow = (pow * t2) >> P;
  }
  return 2n * sum;
}

const LN2 = twoAtanh(ONE / 3n); // log 2 = 2 atanh(1/3)

/** log of a positive rational y, fixed point. */
function logRef(y: Rational): bigint {
  // y = m 2^e with 1 <= m < 2
  let e = BigInt(Math.floor(y.log2Abs()));
  const m = (): Rational => (e >= 0n ? y.div(Rational.fromBigInt(1n << e)) : y.mul(Rational.fromBigInt(1n << -e)));
  while (m().lt(Rational.ONE)) e -= 1n;
  while (m().ge(Rational.fromInt(2))) e += 1n;
  const mm = m();
  // t = (m - 1) / (m + 1) in [0, 1/3)
  const t = ((mm.num - mm.den) << P) / (mm.num + mm.den);
  return e * LN2 + twoAtanh(t);
}

const LN10 = logRef(Rational.fromInt(10));

/** exp(x) = E * 2^n / 2^P for a double x; E accurate to TOL / 2^10. */
function expRef(x: number): { E: bigint; n: number } {
  const n = Math.round(x / Math.LN2);
  const xr = R(x);
  const xf = (xr.num << P) / xr.den; // floor, error < 1 unit
  const r = xf - BigInt(n) * LN2;
  let term = ONE;
  let sum = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = (term * r) / (k << P);
    sum += term;
  }
  return { E: sum, n };
}

/** Fixed-point value v (±tol) as certain lower/upper rational bounds, scaled by 2^n. */
function fixedBounds(v: bigint, n = 0): [Rational, Rational] {
  const s = BigInt(n) - P;
  const toR = (w: bigint) => (s >= 0n ? Rational.fromBigInt(w << s) : Rational.of(w, 1n << -s));
  return [toR(v - TOL), toR(v + TOL)];
}

function encloses(a: FI, [lo, hi]: [Rational, Rational]): boolean {
  return (a.lo === -Infinity || R(a.lo).le(lo)) && (a.hi === Infinity || hi.le(R(a.hi)));
}

/** Number of ulps between two finite doubles of the same sign. */
function ulpsBetween(a: number, b: number): number {
  let k = 0;
  for (let x = a; x < b && k < 100; x = nextUp(x)) k++;
  return k;
}

describe('exp and logarithms enclose a 320-bit reference value', () => {
  it('the reference itself is right (log 2, log 10, exp 1)', () => {
    expect(Number(LN2 >> (P - 60n)) / 2 ** 60).toBeCloseTo(Math.LN2, 15);
    expect(Number(LN10 >> (P - 60n)) / 2 ** 60).toBeCloseTo(Math.LN10, 14);
    const { E, n } = expRef(1);
    expect((Number(E >> (P - 60n)) / 2 ** 60) * 2 ** n).toBeCloseTo(Math.E, 14);
  });

  it('exp on random points and intervals, from underflow to overflow', () => {
    const rand = mulberry32(201);
    for (let i = 0; i < 3000; i++) {
      const k = i % 6;
      const x =
        k === 0 ? (rand() - 0.5) * 1500 : k === 1 ? (rand() - 0.5) * 2 : k === 2 ? randomDouble(rand) * 2 ** -randInt(rand, 10, 1000) : k === 3 ? 709 + rand() : k === 4 ? -745 - rand() * 5 : (rand() - 0.5) * 60;
      if (!Number.isFinite(x) || Math.abs(x) > 800) continue;
      const y = x + rand() * 3;
      const a = fiExp(FI.of(x, y));
      expect(wellFormed(a)).toBe(true);
      expect(a.lo).toBeGreaterThanOrEqual(0);
      if (x === 0) continue;
      const rx = expRef(x);
      const ry = expRef(y);
      const [lx] = fixedBounds(rx.E, rx.n);
      const [, hy] = fixedBounds(ry.E, ry.n);
      if (!(R(a.lo).le(lx) && (a.hi === Infinity || hy.le(R(a.hi))))) expect.fail(`exp([${x}, ${y}]) = ${a.toString()}`);
      const p = fiExp(FI.point(x));
      expect(encloses(p, fixedBounds(rx.E, rx.n)), `exp(${x}) = ${p.toString()}`).toBe(true);
      if (p.lo > 2 ** -1000 && p.hi < MAX) expect(ulpsBetween(p.lo, p.hi)).toBeLessThanOrEqual(10);
    }
    expect(fiExp(FI.point(0))).toEqual(FI.point(1));
    expect(fiExp(FI.ENTIRE)).toEqual(new FI(0, Infinity));
    expect(fiExp(FI.point(-1000))).toEqual(new FI(0, 4 * MIN));
    expect(fiExp(FI.point(710)).hi).toBe(Infinity);
  });

  it('log, log10, log2 on random positive doubles (subnormal to MAX, and next to 1)', () => {
    const rand = mulberry32(202);
    for (let i = 0; i < 2000; i++) {
      const k = i % 4;
      let y = Math.abs(randomDouble(rand));
      if (k === 1) {
        y = 1;
        const steps = randInt(rand, -40, 40);
        for (let s = 0; s < Math.abs(steps); s++) y = steps < 0 ? nextDown(y) : nextUp(y);
      } else if (k === 2) y = 1 + (rand() - 0.5) * 2 ** -randInt(rand, 1, 40);
      if (!(y > 0) || !Number.isFinite(y) || y === 1) continue;
      const L = logRef(R(y));
      const checks: [string, FI, bigint][] = [
        ['log', fiLog(FI.point(y)), L],
        ['log10', fiLog10(FI.point(y)), (L << P) / LN10],
        ['log2', fiLog2(FI.point(y)), (L << P) / LN2],
      ];
      for (const [name, r, ref] of checks) {
        expect(wellFormed(r)).toBe(true);
        if (!encloses(r, fixedBounds(ref))) expect.fail(`${name}(${y}) = ${r.toString()}`);
        if (Math.abs(r.lo) > 2 ** -1000) expect(ulpsBetween(Math.min(Math.abs(r.lo), Math.abs(r.hi)), Math.max(Math.abs(r.lo), Math.abs(r.hi)))).toBeLessThanOrEqual(10);
      }
      // An interval: the ends come from the ends (monotone).
      const z = Math.min(y * (1 + rand()), MAX);
      const r = fiLog(FI.of(y, z));
      expect(encloses(r, [fixedBounds(L)[0], fixedBounds(logRef(R(z)))[1]])).toBe(true);
    }
    expect(fiLog(FI.point(1))).toEqual(FI.point(0));
    expect(fiLog2(new FI(1, Infinity))).toEqual(new FI(0, Infinity));
  });

  it('domain errors of the logarithms', () => {
    for (const f of [fiLog, fiLog10, fiLog2]) {
      expect(() => f(new FI(-1, 2))).toThrow(MaybeUndefined);
      expect(() => f(new FI(0, 2))).toThrow(MaybeUndefined);
      expect(() => f(new FI(-0, 2))).toThrow(MaybeUndefined);
      expect(() => f(new FI(-2, 0))).toThrow(CertainlyUndefined);
      expect(() => f(FI.point(0))).toThrow(CertainlyUndefined);
      expect(() => f(new FI(-Infinity, -1))).toThrow(CertainlyUndefined);
      expect(() => f(new FI(MIN, 1))).not.toThrow();
    }
  });
});

// ---- top eigenvalue -------------------------------------------------------------------------------

function toFIMatrix(M: RMat): FI[][] {
  return M.map((row) => row.map(fiFromRational));
}

/** hi*I - M positive definite (exact): every eigenvalue of M is below hi. */
function certifiedAbove(M: RMat, hi: number): boolean {
  return hi === Infinity || positiveDefinite(M.map((row, i) => row.map((x, j) => (i === j ? R(hi).sub(x) : x.neg()))));
}

/** lo*I - M not positive definite (exact): some eigenvalue of M is >= lo. */
function certifiedBelow(M: RMat, lo: number): boolean {
  return lo === -Infinity || !positiveDefinite(M.map((row, i) => row.map((x, j) => (i === j ? R(lo).sub(x) : x.neg()))));
}

function spectralRadius(d: Rational[]): number {
  return Math.max(...d.map((x) => Math.abs(x.toNumber())));
}

describe('fiTopEigenvalue', () => {
  it('diagonal matrices: exact top eigenvalue enclosed, tightly', () => {
    const rand = mulberry32(301);
    for (let t = 0; t < 300; t++) {
      const n = randInt(rand, 1, 6);
      const d = Array.from({ length: n }, () => randomNormal(rand, -20, 20) * (rand() < 0.5 ? -1 : 1));
      const H = d.map((x, i) => d.map((_, j) => (i === j ? FI.point(x) : FI.point(0))));
      const top = d.indexOf(Math.max(...d));
      const v = d.map((_, i) => (i === top ? 1 : 0));
      const r = fiTopEigenvalue(H, v, d[top]!);
      expect(r.lo).toBe(d[top]);
      expect(R(r.hi).gt(R(d[top]!))).toBe(true);
      expect(r.hi - r.lo).toBeLessThanOrEqual(1e-12 * Math.max(...d.map(Math.abs)));
    }
    expect(fiTopEigenvalue([[FI.point(0)]], [1], 0)).toEqual(FI.point(0));
    expect(fiTopEigenvalue([[FI.point(0), FI.point(0)], [FI.point(0), FI.point(0)]], [1, 0], 0)).toEqual(FI.point(0));
  });

  it('Q D Q^T with rational rotations: contains the exact top eigenvalue; width <= 1e-12 of the scale when separated', () => {
    const rand = mulberry32(302);
    let tight = 0;
    for (let t = 0; t < 400; t++) {
      const n = randInt(rand, 2, 5);
      const separated = t % 4 !== 3;
      const S = spectral(randomOrthogonal(n, rand), randomSpectrum(n, rand, separated));
      const lambda = S.d[S.top]!;
      const v = S.Q.map((row) => row[S.top]!.toNumber());
      const r = fiTopEigenvalue(toFIMatrix(S.M), v, lambda.toNumber());
      expect(wellFormed(r)).toBe(true);
      expect(contains(r, lambda), `n=${n} t=${t}: ${lambda.toNumber()} not in ${r.toString()}`).toBe(true);
      expect(r.hi, `n=${n} t=${t}: not certified`).toBeLessThan(Infinity);
      expect(certifiedAbove(S.M, r.hi)).toBe(true);
      if (separated) {
        expect(r.hi - r.lo, `n=${n} t=${t}: ${r.toString()}`).toBeLessThanOrEqual(1e-12 * spectralRadius(S.d));
        tight++;
      }
    }
    expect(tight).toBeGreaterThan(250);
  });

  it('never returns an upper bound below the top eigenvalue, whatever the approximations', () => {
    const rand = mulberry32(303);
    let finiteHi = 0;
    let naiveTooLow = 0;
    for (let t = 0; t < 400; t++) {
      const n = randInt(rand, 2, 5);
      const S = spectral(randomOrthogonal(n, rand), randomSpectrum(n, rand, t % 2 === 0));
      const lambda = S.d[S.top]!;
      const lam = lambda.toNumber();
      const scale = spectralRadius(S.d);
      // Second largest eigenpair (a wrong but plausible answer), a bad vector, an underestimate.
      let second = S.top === 0 ? 1 : 0;
      for (let k = 0; k < n; k++) if (k !== S.top && S.d[k]!.gt(S.d[second]!)) second = k;
      const mode = t % 5;
      const v =
        mode === 0 ? S.Q.map((row) => row[second]!.toNumber()) : mode === 1 ? S.Q.map(() => rand() - 0.5) : mode === 2 ? S.Q.map((row) => row[S.top]!.toNumber() * (1 + (rand() - 0.5) * 1e-3)) : S.Q.map((row) => row[S.top]!.toNumber());
      const approx = mode === 0 ? S.d[second]!.toNumber() : mode === 1 ? 0 : mode === 3 ? lam - 1e-13 * scale : mode === 4 ? lam - 1e-3 * scale : lam;
      const r = fiTopEigenvalue(toFIMatrix(S.M), v, approx);
      expect(wellFormed(r)).toBe(true);
      if (!contains(r, lambda)) expect.fail(`t=${t} mode=${mode}: ${lam} not in ${r.toString()}`);
      expect(certifiedAbove(S.M, r.hi)).toBe(true);
      expect(certifiedBelow(S.M, r.lo)).toBe(true);
      if (r.hi < Infinity) finiteHi++;
      // The uncertified guess itself is below the exact value in many cases: the check above would catch it.
      if (R(approx).lt(lambda)) naiveTooLow++;
    }
    expect(finiteHi).toBeGreaterThan(200);
    expect(naiveTooLow).toBeGreaterThan(100);
  });

  it('interval boxes: the bounds hold for random symmetric members (checked exactly)', () => {
    const rand = mulberry32(304);
    let certified = 0;
    for (let t = 0; t < 150; t++) {
      const n = randInt(rand, 2, 4);
      const S = spectral(randomOrthogonal(n, rand), randomSpectrum(n, rand, true));
      const scale = spectralRadius(S.d);
      const rel = [1e-15, 1e-10, 1e-7][t % 3]!;
      const C = S.M.map((row) => row.map((x) => x.toNumber()));
      const rad = C.map((row) => row.map((x) => Math.abs(x) * rel + scale * rel * 0.1));
      const H = C.map((row, i) => row.map((x, j) => FI.of(x - rad[i]![j]!, x + rad[i]![j]!)));
      const v = S.Q.map((row) => row[S.top]!.toNumber());
      const r = fiTopEigenvalue(H, v, S.d[S.top]!.toNumber());
      expect(wellFormed(r)).toBe(true);
      if (r.hi < Infinity) certified++;
      for (let s = 0; s < 6; s++) {
        // A symmetric member: corners (s < 2) or random interior rationals.
        const Mm: RMat = identity(n);
        for (let i = 0; i < n; i++)
          for (let j = 0; j <= i; j++) {
            const lo = R(H[i]![j]!.lo);
            const hi = R(H[i]![j]!.hi);
            const x = s === 0 ? lo : s === 1 ? hi : lo.add(hi.sub(lo).mul(Rational.of(BigInt(randInt(rand, 0, 1024)), 1024n)));
            Mm[i]![j] = x;
            Mm[j]![i] = x;
          }
        expect(certifiedAbove(Mm, r.hi), `t=${t} member ${s}: hi ${r.hi}`).toBe(true);
        expect(certifiedBelow(Mm, r.lo), `t=${t} member ${s}: lo ${r.lo}`).toBe(true);
      }
    }
    expect(certified).toBeGreaterThan(140);
  });

  it('degenerate inputs', () => {
    const H = [
      [FI.point(2), FI.point(1)],
      [FI.point(1), FI.point(2)],
    ];
    // Zero vector: the diagonal still bounds from below; NaN approximation: the lower bound is the base.
    const r0 = fiTopEigenvalue(H, [0, 0], 3);
    expect(r0.lo).toBe(2);
    expect(R(r0.hi).ge(Rational.fromInt(3))).toBe(true);
    const r1 = fiTopEigenvalue(H, [1, 1], NaN);
    expect(r1.lo).toBeLessThanOrEqual(3);
    expect(r1.hi).toBeGreaterThan(3);
    expect(r1.hi - r1.lo).toBeLessThan(1e-10);
    expect(fiTopEigenvalue([[new FI(-Infinity, 1)]], [1], 0).hi).toBe(Infinity);
    expect(() => fiTopEigenvalue(H, [1], 3)).toThrow(RangeError);
  });
});

// ---- the tests can fail ------------------------------------------------------------------------------

describe('the containment checks detect an unsound implementation', () => {
  // Round to nearest, no widening: what a naive float "interval" would do.
  const naiveAdd = (a: FI, b: FI) => new FI(a.lo + b.lo, a.hi + b.hi);
  const naiveMul = (a: FI, b: FI) => {
    const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi].map((x) => (x !== x ? 0 : x));
    return new FI(Math.min(...p), Math.max(...p));
  };
  const naiveSqrt = (a: FI) => new FI(Math.sqrt(a.lo), Math.sqrt(a.hi));

  it('non-widened add and mul miss exact results on the same random set the real ones pass', () => {
    // (the first 2000 pairs of the sets the add and mul tests above check with the real functions)
    expect(countMisses(naiveAdd, (x, y) => x.add(y), 101, 2000).misses).toBeGreaterThan(20);
    expect(countMisses(naiveMul, (x, y) => x.mul(y), 103, 2000).misses).toBeGreaterThan(20);
    expect(countMisses(fiAdd, (x, y) => x.add(y), 101, 2000).misses).toBe(0);
    expect(countMisses(fiMul, (x, y) => x.mul(y), 103, 2000).misses).toBe(0);
  });

  it('non-widened sqrt and exp fail the exact checks somewhere', () => {
    const rand = mulberry32(401);
    let sqrtMisses = 0;
    let expMisses = 0;
    for (let i = 0; i < 2000; i++) {
      const y = Math.abs(randomNormal(rand, -50, 50));
      const s = naiveSqrt(FI.point(y));
      if (R(s.lo).mul(R(s.lo)).gt(R(y)) || R(s.hi).mul(R(s.hi)).lt(R(y))) sqrtMisses++;
      const x = (rand() - 0.5) * 100;
      const e = Math.exp(x);
      const { E, n } = expRef(x);
      if (!encloses(new FI(e, e), fixedBounds(E, n))) expMisses++;
    }
    expect(sqrtMisses).toBeGreaterThan(100);
    expect(expMisses).toBeGreaterThan(100);
  });
});

describe('topEigenvalueEnclosure (the allocation-free enclosure the float filter uses per iterate)', () => {
  const enclose = (M: RMat, v: number[], approx: number): [number, number] => {
    const n = M.length;
    const H = new Float64Array(2 * n * n);
    M.forEach((row, i) =>
      row.forEach((x, j) => {
        const f = fiFromRational(x);
        H[2 * (i * n + j)] = f.lo;
        H[2 * (i * n + j) + 1] = f.hi;
      }),
    );
    const out = new Float64Array(2);
    topEigenvalueEnclosure(H, n, v, approx, new Float64Array(2 * n * n), out);
    return [out[0]!, out[1]!];
  };

  it('contains the exact top eigenvalue of Q D Q^T, and is tight when the spectrum is separated', () => {
    const rand = mulberry32(402);
    let tight = 0;
    for (let t = 0; t < 400; t++) {
      const n = randInt(rand, 2, 5);
      const separated = t % 4 !== 3;
      const S = spectral(randomOrthogonal(n, rand), randomSpectrum(n, rand, separated));
      const lambda = S.d[S.top]!;
      const v = S.Q.map((row) => row[S.top]!.toNumber());
      const [lo, hi] = enclose(S.M, v, lambda.toNumber());
      expect(R(lo).le(lambda) && (hi === Infinity || R(hi).ge(lambda)), `t=${t}: ${lambda.toNumber()} not in [${lo}, ${hi}]`).toBe(true);
      expect(certifiedAbove(S.M, hi)).toBe(true);
      expect(certifiedBelow(S.M, lo)).toBe(true);
      if (separated && hi - lo <= 1e-9 * spectralRadius(S.d)) tight++;
    }
    expect(tight).toBeGreaterThan(250);
  });

  it('a wrong approximation or vector never gives an upper bound below the top eigenvalue', () => {
    const rand = mulberry32(403);
    for (let t = 0; t < 300; t++) {
      const n = randInt(rand, 2, 4);
      const S = spectral(randomOrthogonal(n, rand), randomSpectrum(n, rand, true));
      const lambda = S.d[S.top]!;
      const second = S.top === 0 ? 1 : 0;
      const v = S.Q.map((row) => row[second]!.toNumber());
      const [lo, hi] = enclose(S.M, v, S.d[second]!.toNumber() - 1);
      expect(R(lo).le(lambda)).toBe(true);
      expect(hi === Infinity || R(hi).ge(lambda)).toBe(true);
    }
  });
});

describe('topEigenvalueEnclosure3 (plain doubles with a priori error bounds, the 3x3 fast path)', () => {
  const box = (M: RMat, widen = 0): Float64Array => {
    const H = new Float64Array(18);
    M.forEach((row, i) =>
      row.forEach((x, j) => {
        const f = fiFromRational(x);
        // An optional relative widening stands for the interval Hessian of a point known only to a few ulps.
        const w = widen * Math.max(Math.abs(f.lo), Math.abs(f.hi));
        H[2 * (i * 3 + j)] = f.lo - w;
        H[2 * (i * 3 + j) + 1] = f.hi + w;
      }),
    );
    return H;
  };

  it('contains the exact top eigenvalue, both ends certified by exact Sylvester tests, and decides at ordinary scales', () => {
    const rand = mulberry32(404);
    let certified = 0;
    for (let t = 0; t < 600; t++) {
      const separated = t % 4 !== 3;
      const S = spectral(randomOrthogonal(3, rand), randomSpectrum(3, rand, separated));
      const lambda = S.d[S.top]!;
      const v = S.Q.map((row) => row[S.top]!.toNumber());
      const H = box(S.M, t % 3 === 0 ? 1e-14 : 0);
      const out = new Float64Array([NaN, NaN]);
      if (!topEigenvalueEnclosure3(H, lambda.toNumber(), v[0]!, v[1]!, v[2]!, out)) continue;
      certified++;
      const [lo, hi] = [out[0]!, out[1]!];
      expect(R(lo).le(lambda) && R(hi).ge(lambda), `t=${t}: ${lambda.toNumber()} not in [${lo}, ${hi}]`).toBe(true);
      expect(certifiedAbove(S.M, hi)).toBe(true);
      expect(certifiedBelow(S.M, lo)).toBe(true);
    }
    // Scales 2^-600 .. 2^600 outside 1e-140 .. 1e140 are left to the interval version (about 4 in 7 draws).
    expect(certified).toBeGreaterThan(200);
  });

  it('a wrong approximation or vector never gives a bound on the wrong side', () => {
    const rand = mulberry32(405);
    for (let t = 0; t < 400; t++) {
      const S = spectral(randomOrthogonal(3, rand), randomSpectrum(3, rand, true));
      const lambda = S.d[S.top]!;
      const second = S.top === 0 ? 1 : 0;
      const v = S.Q.map((row) => row[second]!.toNumber());
      const out = new Float64Array(2);
      if (!topEigenvalueEnclosure3(box(S.M), S.d[second]!.toNumber() - (t % 2), v[0]!, v[1]!, v[2]!, out)) continue;
      expect(R(out[0]!).le(lambda)).toBe(true);
      expect(R(out[1]!).ge(lambda)).toBe(true);
    }
  });
});

describe('ddTopEigenvalue3 (the second tier for S: double-double with error bounds)', () => {
  const dd = (x: Rational): [number, number, number] => {
    const hi = x.toNumber();
    const rest = x.sub(R(hi));
    const lo = rest.toNumber();
    const err = rest.sub(R(lo)).abs().toNumber();
    return [hi, lo, err === 0 ? 0 : err * 2];
  };
  it('contains the exact top eigenvalue (both ends certified by exact Sylvester tests) and is far tighter than doubles', () => {
    const rand = mulberry32(406);
    let certified = 0;
    let tight = 0;
    for (let t = 0; t < 300; t++) {
      const separated = t % 4 !== 3;
      const S = spectral(randomOrthogonal(3, rand), randomSpectrum(3, rand, separated));
      const lambda = S.d[S.top]!;
      const H = new Float64Array(18);
      [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]].forEach(([i, j], k) => H.set(dd(S.M[i!]![j!]!), 3 * k));
      const out = new Float64Array(3);
      if (!ddTopEigenvalue3(H, lambda.toNumber() * (1 + 1e-12), out)) continue;
      certified++;
      const c = R(out[0]!).add(R(out[1]!));
      const lo = c.sub(R(out[2]!));
      const hi = c.add(R(out[2]!));
      expect(lo.le(lambda) && hi.ge(lambda), `t=${t}`).toBe(true);
      const I = (r: Rational) => S.M.map((row, i) => row.map((x, j) => (i === j ? r.sub(x) : x.neg())));
      expect(positiveDefinite(I(hi))).toBe(true);
      expect(positiveDefinite(I(lo))).toBe(false);
      if (out[2]! <= 1e-25 * spectralRadius(S.d)) tight++;
    }
    expect(certified).toBeGreaterThan(100);
    expect(tight).toBeGreaterThan(80);
  });
});

describe('the 3x3 sharpness enclosures hold for every member of a wide box, not only its center', () => {
  // Box: each entry of the upper triangle widened by a relative 1e-9; members: symmetric matrices with
  // entries drawn inside (including the corners of each entry). Their exact top eigenvalues must lie in
  // the enclosure of the box (checked by exact Sylvester tests on each member).
  const UPPER: [number, number][] = [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]];
  const member = (M: RMat, w: Rational[], rand: () => number): RMat => {
    const X = M.map((row) => row.slice());
    UPPER.forEach(([i, j], k) => {
      const u = rand();
      const s = u < 0.25 ? Rational.fromInt(-1) : u < 0.5 ? Rational.fromInt(1) : R(2 * rand() - 1);
      const v = M[i]![j]!.add(w[k]!.mul(s));
      X[i]![j] = v;
      X[j]![i] = v;
    });
    return X;
  };
  const topIn = (X: RMat, lo: number, hi: number) => {
    const shifted = (r: Rational) => X.map((row, i) => row.map((x, j) => (i === j ? r.sub(x) : x.neg())));
    return positiveDefinite(shifted(R(hi))) && !positiveDefinite(shifted(R(lo)));
  };

  it('topEigenvalueEnclosure3 (double box) and ddTopEigenvalue3 (double-double box)', () => {
    const rand = mulberry32(407);
    let checked3 = 0;
    let checkedDD = 0;
    for (let t = 0; t < 120; t++) {
      const S = spectral(randomOrthogonal(3, rand), randomSpectrum(3, rand, true));
      const lambda = S.d[S.top]!.toNumber();
      const w = UPPER.map(([i, j]) => S.M[i]![j]!.abs().mul(R(1e-9)).add(R(1e-12 * Math.abs(lambda))));
      // The double box: [down(x - w), up(x + w)] per entry.
      const H = new Float64Array(18);
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          const k = UPPER.findIndex(([a, b]) => (a === Math.min(i, j) && b === Math.max(i, j)));
          const lo = fiFromRational(S.M[i]![j]!.sub(w[k]!)).lo;
          const hi = fiFromRational(S.M[i]![j]!.add(w[k]!)).hi;
          H[2 * (i * 3 + j)] = lo;
          H[2 * (i * 3 + j) + 1] = hi;
        }
      const v = S.Q.map((row) => row[S.top]!.toNumber());
      const out = new Float64Array(2);
      if (topEigenvalueEnclosure3(H, lambda, v[0]!, v[1]!, v[2]!, out)) {
        for (let m = 0; m < 4; m++) expect(topIn(member(S.M, w, rand), out[0]!, out[1]!), `t=${t} (doubles)`).toBe(true);
        checked3++;
      }
      // The double-double box: center the exact entries, error w (rounded up) plus the representation error.
      const D = new Float64Array(18);
      UPPER.forEach(([i, j], k) => {
        const x = S.M[i]![j]!;
        const hi = x.toNumber();
        const lo = x.sub(R(hi)).toNumber();
        const rep = x.sub(R(hi)).sub(R(lo)).abs().toNumber();
        D[3 * k] = hi;
        D[3 * k + 1] = lo;
        D[3 * k + 2] = fiFromRational(w[k]!).hi + 2 * rep;
      });
      const o3 = new Float64Array(3);
      if (ddTopEigenvalue3(D, lambda, o3)) {
        const c = R(o3[0]!).add(R(o3[1]!));
        for (let m = 0; m < 4; m++) {
          const X = member(S.M, w, rand);
          const shifted = (r: Rational) => X.map((row, i) => row.map((x, j) => (i === j ? r.sub(x) : x.neg())));
          expect(positiveDefinite(shifted(c.add(R(o3[2]!)))) && !positiveDefinite(shifted(c.sub(R(o3[2]!)))), `t=${t} (double-double)`).toBe(true);
        }
        checkedDD++;
      }
    }
    expect(checked3).toBeGreaterThan(30);
    expect(checkedDD).toBeGreaterThan(30);
  });
});
