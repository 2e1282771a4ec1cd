import { topEigenpair3 } from './eigen3.js';

const SYMMETRY_TOL = 1e-12;
const MAX_SWEEPS = 100;

function validate(a: number[][], who: string): number {
  if (!Array.isArray(a) || a.length === 0) throw new Error(`${who}: expected a non-empty square matrix (array of rows)`);
  const n = a.length;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const row = a[i];
    if (!Array.isArray(row) || row.length !== n) {
      throw new Error(`${who}: matrix is not square: row ${i} has length ${Array.isArray(row) ? row.length : 'n/a'}, expected ${n}`);
    }
    for (let j = 0; j < n; j++) {
      const x = row[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${who}: entry [${i}][${j}] is not a finite number (${String(x)})`);
      m = Math.max(m, Math.abs(x));
    }
  }
  // Relative to the largest entry, so rounding noise in small entries of a computed Hessian passes.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.abs(a[i]![j]! - a[j]![i]!);
      if (d > SYMMETRY_TOL * m) {
        throw new Error(`${who}: matrix is not symmetric: |a[${i}][${j}] - a[${j}][${i}]| = ${d} > ${SYMMETRY_TOL} * max|a| = ${SYMMETRY_TOL * m}`);
      }
    }
  }
  return m;
}

function normalizeSign(v: number[]): void {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[k]!)) k = i;
  if (v[k]! < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i]!;
  for (let i = 0; i < v.length; i++) v[i] = v[i]! + 0;
}

/**
 * All eigenpairs of a symmetric matrix by the cyclic Jacobi method, values sorted descending
 * (largest algebraic first), vectors[i] the unit eigenvector of values[i] (largest-magnitude
 * component positive). The input is symmetrized as (A + A^T)/2 after validation.
 */
export function symmetricEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const mx = validate(a, 'symmetricEigen');
  const n = a.length;
  if (mx === 0) {
    return { values: new Array<number>(n).fill(0), vectors: Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))) };
  }
  // Exact power-of-two scaling to ~1 keeps squares and differences away from overflow/underflow.
  // Split in two factors because 2^1074 itself is not representable.
  const e = Math.floor(Math.log2(mx));
  const e1 = Math.trunc(e / 2);
  const s1 = 2 ** -e1;
  const s2 = 2 ** (e1 - e);
  const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (0.5 * a[i]![j]! + 0.5 * a[j]![i]!) * s1 * s2));
  const V: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let fro = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) fro += A[i]![j]! * A[i]![j]!;
  // Zeroing an entry below this perturbs the spectrum by far less than eps * ||A||_F.
  const negligible = 2 ** -60 * Math.sqrt(fro);

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p]![q]!;
        if (apq === 0) continue;
        const app = A[p]![p]!;
        const aqq = A[q]![q]!;
        if (Math.abs(apq) <= negligible) {
          A[p]![q] = 0;
          A[q]![p] = 0;
          continue;
        }
        rotated = true;
        // Rutishauser's stable rotation: |t| <= 1 (smaller angle), tau = tan(angle/2).
        const theta = (aqq - app) / (2 * apq);
        const at = Math.abs(theta);
        let t = at > 1e150 ? 1 / (2 * at) : 1 / (at + Math.sqrt(theta * theta + 1));
        if (theta < 0) t = -t;
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const tau = s / (1 + c);
        A[p]![p] = app - t * apq;
        A[q]![q] = aqq + t * apq;
        A[p]![q] = 0;
        A[q]![p] = 0;
        for (let r = 0; r < n; r++) {
          if (r !== p && r !== q) {
            const arp = A[r]![p]!;
            const arq = A[r]![q]!;
            const nrp = arp - s * (arq + tau * arp);
            const nrq = arq + s * (arp - tau * arq);
            A[r]![p] = nrp;
            A[p]![r] = nrp;
            A[r]![q] = nrq;
            A[q]![r] = nrq;
          }
          const vrp = V[r]![p]!;
          const vrq = V[r]![q]!;
          V[r]![p] = vrp - s * (vrq + tau * vrp);
          V[r]![q] = vrq + s * (vrp - tau * vrq);
        }
      }
    }
    if (!rotated) break;
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[j]![j]! - A[i]![i]!);
  const values = order.map((i) => A[i]![i]! / s1 / s2);
  const vectors = order.map((i) => {
    const v = V.map((row) => row[i]!);
    let nv = 0;
    for (const x of v) nv += x * x;
    nv = Math.sqrt(nv);
    for (let k = 0; k < n; k++) v[k] = v[k]! / nv;
    normalizeSign(v);
    return v;
  });
  return { values, vectors };
}

/** Top (largest algebraic) eigenpair: closed form for n = 3, Jacobi otherwise. */
export function topEigenpair(a: number[][]): { value: number; vector: number[] } {
  const n = a.length;
  if (n === 3) {
    validate(a, 'topEigenpair');
    const r = topEigenpair3(a[0]![0]!, (a[0]![1]! + a[1]![0]!) / 2, (a[0]![2]! + a[2]![0]!) / 2, a[1]![1]!, (a[1]![2]! + a[2]![1]!) / 2, a[2]![2]!);
    return { value: r.value, vector: [...r.vector] };
  }
  const { values, vectors } = symmetricEigen(a);
  return { value: values[0]!, vector: vectors[0]! };
}
