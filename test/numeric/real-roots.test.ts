import { describe, expect, it } from 'vitest';
import { nextDown, nextUp } from '../../src/numeric/float-interval.js';
import { Rational } from '../../src/numeric/rational.js';
import {
  interpolate,
  isolateUniqueRoot,
  isRootOf,
  moebiusSignVariations,
  polyEval,
  simplestRational,
  sturmCount,
  sturmSequence,
  type RootResult,
} from '../../src/numeric/real-roots.js';
import { encloseUniqueRoot } from '../../src/numeric/root-enclosure.js';
import { mulberry32 } from '../support/prng.js';
import { fromRoots } from '../support/polynomials.js';

const Q = (n: number | bigint, d: number | bigint = 1) => Rational.of(BigInt(n), BigInt(d));
const D = (x: number) => Rational.fromDouble(x);
const strs = (c: Rational[]) => c.map((x) => x.toString());


function mulPoly(a: Rational[], b: Rational[]): Rational[] {
  const r = new Array<Rational>(a.length + b.length - 1).fill(Rational.ZERO);
  a.forEach((x, i) => b.forEach((y, j) => (r[i + j] = r[i + j]!.add(x.mul(y)))));
  return r;
}

/** The depth-3 scalar network polynomial prod (W_i + c) - 1, W_i = w_i^2, by interpolation at 0..3. */
function networkPoly(ws: Rational[]): Rational[] {
  const p = (c: Rational) => ws.reduce((acc, w) => acc.mul(w.mul(w).add(c)), Rational.ONE).sub(Rational.ONE);
  const xs = [0, 1, 2, 3].map((k) => Q(k));
  return interpolate(xs, xs.map(p));
}

/** The bracket (-min w^2, 2 - min w^2), exactly. */
function networkBracket(ws: Rational[]): [Rational, Rational] {
  const m2 = ws.map((w) => w.mul(w)).reduce((a, b) => (b.lt(a) ? b : a));
  return [m2.neg(), Q(2).sub(m2)];
}

function expectRoot(r: RootResult): { lo: Rational; hi: Rational } {
  if (r.kind !== 'root') throw new Error(`expected a root, got ${JSON.stringify(r)}`);
  return r;
}

// ---- hand-written outward-rounded interval arithmetic (every result widened by one ulp) ----------

type I = readonly [number, number];
const iadd = (a: I, b: I): I => [nextDown(a[0] + b[0]), nextUp(a[1] + b[1])];
const isub = (a: I, b: I): I => [nextDown(a[0] - b[1]), nextUp(a[1] - b[0])];
function imul(a: I, b: I): I {
  const ps = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]];
  return [nextDown(Math.min(...ps)), nextUp(Math.max(...ps))];
}
/** Enclosure of w^2 for a double w (the product is correctly rounded, so one ulp each way suffices). */
const isq = (w: number): I => [nextDown(w * w), nextUp(w * w)];

type EvalPD = (zlo: number, zhi: number, out: Float64Array) => boolean;

// The same operations without widening: the deliberately non-rigorous variant for the mutation check.
const padd = (a: I, b: I): I => [a[0] + b[0], a[1] + b[1]];
const psub = (a: I, b: I): I => [a[0] - b[1], a[1] - b[0]];
function pmul(a: I, b: I): I {
  const ps = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]];
  return [Math.min(...ps), Math.max(...ps)];
}

/** evalPD of prod (w_i^2 + c) - 1 and its derivative over c in [zlo, zhi]; rigorous unless widen = false. */
function networkEval(ws: number[], widen = true): EvalPD {
  const [add, sub, mul] = widen ? [iadd, isub, imul] : [padd, psub, pmul];
  const W = ws.map((w): I => (widen ? isq(w) : [w * w, w * w]));
  return (zlo, zhi, out) => {
    const z: I = [zlo, zhi];
    const [f1, f2, f3] = W.map((Wi) => add(Wi, z)) as [I, I, I];
    const p = sub(mul(mul(f1, f2), f3), [1, 1]);
    const d = add(add(mul(f2, f3), mul(f1, f3)), mul(f1, f2));
    [out[0], out[1], out[2], out[3]] = [p[0], p[1], d[0], d[1]];
    return [p[0], p[1], d[0], d[1]].every(Number.isFinite);
  };
}

/** Rigorous enclosures of the bracket ends -m^2 and 2 - m^2, m = min w. */
function networkBracketEnclosure(ws: number[]): [I, I] {
  const m2 = isq(Math.min(...ws));
  const lo: I = [-m2[1], -m2[0]];
  return [lo, iadd(lo, [2, 2])];
}

/**
 * The exact verdict on a float enclosure [a, b] of the unique root of p in (lo, hi): [a, b] lies in
 * the bracket and contains a root (Sturm count on (a, b] plus the point a), with no rounding.
 */
function enclosesExactRoot(enc: readonly [number, number], c: Rational[], lo: Rational, hi: Rational): boolean {
  const [A, B] = [D(enc[0]), D(enc[1])];
  if (!(lo.lt(A) && A.le(B) && B.lt(hi))) return false;
  if (polyEval(c, A).isZero()) return true;
  return A.lt(B) && sturmCount(sturmSequence(c), A, B) >= 1;
}

describe('interpolate and polyEval', () => {
  it('recovers (z + 1/3)^2 (z - 2) from 4 points', () => {
    const p = (z: Rational) => z.add(Q(1, 3)).pow(2).mul(z.sub(Q(2)));
    const xs = [Q(-1), Q(0), Q(1, 2), Q(5)];
    const c = interpolate(xs, xs.map(p));
    // (z^2 + 2z/3 + 1/9)(z - 2) = z^3 - 4z^2/3 - 11z/9 - 2/9
    expect(strs(c)).toEqual(['-2/9', '-11/9', '-4/3', '1']);
    for (const z of [Q(7, 3), Q(-1, 3), Q(-11, 5)]) expect(polyEval(c, z).eq(p(z))).toBe(true);
  });

  it('trims the degree when the points lie on a lower-degree polynomial', () => {
    const xs = [Q(0), Q(1), Q(2), Q(3)];
    expect(strs(interpolate(xs, xs.map((x) => Q(3).mul(x).sub(Q(1, 2)))))).toEqual(['-1/2', '3']);
    expect(interpolate(xs, xs.map(() => Rational.ZERO))).toEqual([]);
  });

  it('rejects repeated abscissae and mismatched lengths', () => {
    expect(() => interpolate([Q(1), Q(1)], [Q(0), Q(1)])).toThrow(RangeError);
    expect(() => interpolate([Q(1), Q(2)], [Q(0)])).toThrow(RangeError);
    expect(() => interpolate([], [])).toThrow(RangeError);
  });
});

describe('isRootOf', () => {
  it('agrees with rational evaluation at roots, near roots and at random rationals, with rational coefficients', () => {
    const rand = mulberry32(2503);
    const rq = () => Q(Math.floor((rand() - 0.5) * 2e6), 1 + Math.floor(rand() * 1e6));
    let roots = 0;
    for (let t = 0; t < 300; t++) {
      const rs = Array.from({ length: 1 + Math.floor(rand() * 4) }, rq);
      const c = fromRoots(rs, rq().add(Q(1, 7)));
      const tries = [...rs, ...rs.map((r) => r.add(Q(1, 1e9))), rq(), Rational.ZERO];
      for (const x of tries) {
        const want = polyEval(c, x).isZero();
        expect(isRootOf(c, x), `${strs(c)} at ${x.toString()}`).toBe(want);
        if (want) roots++;
      }
    }
    expect(roots).toBeGreaterThan(300);
    expect(isRootOf([], Q(3, 5))).toBe(true);
    expect(isRootOf([Q(0), Q(0)], Q(3, 5))).toBe(true);
    expect(isRootOf([Q(-3), Q(5)], Q(3, 5))).toBe(true);
    expect(isRootOf([Q(-3), Q(5), Q(0)], Q(3, 10))).toBe(false);
  });
});

describe('Sturm counts', () => {
  it('counts distinct roots, a double root once', () => {
    // (z - 1)^2 (z + 2)(z - 1/2)
    const seq = sturmSequence(fromRoots([Q(1), Q(1), Q(-2), Q(1, 2)]));
    expect(sturmCount(seq, Q(-3), Q(3))).toBe(3);
    expect(sturmCount(seq, Q(0), Q(3))).toBe(2);
    expect(sturmCount(seq, Q(3, 4), Q(3))).toBe(1);
    expect(sturmCount(seq, Q(-1), Q(1, 4))).toBe(0);
    // (a, b] with the double root at b, then at a.
    expect(sturmCount(seq, Q(3, 4), Q(1))).toBe(1);
    expect(sturmCount(seq, Q(1), Q(3))).toBe(0);
    expect(() => sturmCount(seq, Q(1), Q(1))).toThrow(RangeError);
  });

  it('keeps chain entries primitive integer polynomials', () => {
    const seq = sturmSequence(fromRoots([Q(1, 3), Q(1, 3), Q(-2, 7), Q(5, 11)]));
    for (const s of seq) {
      expect(s.every((x) => x.isInteger())).toBe(true);
      const g = s.reduce((acc, x) => {
        let [a, b] = [acc < 0n ? -acc : acc, x.num < 0n ? -x.num : x.num];
        while (b !== 0n) [a, b] = [b, a % b];
        return a;
      }, 0n);
      expect(g).toBe(1n);
    }
  });

  it('agrees with the known roots on random products of linear factors', () => {
    const rand = mulberry32(20250611);
    const pick = (k: number) => Math.floor(rand() * k);
    for (let trial = 0; trial < 200; trial++) {
      const roots: Rational[] = [];
      const distinct = 1 + pick(4);
      for (let i = 0; i < distinct; i++) {
        const r = Q(pick(13) - 6, 1 + pick(3));
        for (let m = 1 + pick(3); m > 0; m--) roots.push(r);
      }
      // Sometimes an irreducible quadratic factor z^2 + 1 (no real roots).
      let c = fromRoots(roots);
      if (pick(2) === 0) c = mulPoly(c, [Q(1), Q(0), Q(1)]);
      const seq = sturmSequence(c);
      const uniq = roots.filter((r, i) => roots.findIndex((s) => s.eq(r)) === i);
      // Ends drawn from the same grid, so they often are roots themselves.
      const x = Q(pick(17) - 8, 1 + pick(3));
      const y = Q(pick(17) - 8, 1 + pick(3));
      if (x.eq(y)) continue;
      const [a, b] = x.lt(y) ? [x, y] : [y, x];
      expect(sturmCount(seq, a, b)).toBe(uniq.filter((r) => a.lt(r) && r.le(b)).length);
    }
  });

  it('handles constants and rejects the zero polynomial', () => {
    expect(sturmCount(sturmSequence([Q(-5)]), Q(0), Q(1))).toBe(0);
    expect(() => sturmSequence([Rational.ZERO])).toThrow(RangeError);
  });
});

describe('isolateUniqueRoot', () => {
  const cases: Rational[][] = [
    [Q(1, 3), Q(1, 2), Q(2, 3)],
    [Q(1), Q(1), Q(1)],
    [Q(3, 2), Q(1, 7), Q(-5, 4)],
    [Q(1, 10), Q(9, 10), Q(2)],
  ];
  for (const ws of cases)
    for (const bits of [1, 10, 53, 300])
      it(`encloses the root of prod (w_i^2 + c) - 1 for w = ${strs(ws).join(', ')} to ${bits} bits`, () => {
        const c = networkPoly(ws);
        expect(c.length).toBe(4);
        const [lo, hi] = networkBracket(ws);
        const r = expectRoot(isolateUniqueRoot(c, lo, hi, bits));
        expect(lo.le(r.lo) && r.lo.le(r.hi) && r.hi.le(hi)).toBe(true);
        const big = [Rational.ONE, r.lo.abs(), r.hi.abs()].reduce((x, t) => (t.gt(x) ? t : x));
        expect(r.hi.sub(r.lo).mul(Q(2n ** BigInt(bits))).le(big)).toBe(true);
        if (r.lo.eq(r.hi)) expect(polyEval(c, r.lo).isZero()).toBe(true);
        else expect(polyEval(c, r.lo).sign() * polyEval(c, r.hi).sign()).toBe(-1);
        // The split points are short dyadics: the denominators stay near 2^bits, not 3^steps.
        expect(r.lo.den.toString(2).length).toBeLessThan(bits + 40);
      });

  it('returns a point interval when a split point is the root', () => {
    expect(isolateUniqueRoot(fromRoots([Q(1, 2)]), Q(0), Q(1), 20)).toEqual({ kind: 'root', lo: Q(1, 2), hi: Q(1, 2) });
  });

  it('reports a root at either end as endpoint', () => {
    const c = fromRoots([Q(1), Q(3)]);
    expect(isolateUniqueRoot(c, Q(1), Q(2), 20)).toEqual({ kind: 'endpoint' });
    expect(isolateUniqueRoot(c, Q(2), Q(3), 20)).toEqual({ kind: 'endpoint' });
  });

  it('reports several roots as many, with the distinct count', () => {
    expect(isolateUniqueRoot(fromRoots([Q(1), Q(2)]), Q(0), Q(3), 20)).toEqual({ kind: 'many', count: 2 });
    expect(isolateUniqueRoot(fromRoots([Q(1), Q(1), Q(2), Q(5, 2)]), Q(0), Q(3), 20)).toEqual({ kind: 'many', count: 3 });
  });

  it('isolates a double root, where the end signs agree', () => {
    const c = fromRoots([Q(1, 3), Q(1, 3), Q(-5)]);
    const r = expectRoot(isolateUniqueRoot(c, Q(0), Q(1), 60));
    expect(r.lo.lt(Q(1, 3)) && Q(1, 3).lt(r.hi)).toBe(true);
    expect(r.hi.sub(r.lo).le(Q(1n, 2n ** 60n))).toBe(true);
  });

  it('handles none, empty intervals and degenerate polynomials', () => {
    const c = fromRoots([Q(1), Q(2)]);
    expect(isolateUniqueRoot(c, Q(3), Q(4), 20)).toEqual({ kind: 'none' });
    expect(isolateUniqueRoot(c, Q(3, 2), Q(3, 2), 20)).toEqual({ kind: 'none' });
    expect(isolateUniqueRoot(c, Q(4), Q(3), 20)).toEqual({ kind: 'none' });
    expect(isolateUniqueRoot([Rational.ZERO, Rational.ZERO], Q(0), Q(1), 20)).toEqual({ kind: 'many', count: Infinity });
    expect(isolateUniqueRoot([], Q(0), Q(1), 20)).toEqual({ kind: 'many', count: Infinity });
    expect(isolateUniqueRoot([Q(7), Rational.ZERO], Q(0), Q(1), 20)).toEqual({ kind: 'none' });
    expect(() => isolateUniqueRoot(c, Q(0), Q(3), -1)).toThrow(RangeError);
    expect(() => isolateUniqueRoot(c, Q(0), Q(3), 1.5)).toThrow(RangeError);
  });

  it('stays within its step bound for many bits on a wide interval', () => {
    const c = fromRoots([Q(1, 3)]);
    const r = expectRoot(isolateUniqueRoot(c, Q(-(10n ** 30n)), Q(10n ** 30n), 2000));
    expect(r.lo.lt(Q(1, 3)) && Q(1, 3).lt(r.hi)).toBe(true);
  });
});

describe('encloseUniqueRoot (float filter)', () => {
  const rand = mulberry32(7);
  const states: number[][] = [
    [0.3, 0.7, 1.1],
    [1, 1, 1],
    [0.1, 0.9, 2],
    ...Array.from({ length: 30 }, () => [0, 0, 0].map(() => 0.05 + 1.95 * rand())),
  ];

  for (const ws of states)
    it(`encloses the exact root for w = ${ws.map((w) => w.toPrecision(4)).join(', ')}`, () => {
      const exactWs = ws.map(D);
      const c = networkPoly(exactWs);
      const [lo, hi] = networkBracket(exactWs);
      const [loE, hiE] = networkBracketEnclosure(ws);
      const enc = encloseUniqueRoot(networkEval(ws), loE, hiE);
      expect(enc).toBeDefined();
      const [a, b] = enc!;
      // Exact verdict: inside the bracket and containing a root.
      expect(enclosesExactRoot(enc!, c, lo, hi)).toBe(true);
      // And it contains the exact isolator's enclosure.
      const r = expectRoot(isolateUniqueRoot(c, lo, hi, 200));
      expect(D(a).le(r.lo) && r.hi.le(D(b))).toBe(true);
      // Narrow: limited only by the width of the point evaluations (about 10 roundings of values of
      // size 1), so a few dozen ulps of max(1, |root|); the roots here lie in (-4, 2).
      expect(b - a).toBeLessThanOrEqual(2 ** -46 * Math.max(1, Math.abs(a), Math.abs(b)));
    });

  const line = (root: number): EvalPD => (zlo, zhi, out) => {
    // p(z) = z - root, p' = 1
    [out[0], out[1], out[2], out[3]] = [nextDown(zlo - root), nextUp(zhi - root), 1, 1];
    return true;
  };

  it('proves nothing when the root is at or near a bracket end', () => {
    expect(encloseUniqueRoot(line(1), [1, 1], [2, 2])).toBeUndefined();
    expect(encloseUniqueRoot(line(2), [1, 1], [2, 2])).toBeUndefined();
    expect(encloseUniqueRoot(line(1), [0.9, 1.1], [2, 2])).toBeUndefined();
    // Control: an interior root is found.
    const enc = encloseUniqueRoot(line(1.5), [1, 1], [2, 2]);
    expect(enc && enc[0] <= 1.5 && 1.5 <= enc[1]).toBe(true);
    // The network cubic with a lower end enclosure that reaches past the root.
    const ws = [0.3, 0.7, 1.1];
    const r = expectRoot(isolateUniqueRoot(networkPoly(ws.map(D)), ...networkBracket(ws.map(D)), 60)).lo.toNumber();
    const [, hiE] = networkBracketEnclosure(ws);
    expect(encloseUniqueRoot(networkEval(ws), [-0.09, r + 1e-9], hiE)).toBeUndefined();
  });

  it('proves nothing with two roots or a double root in the bracket', () => {
    // (z - 1)(z - 2) = z^2 - 3z + 2, p' = 2z - 3
    const two: EvalPD = (zlo, zhi, out) => {
      const z: I = [zlo, zhi];
      const p = iadd(isub(imul(z, z), imul([3, 3], z)), [2, 2]);
      const d = isub(imul([2, 2], z), [3, 3]);
      [out[0], out[1], out[2], out[3]] = [p[0], p[1], d[0], d[1]];
      return true;
    };
    expect(encloseUniqueRoot(two, [0, 0], [3, 3])).toBeUndefined();
    expect(isolateUniqueRoot(fromRoots([Q(1), Q(2)]), Q(0), Q(3), 20)).toEqual({ kind: 'many', count: 2 });
    // (z - 1)^2: the exact decider isolates it, the float filter cannot prove a crossing.
    const dbl: EvalPD = (zlo, zhi, out) => {
      const u = isub([zlo, zhi], [1, 1]);
      const p = imul(u, u);
      [out[0], out[1], out[2], out[3]] = [p[0], p[1], nextDown(2 * u[0]), nextUp(2 * u[1])];
      return true;
    };
    expect(encloseUniqueRoot(dbl, [0, 0], [3, 3])).toBeUndefined();
  });

  it('proves nothing when evaluation fails, the budget is too small, or the bracket is malformed', () => {
    const ws = [0.3, 0.7, 1.1];
    const [loE, hiE] = networkBracketEnclosure(ws);
    expect(encloseUniqueRoot(() => false, loE, hiE)).toBeUndefined();
    expect(encloseUniqueRoot(networkEval(ws), loE, hiE, 1)).toBeUndefined();
    expect(encloseUniqueRoot(networkEval(ws), hiE, loE)).toBeUndefined();
    expect(encloseUniqueRoot(networkEval(ws), [NaN, 0], hiE)).toBeUndefined();
    const nanEval: EvalPD = (_a, _b, out) => {
      out.fill(NaN);
      return true;
    };
    expect(encloseUniqueRoot(nanEval, loE, hiE)).toBeUndefined();
  });

  it('the checks above catch the same filter fed a non-rigorous evalPD (mutation check)', () => {
    // Without widening, rounding errors in the point evaluations can certify a sign p does not have,
    // and the enclosure then misses the root by an ulp or so. Over the states tested above this
    // happens for some of them: the exact verdict used there would have failed those tests.
    let caught = 0;
    for (const ws of states) {
      const exactWs = ws.map(D);
      const [lo, hi] = networkBracket(exactWs);
      const m2 = Math.min(...ws) ** 2;
      const enc = encloseUniqueRoot(networkEval(ws, false), [-m2, -m2], [2 - m2, 2 - m2]);
      if (enc && !enclosesExactRoot(enc, networkPoly(exactWs), lo, hi)) caught++;
    }
    expect(caught).toBeGreaterThan(0);
  });

  it('the exact verdict catches an enclosure that misses the root (mutation check)', () => {
    // A non-rigorous evalPD: plain float evaluation, no widening, and at a slightly shifted point.
    // Its answer misses the true root, and the checks used above must say so; otherwise they
    // could not tell a rigorous filter from a sloppy one.
    const ws = [0.3, 0.7, 1.1];
    const exactWs = ws.map(D);
    const c = networkPoly(exactWs);
    const [lo, hi] = networkBracket(exactWs);
    const [loE, hiE] = networkBracketEnclosure(ws);
    const shift = 1e-12;
    const sloppy: EvalPD = (zlo, zhi, out) => {
      const f = (z: number) => ws.reduce((acc, w) => acc * (w * w + z + shift), 1) - 1;
      const g = (z: number) => {
        const [f1, f2, f3] = ws.map((w) => w * w + z + shift) as [number, number, number];
        return f2 * f3 + f1 * f3 + f1 * f2;
      };
      // p is increasing on the bracket, so the end values pass for a (non-rigorous) range.
      [out[0], out[1], out[2], out[3]] = [f(zlo), f(zhi), Math.min(g(zlo), g(zhi)), Math.max(g(zlo), g(zhi))];
      return true;
    };
    const bad = encloseUniqueRoot(sloppy, loE, hiE);
    expect(bad).toBeDefined();
    expect(enclosesExactRoot(bad!, c, lo, hi)).toBe(false);
    const r = expectRoot(isolateUniqueRoot(c, lo, hi, 200));
    expect(D(bad![0]).le(r.lo) && r.hi.le(D(bad![1]))).toBe(false);
    // Also a one-ulp shift of the good enclosure past the root is caught.
    const good = encloseUniqueRoot(networkEval(ws), loE, hiE)!;
    let x = good[1];
    for (let k = 0; k < 2; k++) x = nextUp(x);
    expect(enclosesExactRoot([nextUp(good[1]), x], c, lo, hi)).toBe(false);
  });
});

/** An odd-multiplicity root enclosure [a, b] in [lo, hi]: width rule, strict opposite end signs (or a point root). */
function expectCertified(c: Rational[], r: RootResult, lo: Rational, hi: Rational, bits: number): { lo: Rational; hi: Rational } {
  const e = expectRoot(r);
  expect(lo.le(e.lo) && e.lo.le(e.hi) && e.hi.le(hi)).toBe(true);
  const big = [Rational.ONE, e.lo.abs(), e.hi.abs()].reduce((x, t) => (t.gt(x) ? t : x));
  expect(e.hi.sub(e.lo).mul(Q(2n ** BigInt(bits))).le(big)).toBe(true);
  if (e.lo.eq(e.hi)) expect(polyEval(c, e.lo).isZero()).toBe(true);
  else expect(polyEval(c, e.lo).sign() * polyEval(c, e.hi).sign()).toBe(-1);
  return e;
}

describe("Descartes' rule on the Moebius transform", () => {
  it('counts one variation for a single simple root, and isolates it', () => {
    const c = fromRoots([Q(1, 3), Q(5), Q(-2)]);
    expect(moebiusSignVariations(c, Q(0), Q(1))).toBe(1);
    const r = expectCertified(c, isolateUniqueRoot(c, Q(0), Q(1), 80), Q(0), Q(1), 80);
    expect(r.lo.lt(Q(1, 3)) && Q(1, 3).lt(r.hi)).toBe(true);
    // The network cubics: one variation on their brackets (the fast path the checker relies on).
    for (const ws of [[Q(1, 3), Q(1, 2), Q(2, 3)], [Q(3, 2), Q(1, 7), Q(-5, 4)], [D(1.2345678901234567), D(0.8765432109876543), D(1.0123456789012345)]])
      expect(moebiusSignVariations(networkPoly(ws), ...networkBracket(ws))).toBe(1);
  });

  it('counts no variation where there is no root, and answers none', () => {
    const c = fromRoots([Q(1), Q(2)]);
    expect(moebiusSignVariations(c, Q(3), Q(4))).toBe(0);
    expect(moebiusSignVariations(c, Q(-4), Q(1, 2))).toBe(0);
    expect(isolateUniqueRoot(c, Q(3), Q(4), 20)).toEqual({ kind: 'none' });
    expect(moebiusSignVariations([Q(7)], Q(0), Q(1))).toBe(0);
    expect(() => moebiusSignVariations(c, Q(1), Q(1))).toThrow(RangeError);
  });

  it('is inconclusive with two roots (or none, or a double root), where Sturm decides', () => {
    const two = fromRoots([Q(1), Q(2)]);
    expect(moebiusSignVariations(two, Q(0), Q(3))).toBe(2);
    expect(isolateUniqueRoot(two, Q(0), Q(3), 20)).toEqual({ kind: 'many', count: 2 });
    // (z - 1/2)^2 + 1/100: two variations on (0, 1), no real root at all.
    const none = [Q(1, 4).add(Q(1, 100)), Q(-1), Q(1)];
    expect(moebiusSignVariations(none, Q(0), Q(1))).toBe(2);
    expect(isolateUniqueRoot(none, Q(0), Q(1), 20)).toEqual({ kind: 'none' });
    // A double root: two variations, Sturm counts one distinct root, equal end signs.
    const dbl = fromRoots([Q(1, 3), Q(1, 3), Q(-5)]);
    expect(moebiusSignVariations(dbl, Q(0), Q(1))).toBe(2);
    const r = expectRoot(isolateUniqueRoot(dbl, Q(0), Q(1), 40));
    expect(r.lo.lt(Q(1, 3)) && Q(1, 3).lt(r.hi)).toBe(true);
  });

  it('agrees with Sturm on random polynomials: 0 means no root, 1 exactly one, always >= the count', () => {
    const rand = mulberry32(99);
    const pick = (k: number) => Math.floor(rand() * k);
    for (let trial = 0; trial < 200; trial++) {
      const roots = Array.from({ length: 1 + pick(4) }, () => Q(pick(25) - 12, 1 + pick(4)));
      let c = fromRoots(roots);
      if (pick(2) === 0) c = mulPoly(c, [Q(1 + pick(3)), Q(pick(3) - 1), Q(1)]);
      const x = Q(pick(29) - 14, 1 + pick(5));
      const y = Q(pick(29) - 14, 1 + pick(5));
      if (!x.lt(y) || polyEval(c, x).isZero() || polyEval(c, y).isZero()) continue;
      const v = moebiusSignVariations(c, x, y);
      const withMult = roots.filter((r) => x.lt(r) && r.lt(y)).length;
      expect(v).toBeGreaterThanOrEqual(withMult);
      expect((v - withMult) % 2).toBe(0);
      const n = sturmCount(sturmSequence(c), x, y);
      if (v === 0) expect(n).toBe(0);
      if (v === 1) expect(n).toBe(1);
      const r = isolateUniqueRoot(c, x, y, 30);
      if (n === 0) expect(r).toEqual({ kind: 'none' });
      else if (n > 1) expect(r).toEqual({ kind: 'many', count: n });
      else expect(r.kind).toBe('root');
    }
  });
});

describe('isolateUniqueRoot with a hint (Newton refinement)', () => {
  const ws = [D(1.2345678901234567), D(0.8765432109876543), D(1.0123456789012345)];
  const c = networkPoly(ws);
  const [lo, hi] = networkBracket(ws);
  const ref = expectRoot(isolateUniqueRoot(c, lo, hi, 400));
  const good = ref.lo.toNumber();
  const hints: [string, number | undefined][] = [
    ['none', undefined],
    ['good', good],
    ['slightly off', good * (1 + 1e-9)],
    ['bad (near lo)', lo.toNumber() * 0.999999],
    ['bad (near hi)', hi.toNumber() - 1e-12],
    ['NaN', NaN],
    ['+Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['below lo', lo.toNumber() - 1],
    ['above hi', hi.toNumber() + 1],
    ['at lo', lo.toNumber()],
  ];
  for (const [name, h] of hints)
    for (const bits of [0, 1, 53, 192, 768])
      it(`certifies the network root to ${bits} bits with hint ${name}`, () => {
        const r = expectCertified(c, isolateUniqueRoot(c, lo, hi, bits, h), lo, hi, bits);
        // Both enclose the unique root, so they overlap.
        expect(r.lo.le(ref.hi) && ref.lo.le(r.hi)).toBe(true);
        // Short dyadic ends (or the bracket ends themselves).
        if (!r.lo.eq(lo)) expect(r.lo.den.toString(2).length).toBeLessThan(bits + 40);
      });

  it('gives the same verdicts as without a hint', () => {
    const two = fromRoots([Q(1), Q(2)]);
    expect(isolateUniqueRoot(two, Q(0), Q(3), 20, 1.5)).toEqual({ kind: 'many', count: 2 });
    expect(isolateUniqueRoot(two, Q(3), Q(4), 20, 3.5)).toEqual({ kind: 'none' });
    expect(isolateUniqueRoot(two, Q(1), Q(3, 2), 20, 1.2)).toEqual({ kind: 'endpoint' });
  });

  it('returns a point when the hint is the root exactly', () => {
    const c1 = fromRoots([Q(1, 2), Q(3), Q(-1)]);
    expect(isolateUniqueRoot(c1, Q(0), Q(1), 100, 0.5)).toEqual({ kind: 'root', lo: Q(1, 2), hi: Q(1, 2) });
  });

  it('survives Newton leaving the bracket and a vanishing derivative at the hint', () => {
    // z^3 - 2z + 2: Newton from 0 jumps to 1, outside (-3, 1/2); the root is near -1.769.
    const cyc = [Q(2), Q(-2), Q(0), Q(1)];
    for (const h of [0, 0.25, -0.5]) {
      const r = expectCertified(cyc, isolateUniqueRoot(cyc, Q(-3), Q(1, 2), 120, h), Q(-3), Q(1, 2), 120);
      expect(r.lo.toNumber()).toBeCloseTo(-1.7692923542386314, 12);
    }
    // z^3 - 3z + 1 on (9/10, 2): p'(1) = 0 at the hint.
    const flat = [Q(1), Q(-3), Q(0), Q(1)];
    const r = expectCertified(flat, isolateUniqueRoot(flat, Q(9, 10), Q(2), 120, 1), Q(9, 10), Q(2), 120);
    expect(r.lo.toNumber()).toBeCloseTo(1.532088886237956, 12);
  });

  it('falls back to bisection when Newton converges slowly (a triple root)', () => {
    // (z - 1/3)^3 (z + 5): Newton gains only log2(3/2) bits a step, so the step budget runs out.
    const c3 = fromRoots([Q(1, 3), Q(1, 3), Q(1, 3), Q(-5)]);
    for (const h of [undefined, 0.3333333333333333, 0.9]) {
      const r = expectCertified(c3, isolateUniqueRoot(c3, Q(0), Q(1), 300, h), Q(0), Q(1), 300);
      expect(r.lo.lt(Q(1, 3)) && Q(1, 3).lt(r.hi)).toBe(true);
    }
  });

  it('handles a huge bracket and a root far from 1 in magnitude', () => {
    const c1 = fromRoots([Q(1, 3)]);
    const r = expectCertified(c1, isolateUniqueRoot(c1, Q(-(10n ** 30n)), Q(10n ** 30n), 2000, 0.3), Q(-(10n ** 30n)), Q(10n ** 30n), 2000);
    expect(r.lo.lt(Q(1, 3)) && Q(1, 3).lt(r.hi)).toBe(true);
    // Root 10^20 + 1/7 on (10^19, 10^21): the width rule is relative there.
    const big = Q(10n ** 20n).add(Q(1, 7));
    const c2 = fromRoots([big, Q(-1)]);
    for (const h of [undefined, 1e20, 5e20]) {
      const e = expectCertified(c2, isolateUniqueRoot(c2, Q(10n ** 19n), Q(10n ** 21n), 100, h), Q(10n ** 19n), Q(10n ** 21n), 100);
      expect(e.lo.lt(big) && big.lt(e.hi)).toBe(true);
    }
  });
});

describe('simplestRational', () => {
  const q = (n: number, d: number) => Rational.of(BigInt(n), BigInt(d));
  it('finds the rational with the smallest denominator in an interval', () => {
    const eps = Rational.of(1n, 10n ** 30n);
    expect(simplestRational(q(1, 3).sub(eps), q(1, 3).add(eps))!.eq(q(1, 3))).toBe(true);
    expect(simplestRational(q(1, 2), q(7, 10))!.eq(q(1, 2))).toBe(true);
    expect(simplestRational(q(11, 20), q(7, 10))!.eq(q(2, 3))).toBe(true);
    expect(simplestRational(q(-7, 10), q(-11, 20))!.eq(q(-2, 3))).toBe(true);
    expect(simplestRational(q(-1, 5), q(1, 7))!.isZero()).toBe(true);
    expect(simplestRational(q(3, 1), q(3, 1))!.eq(q(3, 1))).toBe(true);
  });
  it('gives up (undefined) when the continued fraction is longer than its budget', () => {
    const x = Rational.fromDouble(Math.SQRT2);
    const w = Rational.of(1n, 2n ** 400n);
    expect(simplestRational(x.sub(w).add(w.div(Rational.fromInt(3))), x.add(w), 5)).toBeUndefined();
  });
  it('matches the Stern-Brocot recursion in rationals (the definition) on random intervals and budgets', () => {
    const reference = (lo: Rational, hi: Rational, maxTerms: number): Rational | undefined => {
      if (lo.sign() <= 0 && hi.sign() >= 0) return Rational.ZERO;
      if (hi.sign() < 0) return reference(hi.neg(), lo.neg(), maxTerms)?.neg();
      const c = Rational.fromBigInt(lo.ceil());
      if (c.le(hi)) return c;
      if (maxTerms <= 1) return undefined;
      const f = Rational.fromBigInt(lo.floor());
      const x = reference(hi.sub(f).inv(), lo.sub(f).inv(), maxTerms - 1);
      return x === undefined ? undefined : f.add(x.inv());
    };
    const rand = mulberry32(2504);
    let found = 0;
    for (let t = 0; t < 2000; t++) {
      const centre = Rational.fromDouble((rand() - 0.5) * 2 ** Math.floor(rand() * 20 - 10));
      const w = Rational.of(BigInt(1 + Math.floor(rand() * 1000)), 2n ** BigInt(Math.floor(rand() * 120)));
      const lo = centre.sub(w);
      const hi = rand() < 0.1 ? lo : centre.add(w.mul(Rational.of(BigInt(Math.floor(rand() * 5)), 3n)));
      const terms = 1 + Math.floor(rand() * 40);
      const want = reference(lo, hi, terms);
      const got = simplestRational(lo, hi, terms);
      expect(got === undefined ? 'undefined' : got.toString(), `[${lo.toString()}, ${hi.toString()}] ${terms}`).toBe(want === undefined ? 'undefined' : want.toString());
      if (got !== undefined) found++;
    }
    expect(found).toBeGreaterThan(500);
  });
});
