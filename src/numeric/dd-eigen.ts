import { DDCode, DDOps, GiveUp, type DDAtom } from './double-double.js';
import { down, up } from './outward.js';

/**
 * A certified enclosure of the top eigenvalue of a symmetric 3x3 matrix known to double-double
 * precision: the float filter's second tier for S, where a comparison of two sharpnesses (S_next
 * >= S) has a margin far below what double intervals resolve.
 *
 * Input: the upper triangle as double-double entries with error bounds, H[3k..3k+2] = (hi, lo,
 * err) for k over (00, 01, 02, 11, 12, 22); every matrix within those errors is enclosed. With M the
 * matrix of the (hi, lo) values and rho >= the max row sum of the errors (>= ||E||_2 for every error
 * matrix E), lambda_max of every member is within rho of lambda_max(M) (Weyl).
 * Upper: c I - M positive definite (leading minors, evaluated in double-double with the rigorous
 * error bounds of DDOps, all three positive) gives lambda_max(M) < c. Lower: det(c' I - M) < 0 gives
 * an odd number of eigenvalues of M above c', so lambda_max(M) > c'. c and c' are x +- delta
 * around a Newton estimate x of the top root of det(x I - M) computed in double-double.
 * Output (hi, lo, err): the enclosure center and its radius. Returns false where it cannot certify
 * (a near-double top eigenvalue, magnitudes outside double-double's range).
 * A specialised fast path of eigen-enclosure.ts's encloseTopEigenvalue over DD_ENCLOSURES (no
 * allocation, no interval elimination); test/numeric/enclosure.test.ts checks that the two agree.
 */
const D = new DDOps();
const M = new Float64Array(12);

/**
 * det(c I - M) and the sum of the principal 2x2 minors (its derivative in c), for c = ch + cl exact and M's upper
 * triangle in M (pairs hi, lo, exact), into out[0..5]; then the leading minors for the positive-definiteness test
 * (a0 and c22) into out[6..11]. Generated once as straight-line double-double code (DDCode), with DDOps' results.
 */
const charpoly = ((): ((ch: number, cl: number, M: Float64Array, out: Float64Array) => void) => {
  const code = new DDCode();
  const c: DDAtom = { h: 'ch', l: 'cl', e: '0' };
  // M's pairs are the entries 00, 01, 02, 11, 12, 22.
  const m = (k: number): DDAtom => ({ h: `M[${2 * k}]`, l: `M[${2 * k + 1}]`, e: '0' });
  // a_i = c - m_ii; b_ij = m_ij (the off-diagonal of c I - M is -m_ij; signs are folded in below).
  const a0 = code.sub(c, m(0));
  const a1 = code.sub(c, m(3));
  const a2 = code.sub(c, m(5));
  const b01 = m(1);
  const b02 = m(2);
  const b12 = m(4);
  // x y - b^2.
  const minor2 = (x: DDAtom, y: DDAtom, b: DDAtom) => code.sub(code.mul(x, y), code.mul(b, b));
  // c00 = a1 a2 - b12^2, c11 = a0 a2 - b02^2, c22 = a0 a1 - b01^2 (principal 2x2 minors).
  const c00 = minor2(a1, a2, b12);
  const c11 = minor2(a0, a2, b02);
  const c22 = minor2(a0, a1, b01);
  // det = a0 c00 - b01 (b01 a2 + b12 b02) - b02 (b01 b12 + a1 b02), with the off-diagonal -m_ij.
  const t1 = code.mul(a0, c00);
  const t2 = code.mul(b01, code.add(code.mul(b01, a2), code.mul(b12, b02)));
  const t3 = code.mul(b02, code.add(code.mul(b01, b12), code.mul(a1, b02)));
  const det = code.sub(code.sub(t1, t2), t3);
  const deriv = code.add(code.add(c00, c11), c22);
  const put = (a: DDAtom, at: number) => `out[${at}] = ${a.h}; out[${at + 1}] = ${a.l}; out[${at + 2}] = ${a.e};`;
  return code.compile('charpoly', ['ch', 'cl', 'M', 'out'], [put(det, 0), put(deriv, 3), put(a0, 6), put(c22, 9)]);
})();

const P = new Float64Array(12);

/** A double-double value certainly > 0 (its lower end). */
function positive(h: number, l: number, e: number): boolean {
  return down(h - up(Math.abs(l) + e)) > 0;
}

function negative(h: number, l: number, e: number): boolean {
  return up(h + up(Math.abs(l) + e)) < 0;
}

export function ddTopEigenvalue3(H: Float64Array, approx: number, out: Float64Array): boolean {
  let scale = 0;
  for (let k = 0; k < 6; k++) {
    M[2 * k] = H[3 * k]!;
    M[2 * k + 1] = H[3 * k + 1]!;
    scale = Math.max(scale, Math.abs(H[3 * k]!));
  }
  const e00 = H[2]!, e01 = H[5]!, e02 = H[8]!, e11 = H[11]!, e12 = H[14]!, e22 = H[17]!;
  const rho = up(up(Math.max(up(up(e00 + e01) + e02), up(up(e01 + e11) + e12), up(up(e02 + e12) + e22))) * (1 + 2 ** -40));
  if (!(scale > 2 ** -400 && scale < 2 ** 400) || !(rho - rho === 0) || !(approx - approx === 0)) return false;
  try {
    // Newton on det(x I - M) from the double estimate: two steps take a simple root to double-double accuracy.
    let xh = approx;
    let xl = 0;
    let step = 0;
    for (let it = 0; it < 3; it++) {
      charpoly(xh, xl, M, P);
      if (!(P[3]! !== 0)) return false;
      D.div(P[0]!, P[1]!, 0, P[3]!, P[4]!, 0);
      step = Math.abs(D.hi);
      D.sub(xh, xl, 0, D.hi, D.lo, 0);
      xh = D.hi;
      xl = D.lo;
      if (step <= 2 ** -100 * scale) break;
    }
    for (let delta = Math.max(4 * step, 2 ** -96 * scale); delta <= 2 ** -60 * scale; delta *= 2 ** 12) {
      D.add(xh, xl, 0, delta, 0, 0);
      const ch = D.hi, cl = D.lo, ce = D.err;
      charpoly(ch, cl, M, P);
      if (!(positive(P[6]!, P[7]!, P[8]!) && positive(P[9]!, P[10]!, P[11]!) && positive(P[0]!, P[1]!, P[2]!))) continue;
      D.sub(xh, xl, 0, delta, 0, 0);
      const lh = D.hi, ll = D.lo, le = D.err;
      charpoly(lh, ll, M, P);
      if (!negative(P[0]!, P[1]!, P[2]!)) continue;
      // [c' - rho, c + rho] around x: c and c' are within delta (plus their own rounding) of x.
      out[0] = xh;
      out[1] = xl;
      out[2] = up(up(up(delta + Math.max(ce, le)) * (1 + 2 ** -40)) + rho);
      return true;
    }
    return false;
  } catch (e) {
    if (e instanceof GiveUp) return false;
    throw e;
  }
}
