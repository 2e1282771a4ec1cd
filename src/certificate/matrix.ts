/**
 * The checker's symmetric interval matrices: the sharpness symbols' Hessian entries enclosed on a box, and
 * enclosures of leading principal minors (for Sylvester's criterion), in its own exact arithmetic.
 */
import type { Expr } from './expr.js';
import { centered, evaluate, iadd, iintersect, imul, ipowNat, isub, NotDifferentiable, point, type Env, type I } from './evaluate.js';
import { Q } from './rational.js';

/** A sharpness symbol: the largest eigenvalue of the symmetric matrix with these upper-triangle entries. */
export interface Sharpness {
  n: number;
  entries: Expr[];
}

/** Index of entry (i, j) in the row-major upper triangle of an n x n matrix. */
export function upper(n: number, i: number, j: number): number {
  if (i > j) [i, j] = [j, i];
  return i * n - (i * (i - 1)) / 2 + (j - i);
}

/**
 * The leading k x k determinant of a symmetric n x n matrix as a polynomial in its upper-triangle entries
 * (Leibniz's formula, equal monomials collected): a list of [coefficient, [entry index, power][]]. Collecting
 * makes squares of off-diagonal entries appear as squares, whose interval enclosure is >= 0.
 */
const MINORS = new Map<string, [number, [number, number][]][]>();
function minorPolynomial(n: number, k: number): [number, [number, number][]][] {
  const key = `${n},${k}`;
  const hit = MINORS.get(key);
  if (hit) return hit;
  const terms = new Map<string, number>();
  const perm: number[] = [];
  const used = new Array<boolean>(k).fill(false);
  const walk = (row: number, sign: number): void => {
    if (row === k) {
      const idx = perm.map((col, r) => upper(n, r, col)).sort((a, b) => a - b);
      const m = idx.join(',');
      terms.set(m, (terms.get(m) ?? 0) + sign);
      return;
    }
    // Sign by counting inversions as columns are chosen.
    for (let col = 0; col < k; col++) {
      if (used[col]) continue;
      let inv = 0;
      for (let c = col + 1; c < k; c++) if (used[c]) inv++;
      used[col] = true;
      perm.push(col);
      walk(row + 1, inv % 2 === 0 ? sign : -sign);
      perm.pop();
      used[col] = false;
    }
  };
  walk(0, 1);
  const out: [number, [number, number][]][] = [];
  for (const [m, coef] of terms) {
    if (coef === 0) continue;
    const powers = new Map<number, number>();
    for (const s of m.split(',')) powers.set(Number(s), (powers.get(Number(s)) ?? 0) + 1);
    out.push([coef, [...powers]]);
  }
  MINORS.set(key, out);
  return out;
}

/**
 * An enclosure of the leading k x k minor of the symmetric interval matrix m (upper triangle): the
 * intersection of two enclosures, the collected Leibniz polynomial above and the Laplace (cofactor)
 * expansion along the first row. Neither is always the tighter: a nested cofactor form can be tighter
 * than the expanded polynomial (subdistributivity), squares of off-diagonal entries only appear as such
 * in the collected one.
 */
export function evalMinor(n: number, k: number, m: I[]): I {
  let sum = point(Q.ZERO);
  for (const [coef, powers] of minorPolynomial(n, k)) {
    let t = point(Q.int(coef));
    for (const [idx, pw] of powers) t = imul(t, ipowNat(m[idx]!, pw));
    sum = iadd(sum, t);
  }
  const entry = (i: number, j: number) => m[upper(n, i, j)]!;
  const laplace = (rows: number[], cols: number[]): I => {
    if (rows.length === 1) return entry(rows[0]!, cols[0]!);
    let acc = point(Q.ZERO);
    cols.forEach((c, idx) => {
      const t = imul(entry(rows[0]!, c), laplace(rows.slice(1), cols.filter((x) => x !== c)));
      acc = idx % 2 === 0 ? iadd(acc, t) : isub(acc, t);
    });
    return acc;
  };
  const lead = Array.from({ length: k }, (_, i) => i);
  return iintersect(sum, laplace(lead, lead));
}

/** Entry enclosures of a sharpness matrix over the box: natural evaluation, optionally intersected with the centered form. */
export function entryEnclosures(s: Sharpness, env: Env, withCentered: boolean): I[] | string {
  const out: I[] = [];
  for (let i = 0; i < s.entries.length; i++) {
    const v = evaluate(s.entries[i]!, env);
    if (v.undef !== undefined) return `matrix entry ${i} is undefined on the box (${v.undef})`;
    if (v.maybe !== undefined || v.iv === null) return `matrix entry ${i} may be undefined on the box (${v.maybe})`;
    let x = v.iv;
    if (withCentered) {
      try {
        x = iintersect(x, centered(s.entries[i]!, env));
      } catch (e) {
        if (!(e instanceof NotDifferentiable)) throw e;
      }
    }
    out.push(x);
  }
  return out;
}

