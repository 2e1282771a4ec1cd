/**
 * The one enclosure interface (src/numeric/enclosure.ts): every row's operations contain the exact
 * results (and a row that drops its rounding is caught), the outward row contains the tight oracle,
 * decideRelation decides only what holds; the generic eigen algorithms (eigen-enclosure.ts) enclose
 * the exact top eigenvalue on every row, and the specialised fast paths agree with them.
 */
import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/numeric/rational.js';
import { mulberry32 } from '../support/prng.js';
import { CertainlyUndefined, MaybeUndefined } from '../../src/numeric/partial.js';
import { cmpNumber, decideEnds, decideRelation, relationHolds, type Enclosures, type Relation } from '../../src/numeric/enclosure.js';
import { OUTWARD, topEigenvalueEnclosure, topEigenvalueEnclosure3, up, TINY, type DoubleInterval } from '../../src/numeric/outward.js';
import { DD_ENCLOSURES } from '../../src/numeric/double-double.js';
import { compareIntervals, DyadicArith, DyadicInterval } from '../../src/numeric/dyadic.js';
import { Interval, RationalArith, roundToGrid, UndecidableError } from '../../src/numeric/interval.js';
import { encloseTopEigenvalue, leadingMinorsPositiveShift, positiveDefiniteShift } from '../../src/numeric/eigen-enclosure.js';
import { topEigenvalueDyadic } from '../../src/numeric/dyadic-eigen.js';
import { certifyTopEigenvalue, positiveDefinite } from '../../src/numeric/certified-eigen.js';
import { ddTopEigenvalue3 } from '../../src/numeric/dd-eigen.js';
import { leadingMinorsPositive } from '../../src/check/region-prove.js';
import * as O from './oracle/float-interval.js';
import { randomOrthogonal, randomSpectrum, spectral, type RMat } from './oracle/matrices.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Enclosures<any, any>;
const ROWS: Row[] = [OUTWARD, DD_ENCLOSURES, new DyadicArith(64), new DyadicArith(256), new RationalArith(), new RationalArith(160, 96)];

const R = (x: number) => Rational.fromDouble(x);
const loQ = (A: Row, x: unknown) => A.toRational(A.lo(x));
const hiQ = (A: Row, x: unknown) => A.toRational(A.hi(x));
const within = (A: Row, x: unknown, r: Rational) => loQ(A, x).le(r) && r.le(hiQ(A, x));

/** A random rational: a short dyadic, a ratio with an odd denominator (no double), or a double, magnitudes 2^-40..2^40. */
function randRational(rand: () => number): Rational {
  const u = rand();
  const num = BigInt(Math.floor((rand() - 0.5) * 2 ** 40));
  if (u < 0.35) return Rational.of(num, 1n << BigInt(Math.floor(rand() * 60)));
  if (u < 0.75) return Rational.of(num, BigInt(1 + 2 * Math.floor(rand() * 1e6)));
  return R((rand() - 0.5) * 2 ** Math.floor((rand() - 0.5) * 80));
}

/** An operand of the row: a point, a narrow or a wide enclosure, or one that straddles 0; with exact sample points in it. */
function operand(A: Row, rand: () => number): { x: unknown; pts: Rational[] } {
  const a = randRational(rand);
  const k = Math.floor(rand() * 4);
  const b = k === 1 ? a.add(a.abs().mul(Rational.of(1n, 1n << 30n))) : k === 2 ? randRational(rand) : k === 3 ? a.abs().neg() : a;
  const x = k === 0 ? A.fromRational(a) : A.hull(A.fromRational(a), A.fromRational(k === 3 ? a.abs().add(Rational.ONE) : b));
  const lo = loQ(A, x);
  const hi = hiQ(A, x);
  const t = Rational.of(BigInt(Math.floor(rand() * 65536)), 65536n);
  const pts = [lo, hi, lo.add(hi.sub(lo).mul(t))];
  if (lo.sign() < 0 && hi.sign() > 0) pts.push(Rational.ZERO);
  return { x, pts };
}

type Op = 'add' | 'sub' | 'mul' | 'div' | 'sqr' | 'sqrt' | 'neg' | 'abs' | 'max' | 'min';
const EXACT2: Record<'add' | 'sub' | 'mul' | 'div' | 'max' | 'min', (x: Rational, y: Rational) => Rational> = {
  add: (x, y) => x.add(y),
  sub: (x, y) => x.sub(y),
  mul: (x, y) => x.mul(y),
  div: (x, y) => x.div(y),
  max: (x, y) => (x.gt(y) ? x : y),
  min: (x, y) => (x.lt(y) ? x : y),
};

/** Sampled exact results outside the row's result, over `count` random operand pairs per operation. */
function misses(A: Row, seed: number, count: number, ops: readonly Op[]): { misses: number; checked: number; failures: string[] } {
  const rand = mulberry32(seed);
  let miss = 0;
  let checked = 0;
  const failures: string[] = [];
  let cur: unknown[] = [];
  const fail = (op: string, r: Rational) => {
    miss++;
    const ends = cur.map((x) => `[${loQ(A, x).toNumber()}, ${hiQ(A, x).toNumber()}]`).join(' ');
    if (failures.length < 5) failures.push(`${A.name} ${op}: ${r.toNumber()} outside the result on ${ends}`);
  };
  for (let t = 0; t < count; t++)
    for (const op of ops) {
      const a = operand(A, rand);
      const b = operand(A, rand);
      let z: unknown;
      cur = [a.x, b.x];
      try {
        z = op === 'sqr' || op === 'sqrt' || op === 'neg' || op === 'abs' ? A[op](a.x) : A[op](a.x, b.x);
      } catch (e) {
        // Partial operations: only where the operand reaches outside the domain.
        const lo = op === 'div' ? loQ(A, b.x) : loQ(A, a.x);
        const hi = op === 'div' ? hiQ(A, b.x) : hiQ(A, a.x);
        const ok = op === 'div' ? lo.sign() <= 0 && hi.sign() >= 0 : op === 'sqrt' && lo.sign() < 0;
        if (!ok || !(e instanceof MaybeUndefined || e instanceof CertainlyUndefined)) throw e;
        if (e instanceof CertainlyUndefined) expect(op === 'div' ? lo.isZero() && hi.isZero() : hi.sign() < 0).toBe(true);
        continue;
      }
      for (const x of a.pts) {
        if (op === 'sqr' || op === 'neg' || op === 'abs') {
          checked++;
          const r = op === 'sqr' ? x.mul(x) : op === 'neg' ? x.neg() : x.abs();
          if (!within(A, z, r)) fail(op, r);
        } else if (op === 'sqrt') {
          checked++;
          // lo^2 <= x <= hi^2 with lo <= sqrt(x): the root lies in [lo, hi].
          const l = loQ(A, z);
          const h = hiQ(A, z);
          if (!((l.sign() <= 0 || l.mul(l).le(x)) && h.sign() >= 0 && h.mul(h).ge(x))) fail(op, x);
        } else
          for (const y of b.pts) {
            checked++;
            const r = EXACT2[op](x, y);
            if (!within(A, z, r)) fail(op, r);
          }
      }
    }
  return { misses: miss, checked, failures };
}

const ALL_OPS: readonly Op[] = ['add', 'sub', 'mul', 'div', 'sqr', 'sqrt', 'neg', 'abs', 'max', 'min'];

describe('every row of the enclosure interface', () => {
  for (const A of ROWS)
    it(`${A.name}: every operation contains the exact result at every sampled point; exact doubles; outward rationals`, () => {
      const r = misses(A, 2301, 60, ALL_OPS);
      expect(r.failures).toEqual([]);
      expect(r.checked).toBeGreaterThan(3000);
      const rand = mulberry32(2302);
      for (let t = 0; t < 200; t++) {
        const d = (rand() - 0.5) * 2 ** Math.floor((rand() - 0.5) * 100);
        const x = A.fromDouble(d);
        expect(loQ(A, x).eq(R(d)) && hiQ(A, x).eq(R(d))).toBe(true);
        const q = randRational(rand);
        expect(within(A, A.fromRational(q), q)).toBe(true);
      }
      expect(A.precision).toBeGreaterThanOrEqual(53);
    });

  it('a row that drops its outward rounding is caught by the same check', () => {
    const naive: Row = {
      ...OUTWARD,
      name: 'doubles rounded to nearest',
      add: (a: DoubleInterval, b: DoubleInterval) => ({ lo: a.lo + b.lo, hi: a.hi + b.hi }),
      mul: (a: DoubleInterval, b: DoubleInterval) => {
        const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
        return { lo: Math.min(...p), hi: Math.max(...p) };
      },
    };
    expect(misses(naive, 2301, 60, ['add', 'mul']).misses).toBeGreaterThan(20);
    expect(misses(OUTWARD, 2301, 60, ['add', 'mul']).misses).toBe(0);
  });
});

describe('OUTWARD against the tight oracle (test/numeric/oracle/float-interval.ts)', () => {
  it('contains the oracle result of every operation, and is at most a few ulps wider', () => {
    const rand = mulberry32(2303);
    const d = () => (rand() < 0.5 ? -1 : 1) * (1 + rand()) * 2 ** Math.floor((rand() - 0.5) * 400);
    const fi = () => {
      const x = d();
      const k = rand();
      if (k < 0.3) return O.FI.point(x);
      const y = k < 0.6 ? x * (1 + rand() * 1e-9) : d();
      return O.FI.of(Math.min(x, y), Math.max(x, y));
    };
    const pairs: [string, (a: O.FI, b: O.FI) => O.FI, (a: DoubleInterval, b: DoubleInterval) => DoubleInterval][] = [
      ['add', O.fiAdd, OUTWARD.add],
      ['sub', O.fiSub, OUTWARD.sub],
      ['mul', O.fiMul, OUTWARD.mul],
      ['div', O.fiDiv, OUTWARD.div],
      ['max', O.fiMax, OUTWARD.max],
      ['min', O.fiMin, OUTWARD.min],
      ['sqr', (a) => O.fiSqr(a), (a) => OUTWARD.sqr(a)],
      ['abs', (a) => O.fiAbs(a), (a) => OUTWARD.abs(a)],
      ['sqrt', (a) => O.fiSqrt(O.fiAbs(a)), (a) => OUTWARD.sqrt(OUTWARD.abs(a))],
    ];
    const far = (x: number, y: number) => Math.abs(x - y) > 4 * Math.abs(y) * 2 ** -52;
    for (let t = 0; t < 3000; t++) {
      const a = fi();
      const b = fi();
      for (const [name, tight, row] of pairs) {
        if (name === 'div' && b.lo <= 0 && b.hi >= 0) continue;
        const o = tight(a, b);
        const w = row(a, b);
        if (!(w.lo <= o.lo && w.hi >= o.hi)) expect.fail(`${name}(${a.toString()}, ${b.toString()}): ${w.lo}, ${w.hi} does not contain ${o.toString()}`);
        if (far(w.lo, o.lo) || far(w.hi, o.hi)) expect.fail(`${name}: ${w.lo}, ${w.hi} is more than 4 ulps outside ${o.toString()}`);
      }
    }
  });
});

describe('decideRelation', () => {
  const RELS: Relation[] = ['<', '<=', '>', '>=', '=='];
  it('decides only what holds at every pair of points (or at none), on every row', () => {
    for (const A of ROWS) {
      const rand = mulberry32(2304);
      let decided = 0;
      for (let t = 0; t < 150; t++) {
        const a = operand(A, rand);
        // Often a second operand that touches or nearly touches the first.
        const b = rand() < 0.4 ? { x: A.point(A.hi(a.x)), pts: [hiQ(A, a.x)] } : operand(A, rand);
        for (const rel of RELS) {
          const d = decideRelation(A, a.x, rel, b.x);
          if (d === 'undecided') continue;
          decided++;
          for (const x of a.pts) for (const y of b.pts) expect(relationHolds(x.cmp(y), rel), `${A.name}: ${x.toNumber()} ${rel} ${y.toNumber()} decided ${d}`).toBe(d);
        }
      }
      expect(decided, A.name).toBeGreaterThan(300);
    }
  });

  it('separated enclosures are always decided; equality only of equal points; a NaN end decides nothing', () => {
    const A = new DyadicArith(64);
    const x = A.fromDouble(1);
    const y = A.hull(A.fromDouble(2), A.fromDouble(3));
    expect(RELS.map((r) => decideRelation(A, x, r, y))).toEqual([true, true, false, false, false]);
    expect(RELS.map((r) => decideRelation(A, y, r, x))).toEqual([false, false, true, true, false]);
    expect(RELS.map((r) => decideRelation(A, x, r, A.fromDouble(1)))).toEqual([false, true, false, true, true]);
    // Touching ends: <= holds for every pair, < for none of the shared point.
    const z = A.hull(A.fromDouble(1), A.fromDouble(2));
    expect(decideRelation(A, z, '<=', y)).toBe(true);
    expect(decideRelation(A, z, '<', y)).toBe('undecided');
    expect(decideRelation(A, z, '==', y)).toBe('undecided');
    for (const r of RELS) expect(decideEnds(cmpNumber, r, NaN, NaN, 2, 3)).toBe('undecided');
    for (const r of RELS) expect(decideEnds(cmpNumber, r, 0, NaN, 2, 3)).toBe('undecided');
    // A NaN lower end leaves the upper end in force (as the float filter's separate() reads it).
    expect(decideEnds(cmpNumber, '<', NaN, 1, 2, 3)).toBe(true);
  });

  it("dyadic.ts's compareIntervals is decideRelation on the dyadic row", () => {
    const A = new DyadicArith(64);
    const rand = mulberry32(2305);
    for (let t = 0; t < 500; t++) {
      const a = operand(A, rand).x as DyadicInterval;
      const b = (rand() < 0.3 ? DyadicInterval.point(a.hi) : operand(A, rand).x) as DyadicInterval;
      for (const r of RELS) expect(compareIntervals(a, r, b)).toBe(decideRelation(A, a, r, b));
    }
  });
});

// ---- the top eigenvalue and positive definiteness ----------------------------------------------

/** hi I - M positive definite (exact): every eigenvalue of M is below hi. */
const above = (M: RMat, hi: Rational) => positiveDefinite(M.map((row, i) => row.map((x, j) => (i === j ? hi.sub(x) : x.neg()))));

/** The entries of M enclosed in the row, widened by a relative `rel` (0: the tightest enclosure of each entry). */
function box(A: Row, M: RMat, rel: number): unknown[] {
  return M.flat().map((x) => (rel === 0 ? A.fromRational(x) : A.hull(A.fromRational(x.sub(x.abs().mul(R(rel)))), A.fromRational(x.add(x.abs().mul(R(rel)))))));
}

/** Candidates lower + 2^-k scale, rounded up in the row (k = 60, 40, 30, 20, 10). */
function candidates<E>(A: Enclosures<unknown, E>, scale: number): (lower: E) => Iterable<E> {
  return function* (lower: E) {
    for (const k of [60, 40, 30, 20, 10]) yield A.hi(A.add(A.point(lower), A.fromDouble(scale * 2 ** -k)));
  };
}

/** Eigenvalues k/7 for integers |k| <= 40, distinct when `separated` (a scale every row represents, double-double included). */
function unscaled(n: number, rand: () => number, separated: boolean): Rational[] {
  const d: Rational[] = [];
  while (d.length < n) {
    const x = Rational.of(BigInt(Math.floor(rand() * 81) - 40), 7n);
    if (!separated || !d.some((y) => y.eq(x))) d.push(x);
  }
  if (!separated) d[1] = d.reduce((m, x) => (x.gt(m) ? x : m));
  return d;
}

describe('encloseTopEigenvalue (written once) on every row', () => {
  it('contains the exact top eigenvalue of Q D Q^T and of random members of a box; the upper end certifies', () => {
    const rand = mulberry32(2306);
    for (const A of ROWS) {
      let certified = 0;
      for (let t = 0; t < 40; t++) {
        const n = 2 + (t % 3);
        const S = spectral(randomOrthogonal(n, rand), unscaled(n, rand, t % 4 !== 3));
        const lambda = S.d[S.top]!;
        const scale = Math.max(...S.d.map((x) => Math.abs(x.toNumber())));
        if (!(scale > 1e-200 && scale < 1e200)) continue;
        const rel = [0, 1e-12, 1e-6][t % 3]!;
        const H = box(A, S.M, rel);
        const v = S.Q.map((row) => row[S.top]!.toNumber());
        const r = encloseTopEigenvalue(A, H, n, { vectors: [v.map((x) => A.fromDouble(x))], candidates: candidates(A, scale) })!;
        const lo = A.toRational(r.lo);
        expect(lo.le(lambda), `${A.name} t=${t}`).toBe(true);
        if (r.hi === undefined) continue;
        certified++;
        const hi = A.toRational(r.hi);
        expect(hi.ge(lambda) && above(S.M, hi), `${A.name} t=${t}`).toBe(true);
        // A random symmetric member of the box.
        const X = S.M.map((row) => row.slice());
        for (let i = 0; i < n; i++)
          for (let j = i; j < n; j++) {
            const e = H[i * n + j];
            const u = Rational.of(BigInt(Math.floor(rand() * 1024)), 1024n);
            X[i]![j] = X[j]![i] = loQ(A, e).add(hiQ(A, e).sub(loQ(A, e)).mul(u));
          }
        expect(above(X, hi), `${A.name} t=${t}: a member above the upper end`).toBe(true);
        expect(above(X, lo.sub(Rational.of(1n, 1n << 2000n))), `${A.name} t=${t}: a member below the lower end`).toBe(false);
      }
      expect(certified, A.name).toBeGreaterThan(20);
    }
  });

  it('elimination and Sylvester (Laplace) agree with exact definiteness, and are sound on every row', () => {
    const rand = mulberry32(2307);
    for (const A of ROWS) {
      let pd = 0;
      for (let t = 0; t < 60; t++) {
        const n = 2 + (t % 3);
        const S = spectral(randomOrthogonal(n, rand), unscaled(n, rand, true));
        const top = S.d[S.top]!;
        const scale = Math.max(...S.d.map((x) => Math.abs(x.toNumber())));
        // mu above the top eigenvalue by a clear margin (PD), or just below it (not PD).
        const mu = t % 2 === 0 ? top.add(R(scale * 1e-3)) : top.sub(R(scale * 1e-3));
        const H = box(A, S.M, 0);
        const exact = above(S.M, mu);
        const m = A.fromRational(mu);
        const byElimination = positiveDefiniteShift(A, H, n, m);
        const byMinors = leadingMinorsPositiveShift(A, H, n, m);
        if (byElimination || byMinors) expect(exact, A.name).toBe(true);
        expect(byElimination, `${A.name} t=${t}`).toBe(exact);
        expect(byMinors, `${A.name} t=${t}`).toBe(exact);
        if (exact) pd++;
      }
      expect(pd, A.name).toBeGreaterThan(10);
    }
  });

  it("region-prove's leadingMinorsPositive is leadingMinorsPositiveShift on the dyadic row (the follow-up can import it)", () => {
    const A = new DyadicArith(128);
    const rand = mulberry32(2308);
    let yes = 0;
    for (let t = 0; t < 80; t++) {
      const n = 2 + (t % 3);
      const S = spectral(randomOrthogonal(n, rand), randomSpectrum(n, rand, true));
      const H = box(A, S.M, [0, 1e-9, 1e-3][t % 3]!) as DyadicInterval[];
      const mu = A.fromRational(S.d[S.top]!.add(R(rand() - 0.3))).hi;
      const g = leadingMinorsPositiveShift(A, H, n, A.point(mu));
      expect(leadingMinorsPositive(H, n, mu, A)).toBe(g);
      if (g) yes++;
    }
    expect(yes).toBeGreaterThan(10);
  });
});

describe('the specialised fast paths against the generic algorithm', () => {
  /** The outward fast path's input layout: [lo, hi] per entry, row-major. */
  const pairs = (H: DoubleInterval[]) => Float64Array.from(H.flatMap((x) => [x.lo, x.hi]));

  it('topEigenvalueEnclosure (allocation-free, per iterate) equals encloseTopEigenvalue over OUTWARD bit for bit', () => {
    const rand = mulberry32(2309);
    let finite = 0;
    for (let t = 0; t < 300; t++) {
      const n = 2 + (t % 4);
      const S = spectral(randomOrthogonal(n, rand), randomSpectrum(n, rand, t % 5 !== 4));
      const H = box(OUTWARD, S.M, [0, 1e-14, 1e-8][t % 3]!) as DoubleInterval[];
      const mode = t % 4;
      const v = S.Q.map((row, i) => (mode === 1 ? rand() - 0.5 : mode === 2 ? (i === 0 ? 1 : 0) : row[S.top]!.toNumber()));
      const approx = mode === 3 ? S.d[S.top]!.toNumber() * (1 - 1e-6) : S.d[S.top]!.toNumber();
      const out = new Float64Array(2);
      topEigenvalueEnclosure(pairs(H), n, v, approx, new Float64Array(2 * n * n), out);
      let scale = 0;
      for (const x of H) scale = Math.max(scale, Math.abs(x.lo), Math.abs(x.hi));
      const g = encloseTopEigenvalue(OUTWARD, H, n, {
        vectors: [v.map((x) => OUTWARD.fromDouble(x))],
        candidates: (lower: number) => (Number.isFinite(approx) && Number.isFinite(scale) ? [2 ** -40, 2 ** -30, 2 ** -20].map((k) => up(Math.max(approx, lower) + k * scale + TINY)) : []),
      })!;
      expect(Object.is(out[0], g.lo) && Object.is(out[1], g.hi ?? Infinity), `t=${t}: [${out[0]}, ${out[1]}] vs [${g.lo}, ${g.hi}]`).toBe(true);
      if (out[1]! < Infinity) finite++;
    }
    expect(finite).toBeGreaterThan(200);
  });

  it('topEigenvalueEnclosure3 (3x3 closed form) and ddTopEigenvalue3 enclose what the generic algorithm encloses', () => {
    const rand = mulberry32(2310);
    let both3 = 0;
    let bothDD = 0;
    const UPPER: [number, number][] = [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]];
    for (let t = 0; t < 200; t++) {
      const S = spectral(randomOrthogonal(3, rand), randomSpectrum(3, rand, t % 4 !== 3));
      const lambda = S.d[S.top]!;
      const approx = lambda.toNumber();
      const scale = Math.max(...S.d.map((x) => Math.abs(x.toNumber())));
      const v = S.Q.map((row) => row[S.top]!.toNumber());
      const rel = [0, 1e-14, 1e-9][t % 3]!;
      // Doubles: the closed form against the generic algorithm over OUTWARD on the same box.
      const H = box(OUTWARD, S.M, rel) as DoubleInterval[];
      const out = new Float64Array(2);
      const g = encloseTopEigenvalue(OUTWARD, H, 3, { vectors: [v.map((x) => OUTWARD.fromDouble(x))], candidates: candidates(OUTWARD, scale) })!;
      if (topEigenvalueEnclosure3(pairs(H), approx, v[0]!, v[1]!, v[2]!, out) && g.hi !== undefined) {
        both3++;
        const [lo, hi] = [R(out[0]!), R(out[1]!)];
        expect(lo.le(lambda) && hi.ge(lambda) && above(S.M, hi) && !above(S.M, lo), `t=${t}`).toBe(true);
        // Both enclose the top eigenvalue of every member: they overlap, and neither is far wider.
        expect(lo.le(R(g.hi)) && R(g.lo).le(hi)).toBe(true);
        const w3 = out[1]! - out[0]!;
        const wg = g.hi - g.lo;
        // Never past its last candidate (2^-20 of the scale); as tight as the generic algorithm on a separated
        // spectrum and a narrow box. (A repeated top eigenvalue or a wide box costs it up to 10^6 times the width.)
        expect(w3, `t=${t}`).toBeLessThanOrEqual(2 ** -19 * scale + wg);
        if (t % 4 !== 3 && rel <= 1e-14) expect(w3, `t=${t}: closed form ${w3} vs generic ${wg}`).toBeLessThanOrEqual(1.01 * wg);
      }
      // Double-double: the same on balls around the exact entries.
      const D = new Float64Array(18);
      const HD = box(DD_ENCLOSURES, S.M, rel === 0 ? 0 : rel * 1e-12);
      UPPER.forEach(([i, j], k) => {
        const b = HD[i * 3 + j] as { hi: number; lo: number; err: number };
        D.set([b.hi, b.lo, b.err], 3 * k);
      });
      const o = new Float64Array(3);
      const gd = encloseTopEigenvalue(DD_ENCLOSURES, HD, 3, {
        vectors: [v.map((x) => DD_ENCLOSURES.fromDouble(x))],
        candidates: function* (lower: Rational) {
          for (const k of [100, 90, 80, 70, 60]) yield lower.add(R(scale * 2 ** -k));
        },
      })!;
      if (ddTopEigenvalue3(D, approx, o) && gd.hi !== undefined) {
        bothDD++;
        const c = R(o[0]!).add(R(o[1]!));
        const [lo, hi] = [c.sub(R(o[2]!)), c.add(R(o[2]!))];
        expect(lo.le(lambda) && hi.ge(lambda) && above(S.M, hi) && !above(S.M, lo), `t=${t}`).toBe(true);
        expect(lo.le(gd.hi) && gd.lo.le(hi)).toBe(true);
      }
    }
    expect(both3).toBeGreaterThan(60);
    expect(bothDD).toBeGreaterThan(60);
  });

  it('topEigenvalueDyadic (the dyadic row with its own guesses) contains the exact top eigenvalue and is tight at 256 bits', () => {
    const A = new DyadicArith(256);
    const rand = mulberry32(2311);
    for (let t = 0; t < 30; t++) {
      const n = 2 + (t % 3);
      const S = spectral(randomOrthogonal(n, rand), randomSpectrum(n, rand, true));
      const lambda = S.d[S.top]!;
      const r = topEigenvalueDyadic(box(A, S.M, 0) as DyadicInterval[], n, A);
      expect(r.lo.toRational().le(lambda) && above(S.M, r.hi.toRational())).toBe(true);
      const scale = S.d.reduce((m, x) => (x.abs().gt(m) ? x.abs() : m), Rational.ZERO);
      expect(r.hi.toRational().sub(r.lo.toRational()).le(scale.mul(Rational.of(1n, 1n << 200n))), `t=${t}`).toBe(true);
    }
  });
});

describe('certifyTopEigenvalue on the generic algorithm', () => {
  /** The implementation before it was written over encloseTopEigenvalue, kept as the reference: same enclosures, bit for bit. */
  function before(H: Rational[][], vector: readonly number[], bits = 170): Interval {
    const n = H.length;
    const v = vector.map((x) => Rational.fromDouble(x));
    let vv = Rational.fromInt(0);
    for (const x of v) vv = vv.add(x.mul(x));
    if (vv.isZero()) throw new UndecidableError('zero eigenvector estimate');
    let vHv = Rational.fromInt(0);
    for (let i = 0; i < n; i++) {
      let row = Rational.fromInt(0);
      for (let j = 0; j < n; j++) row = row.add(H[i]![j]!.mul(v[j]!));
      vHv = vHv.add(v[i]!.mul(row));
    }
    let scale = 0;
    for (const r of H) for (const x of r) scale = Math.max(scale, Math.abs(x.toNumber()));
    if (scale === 0) return Interval.point(Rational.fromInt(0));
    const k0 = BigInt(Math.max(0, bits + 10 - Math.ceil(Math.log2(scale))));
    const num = (vHv.num * vv.den) << k0;
    const den = vHv.den * vv.num;
    let q = num / den;
    if (q * den !== num && num < 0n) q -= 1n;
    const lo = Rational.of(q, 1n << k0);
    for (let k = 100; k >= 12; k -= 8) {
      const hi = roundToGrid(lo.add(Rational.fromDouble(scale * 2 ** -k)), bits - 50 - Math.ceil(Math.log2(scale)), 'up');
      if (above(H, hi)) return new Interval(lo, hi);
    }
    throw new UndecidableError('could not certify an upper bound for the top eigenvalue');
  }

  it('gives the enclosures it gave before, on matrices, vectors and precisions of every kind', () => {
    const rand = mulberry32(2312);
    for (let t = 0; t < 120; t++) {
      const n = 2 + (t % 4);
      const S = spectral(randomOrthogonal(n, rand), randomSpectrum(n, rand, t % 3 !== 2));
      const v = S.Q.map((row, i) => (t % 5 === 4 ? (i === 0 ? 1 : 0) : row[S.top]!.toNumber() * (t % 5 === 3 ? 1 + 1e-6 * (rand() - 0.5) : 1)));
      const bits = [170, 160, 640][t % 3]!;
      let want: Interval | string;
      try {
        want = before(S.M, v, bits);
      } catch (e) {
        want = (e as Error).message;
      }
      let got: Interval | string;
      try {
        got = certifyTopEigenvalue(S.M, v, bits);
      } catch (e) {
        got = (e as Error).message;
      }
      if (typeof want === 'string') expect(got).toBe(want);
      else {
        expect(typeof got).toBe('object');
        const g = got as Interval;
        expect(g.lo.eq(want.lo) && g.hi.eq(want.hi), `t=${t}`).toBe(true);
      }
    }
    expect(() => certifyTopEigenvalue([[Rational.ONE]], [0])).toThrow('zero eigenvector estimate');
    expect(certifyTopEigenvalue([[Rational.ZERO]], [1]).isPoint()).toBe(true);
  });
});
