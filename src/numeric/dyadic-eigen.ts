/**
 * A certified enclosure of the largest eigenvalue of every symmetric matrix in a dyadic interval
 * matrix (the Hessian over an enclosure of the orbit), at any precision, with no float64 anywhere:
 * the dyadic row of eigen-enclosure.ts's encloseTopEigenvalue, with guesses and candidates of its own.
 *
 * Lower end: Rayleigh quotients of point vectors and the diagonal. Upper end: the first certified
 * mu = lower + delta, delta growing from the precision's and the enclosure's own scale; failing that,
 * Gershgorin's bound. The vectors are only good guesses (inverse and then Rayleigh-quotient iteration
 * on the midpoint matrix, a fixed number of rounds): the bounds are rigorous whatever they are, a
 * poor guess only makes them wider.
 */
import { addRounded, cmpDyadic, dabs, divRounded, Dyadic, DyadicArith, DyadicInterval, dyadic, mulRounded } from './dyadic.js';
import { encloseTopEigenvalue, positiveDefiniteShift as shiftedPD, rayleighQuotient } from './eigen-enclosure.js';

/** Symmetric interval matrix, row-major n x n (entry (i, j) and (j, i) may be different enclosures of the same value). */
export function topEigenvalueDyadic(H: readonly DyadicInterval[], n: number, A: DyadicArith): DyadicInterval {
  const P = A.bits;
  const W = P + 16;
  const at = (i: number, j: number) => H[i * n + j]!;
  // Gershgorin (rigorous, wide), and the diagonal entry with the largest lower end (the first guess).
  let gersh: Dyadic | undefined;
  let diagLo: Dyadic | undefined;
  let diagArg = 0;
  for (let i = 0; i < n; i++) {
    let r = at(i, i).hi;
    for (let j = 0; j < n; j++) if (j !== i) r = addRounded(r, at(i, j).mag(), P, true);
    if (gersh === undefined || cmpDyadic(r, gersh) > 0) gersh = r;
    if (diagLo === undefined || cmpDyadic(at(i, i).lo, diagLo) > 0) {
      diagLo = at(i, i).lo;
      diagArg = i;
    }
  }
  // Midpoint matrix (symmetrized from the upper triangle) and its scale, for the guesses.
  const M: Dyadic[] = new Array(n * n);
  let scale = Dyadic.ZERO;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const m = at(i, j).mid(W);
      M[i * n + j] = M[j * n + i] = m;
      const a = dabs(m);
      if (cmpDyadic(a, scale) > 0) scale = a;
    }
  if (scale.m === 0n) return new DyadicInterval(diagLo!, gersh!);
  const tiny = new Dyadic(scale.m, scale.e - W + 8, scale.n);
  let v: Dyadic[] = Array.from({ length: n }, (_, i) => (i === diagArg ? dyadic(1n) : Dyadic.ZERO));
  const candidates: Dyadic[][] = [v];
  // Inverse iteration with the shift at Gershgorin's bound (above every eigenvalue, nearest the top one).
  let mu = addRounded(gersh!, tiny, W, true);
  for (let k = 0; k < 6; k++) {
    v = solveShifted(M, n, mu, v, W, tiny);
    candidates.push(v);
  }
  // Rayleigh-quotient iteration: cubic convergence, so a count of rounds that grows with log2(P) suffices.
  const rounds = 2 + Math.ceil(Math.log2(P));
  for (let k = 0; k < rounds; k++) {
    mu = rayleighApprox(M, n, v, W);
    v = solveShifted(M, n, addRounded(mu, tiny, W, true), v, W, tiny);
    candidates.push(v);
  }
  let radius = Dyadic.ZERO;
  for (const h of H) {
    const w = h.width();
    if (cmpDyadic(w, radius) > 0) radius = w;
  }
  const firstDelta = addRounded(new Dyadic(scale.m, scale.e - P + 8, scale.n), mulRounded(radius, dyadic(BigInt(2 * n)), 64, true), 64, true);
  const r = encloseTopEigenvalue(A, H, n, {
    vectors: candidates
      .slice(-2)
      .concat([candidates[6]!])
      .map((c) => c.map(DyadicInterval.point)),
    candidates: function* (lower) {
      let delta = firstDelta;
      for (let k = 0; k < 12; k++) {
        const m = addRounded(lower, delta, P, true);
        if (cmpDyadic(m, gersh!) >= 0) return;
        yield m;
        delta = new Dyadic(delta.m, delta.e + 8, delta.n);
      }
    },
  })!;
  return new DyadicInterval(r.lo, r.hi ?? gersh!);
}

/** mu I - H positive definite for every member of H (eigen-enclosure.ts's interval elimination). */
export function positiveDefiniteShift(H: readonly DyadicInterval[], n: number, mu: Dyadic, A: DyadicArith): boolean {
  return shiftedPD(A, H, n, DyadicInterval.point(mu));
}

/** v^T H v / v^T v in interval arithmetic (undefined for v = 0): eigen-enclosure.ts's rayleighQuotient. */
export function rayleighInterval(H: readonly DyadicInterval[], n: number, v: readonly Dyadic[], A: DyadicArith): DyadicInterval | undefined {
  return rayleighQuotient(A, H, n, v.map(DyadicInterval.point));
}

// ---- approximate (guess) arithmetic: any rounding will do, these values only steer the search ----

function rayleighApprox(M: readonly Dyadic[], n: number, v: readonly Dyadic[], W: number): Dyadic {
  let num = Dyadic.ZERO;
  let den = Dyadic.ZERO;
  for (let i = 0; i < n; i++) {
    den = addRounded(den, mulRounded(v[i]!, v[i]!, W, false), W, false);
    let w = Dyadic.ZERO;
    for (let j = 0; j < n; j++) w = addRounded(w, mulRounded(M[i * n + j]!, v[j]!, W, false), W, false);
    num = addRounded(num, mulRounded(v[i]!, w, W, false), W, false);
  }
  return den.m === 0n ? Dyadic.ZERO : divRounded(num, den, W, false);
}

/** (mu I - M)^{-1} b by elimination with partial pivoting, normalized so its largest entry is about 1. */
function solveShifted(M: readonly Dyadic[], n: number, mu: Dyadic, b: readonly Dyadic[], W: number, tiny: Dyadic): Dyadic[] {
  const neg = (x: Dyadic) => (x.m === 0n ? x : new Dyadic(-x.m, x.e, x.n));
  const abs = (x: Dyadic) => (x.m < 0n ? neg(x) : x);
  const a: Dyadic[] = M.map((m, k) => (Math.floor(k / n) === k % n ? addRounded(mu, neg(m), W, false) : neg(m)));
  const x = b.slice();
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (cmpDyadic(abs(a[i * n + k]!), abs(a[p * n + k]!)) > 0) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) [a[k * n + j], a[p * n + j]] = [a[p * n + j]!, a[k * n + j]!];
      [x[k], x[p]] = [x[p]!, x[k]!];
    }
    // A (numerically) singular shift means mu is an eigenvalue: a tiny pivot just makes the solution huge, which normalizes away.
    if (cmpDyadic(abs(a[k * n + k]!), tiny) < 0) a[k * n + k] = tiny;
    const piv = a[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = divRounded(a[i * n + k]!, piv, W, false);
      if (f.m === 0n) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j] = addRounded(a[i * n + j]!, neg(mulRounded(f, a[k * n + j]!, W, false)), W, false);
      x[i] = addRounded(x[i]!, neg(mulRounded(f, x[k]!, W, false)), W, false);
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = x[k]!;
    for (let j = k + 1; j < n; j++) s = addRounded(s, neg(mulRounded(a[k * n + j]!, x[j]!, W, false)), W, false);
    x[k] = divRounded(s, a[k * n + k]!, W, false);
  }
  let big = Dyadic.ZERO;
  for (const xi of x) if (cmpDyadic(abs(xi), big) > 0) big = abs(xi);
  if (big.m === 0n) return b.slice();
  // Divide by a power of two near the largest entry: exact, and keeps the exponents from drifting.
  const s = big.e + big.n;
  return x.map((xi) => (xi.m === 0n ? xi : new Dyadic(xi.m, xi.e - s, xi.n)));
}
