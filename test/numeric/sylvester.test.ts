import { describe, expect, it } from 'vitest';
import { Rational } from '../../src/numeric/rational.js';
import {
  compareTopEigenvalue,
  decideSharpness,
  isPositiveDefinite,
  isPositiveSemidefinite,
  leadingIndexSets,
  principalMinorIndexSets,
} from '../../src/numeric/sylvester.js';
import { mulberry32 } from '../support/prng.js';

type Mat = Rational[][];

const q = (a: number | bigint, b: number | bigint = 1): Rational => Rational.of(BigInt(a), BigInt(b));
const pow2 = (k: number): Rational => (k >= 0 ? Rational.of(1n << BigInt(k)) : Rational.of(1n, 1n << BigInt(-k)));
const TINY = pow2(-3000);
const ints = (rows: number[][]): Mat => rows.map((row) => row.map((x) => q(x)));
const diag = (d: Rational[]): Mat => d.map((x, i) => d.map((_, j) => (i === j ? x : Rational.ZERO)));
const identity = (n: number): Mat => diag(Array.from({ length: n }, () => Rational.ONE));
const transpose = (A: Mat): Mat => A[0]!.map((_, j) => A.map((row) => row[j]!));
const max = (xs: Rational[]): Rational => xs.reduce((m, x) => (x.gt(m) ? x : m));

function matmul(A: Mat, B: Mat): Mat {
  return A.map((row) =>
    B[0]!.map((_, j) => {
      let s = Rational.ZERO;
      for (let k = 0; k < row.length; k++) s = s.add(row[k]!.mul(B[k]![j]!));
      return s;
    }),
  );
}

/** Rotation by the angle with cosine c and sine s in the (p, q) plane of R^n. */
function givens(n: number, p: number, r: number, c: Rational, s: Rational): Mat {
  const G = identity(n);
  G[p]![p] = c;
  G[r]![r] = c;
  G[p]![r] = s.neg();
  G[r]![p] = s;
  return G;
}

/** Primitive Pythagorean triples (a, b, c): a^2 + b^2 = c^2, so (a/c, b/c) is a rational rotation. */
const TRIPLES: [number, number, number][] = [
  [3, 4, 5],
  [5, 12, 13],
  [8, 15, 17],
  [7, 24, 25],
  [20, 21, 29],
  [9, 40, 41],
  [12, 35, 37],
  [11, 60, 61],
];

/** Q D Q^T: a symmetric matrix with spectrum exactly d when Q is orthogonal. */
function withSpectrum(Q: Mat, d: Rational[]): Mat {
  const QD = Q.map((row) => row.map((x, j) => x.mul(d[j]!)));
  return matmul(QD, transpose(Q));
}

/** 3D rational rotation: (3/5, 4/5) about z, then (5/13, 12/13) about x, then (8/17, 15/17) about y. */
const Q3 = matmul(matmul(givens(3, 0, 1, q(3, 5), q(4, 5)), givens(3, 1, 2, q(5, 13), q(12, 13))), givens(3, 0, 2, q(8, 17), q(15, 17)));

/** A dense rational orthogonal matrix of size n: Givens rotations in every plane. */
function orthogonal(n: number, rand?: () => number): Mat {
  let Q = identity(n);
  let t = 0;
  for (let p = 0; p < n; p++) {
    for (let r = p + 1; r < n; r++) {
      const [a, b, c] = TRIPLES[rand ? Math.floor(rand() * TRIPLES.length) : t++ % TRIPLES.length]!;
      const flip = rand && rand() < 0.5;
      Q = matmul(Q, givens(n, p, r, q(flip ? b : a, c), q(flip ? -a : b, c)));
    }
  }
  return Q;
}

/** Determinant by Laplace expansion along the first row: independent of the module's elimination. */
function laplaceDet(A: Mat): Rational {
  const n = A.length;
  if (n === 0) return Rational.ONE;
  if (n === 1) return A[0]![0]!;
  let s = Rational.ZERO;
  for (let j = 0; j < n; j++) {
    if (A[0]![j]!.isZero()) continue;
    const minor = A.slice(1).map((row) => row.filter((_, k) => k !== j));
    const term = A[0]![j]!.mul(laplaceDet(minor));
    s = j % 2 === 0 ? s.add(term) : s.sub(term);
  }
  return s;
}

const sub = (A: Mat, idx: number[]): Mat => idx.map((i) => idx.map((j) => A[i]![j]!));
const bruteMinors = (A: Mat, sets: number[][]): Rational[] => sets.map((idx) => laplaceDet(sub(A, idx)));
const brutePD = (A: Mat): boolean => bruteMinors(A, leadingIndexSets(A.length)).every((m) => m.sign() > 0);
const brutePSD = (A: Mat): boolean => bruteMinors(A, principalMinorIndexSets(A.length)).every((m) => m.sign() >= 0);
/** The WRONG semidefiniteness test: leading principal minors >= 0 only. */
const leadingOnlyPSD = (A: Mat): boolean => bruteMinors(A, leadingIndexSets(A.length)).every((m) => m.sign() >= 0);

/** r I - H. */
const shift = (H: Mat, r: Rational): Mat => H.map((row, i) => row.map((h, j) => (i === j ? r.sub(h) : h.neg())));

/** Eigenvalues of a symmetric double matrix by cyclic Jacobi rotations. */
function jacobiEigenvalues(input: number[][]): number[] {
  const n = input.length;
  const a = input.map((row) => row.slice());
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        total += a[i]![j]! ** 2;
        if (i !== j) off += a[i]![j]! ** 2;
      }
    }
    if (off <= 1e-30 * total) break;
    for (let p = 0; p < n; p++) {
      for (let r = p + 1; r < n; r++) {
        const apq = a[p]![r]!;
        if (apq === 0) continue;
        const theta = (a[r]![r]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // columns p, r
          const akp = a[k]![p]!;
          const akr = a[k]![r]!;
          a[k]![p] = c * akp - s * akr;
          a[k]![r] = s * akp + c * akr;
        }
        for (let k = 0; k < n; k++) {
          // rows p, r
          const apk = a[p]![k]!;
          const ark = a[r]![k]!;
          a[p]![k] = c * apk - s * ark;
          a[r]![k] = s * apk + c * ark;
        }
      }
    }
  }
  return a.map((row, i) => row[i]!);
}

function randomSymmetric(n: number, entry: () => Rational): Mat {
  const H: Mat = Array.from({ length: n }, () => new Array<Rational>(n));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const x = entry();
      H[i]![j] = x;
      H[j]![i] = x;
    }
  }
  return H;
}

describe('index sets', () => {
  it('lists every nonempty subset once, sorted, by size then lexicographically', () => {
    expect(principalMinorIndexSets(1)).toEqual([[0]]);
    expect(principalMinorIndexSets(3)).toEqual([[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]);
    for (let n = 0; n <= 6; n++) {
      const sets = principalMinorIndexSets(n);
      expect(sets.length).toBe(2 ** n - 1);
      const keys = new Set(sets.map((s) => s.join(',')));
      expect(keys.size).toBe(sets.length);
      for (const s of sets) {
        expect(s.length).toBeGreaterThan(0);
        for (let k = 1; k < s.length; k++) expect(s[k]!).toBeGreaterThan(s[k - 1]!);
        expect(s.every((i) => i >= 0 && i < n)).toBe(true);
      }
      for (let k = 1; k < sets.length; k++) expect(sets[k]!.length).toBeGreaterThanOrEqual(sets[k - 1]!.length);
      expect(principalMinorIndexSets(n)).toEqual(sets); // deterministic
      // the leading sets are among them
      for (const l of leadingIndexSets(n)) expect(keys.has(l.join(','))).toBe(true);
    }
  });

  it('lists the leading sets', () => {
    expect(leadingIndexSets(0)).toEqual([]);
    expect(leadingIndexSets(3)).toEqual([[0], [0, 1], [0, 1, 2]]);
    expect(leadingIndexSets(6).length).toBe(6);
  });

  it('rejects bad sizes', () => {
    expect(() => principalMinorIndexSets(-1)).toThrow(/size/);
    expect(() => leadingIndexSets(1.5)).toThrow(/size/);
  });
});

describe('input validation', () => {
  it('rejects non-square, ragged and non-symmetric matrices with a clear error', () => {
    const nonSquare = [[q(1), q(2)]];
    expect(() => isPositiveDefinite(nonSquare)).toThrow(/not square/);
    expect(() => isPositiveSemidefinite([[q(1), q(0)], [q(0)]])).toThrow(/not square/);
    expect(() => compareTopEigenvalue(nonSquare, q(0))).toThrow(/not square/);
    // asymmetric by a single 2^-3000
    const asym = [
      [q(1), q(2)],
      [q(2).add(TINY), q(1)],
    ];
    expect(() => compareTopEigenvalue(asym, q(0))).toThrow(/not symmetric.*\(0, 1\)/);
    expect(() => isPositiveSemidefinite(asym)).toThrow(/not symmetric/);
    expect(() => decideSharpness(asym, '<', q(0))).toThrow(/not symmetric/);
    expect(() => isPositiveDefinite([[1 as unknown as Rational]])).toThrow(/not a Rational/);
    expect(() => compareTopEigenvalue([], q(0))).toThrow(/no eigenvalues/);
    expect(() => decideSharpness([[q(1)]], '~' as '<', q(0))).toThrow(/unknown relation/);
  });

  it('treats the 0x0 matrix as (vacuously) positive definite', () => {
    expect(isPositiveDefinite([])).toBe(true);
    expect(isPositiveSemidefinite([])).toBe(true);
  });
});

describe('known spectrum', () => {
  const ALL: ('<' | '<=' | '>' | '>=' | '==')[] = ['<', '<=', '>', '>=', '=='];
  /** Checks every relation against the exact sign of S - r. */
  function expectSign(H: Mat, r: Rational, sign: -1 | 0 | 1): void {
    expect(compareTopEigenvalue(H, r)).toBe(sign);
    const truth = { '<': sign < 0, '<=': sign <= 0, '>': sign > 0, '>=': sign >= 0, '==': sign === 0 };
    for (const rel of ALL) expect(decideSharpness(H, rel, r)).toBe(truth[rel]);
  }
  /** r = S, S -+ tiny, S -+ 1. */
  function expectTop(H: Mat, S: Rational, tiny = TINY): void {
    expectSign(H, S, 0);
    expectSign(H, S.add(tiny), -1);
    expectSign(H, S.sub(tiny), 1);
    expectSign(H, S.add(Rational.ONE), -1);
    expectSign(H, S.sub(Rational.ONE), 1);
  }

  it('diagonal matrices', () => {
    expectTop(diag([q(3), q(-1), q(2)]), q(3));
    expectTop(diag([q(-7, 3)]), q(-7, 3));
    expectTop(diag([q(-5), q(-1, 2), q(-2)]), q(-1, 2));
    expectSign(diag([q(3), q(-1), q(2)]), q(5, 2), 1);
    expectTop(diag([Rational.ZERO, Rational.ZERO]), Rational.ZERO);
  });

  it('Q D Q^T with a rational rotation built from Pythagorean triples', () => {
    expect(matmul(Q3, transpose(Q3))).toEqual(identity(3));
    const H = withSpectrum(Q3, [q(2), q(-3), q(1, 2)]);
    // genuinely dense, and the top eigenvalue is not on the diagonal
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(H[i]![j]!.isZero()).toBe(false);
    for (let i = 0; i < 3; i++) expect(H[i]![i]!.eq(q(2))).toBe(false);
    expectTop(H, q(2));
    expectSign(H, q(1, 2), 1); // the middle eigenvalue
    expectSign(H, q(-3), 1);
  });

  it('a repeated top eigenvalue (rI - H of rank 1 at r = S)', () => {
    const H = withSpectrum(Q3, [q(2), q(-1), q(2)]);
    expectTop(H, q(2));
    const scalar = withSpectrum(Q3, [q(5), q(5), q(5)]);
    expect(scalar).toEqual(diag([q(5), q(5), q(5)]));
    expectTop(scalar, q(5));
    // all eigenvalues equal except one below: r = S makes rI - H rank one
    const H6 = withSpectrum(orthogonal(6), [q(1), q(1), q(1), q(1), q(1), q(-1)]);
    expectTop(H6, q(1));
  });

  it('6x6 dense Q D Q^T', () => {
    const Q = orthogonal(6);
    expect(matmul(Q, transpose(Q))).toEqual(identity(6));
    const d = [q(1, 3), q(-2), q(7, 5), q(7, 5).sub(TINY), q(0), q(-1, 7)];
    const H = withSpectrum(Q, d);
    expectTop(H, q(7, 5));
    // between the two top eigenvalues, 2^-3000 apart
    expectSign(H, q(7, 5).sub(pow2(-3001)), 1);
    expectSign(H, q(7, 5).sub(TINY).sub(pow2(-3001)), 1);
  });

  it('a rank-deficient case where leading minors >= 0 is not enough', () => {
    // H = diag(1, 2), r = 1: rI - H = diag(0, -1) has leading minors 0 and 0, yet S = 2 > 1.
    const H = diag([q(1), q(2)]);
    const A = shift(H, q(1));
    expect(A).toEqual(diag([q(0), q(-1)]));
    expect(bruteMinors(A, leadingIndexSets(2)).map((m) => m.sign())).toEqual([0, 0]);
    expect(isPositiveSemidefinite(A)).toBe(false);
    expect(isPositiveDefinite(A)).toBe(false);
    expectSign(H, q(1), 1);
    expectTop(H, q(2));
  });
});

describe('the wrong criterion', () => {
  it('leading minors >= 0 accepts matrices that are not positive semidefinite', () => {
    const counterexamples: Mat[] = [
      ints([
        [0, 0],
        [0, -1],
      ]),
      // leading minors 1, 0, 0; the principal minor on {0, 2} is -1
      ints([
        [1, 1, 1],
        [1, 1, 1],
        [1, 1, 0],
      ]),
      // the same trap hidden in a rotated matrix shifted to its second eigenvalue: rI - H for
      // H = diag(1, 2, 1) has leading minors 0, 0, 0
      shift(diag([q(1), q(2), q(1)]), q(1)),
    ];
    for (const A of counterexamples) {
      expect(leadingOnlyPSD(A)).toBe(true);
      expect(brutePSD(A)).toBe(false);
      expect(isPositiveSemidefinite(A)).toBe(false);
      expect(leadingOnlyPSD(A)).not.toBe(isPositiveSemidefinite(A));
    }
    // so a compareTopEigenvalue built on it would report S == 1 for H = diag(1, 2, 1), where S = 2
    const H = diag([q(1), q(2), q(1)]);
    const wrongCompare = (M: Mat, r: Rational): number => (brutePD(shift(M, r)) ? -1 : leadingOnlyPSD(shift(M, r)) ? 0 : 1);
    expect(wrongCompare(H, q(1))).toBe(0);
    expect(compareTopEigenvalue(H, q(1))).toBe(1);
  });
});

describe('huge-bit entries', () => {
  it('eigenvalues 2^-3000 apart, behind a rotation', () => {
    const top = q(1).add(TINY);
    const H = withSpectrum(Q3, [q(1), top, q(-1).sub(pow2(-10000))]);
    expect(H[0]![1]!.den >= 1n << 3000n).toBe(true);
    expect(compareTopEigenvalue(H, top)).toBe(0);
    expect(compareTopEigenvalue(H, top.add(pow2(-6000)))).toBe(-1);
    expect(compareTopEigenvalue(H, top.sub(pow2(-6000)))).toBe(1);
    expect(compareTopEigenvalue(H, q(1))).toBe(1);
    expect(compareTopEigenvalue(H, q(1).add(pow2(-3001)))).toBe(1);
  });

  it('entries with denominators 2^3000 and random 3000-bit numerators', () => {
    const rand = mulberry32(3000);
    const big = (bits: number): bigint => {
      let x = 1n;
      for (let i = 0; i < bits; i += 30) x = (x << 30n) | BigInt(Math.floor(rand() * 2 ** 30));
      return x;
    };
    for (let trial = 0; trial < 4; trial++) {
      const d = [0, 1, 2].map(() => Rational.of(big(3000) - big(3000), 1n << 3000n));
      const H = withSpectrum(Q3, d);
      const S = max(d);
      const t0 = performance.now();
      expect(compareTopEigenvalue(H, S)).toBe(0);
      expect(compareTopEigenvalue(H, S.add(TINY.mul(TINY)))).toBe(-1);
      expect(compareTopEigenvalue(H, S.sub(TINY.mul(TINY)))).toBe(1);
      expect(performance.now() - t0).toBeLessThan(2000); // a few ms in practice
    }
  });

  it('odd huge denominators (3^1900, about 3000 bits)', () => {
    const e = Rational.of(1n, 3n ** 1900n);
    const d = [q(1, 7).add(e), q(1, 7), q(-2).add(e.mul(e))];
    const H = withSpectrum(Q3, d);
    expect(compareTopEigenvalue(H, d[0]!)).toBe(0);
    expect(compareTopEigenvalue(H, d[0]!.add(e.mul(e)))).toBe(-1);
    expect(compareTopEigenvalue(H, d[0]!.sub(e.mul(e)))).toBe(1);
    expect(isPositiveSemidefinite(shift(H, d[0]!))).toBe(true);
    expect(isPositiveDefinite(shift(H, d[0]!))).toBe(false);
  });
});

describe('randomised', () => {
  it('random Q D Q^T of sizes 1..6 with exact known spectrum (repeats included)', () => {
    const rand = mulberry32(17);
    const small = (): Rational => q(Math.floor(rand() * 21) - 10, 1 + Math.floor(rand() * 6));
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(rand() * 6);
      const d: Rational[] = [];
      for (let i = 0; i < n; i++) d.push(i > 0 && rand() < 0.3 ? d[Math.floor(rand() * i)]! : small());
      const H = withSpectrum(orthogonal(n, rand), d);
      const S = max(d);
      const eps = rand() < 0.5 ? TINY : q(1, 1000);
      for (const r of [S, S.add(eps), S.sub(eps), ...d, small()]) {
        expect(compareTopEigenvalue(H, r)).toBe(S.cmp(r));
      }
      // the smallest eigenvalue, through -H
      const minusH = H.map((row) => row.map((x) => x.neg()));
      const m = d.reduce((a, x) => (x.lt(a) ? x : a));
      expect(compareTopEigenvalue(minusH, m.neg())).toBe(0);
      expect(isPositiveSemidefinite(shift(minusH, m.neg()))).toBe(true);
    }
  });

  it('random symmetric rational matrices agree with a float Jacobi solver where the gap is large', () => {
    const rand = mulberry32(2025);
    let checked = 0;
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rand() * 6);
      const H = randomSymmetric(n, () => q(Math.floor(rand() * 2001) - 1000, 1 + Math.floor(rand() * 97)));
      const S = Math.max(...jacobiEigenvalues(H.map((row) => row.map((x) => x.toNumber()))));
      for (let k = 0; k < 3; k++) {
        const r = Rational.fromDouble(S + (rand() - 0.5) * 4 * Math.max(1, Math.abs(S)) * 10 ** (-6 * rand()));
        const gap = S - r.toNumber();
        if (!(Math.abs(gap) > 1e-6 * Math.max(1, Math.abs(S)))) continue;
        expect(compareTopEigenvalue(H, r)).toBe(gap > 0 ? 1 : -1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('isPositiveDefinite / isPositiveSemidefinite match brute-force minors, including singular matrices', () => {
    const rand = mulberry32(99);
    const pick = (k: number): number => Math.floor(rand() * (2 * k + 1)) - k;
    let psdSingular = 0;
    let notPsdLeadingOk = 0;
    for (let trial = 0; trial < 800; trial++) {
      const n = 1 + Math.floor(rand() * 5);
      // V V^T - W W^T with few small-integer columns: low rank, many zero minors
      const kp = Math.floor(rand() * (n + 1));
      const km = rand() < 0.5 ? 0 : Math.floor(rand() * 2);
      const V = Array.from({ length: n }, () => Array.from({ length: kp }, () => pick(1)));
      const W = Array.from({ length: n }, () => Array.from({ length: km }, () => pick(1)));
      const scale = rand() < 0.2 ? 3 : 1;
      const A: Mat = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => {
          let s = 0;
          for (let c = 0; c < kp; c++) s += V[i]![c]! * V[j]![c]!;
          for (let c = 0; c < km; c++) s -= W[i]![c]! * W[j]![c]!;
          return q(s, scale);
        }),
      );
      const pd = brutePD(A);
      const psd = brutePSD(A);
      expect(isPositiveDefinite(A)).toBe(pd);
      expect(isPositiveSemidefinite(A)).toBe(psd);
      if (psd && !pd) psdSingular++;
      if (!psd && leadingOnlyPSD(A)) notPsdLeadingOk++;
    }
    // the interesting cases did occur
    expect(psdSingular).toBeGreaterThan(50);
    expect(notPsdLeadingOk).toBeGreaterThan(10);
    expect(psdSingular + notPsdLeadingOk).toBeLessThan(800);
  });
});
