/**
 * The dyadic root enclosure (numeric/dyadic-root.ts) against the exact isolator (numeric/real-roots.ts):
 * an enclosure it returns must hold the exact unique root (checked by exact rational signs at its
 * ends), and where the exact isolator finds no unique simple-crossing root it must say undefined. Then
 * the implicit quantity c of the scalar-d3 pack on the certified true orbit.
 */
import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/numeric/rational.js';
import { isolateUniqueRoot, polyDerivative, polyEval } from '../../src/numeric/real-roots.js';
import { cmpDyadic, DyadicArith, DyadicInterval } from '../../src/numeric/dyadic.js';
import { certifiedOrbit, CertifiedStatement } from '../../src/dynamics/certified-orbit.js';
import { parse } from '../../src/symbolic/mathjs.js';
import { encloseUniqueRootDyadic } from '../../src/numeric/dyadic-root.js';
import { loadPack } from '../../src/model/pack.js';
import { deriveModel } from '../../src/symbolic/derive.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { mulberry32 } from '../support/prng.js';
import { fromRoots } from '../support/polynomials.js';

const Q = (n: number | bigint, d: number | bigint = 1) => Rational.of(BigInt(n), BigInt(d));


/** Horner over an interval: an enclosure of p over z (each operation outward rounded). */
function hornerPD(c: readonly Rational[], A: DyadicArith) {
  const pc = c.map((x) => A.fromRational(x));
  const dc = polyDerivative(c).map((x) => A.fromRational(x));
  const horner = (k: DyadicInterval[], z: DyadicInterval) => {
    let acc = A.fromRational(Rational.ZERO);
    for (let i = k.length - 1; i >= 0; i--) acc = A.add(A.mul(acc, z), k[i]!);
    return acc;
  };
  return (z: DyadicInterval) => ({ p: horner(pc, z), dp: horner(dc, z) });
}

function check(c: Rational[], lo: Rational, hi: Rational, bits: number): 'enclosed' | 'undefined' {
  const A = new DyadicArith(bits);
  const r = encloseUniqueRootDyadic(hornerPD(c, A), A.fromRational(lo), A.fromRational(hi), bits);
  const exact = isolateUniqueRoot(c, lo, hi, 64);
  if (!r) return 'undefined';
  // A claimed unique root must be the exact isolator's unique root, strictly inside the bracket.
  expect(exact.kind).toBe('root');
  const a = r.lo.toRational();
  const b = r.hi.toRational();
  expect(lo.lt(a) && a.lt(b) && b.lt(hi)).toBe(true);
  // Opposite exact signs at the ends: the unique root of (lo, hi) is in (a, b) by the IVT.
  expect(polyEval(c, a).sign() * polyEval(c, b).sign()).toBe(-1);
  if (exact.kind === 'root') expect(exact.lo.le(b) && a.le(exact.hi)).toBe(true);
  // Shrunk to near the working precision (the input is exact, so only rounding widens p's enclosure);
  // relative to max(1, |a|, |b|), since around a root at 0 no enclosure is relatively narrow.
  const mag = Math.max(0, r.mag().log2Abs());
  expect(r.width().log2Abs() - mag).toBeLessThan(-(bits - 40));
  return 'enclosed';
}

describe('encloseUniqueRootDyadic against the exact isolator', () => {
  it('random polynomials with rational coefficients: every enclosure holds the exact unique root', () => {
    const rnd = mulberry32(20250304);
    const rat = (span: number, den: number) => Q(Math.floor((rnd() * 2 - 1) * span * den), 1 + Math.floor(rnd() * den));
    let enclosed = 0;
    let undef = 0;
    for (let trial = 0; trial < 300; trial++) {
      let c: Rational[];
      if (trial % 3 === 0) {
        const deg = 1 + Math.floor(rnd() * 5);
        c = Array.from({ length: deg + 1 }, () => rat(5, 9));
        if (c[deg]!.isZero()) c[deg] = Q(1);
      } else {
        const k = 1 + Math.floor(rnd() * 4);
        const roots = Array.from({ length: k }, () => rat(3, 7));
        // Sometimes a factor without real roots, or a repeated root.
        if (trial % 5 === 1) roots.push(roots[0]!);
        c = fromRoots(roots, rat(4, 5).isZero() ? Q(1) : rat(4, 5));
        if (c.every((x) => x.isZero())) c = fromRoots(roots);
        if (trial % 7 === 2) c = mulPoly(c, [Q(1 + Math.floor(rnd() * 3)), Q(0), Q(1)]);
      }
      let lo = rat(4, 8);
      let hi = rat(4, 8);
      if (hi.lt(lo)) [lo, hi] = [hi, lo];
      if (!lo.lt(hi)) hi = lo.add(Q(1));
      const bits = [64, 128, 256][trial % 3]!;
      const out = check(c, lo, hi, bits);
      if (out === 'enclosed') enclosed++;
      else undef++;
    }
    // Not vacuous: most isolable cases are enclosed, and some are not.
    expect(enclosed).toBeGreaterThan(60);
    expect(undef).toBeGreaterThan(20);
  });

  it('two roots in the bracket, a double root, a root at an end: undefined', () => {
    const third = Q(1, 3);
    expect(check(fromRoots([third, Q(2, 3)]), Q(0), Q(1), 128)).toBe('undefined');
    expect(check(fromRoots([third, third, Q(-5)]), Q(0), Q(1), 128)).toBe('undefined');
    expect(check(fromRoots([third, third]), Q(-1), Q(1), 128)).toBe('undefined');
    expect(check(fromRoots([Q(0), Q(2)]), Q(0), Q(1), 128)).toBe('undefined');
    // Roots that are short dyadics never sit on a split point for good.
    expect(check(fromRoots([Q(1, 2), Q(3)]), Q(0), Q(1), 128)).toBe('enclosed');
    expect(check(fromRoots([Q(0), Q(3)]), Q(-1), Q(1), 128)).toBe('enclosed');
  });

  it('over a box of states: z^2 - s for s in [2, 2 + 2^-40] encloses sqrt(2) and sqrt(2 + 2^-40)', () => {
    const A = new DyadicArith(128);
    const s = new DyadicInterval(A.fromRational(Q(2)).lo, A.fromRational(Q(2).add(Q(1, 2n ** 40n))).hi);
    const evalPD = (z: DyadicInterval) => ({ p: A.sub(A.powi(z, 2), s), dp: A.mul(A.fromRational(Q(2)), z) });
    const r = encloseUniqueRootDyadic(evalPD, A.fromRational(Q(0)), A.fromRational(Q(3)), 128)!;
    expect(r).toBeDefined();
    for (const v of [Q(2), Q(2).add(Q(1, 2n ** 40n))]) {
      // a^2 < v < b^2 with a, b > 0: sqrt(v) in (a, b).
      expect(r.lo.toRational().pow(2).lt(v) && v.lt(r.hi.toRational().pow(2))).toBe(true);
    }
    // As wide as the states make it (about 2^-42 around 1.414), not much wider.
    expect(r.relWidthLog2()).toBeLessThan(-36);
  });
});

describe('a root close to its bracket end (issue 24, item 3)', () => {
  // scalar-d3's c at w = (0.1, 803.5, 803.5): (w1^2 + c)(w2^2 + c)(w3^2 + c) = 1 with c in (-w1^2, 2 - w1^2);
  // c + w1^2 = 1 / ((w2^2 + c)(w3^2 + c)), about 2.4e-12: 39 halvings of the bracket separate c from its lower end.
  const w = [0.1, 803.5, 803.5].map((x) => Rational.fromDouble(x));
  const poly = (W: readonly Rational[], z: Rational) => W.reduce((acc, x) => acc.mul(x.pow(2).add(z)), Q(1)).sub(Q(1));
  /** The states w1 in [0.1, 0.1 + 2^-90 0.1] (a box, as at any step of the certified orbit after the start), or the point. */
  function enclose(bits: number, box: boolean, options = {}) {
    const A = new DyadicArith(bits);
    const w1 = box ? new DyadicInterval(A.fromRational(w[0]!).lo, A.fromRational(w[0]!.mul(Q(1).add(Q(1, 2n ** 90n)))).hi) : A.fromRational(w[0]!);
    const sq = [A.powi(w1, 2), ...w.slice(1).map((x) => A.powi(A.fromRational(x), 2))];
    let evaluations = 0;
    const evalPD = (z: DyadicInterval) => {
      evaluations++;
      const f = sq.map((s) => A.add(s, z));
      return { p: A.sub(A.mul(A.mul(f[0]!, f[1]!), f[2]!), A.fromRational(Q(1))), dp: A.add(A.add(A.mul(f[1]!, f[2]!), A.mul(f[0]!, f[2]!)), A.mul(f[0]!, f[1]!)) };
    };
    const r = encloseUniqueRootDyadic(evalPD, A.neg(sq[0]!), A.sub(A.fromRational(Q(2)), sq[0]!), bits, options);
    return { r, evaluations, states: box ? [w, [w[0]!.mul(Q(1).add(Q(1, 2n ** 90n))), ...w.slice(1)]] : [w] };
  }

  it('over a box of states: enclosed at 128 bits, with the exact root of each corner state inside', () => {
    const { r, states } = enclose(128, true);
    expect(r).toBeDefined();
    for (const W of states) {
      // p increases in z above -w1^2: opposite exact signs at the ends put the state's root in (a, b), above its bracket's end.
      expect(poly(W, r!.lo.toRational()).sign()).toBe(-1);
      expect(poly(W, r!.hi.toRational()).sign()).toBe(1);
      expect(r!.lo.toRational().gt(W[0]!.pow(2).neg())).toBe(true);
    }
    expect(Math.abs(r!.lo.toNumber() + 0.01 - 2.4e-12)).toBeLessThan(1e-13);
  });

  it('the fixed budget of 64 segments ran out at every precision; the budget that follows the precision does not', () => {
    for (const bits of [128, 512, 2048]) expect(enclose(bits, true, { maxSegments: 64 }).r, `${bits} bits`).toBeUndefined();
    for (const bits of [64, 128, 2048]) expect(enclose(bits, true).r, `${bits} bits`).toBeDefined();
  });

  it('at a point state the whole bracket is one root segment (p has certain signs at its exact ends)', () => {
    const { r, evaluations } = enclose(128, false, { maxSegments: 1 });
    expect(r).toBeDefined();
    expect(poly(w, r!.lo.toRational()).sign() * poly(w, r!.hi.toRational()).sign()).toBe(-1);
    expect(evaluations).toBeLessThan(400);
  });
});

function mulPoly(a: Rational[], b: Rational[]): Rational[] {
  const out = new Array<Rational>(a.length + b.length - 1).fill(Rational.ZERO);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] = out[i + j]!.add(x.mul(y)))));
  return out;
}

describe('implicit quantities on the certified true orbit', () => {
  it('scalar-d3: the FALSIFIED rows of the GFS-sharpness claim are certified on the true orbit', async () => {
    const model = deriveModel(loadPack('scalar-d3').spec);
    const rows = await verifyFiles(model, ['lemmas/scalar-d3/d3-gfs-sharpness-non-increasing.ts'], { seed: 20250304 });
    const falsified = rows.filter((o) => o.kind === 'FALSIFIED');
    expect(falsified.map((o) => o.id)).toEqual(['d3-phi-non-increasing-without-product-condition-d3', 'd3-phi-non-increasing-above-the-threshold-d3', 'd3-phi-non-increasing-when-eta-s0-at-most-2-d3']);
    for (const o of falsified) {
      const t = o.counterexample!.trueOrbit!;
      expect(t.certified, `${o.id}: ${t.text}`).toBe(true);
      expect(t.text).toMatch(/^violated on the true orbit at step \d+ \(certified, \d+ bits\)$/);
    }
  }, 300_000);

  it('scalar-d3: a quantity of the root at the next step reads the root there (phi_next is phi of the next box)', () => {
    const model = deriveModel(loadPack('scalar-d3').spec);
    const hyper = { eta: 0.3 };
    let boxes: DyadicInterval[][] = [];
    const orbit = certifiedOrbit(model, hyper, [1.6, 0.5, 0.5], 1, { visitor: () => ((boxes = []), { visit: (_t: number, box: readonly DyadicInterval[]) => void boxes.push([...box]) }) });
    const A = new DyadicArith(orbit.bits);
    const enclose = (lhs: string, at: { theta: readonly DyadicInterval[]; next?: readonly DyadicInterval[] }) => {
      const v = new CertifiedStatement(model, [{ lhs: parse(lhs), rel: '<=', rhs: parse(lhs) }]).enclose({ t: 0, ...at, hyper: orbit.hyper, A });
      if (typeof v === 'string') throw new Error(v);
      return v[0]!;
    };
    const next = enclose('phi_next', { theta: boxes[0]!, next: boxes[1]! });
    const there = enclose('phi', { theta: boxes[1]! });
    const here = enclose('phi', { theta: boxes[0]! });
    // The same value enclosed two ways overlaps; the start's value is a different number (GD moved phi).
    expect(cmpDyadic(next.lo, there.hi) <= 0 && cmpDyadic(there.lo, next.hi) <= 0).toBe(true);
    expect(cmpDyadic(next.hi, here.lo) < 0 || cmpDyadic(here.hi, next.lo) < 0).toBe(true);
  });
});
