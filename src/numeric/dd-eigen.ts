import { DDOps, GiveUp } from './double-double.js';
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

/** x y - b^2 into D (b exact: an entry of M). */
function minor2(xh: number, xl: number, xe: number, yh: number, yl: number, ye: number, bh: number, bl: number): void {
  D.mul(xh, xl, xe, yh, yl, ye);
  const ph = D.hi, pl = D.lo, pe = D.err;
  D.mul(bh, bl, 0, bh, bl, 0);
  D.sub(ph, pl, pe, D.hi, D.lo, D.err);
}

/** det(c I - M) and the sum of the principal 2x2 minors (its derivative in c), M from the module scratch; into out[0..5]. */
function charpoly(ch: number, cl: number, out: Float64Array): void {
  // a_i = c - m_ii; b_ij = m_ij (the off-diagonal of c I - M is -m_ij; signs are folded in below).
  D.sub(ch, cl, 0, M[0]!, M[1]!, 0);
  const a0h = D.hi, a0l = D.lo, a0e = D.err;
  D.sub(ch, cl, 0, M[6]!, M[7]!, 0);
  const a1h = D.hi, a1l = D.lo, a1e = D.err;
  D.sub(ch, cl, 0, M[10]!, M[11]!, 0);
  const a2h = D.hi, a2l = D.lo, a2e = D.err;
  const b01h = M[2]!, b01l = M[3]!, b02h = M[4]!, b02l = M[5]!, b12h = M[8]!, b12l = M[9]!;
  // c00 = a1 a2 - b12^2, c11 = a0 a2 - b02^2, c22 = a0 a1 - b01^2 (principal 2x2 minors).
  minor2(a1h, a1l, a1e, a2h, a2l, a2e, b12h, b12l);
  const c00h = D.hi, c00l = D.lo, c00e = D.err;
  minor2(a0h, a0l, a0e, a2h, a2l, a2e, b02h, b02l);
  const c11h = D.hi, c11l = D.lo, c11e = D.err;
  minor2(a0h, a0l, a0e, a1h, a1l, a1e, b01h, b01l);
  const c22h = D.hi, c22l = D.lo, c22e = D.err;
  // det = a0 c00 - b01 (b01 a2 + b12 b02) - b02 (b01 b12 + a1 b02), with the off-diagonal -m_ij.
  D.mul(a0h, a0l, a0e, c00h, c00l, c00e);
  const t1h = D.hi, t1l = D.lo, t1e = D.err;
  D.mul(b01h, b01l, 0, a2h, a2l, a2e);
  const u1h = D.hi, u1l = D.lo, u1e = D.err;
  D.mul(b12h, b12l, 0, b02h, b02l, 0);
  D.add(u1h, u1l, u1e, D.hi, D.lo, D.err);
  D.mul(b01h, b01l, 0, D.hi, D.lo, D.err);
  const t2h = D.hi, t2l = D.lo, t2e = D.err;
  D.mul(b01h, b01l, 0, b12h, b12l, 0);
  const u2h = D.hi, u2l = D.lo, u2e = D.err;
  D.mul(a1h, a1l, a1e, b02h, b02l, 0);
  D.add(u2h, u2l, u2e, D.hi, D.lo, D.err);
  D.mul(b02h, b02l, 0, D.hi, D.lo, D.err);
  const t3h = D.hi, t3l = D.lo, t3e = D.err;
  D.sub(t1h, t1l, t1e, t2h, t2l, t2e);
  D.sub(D.hi, D.lo, D.err, t3h, t3l, t3e);
  out[0] = D.hi;
  out[1] = D.lo;
  out[2] = D.err;
  D.add(c00h, c00l, c00e, c11h, c11l, c11e);
  D.add(D.hi, D.lo, D.err, c22h, c22l, c22e);
  out[3] = D.hi;
  out[4] = D.lo;
  out[5] = D.err;
  // The leading minors for the positive-definiteness test: a0 and c22.
  out[6] = a0h;
  out[7] = a0l;
  out[8] = a0e;
  out[9] = c22h;
  out[10] = c22l;
  out[11] = c22e;
}

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
      charpoly(xh, xl, P);
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
      charpoly(ch, cl, P);
      if (!(positive(P[6]!, P[7]!, P[8]!) && positive(P[9]!, P[10]!, P[11]!) && positive(P[0]!, P[1]!, P[2]!))) continue;
      D.sub(xh, xl, 0, delta, 0, 0);
      const lh = D.hi, ll = D.lo, le = D.err;
      charpoly(lh, ll, P);
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
