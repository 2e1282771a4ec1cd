/**
 * Certified enclosures of every GD orbit from a BOX of starts and hyperparameters, as CAPD does with
 * Lohner sets: theta_t for every start in the box and every hyperparameter in its range, t = 0..steps.
 *
 * The state is z = (theta, h): the hyperparameters that range are state coordinates with the
 * identity map, so the enclosure remembers that one orbit has one eta (an eta taken as a fresh
 * interval at every step would add its whole spread each time). With G~(theta, h) = (G(theta, h), h)
 * and J~ = [[I - eta H, dG/dh], [0, I]], the mean value theorem (per component, on the segment from
 * c to z, which lies in the set's interval hull X) gives
 *
 *   G~(z) in G~(c) + J~(X) (z - c).
 *
 * The set is kept as CAPD's doubleton z = c + C r0 + B r: r0 the start box around its centre (fixed),
 * C a point matrix carrying it (the product of the midpoints of the Jacobians), and B r, r a box,
 * holding everything else (rounding, the spread of J~ over X, the part of J~ C that is not C').
 * One step: c' = mid(G~(c)), C' = mid(J~ C), and
 *
 *   r' = Q^-1 (G~(c) - c' + (J~ C - C') r0) + (Q^-1 J~ B) r,   B' = Q,
 *
 * valid for any invertible Q. The start box is never wrapped (its image's hull is exact up to
 * second-order terms), and Lohner's choice of Q (the orthogonal factor of mid(J~ B), columns sorted
 * by length times the width of r_j) turns the error box with the flow instead of re-boxing it each
 * step (the wrapping effect). Q comes from float64 and is only nearly orthogonal; Q^-1 is enclosed
 * rigorously. Each step also keeps the axis-aligned mean-value form on the hull, G~(m) + J~(X)(X - m)
 * with m = mid(X), and reports the intersection of both with G~(X) (all contain the set): an
 * axis-aligned box keeps a coordinate that contracts on its own (beta1 -> 0) as sharp as it is.
 * form 'interval' uses that box form alone: the baseline with the wrapping effect in full.
 *
 * Every operation is outward-rounded dyadic interval arithmetic at opts.bits (numeric/dyadic.ts);
 * float64 only chooses Q, which soundness does not depend on. No clock: a run ends at the horizon,
 * when a hull gets too wide (opts.maxWidth), when the caller's visitor stops it, or when G or J
 * cannot be enclosed on the set.
 */
import type { MathNode } from 'mathjs';
import { ConstantNode, OperatorNode, SymbolNode } from '../symbolic/mathjs.js';
import type { DerivedModel } from '../symbolic/derive.js';
import { compileDyadic, NotCertifiable, type DyadicProgram } from '../symbolic/dyadic-eval.js';
import { polynomialDerivative } from '../symbolic/implicit.js';
import { cmpDyadic, Dyadic, dyadic, dyadicFromDouble, DyadicArith, DyadicInterval, mulRounded } from '../numeric/dyadic.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import type { Rational } from '../numeric/rational.js';
import { stepProgram, type Box } from './certified-orbit.js';

/** A box of starts and hyperparameters: closed rational ranges [lo, hi], lo <= hi (lo = hi fixes a value). */
export interface StartBox {
  params: Record<string, readonly [Rational, Rational]>;
  hypers: Record<string, readonly [Rational, Rational]>;
}

/** What a visitor says about the hull at step t: go on, or stop the run with this verdict. */
export type StepVerdict = 'continue' | 'finished' | 'refuted' | 'split';

export interface BoxOrbitOptions {
  /** Working precision of every interval operation, in bits (>= 8). */
  bits: number;
  /**
   * A run stops at the first step where a parameter's hull is wider than maxWidth * max(|x|, 1)
   * (|x| the hull's magnitude): relative to the value, absolute below magnitude 1, so a parameter
   * through 0 does not stop it. Default 1 (an enclosure that wide decides nothing).
   */
  maxWidth?: number;
  /** 'lohner' (default): the doubleton with the box form beside it; 'interval': the box form alone (the mean-value form on axis-aligned boxes), for comparison. */
  form?: 'lohner' | 'interval';
  /** Called at t = 0..steps with the hull of theta_t (model.params order) and of the hyperparameters; anything but 'continue' ends the run. */
  visit?: (t: number, hull: Box, hyper: Box, A: DyadicArith) => StepVerdict | void;
  /** Keep the hull of every step (default true); false keeps only the last. */
  keepHulls?: boolean;
}

export interface BoxOrbit {
  /**
   * horizon: every step through `steps` enclosed; too-wide: the hull at `steps` exceeded maxWidth;
   * stopped: the visitor returned `verdict` at `steps`; not-enclosed: G or J could not be enclosed
   * on the set after `steps` (a possibly undefined term, or the exponent range), see `detail`.
   */
  status: 'horizon' | 'too-wide' | 'stopped' | 'not-enclosed';
  verdict?: Exclude<StepVerdict, 'continue'>;
  /** The last step enclosed: hulls[t] is valid for t = 0..steps. */
  steps: number;
  /** hulls[t][i] contains theta_t[i] of every orbit from the box (t = 0..steps; only the last when keepHulls is false). */
  hulls: DyadicInterval[][];
  /** The hyperparameter enclosure (model.hypers order). */
  hyper: DyadicInterval[];
  /** The parameter whose hull stopped the run (status too-wide). */
  wideParam?: string;
  /**
   * How much each ranged coordinate of the start box (parameters and ranged hyperparameters, by
   * name) spreads the hull at `steps`: max over parameters i of |C_ij| width_j / max(|theta_i|, 1),
   * from the doubleton's linear part C (float64, for choosing a split only). Lohner form only.
   */
  influence?: Record<string, number>;
  detail?: string;
}

interface Programs {
  G: DyadicProgram;
  /** Row-major n x (n + k): dG_i/dtheta_j, then dG_i/dh for the k hyperparameters in `aug`. */
  J: DyadicProgram;
  /** The ranged hyperparameters that are state coordinates (those with a polynomial derivative). */
  aug: string[];
}

const PROGRAMS = new WeakMap<DerivedModel, Map<string, Programs>>();

const times = (a: MathNode, b: MathNode) => new OperatorNode('*', 'multiply', [a, b]) as MathNode;

/**
 * The Jacobian trees. Without a projection the parameter block is I - eta H with the Hessian trees
 * derive.ts cross-checks; the hyperparameter columns (and a projected model's whole Jacobian) come
 * from polynomialDerivative, which folds no constant (mathjs's derivative folds them in float64).
 * A ranged hyperparameter without a polynomial derivative stays an interval input instead.
 */
function programs(model: DerivedModel, ranged: readonly string[]): Programs {
  const key = ranged.join(',');
  let byKey = PROGRAMS.get(model);
  if (!byKey) PROGRAMS.set(model, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  const n = model.params.length;
  const aug = ranged.filter((h) => {
    try {
      model.step.forEach((g) => polynomialDerivative(g, h));
      return true;
    } catch {
      return false;
    }
  });
  const trees: MathNode[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (model.spec.projection) {
        try {
          trees.push(polynomialDerivative(model.step[i]!, model.params[j]!));
        } catch {
          throw new NotCertifiable(`the Jacobian of the projected step of ${model.params[i]}`);
        }
        continue;
      }
      const t = times(new SymbolNode('eta'), model.hessian[i]![j]!);
      trees.push(i === j ? (new OperatorNode('-', 'subtract', [new ConstantNode(1), t]) as MathNode) : (new OperatorNode('-', 'unaryMinus', [t]) as MathNode));
    }
    for (const h of aug) trees.push(polynomialDerivative(model.step[i]!, h));
  }
  const p: Programs = { G: stepProgram(model), J: compileDyadic(trees, [...model.params, ...model.hypers]), aug };
  byKey.set(key, p);
  return p;
}

/** The box as dyadic intervals: exact where an end is dyadic, else rounded outward. */
function enclose(range: readonly [Rational, Rational], A: DyadicArith, what: string): DyadicInterval {
  const [lo, hi] = range;
  if (lo.gt(hi)) throw new RangeError(`${what}: empty range [${lo}, ${hi}]`);
  return new DyadicInterval(A.fromRational(lo).lo, A.fromRational(hi).hi);
}

const ZERO = DyadicInterval.point(Dyadic.ZERO);
const ONE = DyadicInterval.point(dyadic(1n));

/** sum_j a[j] * b[j] in interval arithmetic. */
function dot(a: readonly DyadicInterval[], b: readonly DyadicInterval[], A: DyadicArith): DyadicInterval {
  let s = A.mul(a[0]!, b[0]!);
  for (let j = 1; j < a.length; j++) s = A.add(s, A.mul(a[j]!, b[j]!));
  return s;
}

/** P = X Y for N x N row-major interval matrices. */
function matmul(X: readonly DyadicInterval[], Y: readonly DyadicInterval[], N: number, A: DyadicArith): DyadicInterval[] {
  const P: DyadicInterval[] = new Array(N * N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      let s = A.mul(X[i * N]!, Y[j]!);
      for (let k = 1; k < N; k++) s = A.add(s, A.mul(X[i * N + k]!, Y[k * N + j]!));
      P[i * N + j] = s;
    }
  return P;
}

function matvec(X: readonly DyadicInterval[], v: readonly DyadicInterval[], N: number, A: DyadicArith): DyadicInterval[] {
  return Array.from({ length: N }, (_, i) => dot(X.slice(i * N, i * N + N), v, A));
}

/**
 * An orthogonal-ish Q (row-major, float64 entries) for Lohner's step: modified Gram-Schmidt, twice,
 * on the columns of mid(M) sorted by length times the width of their r_j, so the longest edge of the
 * set keeps its direction. A column that vanishes is replaced by a unit vector orthogonal to the
 * others. Only tightness depends on Q; undefined when float64 cannot represent the columns.
 */
function lohnerQ(M: readonly DyadicInterval[], R: readonly DyadicInterval[], N: number, bits: number): number[] | undefined {
  const cols = Array.from({ length: N }, (_, j) => Array.from({ length: N }, (_, i) => M[i * N + j]!.mid(bits).toNumber()));
  const w = R.map((r) => r.width().toNumber());
  const norm = (v: number[]) => Math.hypot(...v);
  if (cols.some((c) => c.some((x) => !Number.isFinite(x)))) return undefined;
  const order = cols.map((c, j) => ({ j, size: norm(c) * w[j]! })).sort((a, b) => b.size - a.size || a.j - b.j);
  const basis: number[][] = [];
  const orth = (v: number[]) => {
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        const d = q.reduce((s, x, i) => s + x * v[i]!, 0);
        for (let i = 0; i < N; i++) v[i] = v[i]! - d * q[i]!;
      }
    return v;
  };
  const candidates = [...order.map((o) => cols[o.j]!), ...Array.from({ length: N }, (_, k) => Array.from({ length: N }, (_, i) => (i === k ? 1 : 0)))];
  for (const c of candidates) {
    if (basis.length === N) break;
    const scale = norm(c);
    if (!(scale > 0)) continue;
    const v = orth(c.map((x) => x / scale));
    const l = norm(v);
    // A column (nearly) in the span of the earlier ones would give an ill-conditioned Q.
    if (!(l > 1e-3)) continue;
    basis.push(v.map((x) => x / l));
  }
  if (basis.length < N) return undefined;
  const Q = new Array<number>(N * N);
  basis.forEach((q, j) => q.forEach((x, i) => (Q[i * N + j] = x)));
  return Q;
}

/**
 * A rigorous enclosure of Q^-1 for a float matrix Q with Q^T Q near I: with X = Q^T and
 * E = I - X Q (enclosed), ||E||_inf <= e < 1 gives (XQ)^-1 = I + E + E^2 + ... whose tail has every
 * entry in [-d, d], d = e^2 / (1 - e); so Q^-1 = (XQ)^-1 X lies in (I + E + [-d, d]) X. Undefined
 * when e is not below 1/2 (Q too far from orthogonal: the caller keeps Q = I). Exported for its test
 * (an error of 1e-16 here is invisible in sampled orbits).
 */
export function inverseEnclosure(Qd: readonly DyadicInterval[], N: number, A: DyadicArith): DyadicInterval[] | undefined {
  const X = Array.from({ length: N * N }, (_, k) => Qd[(k % N) * N + Math.floor(k / N)]!);
  const XQ = matmul(X, Qd, N, A);
  const E = XQ.map((x, k) => A.sub(k % (N + 1) === 0 ? ONE : ZERO, x));
  let e = Dyadic.ZERO;
  for (let i = 0; i < N; i++) {
    let row = ZERO;
    for (let j = 0; j < N; j++) row = A.add(row, DyadicInterval.point(E[i * N + j]!.mag()));
    if (cmpDyadic(row.hi, e) > 0) e = row.hi;
  }
  const half = dyadic(1n, -1);
  if (cmpDyadic(e, half) >= 0) return undefined;
  const eI = DyadicInterval.point(e);
  const d = A.div(A.mul(eI, eI), A.sub(ONE, eI)).hi;
  const tail = new DyadicInterval(new Dyadic(-d.m, d.e, d.n), d);
  const S = E.map((x, k) => A.add(A.add(k % (N + 1) === 0 ? ONE : ZERO, x), tail));
  return matmul(S, X, N, A);
}

/** width > maxWidth * max(mag, 1), exactly on the (upward-rounded) width. */
function tooWide(x: DyadicInterval, maxWidth: Dyadic): boolean {
  if (x.isPoint()) return false;
  const m = x.mag();
  const scale = cmpDyadic(m, dyadic(1n)) > 0 ? m : dyadic(1n);
  return cmpDyadic(x.width(), mulRounded(maxWidth, scale, 64, false)) > 0;
}

/** Enclose theta_t for every start and hyperparameter in `box`, t = 0..steps (see the module comment). */
export function encloseBoxOrbit(model: DerivedModel, box: StartBox, steps: number, opts: BoxOrbitOptions): BoxOrbit {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a non-negative integer, got ${steps}`);
  const A = new DyadicArith(opts.bits);
  const maxWidth = dyadicFromDouble(opts.maxWidth ?? 1);
  if (maxWidth.sign() <= 0) throw new RangeError(`maxWidth must be > 0, got ${opts.maxWidth}`);
  const n = model.params.length;
  const theta0 = model.params.map((p) => {
    const r = box.params[p];
    if (!r) throw new RangeError(`the box has no range for parameter ${p}`);
    return enclose(r, A, p);
  });
  const hyper = model.hypers.map((h) => {
    const r = box.hypers[h];
    if (!r) throw new RangeError(`the box has no range for hyperparameter ${h}`);
    return enclose(r, A, h);
  });
  // A hyperparameter with a range is a state coordinate; a fixed one (even if 1/10 is enclosed by a
  // rounding interval) is an input, since its enclosure's width does not vary along one orbit.
  const ranged = model.hypers.filter((h) => box.hypers[h]![0].lt(box.hypers[h]![1]));
  const { G, J, aug } = programs(model, ranged);
  const augIndex = aug.map((h) => model.hypers.indexOf(h));
  const k = aug.length;
  const N = n + k;
  const lohner = (opts.form ?? 'lohner') === 'lohner';
  const keep = opts.keepHulls ?? true;

  // G's and J's inputs: the parameters and the augmented hyperparameters from the state z, the other hyperparameters as given.
  const inputs = (z: readonly DyadicInterval[]) => {
    const x = [...z.slice(0, n), ...hyper];
    augIndex.forEach((hi, a) => (x[n + hi] = z[n + a]!));
    return x;
  };

  // The hull X (an axis-aligned box of z) and, in the Lohner form, the doubleton c + C r0 + B r
  // (C, B = undefined: the identity). Both contain the set.
  let hull: DyadicInterval[] = [...theta0, ...augIndex.map((i) => hyper[i]!)];
  const centre = (x: readonly DyadicInterval[]) => x.map((v) => DyadicInterval.point(v.mid(opts.bits)));
  let c = centre(hull);
  const r0 = hull.map((x, i) => A.sub(x, c[i]!));
  let C: DyadicInterval[] | undefined;
  let B: DyadicInterval[] | undefined;
  let r: DyadicInterval[] = r0.map(() => ZERO);
  const hulls: DyadicInterval[][] = [];
  const names = [...model.params, ...aug];
  const influence = (): Record<string, number> | undefined => {
    if (!lohner) return undefined;
    const inf: Record<string, number> = {};
    names.forEach((name, j) => {
      const w = r0[j]!.width().toNumber();
      let v = 0;
      for (let i = 0; i < n; i++) {
        const cij = C ? C[i * N + j]!.lo.toNumber() : i === j ? 1 : 0;
        v = Math.max(v, (Math.abs(cij) * w) / Math.max(hull[i]!.mag().toNumber(), 1));
      }
      inf[name] = v;
    });
    return inf;
  };
  const out = (status: BoxOrbit['status'], t: number, extra: Partial<BoxOrbit> = {}): BoxOrbit => {
    const inf = status === 'horizon' ? undefined : influence();
    return { status, steps: t, hulls, hyper, ...extra, ...(inf ? { influence: inf } : {}) };
  };

  for (let t = 0; ; t++) {
    const th = hull.slice(0, n);
    if (keep || t === 0) hulls.push(th);
    else hulls[0] = th;
    const v = opts.visit?.(t, th, hyper, A);
    if (v && v !== 'continue') return out('stopped', t, { verdict: v });
    if (t > 0) {
      const wide = th.findIndex((x) => tooWide(x, maxWidth));
      if (wide >= 0) return out('too-wide', t, { wideParam: model.params[wide] });
    }
    if (t >= steps) return out('horizon', t);
    const m = centre(hull);
    let Gm: DyadicInterval[], Gc: DyadicInterval[] | undefined, Jx: DyadicInterval[], naive: DyadicInterval[];
    try {
      Jx = J.run(inputs(hull), A);
      naive = G.run(inputs(hull), A);
      Gm = [...G.run(inputs(m), A), ...m.slice(n)];
      if (lohner) Gc = [...G.run(inputs(c), A), ...c.slice(n)];
    } catch (e) {
      if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined || (e instanceof RangeError && /exponent/.test(e.message)))
        return out('not-enclosed', t, { detail: `step ${t + 1}: ${(e as Error).message}` });
      throw e;
    }
    const Jt: DyadicInterval[] = new Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) Jt[i * N + j] = i < n ? Jx[i * N + j]! : i === j ? ONE : ZERO;
    const d = hull.map((x, j) => A.sub(x, m[j]!));
    let next = Gm.map((g, i) => A.intersect(A.add(g, dot(Jt.slice(i * N, i * N + N), d, A)), i < n ? naive[i]! : hull[i]!));
    if (Gc) {
      const JC = C ? matmul(Jt, C, N, A) : Jt;
      const JB = B ? matmul(Jt, B, N, A) : Jt;
      const C2 = centre(JC);
      const c2 = centre(Gc);
      // Everything but C' r0, in the old frame's coordinates: G~(c) - c' + (J~ C - C') r0 + (J~ B) r.
      const err = Gc.map((g, i) =>
        A.add(A.sub(g, c2[i]!), dot(JC.slice(i * N, i * N + N).map((x, j) => A.sub(x, C2[i * N + j]!)), r0, A)),
      );
      const image = err.map((e, i) => A.add(A.add(c2[i]!, dot(C2.slice(i * N, i * N + N), r0, A)), A.add(e, dot(JB.slice(i * N, i * N + N), r, A))));
      next = next.map((x, i) => A.intersect(x, image[i]!));
      const Qd = lohnerQ(JB, r, N, opts.bits)?.map((x) => DyadicInterval.fromDouble(x));
      const Qinv = Qd && inverseEnclosure(Qd, N, A);
      if (Qinv) {
        r = addVec(matvec(Qinv, err, N, A), matvec(matmul(Qinv, JB, N, A), r, N, A), A);
        B = Qd;
      } else {
        // No usable frame this step: the error part becomes a box in the coordinates of z.
        r = addVec(err, matvec(JB, r, N, A), A);
        B = undefined;
      }
      C = C2;
      c = c2;
    }
    hull = next;
  }
}

function addVec(a: readonly DyadicInterval[], b: readonly DyadicInterval[], A: DyadicArith): DyadicInterval[] {
  return a.map((x, i) => A.add(x, b[i]!));
}
