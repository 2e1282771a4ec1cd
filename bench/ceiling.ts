/**
 * The physical reference for issue 25's claim: a hand-written loop of one float64 GD step of the
 * minimalist model plus a rigorous test of "eta S_t <= 3.2" at the computed iterate, no more. What a
 * generated per-lemma kernel could reach at best on this machine; eos-check's rate is read against it.
 *
 * The test never computes S. S <= x iff x I - H is positive semidefinite, so with x a double at most
 * 3.2 / eta (3.2 rounded down, divided, rounded down again), positive definiteness of x I - H by
 * Sylvester's criterion (its three leading minors > 0) proves eta S < 3.2. H's only zero entry is
 * H_12, so the minors are D1 = m00, D2 = m00 m11 - H01^2, D3 = m22 D2 - m11 H02^2 (m = x I - H).
 * Two rigorous ways to evaluate them:
 *  - a priori: each minor is a polynomial of exact doubles evaluated with at most 8 roundings on any
 *    path, so |computed - exact| <= gamma_8 (the same polynomial of absolute values), and "computed >
 *    10 u abs" (u = 2^-53, abs computed alongside; 10 u covers gamma_8 and abs's own rounding) proves
 *    the minor positive;
 *  - outward: every operation's result is an interval whose ends are stepped at least one ulp
 *    outward (r +- (|r| 2^-52 + 2^-1022)), as eos-check's float filter does; a minor is positive when
 *    its lower end is.
 * A lane the test cannot decide is counted (for this claim, whose largest eta S is about 2.4, none).
 * The step is plain float64: beta1 falls geometrically and underflows in long runs, which eos-check's
 * extended exponent avoids; the reference ignores that, as the NumPy peer does.
 *
 * Run: npx tsx bench/ceiling.ts [trajectories] [steps]
 */
import { mulberry32 } from '../src/numeric/prng.js';
import { nextDown } from '../src/numeric/float-interval.js';
import { isMain } from './main.js';

export interface CeilingResult {
  checks: number;
  ms: number;
  undecided: number;
  rate: number;
}

export interface ClaimDraws {
  eta: Float64Array;
  lambda2: Float64Array;
  beta1: Float64Array;
}

/** Draws of the claim's hypotheses: eta in [1.3, 1.5], lambda2 in [1e-3, 1e-2] log, beta1_0 in [1e-4, 1e-1] log. */
export function claimDraws(n: number, seed = 1): ClaimDraws {
  const r = mulberry32(seed);
  const d = { eta: new Float64Array(n), lambda2: new Float64Array(n), beta1: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    d.eta[i] = 1.3 + 0.2 * r();
    d.lambda2[i] = 10 ** (-3 + r());
    d.beta1[i] = 10 ** (-4 + 3 * r());
  }
  return d;
}

const U10 = 10 * 2 ** -53;
const BOUND_LO = nextDown(3.2);

/**
 * The test at one iterate: whether it proves eta S < 3.2, given x (at most 3.2 / eta, rounded down twice),
 * lambda2 and the iterate (a, b1, b2); lambda1 = 1.
 */
type Test = (x: number, l2: number, a: number, b1: number, b2: number) => boolean;

/**
 * The loop both variants time: every lane's float64 GD orbit from (1, beta1_0, 0), `test` at each of its
 * steps + 1 iterates. Written once so that the variants differ only in their test. The call to `test` is
 * inlined by V8 while one test runs (the bench times each variant after its own warm-up).
 */
function timeLanes(d: ClaimDraws, steps: number, test: Test): CeilingResult {
  const t0 = performance.now();
  let checks = 0;
  let undecided = 0;
  const l1 = 1;
  for (let k = 0; k < d.eta.length; k++) {
    const eta = d.eta[k]!;
    const l2 = d.lambda2[k]!;
    const x = nextDown(BOUND_LO / eta);
    let a = 1;
    let b1 = d.beta1[k]!;
    let b2 = 0;
    for (let t = 0; t <= steps; t++) {
      checks++;
      if (!test(x, l2, a, b1, b2)) undecided++;
      if (t < steps) {
        const r2 = a * b2 - 1;
        const g0 = l1 * a * b1 * b1 + l2 * r2 * b2;
        const g1 = l1 * a * a * b1;
        const g2 = l2 * r2 * a;
        a -= eta * g0;
        b1 -= eta * g1;
        b2 -= eta * g2;
      }
    }
  }
  const ms = performance.now() - t0;
  return { checks, ms, undecided, rate: (checks / ms) * 1000 };
}

/** The a priori test: float64 minors, each compared with 10 u times its absolute-value polynomial. */
const aprioriTest: Test = (x, l2, a, b1, b2) => {
  const l1 = 1;
  const h00 = l1 * b1 * b1 + l2 * b2 * b2;
  const h11 = l1 * a * a;
  const h22 = l2 * a * a;
  const h01 = 2 * l1 * a * b1;
  const ab2 = a * b2;
  const h02 = l2 * (2 * ab2 - 1);
  const h02abs = l2 * (2 * Math.abs(ab2) + 1);
  const m00 = x - h00;
  const m11 = x - h11;
  const m22 = x - h22;
  const A0 = x + h00;
  const A1 = x + h11;
  const A2 = x + h22;
  const p01 = h01 * h01;
  const d2 = m00 * m11 - p01;
  const abs2 = A0 * A1 + p01;
  const d3 = m22 * d2 - m11 * (h02 * h02);
  const abs3 = A2 * abs2 + A1 * (h02abs * h02abs);
  return m00 > U10 * A0 && d2 > U10 * abs2 && d3 > U10 * abs3;
};

export function ceilingApriori(d: ClaimDraws, steps: number): CeilingResult {
  return timeLanes(d, steps, aprioriTest);
}

// Outward steps of at least one ulp: |r| 2^-52 >= ulp(r), and 2^-1022 for results at or near zero (the
// smallest normal double, not 2^-1074: a subnormal operand costs x86 a microcode assist on every operation).
const E = 2 ** -52;
const TINY = 2 ** -1022;
const up = (r: number) => r + (Math.abs(r) * E + TINY);
const dn = (r: number) => r - (Math.abs(r) * E + TINY);
// Interval products: two products when both factors are nonnegative (m00, m11, m22 and D2 are, where
// the claim holds with room), the four-product form otherwise.
const mulLo = (al: number, ah: number, bl: number, bh: number) => (al >= 0 && bl >= 0 ? dn(al * bl) : dn(Math.min(al * bl, al * bh, ah * bl, ah * bh)));
const mulHi = (al: number, ah: number, bl: number, bh: number) => (al >= 0 && bl >= 0 ? up(ah * bh) : up(Math.max(al * bl, al * bh, ah * bl, ah * bh)));

/** The outward test: every operation on intervals [lo, hi], each end stepped outward. */
const outwardTest: Test = (x, l2, a, b1, b2) => {
  const l1 = 1;
  // Squares and l1 = 1, l2 > 0 products of point values: a point in, an interval out.
  const sb1 = b1 * b1, sb2 = b2 * b2, sa = a * a;
  const h00l = dn(dn(l1 * dn(sb1)) + dn(l2 * dn(sb2)));
  const h00h = up(up(l1 * up(sb1)) + up(l2 * up(sb2)));
  const h11l = dn(l1 * dn(sa)), h11h = up(l1 * up(sa));
  const h22l = dn(l2 * dn(sa)), h22h = up(l2 * up(sa));
  const ab1 = a * b1;
  const h01l = dn(2 * l1 * dn(ab1 < 0 ? up(ab1) : dn(ab1))), h01h = up(2 * l1 * (ab1 < 0 ? dn(ab1) : up(ab1)));
  const ab2 = a * b2;
  const q02l = dn(2 * dn(ab2) - 1), q02h = up(2 * up(ab2) - 1);
  const h02l = dn(l2 * q02l), h02h = up(l2 * q02h);
  const m00l = dn(x - h00h), m00h = up(x - h00l);
  const m11l = dn(x - h11h), m11h = up(x - h11l);
  const m22l = dn(x - h22h), m22h = up(x - h22l);
  // Squares of intervals: 0 when they straddle 0.
  const s01l = h01l > 0 || h01h < 0 ? dn(Math.min(h01l * h01l, h01h * h01h)) : 0, s01h = up(Math.max(h01l * h01l, h01h * h01h));
  const s02l = h02l > 0 || h02h < 0 ? dn(Math.min(h02l * h02l, h02h * h02h)) : 0, s02h = up(Math.max(h02l * h02l, h02h * h02h));
  const p1l = mulLo(m00l, m00h, m11l, m11h), p1h = mulHi(m00l, m00h, m11l, m11h);
  const d2l = dn(p1l - s01h), d2h = up(p1h - s01l);
  const q1l = mulLo(m22l, m22h, d2l, d2h);
  const q2h = mulHi(m11l, m11h, s02l, s02h);
  const d3l = dn(q1l - q2h);
  return m00l > 0 && d2l > 0 && d3l > 0;
};

export function ceilingOutward(d: ClaimDraws, steps: number): CeilingResult {
  return timeLanes(d, steps, outwardTest);
}

if (isMain(import.meta)) {
  const n = Number(process.argv[2] ?? 200);
  const steps = Number(process.argv[3] ?? 4000);
  const d = claimDraws(n);
  for (const [name, f] of [['a priori', ceilingApriori], ['outward', ceilingOutward]] as const) {
    f(d, 100); // warm-up
    const r = f(d, steps);
    console.log(`${name}: ${r.rate.toExponential(3)} checks/s (${r.checks} checks in ${r.ms.toFixed(0)} ms, ${r.undecided} undecided)`);
  }
}
