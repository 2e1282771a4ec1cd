/**
 * Closed-form 3x3 top eigenpair vs constructed spectra and vs cyclic Jacobi; Jacobi on larger n.
 *
 * Measured worst |error| / ||A||_F of topEigenvalue3 (14000 matrices below, seed 20250302):
 *   vs the constructed eigenvalue: 1.4e-15 (the rounding in building Q diag(l) Q^T: Jacobi shows the same),
 *   vs Jacobi:                     6.5e-16.
 * Against a 120-digit reference (bisection on exact minors, same mix of matrices, run outside
 * the suite): 6.3e-16 after refinement; the plain trigonometric formula reaches 8.3e-9 on
 * near-degenerate top pairs (gap ~ sqrt(eps)), which is why the refinement exists.
 */
import { describe, expect, it } from 'vitest';
import { topEigenpair3, topEigenvalue3 } from '../../src/numeric/eigen3.js';
import { symmetricEigen, topEigenpair } from '../../src/numeric/symmetric-eigen.js';
import { mulberry32 } from '../support/prng.js';

type Sym = [number, number, number, number, number, number]; // a00 a01 a02 a11 a12 a22
interface Case {
  a: Sym;
  kind: string;
  /** Constructed eigenvalues, descending, when known. */
  l?: [number, number, number];
}

const TOL = 1e-12;

const frob = (a: Sym) => Math.sqrt(a[0] ** 2 + a[3] ** 2 + a[5] ** 2 + 2 * (a[1] ** 2 + a[2] ** 2 + a[4] ** 2));
const full = (a: Sym): number[][] => [
  [a[0], a[1], a[2]],
  [a[1], a[3], a[4]],
  [a[2], a[4], a[5]],
];
const mulSym = (a: Sym, v: readonly number[]) => [
  a[0] * v[0]! + a[1] * v[1]! + a[2] * v[2]!,
  a[1] * v[0]! + a[3] * v[1]! + a[4] * v[2]!,
  a[2] * v[0]! + a[4] * v[1]! + a[5] * v[2]!,
];

function makeGenerator(seed: number): (i: number) => Case {
  const rnd = mulberry32(seed);
  const uni = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  // Random rotation from a normalized Gaussian quaternion (uniform on SO(3)).
  const rotation = (): number[][] => {
    let w = gauss();
    let x = gauss();
    let y = gauss();
    let z = gauss();
    const n = Math.hypot(w, x, y, z);
    w /= n;
    x /= n;
    y /= n;
    z /= n;
    return [
      [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
      [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
      [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ];
  };
  const fromSpectrum = (l: [number, number, number]): Sym => {
    const R = rotation();
    const e = (i: number, j: number) => R[i]![0]! * l[0] * R[j]![0]! + R[i]![1]! * l[1] * R[j]![1]! + R[i]![2]! * l[2] * R[j]![2]!;
    return [e(0, 0), e(0, 1), e(0, 2), e(1, 1), e(1, 2), e(2, 2)];
  };
  const scaled = (l: [number, number, number], sc: number): [number, number, number] => [l[0] * sc, l[1] * sc, l[2] * sc];
  const gaps = [1e-3, 1e-6, 1e-9, 1e-12, 0];
  const scales = [1, 1e-8, 1e8];
  return (i: number): Case => {
    // Index layout makes every (kind, scale, gap) combination occur equally often.
    const sc = scales[Math.floor(i / 7) % scales.length]!;
    const g = gaps[Math.floor(i / 21) % gaps.length]!;
    switch (i % 7) {
      case 0:
        return { kind: 'generic', a: [uni(-1, 1), uni(-1, 1), uni(-1, 1), uni(-1, 1), uni(-1, 1), uni(-1, 1)].map((x) => x * sc) as Sym };
      case 1: {
        const top = uni(-1, 1);
        const l = scaled([top, top - g * Math.max(Math.abs(top), 0.1), top - uni(0.2, 2)], sc);
        return { kind: `topPair gap ${g}`, a: fromSpectrum(l), l };
      }
      case 2: {
        const top = uni(-1, 1);
        const bot = top - uni(0.2, 2);
        const l = scaled([top, bot + g, bot], sc);
        return { kind: `bottomPair gap ${g}`, a: fromSpectrum(l), l };
      }
      case 3: {
        // All three (nearly) equal around a shift that dominates the spread.
        const c = uni(-1, 1);
        const l = scaled([c, c - g, c - 2 * g * uni(0.5, 1)], sc);
        return { kind: `triple gap ${g}`, a: fromSpectrum(l), l };
      }
      case 4: {
        // Negative definite: the top eigenvalue is the one of SMALLEST magnitude.
        const l1 = -uni(0.01, 0.1);
        const l3 = -uni(2, 5);
        const l = scaled([l1, i % 2 ? l1 - g : uni(l3, l1), l3], sc);
        return { kind: `negdef gap ${g}`, a: fromSpectrum(l), l };
      }
      case 5:
        return { kind: 'hessianShape', a: [uni(-1, 1) * sc, uni(-1, 1) * sc, uni(-1, 1) * sc, uni(-1, 1) * sc, 0, uni(-1, 1) * sc] };
      default: {
        // The minimalist model's Hessian at random points, often with beta1 = 0 or tiny (converged runs).
        const lam1 = uni(0.5, 4);
        const lam2 = i % 3 === 0 ? lam1 : uni(0.5, 4);
        const al = uni(-2, 2);
        const b1 = i % 4 === 0 ? 0 : uni(-1, 1) * [1, 1e-4, 1e-9][i % 3]!;
        const b2 = i % 5 === 0 ? 1 / al : uni(-2, 2);
        const a = [lam1 * b1 * b1 + lam2 * b2 * b2, 2 * lam1 * al * b1, lam2 * (2 * al * b2 - 1), lam1 * al * al, 0, lam2 * al * al];
        return { kind: 'modelHessian', a: a.map((x) => x * sc) as Sym };
      }
    }
  };
}

function checkPair(a: Sym, value: number, v: readonly number[]): void {
  const F = frob(a);
  expect(Math.abs(Math.hypot(v[0]!, v[1]!, v[2]!) - 1)).toBeLessThanOrEqual(1e-14);
  const Av = mulSym(a, v);
  const res = Math.hypot(Av[0]! - value * v[0]!, Av[1]! - value * v[1]!, Av[2]! - value * v[2]!);
  expect(res).toBeLessThanOrEqual(1e-12 * F);
  const lead = v.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
  expect(lead).toBeGreaterThan(0);
}

describe('topEigenvalue3 / topEigenpair3 on 14000 random symmetric matrices', () => {
  const N = 14000;
  const gen = makeGenerator(20250302);
  const cases = Array.from({ length: N }, (_, i) => gen(i));

  it('matches the constructed eigenvalue and Jacobi to 1e-12 ||A||_F, with a valid eigenvector', () => {
    let worstKnown = 0;
    let worstJacobi = 0;
    let worstJacobiVsKnown = 0;
    let negdefSeen = 0;
    const failures: string[] = [];
    for (const c of cases) {
      const a = c.a;
      const F = frob(a);
      const value = topEigenvalue3(...a);
      const pair = topEigenpair3(...a);
      expect(pair.value).toBe(value);
      const jac = symmetricEigen(full(a)).values[0]!;
      const eJ = Math.abs(value - jac) / F;
      worstJacobi = Math.max(worstJacobi, eJ);
      if (!(eJ <= TOL)) failures.push(`${c.kind} vs Jacobi ${eJ} ${JSON.stringify(a)}`);
      if (c.l) {
        const eK = Math.abs(value - c.l[0]) / F;
        worstKnown = Math.max(worstKnown, eK);
        worstJacobiVsKnown = Math.max(worstJacobiVsKnown, Math.abs(jac - c.l[0]) / F);
        if (!(eK <= TOL)) failures.push(`${c.kind} vs known ${eK} ${JSON.stringify(a)}`);
        if (c.kind.startsWith('negdef')) {
          // Discriminating: the largest-magnitude eigenvalue is far from the answer.
          expect(Math.abs(c.l[2] - c.l[0])).toBeGreaterThan(0.1 * F);
          expect(value).toBeLessThan(0);
          negdefSeen++;
        }
      }
      checkPair(a, pair.value, pair.vector);
    }
    console.log(
      `eigen3: worst |err|/||A||_F vs constructed ${worstKnown.toExponential(2)}, vs Jacobi ${worstJacobi.toExponential(2)}; ` +
        `Jacobi vs constructed ${worstJacobiVsKnown.toExponential(2)}`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    expect(negdefSeen).toBe(N / 7);
  });

  it('is a lower bound up to rounding: never above Jacobi by more than 1e-14 ||A||_F', () => {
    // Rayleigh quotient / Cauchy interlacing: a regression to e.g. max(trig, refined) would show here.
    for (const c of cases.slice(0, 3000)) {
      const jac = symmetricEigen(full(c.a)).values[0]!;
      expect(topEigenvalue3(...c.a) - jac).toBeLessThanOrEqual(1e-14 * frob(c.a));
    }
  });
});

describe('topEigenvalue3 edge cases', () => {
  it('returns the largest algebraic, not the largest magnitude, eigenvalue', () => {
    expect(topEigenvalue3(-5, 0, 0, -1, 0, -3)).toBe(-1);
    // [[-2,0,0],[0,-2,1],[0,1,-2]] has eigenvalues -1, -2, -3.
    expect(Math.abs(topEigenvalue3(-2, 0, 0, -2, 1, -2) + 1)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(topEigenvalue3(-2, -1, -1, -2, -1, -2) + 1)).toBeLessThanOrEqual(1e-15); // -1 (double), -4
    expect(Math.abs(topEigenvalue3(2, 1, 1, 2, 1, 2) - 4)).toBeLessThanOrEqual(1e-15); // 4, 1, 1
  });

  it('handles zero, diagonal, identity-like and decoupled matrices exactly or to rounding', () => {
    expect(topEigenvalue3(0, 0, 0, 0, 0, 0)).toBe(0);
    expect(topEigenpair3(0, 0, 0, 0, 0, 0)).toEqual({ value: 0, vector: [1, 0, 0] });
    expect(topEigenvalue3(3, 0, 0, -5, 0, 2)).toBe(3);
    expect(topEigenpair3(-5, 0, 0, -3, 0, -1)).toEqual({ value: -1, vector: [0, 0, 1] });
    expect(topEigenvalue3(0.1, 0, 0, 0.1, 0, 0.1)).toBe(0.1);
    // Off-diagonal entries far below the diagonal's resolution.
    expect(topEigenvalue3(1, 1e-320, 1e-320, 1, 1e-320, 1)).toBe(1);
    const p = topEigenpair3(1, 1e-8, 0, 1, 0, 1);
    expect(Math.abs(p.value - (1 + 1e-8))).toBeLessThanOrEqual(2e-16);
    checkPair([1, 1e-8, 0, 1, 0, 1], p.value, p.vector);
  });

  it('is scale-equivariant from 1e-300 to 1e+150 without NaN or overflow', () => {
    const gen = makeGenerator(7);
    for (let i = 0; i < 700; i++) {
      const a0 = gen(i).a;
      const a = a0.map((x) => x / (frob(a0) || 1)) as Sym;
      const ref = topEigenvalue3(...a);
      for (const k of [1e-300, 2 ** -1000, 1e-160, 1e150, 1e300, 2 ** 1000]) {
        const ak = a.map((x) => x * k) as Sym;
        const v = topEigenvalue3(...ak);
        expect(Number.isFinite(v)).toBe(true);
        expect(Math.abs(v / k - ref)).toBeLessThanOrEqual(1e-14);
        const p = topEigenpair3(...ak);
        expect(p.value).toBe(v);
        expect(p.vector.every(Number.isFinite)).toBe(true);
      }
    }
    expect(Math.abs(topEigenvalue3(1e-300, 2e-300, 0, 1e-300, 0, -1e-300) - 3e-300)).toBeLessThanOrEqual(1e-315);
    expect(topEigenvalue3(5e-324, 0, 0, 1e-323, 0, 0)).toBe(1e-323);
    const big = topEigenvalue3(1e150, 2e150, 3e150, -1e150, 0, 1e150) / 1e150;
    expect(Math.abs(big - symmetricEigen(full([1, 2, 3, -1, 0, 1])).values[0]!)).toBeLessThanOrEqual(1e-14);
  });

  it('returns NaN for non-finite input', () => {
    expect(topEigenvalue3(NaN, 0, 0, 1, 0, 1)).toBeNaN();
    expect(topEigenvalue3(1, Infinity, 0, 1, 0, 1)).toBeNaN();
    expect(topEigenvalue3(Infinity, 0, 0, 1, 0, 1)).toBeNaN();
    expect(topEigenpair3(1, 0, -Infinity, 1, 0, 1).value).toBeNaN();
  });
});

describe('symmetricEigen (cyclic Jacobi)', () => {
  const rnd = mulberry32(99);
  const randomSym = (n: number, sc: number): number[][] => {
    const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i]![j] = a[j]![i] = (2 * rnd() - 1) * sc;
    return a;
  };
  const check = (a: number[][]) => {
    const n = a.length;
    const m = Math.max(...a.flat().map(Math.abs));
    const F = m * Math.sqrt(a.flat().reduce((s, x) => s + (x / m) ** 2, 0));
    const { values, vectors } = symmetricEigen(a);
    expect(values).toHaveLength(n);
    for (let i = 1; i < n; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!);
    const tr = a.reduce((s, r, i) => s + r[i]!, 0);
    expect(Math.abs(values.reduce((s, x) => s + x, 0) - tr)).toBeLessThanOrEqual(1e-13 * F);
    for (let i = 0; i < n; i++) {
      const v = vectors[i]!;
      for (let r = 0; r < n; r++) {
        const Av = a[r]!.reduce((s, x, c) => s + x * v[c]!, 0);
        expect(Math.abs(Av - values[i]! * v[r]!)).toBeLessThanOrEqual(1e-13 * F);
      }
      for (let j = 0; j < n; j++) {
        const d = v.reduce((s, x, k) => s + x * vectors[j]![k]!, 0);
        expect(Math.abs(d - (i === j ? 1 : 0))).toBeLessThanOrEqual(1e-13);
      }
      const lead = v.reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
      expect(lead).toBeGreaterThan(0);
    }
    return values;
  };

  it('random 5x5 and 8x8: A v = lambda v, orthonormal, descending, trace preserved', () => {
    for (const n of [5, 8]) for (const sc of [1, 1e-8, 1e8, 1e-300, 1e150]) for (let k = 0; k < 60; k++) check(randomSym(n, sc));
  });

  it('handles repeated eigenvalues, n = 1, 2, zero and diagonal matrices', () => {
    // I + u u^T (5x5): eigenvalues 1 + |u|^2 and 1 (four times).
    const u = [1, 2, -1, 0.5, 3];
    const uu = u.reduce((s, x) => s + x * x, 0);
    const vals = check(u.map((x, i) => u.map((y, j) => x * y + (i === j ? 1 : 0))));
    expect(Math.abs(vals[0]! - (1 + uu))).toBeLessThanOrEqual(1e-14 * (1 + uu));
    for (const x of vals.slice(1)) expect(Math.abs(x - 1)).toBeLessThanOrEqual(1e-14 * (1 + uu));
    expect(symmetricEigen([[-7]])).toEqual({ values: [-7], vectors: [[1]] });
    const two = check([
      [1, 2],
      [2, 1],
    ]);
    expect(two[0]).toBeCloseTo(3, 15);
    expect(two[1]).toBeCloseTo(-1, 15);
    expect(symmetricEigen([[0, 0], [0, 0]]).values).toEqual([0, 0]);
    expect(symmetricEigen([[-1, 0, 0, 0], [0, -4, 0, 0], [0, 0, 2, 0], [0, 0, 0, -3]]).values).toEqual([2, -1, -3, -4]);
  });

  it('topEigenpair dispatches to the closed form for n = 3 and to Jacobi otherwise', () => {
    const a3 = full([-2, 0.3, 0.1, -1, 0.2, -4]);
    const t3 = topEigenpair(a3);
    const c3 = topEigenpair3(-2, 0.3, 0.1, -1, 0.2, -4);
    expect(t3.value).toBe(c3.value);
    expect(t3.vector).toEqual(c3.vector);
    expect(Math.abs(t3.value - symmetricEigen(a3).values[0]!)).toBeLessThanOrEqual(1e-15 * 5);
    const a5 = randomSym(5, 1).map((r, i) => r.map((x, j) => x - (i === j ? 10 : 0))); // negative definite
    const t5 = topEigenpair(a5);
    const j5 = symmetricEigen(a5);
    expect(t5.value).toBe(j5.values[0]);
    expect(t5.vector).toEqual(j5.vectors[0]);
    expect(t5.value).toBe(Math.max(...j5.values));
    expect(topEigenpair([[2]])).toEqual({ value: 2, vector: [1] });
  });

  it('rejects invalid input with a clear message', () => {
    expect(() => symmetricEigen([])).toThrow(/non-empty square/);
    expect(() => symmetricEigen([[1, 2], [3]])).toThrow(/not square/);
    expect(() => symmetricEigen([[1, 2, 3], [2, 5, 6]])).toThrow(/not square/);
    expect(() => symmetricEigen([[1, 2], [2.001, 1]])).toThrow(/not symmetric/);
    expect(() => symmetricEigen([[1, NaN], [NaN, 1]])).toThrow(/not a finite number/);
    expect(() => symmetricEigen([[Infinity, 0], [0, 1]])).toThrow(/not a finite number/);
    expect(() => topEigenpair([[1, 2, 3], [2, 1, 0], [3, 1, 1]])).toThrow(/not symmetric/);
    expect(() => topEigenpair([[1, 0, 0], [0, 1, 0], [0, 0, NaN]])).toThrow(/not a finite number/);
    // Rounding-level asymmetry (relative to the largest entry) is accepted and averaged.
    const r = symmetricEigen([[1, 1], [1 + 1e-15, 1]]);
    expect(r.values[0]).toBeCloseTo(2, 14);
  });
});
