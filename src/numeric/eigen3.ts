/**
 * Largest algebraic eigenvalue (and eigenvector) of a symmetric 3x3 matrix, closed form plus a
 * refinement that makes it accurate on near-degenerate spectra.
 *
 * The trigonometric formula alone is only accurate to ~sqrt(eps) * ||A|| when the top two
 * eigenvalues nearly coincide (r -> -1): det(B) is flat at a double root. We therefore use the
 * trigonometric values only as shifts, and take the answer from the matrix itself:
 *  - r >= 0: the top eigenvalue is the more isolated extreme one; its eigenvector from the
 *    adjugate of (B - mu1 I) is accurate, and we return its Rayleigh quotient.
 *  - r < 0: the bottom eigenvalue is the more isolated one; we compute its eigenvector the same
 *    way and return the top eigenvalue of the 2x2 compression of B onto its orthogonal
 *    complement (stable 2x2 formula, no cancellation).
 * Either result is, up to rounding, a lower bound of the true top eigenvalue (Rayleigh quotient /
 * Cauchy interlacing), and its error is quadratic in the error of the shift.
 */

const LO = 2 ** -300;
const HI = 2 ** 300;
// p <= 2^-60 * max|a_ij| (p^2 compared): every eigenvalue lies within 2p of the shift.
const TINY_P2 = 2 ** -120;

const SQRT3 = Math.sqrt(3);
// Eigenvector of the last topEigenvalue3 call; module scratch so that topEigenvalue3 never allocates.
const V = new Float64Array(3);

/**
 * Largest algebraic eigenvalue of [[a00,a01,a02],[a01,a11,a12],[a02,a12,a22]]; NaN if any entry is
 * not finite. Also leaves the unit eigenvector in V. The body lives here rather than in a shared
 * helper because V8 boxes doubles across non-inlined calls: one call level, not two.
 */
export function topEigenvalue3(a00: number, a01: number, a02: number, a11: number, a12: number, a22: number): number {
  const tr = a00 + a11 + a22;
  if (a01 === 0 && a02 === 0 && a12 === 0 && tr - tr === 0) {
    // Finite diagonal: exact, and the vector is a coordinate axis.
    if (a00 >= a11 && a00 >= a22) {
      V[0] = 1;
      V[1] = 0;
      V[2] = 0;
      return a00;
    }
    V[0] = 0;
    if (a11 >= a22) {
      V[1] = 1;
      V[2] = 0;
      return a11;
    }
    V[1] = 0;
    V[2] = 1;
    return a22;
  }
  // Chained compares: faster in V8 than the 6-argument Math.max.
  let m = Math.abs(a00);
  let am = Math.abs(a01);
  if (am > m) m = am;
  am = Math.abs(a02);
  if (am > m) m = am;
  am = Math.abs(a11);
  if (am > m) m = am;
  am = Math.abs(a12);
  if (am > m) m = am;
  am = Math.abs(a22);
  if (am > m) m = am;
  if (!(m >= LO && m <= HI)) {
    if (m === 0) {
      V[0] = 1;
      V[1] = 0;
      V[2] = 0;
      return 0;
    }
    if (!(m < Infinity)) {
      V[0] = V[1] = V[2] = NaN;
      return NaN;
    }
    // Power-of-two scaling is exact; at most two levels of recursion reach [LO, HI].
    const k = m > HI ? 2 ** -400 : 2 ** 400;
    return topEigenvalue3(a00 * k, a01 * k, a02 * k, a11 * k, a12 * k, a22 * k) / k;
  }

  // Shift by the trace, re-centred once so that the shifted trace is ~eps * p, not ~eps * |q|.
  const q = tr / 3;
  let d0 = a00 - q;
  let d1 = a11 - q;
  let d2 = a22 - q;
  const t = (d0 + d1 + d2) / 3;
  d0 -= t;
  d1 -= t;
  d2 -= t;
  const p2 = (d0 * d0 + d1 * d1 + d2 * d2 + 2 * (a01 * a01 + a02 * a02 + a12 * a12)) / 6;
  if (p2 <= m * m * TINY_P2) {
    V[0] = 1;
    V[1] = 0;
    V[2] = 0;
    return q + t;
  }
  const p = Math.sqrt(p2);
  const ip = 1 / p;
  // B = (A - (q + t) I) / p: traceless with ||B||_F^2 = 6, entries O(1).
  const b00 = d0 * ip;
  const b11 = d1 * ip;
  const b22 = d2 * ip;
  const b01 = a01 * ip;
  const b02 = a02 * ip;
  const b12 = a12 * ip;
  let r = 0.5 * (b00 * (b11 * b22 - b12 * b12) - b01 * (b01 * b22 - b12 * b02) + b02 * (b01 * b12 - b11 * b02));
  if (r > 1) r = 1;
  else if (r < -1) r = -1;
  const c = Math.cos(Math.acos(r) / 3);
  const top = r >= 0;
  // 2cos(phi + 2pi/3) = -cos(phi) - sqrt(3) sin(phi); here phi in (pi/6, pi/3], so sin(phi) >= 1/2 is
  // accurate from cos(phi), and this avoids a second (slow, argument-reducing) cos call.
  const beta = top ? 2 * c : -c - SQRT3 * Math.sqrt(1 - c * c);

  // Null vector of M = B - beta I: the largest cross product of two of its rows (a column of adj M).
  const m00 = b00 - beta;
  const m11 = b11 - beta;
  const m22 = b22 - beta;
  // rows: (m00, b01, b02), (b01, m11, b12), (b02, b12, m22)
  let x = b01 * b12 - b02 * m11;
  let y = b02 * b01 - m00 * b12;
  let z = m00 * m11 - b01 * b01;
  let n2 = x * x + y * y + z * z;
  const x2 = b01 * m22 - b02 * b12;
  const y2 = b02 * b02 - m00 * m22;
  const z2 = m00 * b12 - b01 * b02;
  const n22 = x2 * x2 + y2 * y2 + z2 * z2;
  if (n22 > n2) {
    x = x2;
    y = y2;
    z = z2;
    n2 = n22;
  }
  const x3 = m11 * m22 - b12 * b12;
  const y3 = b12 * b02 - b01 * m22;
  const z3 = b01 * b12 - m11 * b02;
  const n23 = x3 * x3 + y3 * y3 + z3 * z3;
  if (n23 > n2) {
    x = x3;
    y = y3;
    z = z3;
    n2 = n23;
  }
  // The chosen eigenvalue is separated from the others by >= 1.5 (in B units), so n2 is O(1).
  const inv = 1 / Math.sqrt(n2);
  x *= inv;
  y *= inv;
  z *= inv;

  if (top) {
    V[0] = x;
    V[1] = y;
    V[2] = z;
    const rq = b00 * x * x + b11 * y * y + b22 * z * z + 2 * (b01 * x * y + b02 * x * z + b12 * y * z);
    return q + (t + p * rq);
  }

  // Orthonormal basis (u, w) of the complement of the bottom eigenvector (x, y, z).
  let ux = 0;
  let uy = 0;
  let uz = 0;
  if (Math.abs(x) > Math.abs(y)) {
    const s = 1 / Math.sqrt(x * x + z * z);
    ux = -z * s;
    uy = 0;
    uz = x * s;
  } else {
    const s = 1 / Math.sqrt(y * y + z * z);
    ux = 0;
    uy = z * s;
    uz = -y * s;
  }
  const wx = y * uz - z * uy;
  const wy = z * ux - x * uz;
  const wz = x * uy - y * ux;
  const bux = b00 * ux + b01 * uy + b02 * uz;
  const buy = b01 * ux + b11 * uy + b12 * uz;
  const buz = b02 * ux + b12 * uy + b22 * uz;
  const c11 = ux * bux + uy * buy + uz * buz;
  const c12 = wx * bux + wy * buy + wz * buz;
  const c22 =
    wx * (b00 * wx + b01 * wy + b02 * wz) + wy * (b01 * wx + b11 * wy + b12 * wz) + wz * (b02 * wx + b12 * wy + b22 * wz);
  const hd = 0.5 * (c11 - c22);
  const h = Math.sqrt(hd * hd + c12 * c12);
  const mu = 0.5 * (c11 + c22) + h;
  // 2x2 top eigenvector, choosing the form without cancellation.
  let e0 = 0;
  let e1 = 0;
  if (hd >= 0) {
    e0 = hd + h;
    e1 = c12;
  } else {
    e0 = c12;
    e1 = h - hd;
  }
  const en = Math.sqrt(e0 * e0 + e1 * e1);
  if (en > 0) {
    e0 /= en;
    e1 /= en;
  } else {
    e0 = 1;
    e1 = 0;
  }
  V[0] = e0 * ux + e1 * wx;
  V[1] = e0 * uy + e1 * wy;
  V[2] = e0 * uz + e1 * wz;
  return q + (t + p * mu);
}

/** The (unnormalized) eigenvector of the last topEigenvalue3 call, copied into out[0..2]. */
export function lastTopVector3(out: number[] | Float64Array): void {
  out[0] = V[0]!;
  out[1] = V[1]!;
  out[2] = V[2]!;
}

/**
 * topEigenvalue3 plus a unit eigenvector, sign-normalized so that its largest-magnitude component
 * is positive. For a (nearly) repeated top eigenvalue it is some unit vector of that eigenspace.
 */
export function topEigenpair3(
  a00: number,
  a01: number,
  a02: number,
  a11: number,
  a12: number,
  a22: number,
): { value: number; vector: [number, number, number] } {
  const value = topEigenvalue3(a00, a01, a02, a11, a12, a22);
  let x = V[0];
  let y = V[1];
  let z = V[2];
  const n = Math.sqrt(x * x + y * y + z * z);
  x /= n;
  y /= n;
  z /= n;
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const az = Math.abs(z);
  const lead = ax >= ay && ax >= az ? x : ay >= az ? y : z;
  if (lead < 0) {
    x = -x;
    y = -y;
    z = -z;
  }
  // Avoid -0 components in the output.
  return { value, vector: [x + 0, y + 0, z + 0] };
}
