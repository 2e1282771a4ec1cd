/** Exact symmetric test matrices with known spectra (shared by the eigenvalue tests). */
import { Rational } from '../../../src/numeric/rational.js';

const ZERO = Rational.ZERO;

function randInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export type RMat = Rational[][];

export function identity(n: number): RMat {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? Rational.ONE : ZERO)));
}

function matmul(A: RMat, B: RMat): RMat {
  const n = A.length;
  return A.map((row) => Array.from({ length: n }, (_, j) => row.reduce((s, a, k) => s.add(a.mul(B[k]![j]!)), ZERO)));
}

/** A random orthogonal rational matrix: a product of Givens rotations with Pythagorean-triple angles. */
export function randomOrthogonal(n: number, rand: () => number): RMat {
  let Q = identity(n);
  for (let r = 0; r < 2 * n; r++) {
    const p = randInt(rand, 0, n - 1);
    let q = randInt(rand, 0, n - 2);
    if (q >= p) q++;
    const m = randInt(rand, 2, 12);
    const k = randInt(rand, 1, m - 1);
    let a = BigInt(m * m - k * k);
    let b = BigInt(2 * m * k);
    const c = BigInt(m * m + k * k);
    if (rand() < 0.5) [a, b] = [b, a];
    if (rand() < 0.5) b = -b;
    const G = identity(n);
    G[p]![p] = Rational.of(a, c);
    G[q]![q] = Rational.of(a, c);
    G[p]![q] = Rational.of(-b, c);
    G[q]![p] = Rational.of(b, c);
    Q = matmul(Q, G);
  }
  return Q;
}

export interface Spectral {
  M: RMat;
  Q: RMat;
  d: Rational[];
  top: number; // index of the largest eigenvalue
}

/** M = Q diag(d) Q^T, exactly. */
export function spectral(Q: RMat, d: Rational[]): Spectral {
  const n = d.length;
  const M = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => d.reduce((s, dk, k) => s.add(Q[i]![k]!.mul(dk).mul(Q[j]![k]!)), ZERO)));
  let top = 0;
  for (let k = 1; k < n; k++) if (d[k]!.gt(d[top]!)) top = k;
  return { M, Q, d, top };
}

/**
 * Random spectrum: well separated (distinct multiples of 1/7 of the scale, so rarely doubles), or
 * with a repeated top eigenvalue; times 2^s for a huge or tiny scale.
 */
export function randomSpectrum(n: number, rand: () => number, separated: boolean): Rational[] {
  const s = [0, 0, 0, 300, -300, 600, -600][randInt(rand, 0, 6)]!;
  const scale = s >= 0 ? Rational.fromBigInt(1n << BigInt(s)) : Rational.of(1n, 1n << BigInt(-s));
  const used = new Set<number>();
  const d: Rational[] = [];
  for (let k = 0; k < n; k++) {
    let v: number;
    do v = randInt(rand, -40, 40);
    while (separated && used.has(v));
    used.add(v);
    d.push(Rational.of(BigInt(v), 7n).mul(scale));
  }
  if (!separated && n > 1) d[1] = d.reduce((m, x) => (x.gt(m) ? x : m));
  return d;
}

