/**
 * The region prover's rung for comparisons that read the sharpness S (and S_next) linearly, such as c5's
 * S_next >= S: an enclosure [lo, hi] of S per box loses the correlation of S_next and S (both move by about
 * |grad S| times the box's width, their difference by far less), so the difference is never decided. Here
 * S is enclosed by functions of theta instead of constants, with one vector v per box (the midpoint matrix's
 * top eigenvector, rounded), R(v; H) = v^T H v / v^T v the Rayleigh quotient:
 *
 *   lower model  S(theta) >= R(v; H(theta))                         (any v != 0);
 *   upper model  S(theta) <= R(v; H(theta)) + mu   on the box, where, with r~ = (v.v) H v - (v^T H v) v,
 *                mu >= |r~|^2 / ((v.v)^3 delta), and every unit u orthogonal to v has u^T H u <= R - delta,
 *                shown by (rho - delta) I - H(theta) + K v v^T / (v.v) positive definite on the box for a
 *                rho <= R(v; H(theta)) and any constant K (Sylvester, interval entries).
 *   (Proof of the upper model: for unit x = a v^ + b u, x^T H x <= a^2 R + 2 |a b| |r| + b^2 (R - delta)
 *   <= R + |r|^2 / delta, r = H v^ - R v^ the residual, |r|^2 = |r~|^2 / (v.v)^3.)
 *
 * mu shrinks with the square of the box's width (r~ vanishes where v is an eigenvector). The comparison's
 * m = rhs - lhs = rest(theta) + sum_s c_s s (constant c_s) is then bounded on the side the relation needs by
 * Q(theta, v) / (v.v) plus c_s mu for the symbols bounded from above, where Q = (v.v) rest + sum_s c_s v^T H_s v
 * is expanded over Q once (with v as symbols): in c5's S - S_next it is v^T (H - H_next) v, whose enclosure
 * is of the size of the step, not of S. The certificate carries Q and the per-box v, rho, delta, K and mu;
 * the checker re-derives each from the matrix entries.
 *
 * Where that bound fails, two refinements: Q monotone in some variables is bounded on a face of the box
 * (`faces`); and a premise without S is taken as a multiplier term (`multipliers`, an S-procedure): where
 * premise p holds its d_p = rhs - lhs has a known sign, so m <= m + c d_p for c of the matching sign, and
 * Q / v.v + c d_p, enclosed in one centered form, no longer changes sign across the premise's boundary
 * (c5's S_next - S is smallest at lambda1 alpha beta1^2 = 0.1 lambda2 beta2 (1 - alpha beta2) and turns negative
 * just outside it: without multipliers 0.0213% of its volume stayed undecided at 20000 boxes, with them it is
 * PROVED in 17609, measured).
 */
import type { MathNode } from '../symbolic/mathjs.js';
import { ConstantNode, OperatorNode, SymbolNode } from '../symbolic/mathjs.js';
import { Poly } from '../symbolic/rational-function.js';
import { compileDyadic, NotCertifiable, type DyadicProgram } from '../symbolic/dyadic-eval.js';
import { Rational } from '../numeric/rational.js';
import { Dyadic, DyadicArith, DyadicInterval, dyadic } from '../numeric/dyadic.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { symmetricEigen } from '../numeric/symmetric-eigen.js';
import { centeredEnclosure, differencePoly, polyTree, type BoxRuns, type CenteredProgram, type FormComparison } from './region-forms.js';
import { partials } from './region-derivative.js';
import { regionStep } from '../numeric/ladder.js';
import { leadingMinorsPositive } from '../numeric/eigen-enclosure.js';

export interface SharpForm {
  /** +1: the relation needs an upper bound of m = rhs - lhs (m <= 0 or < 0), -1: a lower bound. */
  dir: 1 | -1;
  strict: boolean;
  /** The sharpness symbols read, with their constant coefficients in m. */
  coef: [string, Rational][];
  /** m without its sharpness terms, over the free variables. */
  rest: Poly;
  /** The names of the vector's components as symbols of Q. */
  vNames: string[];
  /** Q(v, theta) = (v.v) rest + sum_s c_s v^T H_s v, expanded (variables: vNames, then the free ones). */
  q: { poly: Poly; tree: MathNode } & CenteredProgram;
  /** Per symbol whose upper model the bound needs: v^T H v and the residual r~ (trees over the entries). */
  upper: { s: string; rnum: CenteredProgram; res: CenteredProgram[] }[];
}

const add = (a: MathNode, b: MathNode) => new OperatorNode('+', 'add', [a, b]) as unknown as MathNode;
const subT = (a: MathNode, b: MathNode) => new OperatorNode('-', 'subtract', [a, b]) as unknown as MathNode;
const mul = (a: MathNode, b: MathNode) => new OperatorNode('*', 'multiply', [a, b]) as unknown as MathNode;
const sym = (s: string) => new SymbolNode(s) as unknown as MathNode;
const num = (k: number) => new ConstantNode(k) as unknown as MathNode;

/** Index of (i, j), i <= j, in the row-major upper triangle of an n x n matrix. */
export function upperIndex(n: number, i: number, j: number): number {
  if (i > j) [i, j] = [j, i];
  return i * n - (i * (i - 1)) / 2 + (j - i);
}

/** The vector's symbol names: rv1, rv2, ... (underscored until none is a name of the box). */
export function vectorNames(n: number, taken: readonly string[]): string[] {
  let base = 'rv';
  while (Array.from({ length: n }, (_, i) => `${base}${i + 1}`).some((x) => taken.includes(x))) base = `_${base}`;
  return Array.from({ length: n }, (_, i) => `${base}${i + 1}`);
}

/** v^T H v and (v.v) H v - (v^T H v) v as trees over the entries' trees and the vector's symbols. */
export function rayleighTrees(entries: readonly MathNode[], n: number, vNames: readonly string[]): { rnum: MathNode; res: MathNode[] } {
  const v = vNames.map(sym);
  const h = (i: number, j: number) => entries[upperIndex(n, i, j)]!;
  let rnum: MathNode | undefined;
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const t = mul(i === j ? mul(v[i]!, v[i]!) : mul(num(2), mul(v[i]!, v[j]!)), h(i, j));
      rnum = rnum ? add(rnum, t) : t;
    }
  let vv: MathNode | undefined;
  for (const x of v) vv = vv ? add(vv, mul(x, x)) : mul(x, x);
  const res = Array.from({ length: n }, (_, i) => {
    let hv: MathNode | undefined;
    for (let k = 0; k < n; k++) {
      const t = mul(h(i, k), v[k]!);
      hv = hv ? add(hv, t) : t;
    }
    return subT(mul(vv!, hv!), mul(rnum!, v[i]!));
  });
  return { rnum: rnum!, res };
}

/**
 * The form of a statement linear in the sharpness symbols with constant coefficients, the rest polynomial
 * (after the fixed variables' values are substituted), and the entries polynomial; undefined otherwise.
 */
export function sharpForm(c: FormComparison, names: readonly string[], fixed: ReadonlyMap<string, Rational>, free: readonly string[], sharpTrees: Readonly<Record<string, readonly MathNode[]>>, n: number): SharpForm | undefined {
  if (c.rel === '==') return undefined;
  const syms = Object.keys(sharpTrees);
  const m = differencePoly(c, [...names, ...syms], fixed, [...free, ...syms]);
  if (!m) return undefined;
  const coef = new Map<string, Rational>();
  const rest = new Poly(free);
  for (const [k, v] of m.terms) {
    const e = k.split(',').map(Number);
    const se = e.slice(free.length);
    const order = se.reduce((a, b) => a + b, 0);
    if (order === 0) rest.terms.set(e.slice(0, free.length).join(','), v);
    else if (order === 1 && e.slice(0, free.length).every((x) => x === 0)) coef.set(syms[se.indexOf(1)]!, v);
    else return undefined;
  }
  if (coef.size === 0) return undefined;
  const vNames = vectorNames(n, [...names, ...syms]);
  const allv = [...vNames, ...free];
  const lift = (p: Poly): Poly => {
    const out = new Poly(allv);
    for (const [k, v] of p.terms) out.terms.set([...vNames.map(() => '0'), k].join(','), v);
    return out;
  };
  const V = vNames.map((x) => Poly.variable(allv, x));
  let vv = new Poly(allv);
  for (const x of V) vv = vv.add(x.mul(x));
  let Q = vv.mul(lift(rest));
  for (const [s, cs] of coef) {
    const entries = sharpTrees[s]!;
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        const h = differencePoly({ rel: '<=', lhs: num(0), rhs: entries[upperIndex(n, i, j)]! }, names, fixed, free);
        if (!h) return undefined;
        const w = Poly.constant(allv, cs.mul(Rational.fromInt(i === j ? 1 : 2)));
        Q = Q.add(w.mul(V[i]!).mul(V[j]!).mul(lift(h)));
      }
  }
  const symbols = [...names, ...vNames];
  const freeNames = free;
  const dir: 1 | -1 = c.rel === '<' || c.rel === '<=' ? -1 : 1;
  try {
    const qTree = polyTree(Q);
    const q = {
      poly: Q,
      tree: qTree,
      value: compileDyadic([qTree], symbols),
      grad: compileDyadic(
        partials(qTree, free).map((x) => x ?? num(0)),
        symbols,
      ),
    };
    const prog = (t: MathNode): CenteredProgram => ({ value: compileDyadic([t], symbols), grad: compileDyadic(partials(t, freeNames).map((x) => x ?? num(0)), symbols) });
    const upper = [...coef]
      .filter(([, cs]) => cs.sign() === dir)
      .map(([s]) => {
        const t = rayleighTrees(sharpTrees[s]!, n, vNames);
        return { s, rnum: prog(t.rnum), res: t.res.map(prog) };
      });
    return { dir, strict: c.rel === '<' || c.rel === '>', coef: [...coef], rest, vNames, q, upper };
  } catch (e) {
    if (e instanceof NotCertifiable) return undefined;
    throw e;
  }
}

/** What a leaf records of the models: the vector, and per symbol bounded from above its rho, delta, K and mu. */
export type UpperModel = { rho: Dyadic; delta: Dyadic; K: Dyadic; mu: Dyadic } | null;
export interface RayleighModel {
  v: Dyadic[];
  upper: Map<string, UpperModel>;
  /** Per free variable, what splitting it would gain (|derivative| x width of Q / v.v and of mu): steers the split. */
  steer: number[];
  /**
   * Per statement (by the caller's key) that needed it, the face Q was bounded on: free variables set, in this
   * order, to the end of their range where Q is largest (or smallest, for a lower bound), each because dQ/dx_j had
   * one sign on the box with the earlier ones already set.
   */
  faces: Map<number, [number, 'lo' | 'hi'][]>;
  /** Per statement (by the caller's key) bounded with a premise's multiplier: the premise and the multiplier c. */
  multipliers: Map<number, { premise: number; c: Dyadic }>;
}

/**
 * A premise offered to the bound as a multiplier term (an S-procedure): where premise k holds, its d = rhs - lhs
 * has a known sign, so c d has the sign that makes m <= m + c d (upper bound) or m >= m + c d (lower bound) for
 * c of sign `cSign` (0: d = 0 there, any c). The statement is then shown wherever the premise holds.
 */
export interface PremiseTerm {
  index: number;
  cSign: 1 | -1 | 0;
  /** d, and its gradient over the free variables, over the box's variables (not the vector's). */
  value: DyadicProgram;
  grad: DyadicProgram;
}

/** The box a form is evaluated on: its symbols' enclosures, the centre, and the matrices' entry enclosures (upper triangles). */
export interface RayleighSite {
  X: readonly DyadicInterval[];
  C: readonly DyadicInterval[];
  freeIdx: readonly number[];
  entries: (s: string) => DyadicInterval[] | null;
  /** Enclosures of the exact ends of variable i's range on the box. */
  ends: (i: number) => [DyadicInterval, DyadicInterval];
  /** The box's model, made on first use and shared by the statements of the box. */
  model?: RayleighModel | null;
}

/** The shares of the midpoint matrix's eigenvalue gap tried as delta, largest first. */
const DELTA_SHARES = [0.9, 0.5, 0.25, 0.125];

/** Significant bits of the numbers a leaf records, and of the vector's entries: the region prover's ladder row, read per use. */
const certBits = () => regionStep().certificateBits;
const vectorBits = () => regionStep().vectorBits;

function round(x: Dyadic, bits: number, up: boolean): Dyadic {
  const r = new DyadicArith(Math.max(8, bits)).round(new DyadicInterval(x, x));
  return up ? r.hi : r.lo;
}

function fromDouble(x: number, bits: number, up: boolean): Dyadic {
  if (x === 0) return Dyadic.ZERO;
  const e = Math.floor(Math.log2(Math.abs(x))) - bits;
  const m = (up ? Math.ceil : Math.floor)(x / 2 ** e);
  return dyadic(BigInt(m), e);
}

/** Adds to `steer` |d/dx_j| times the width of x_j, scaled by `weight` (what splitting x_j would take off the enclosure, to first order). */
function addSteer(steer: number[], g: readonly DyadicInterval[] | null, X: readonly DyadicInterval[], freeIdx: readonly number[], weight: number): void {
  if (g) freeIdx.forEach((i, k) => (steer[k]! += weight * g[k]!.mag().toNumber() * X[i]!.width().toNumber()));
}

/** centeredEnclosure's enclosure; `steer`, when given, gets the gradient's terms (addSteer). */
function enclose(p: CenteredProgram, inputs: readonly DyadicInterval[], centre: readonly DyadicInterval[], X: readonly DyadicInterval[], freeIdx: readonly number[], A: DyadicArith, steer?: number[], weight = 1, runs?: BoxRuns): DyadicInterval | null {
  const e = centeredEnclosure(p, inputs, centre, X, freeIdx, A, runs);
  if (!e) return null;
  if (steer) addSteer(steer, e.g, X, freeIdx, weight);
  return e.v;
}

/** The box's vector: the top eigenvector of the midpoint of the first symbol's matrix, scaled to max |v_i| = 1, rounded to 2^-24. */
function makeModel(form: SharpForm, site: RayleighSite, n: number): RayleighModel | null {
  const s = form.coef.find(([x]) => x === 'S')?.[0] ?? form.coef[0]![0];
  const H = site.entries(s);
  if (!H) return null;
  const M = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => H[upperIndex(n, i, j)]!.mid(64).toNumber()));
  if (!M.every((r) => r.every(Number.isFinite))) return null;
  // Values sorted descending, vectors[0] the top one.
  const vec = symmetricEigen(M).vectors[0]!;
  const big = Math.max(...vec.map(Math.abs));
  if (!(big > 0)) return null;
  const v = vec.map((x) => dyadic(BigInt(Math.round((x / big) * 2 ** vectorBits())), -vectorBits()));
  return { v, upper: new Map(), steer: site.freeIdx.map(() => 0), faces: new Map(), multipliers: new Map() };
}

/** The float eigenvalues of the midpoint matrix, descending. */
function eigenvaluesOf(H: readonly DyadicInterval[], n: number): number[] {
  const mid = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => H[upperIndex(n, i, j)]!.mid(64).toNumber()));
  return [...symmetricEigen(mid).values].sort((a, b) => b - a);
}
function gapOf(H: readonly DyadicInterval[], n: number): number {
  const v = eigenvaluesOf(H, n);
  return v.length > 1 ? v[0]! - v[1]! : 0;
}

/** The upper model of symbol s on the box (rho, delta, K, mu), or null when it cannot be shown. */
function upperModel(u: SharpForm['upper'][number], model: RayleighModel, site: RayleighSite, n: number, A: DyadicArith, inputs: DyadicInterval[], centre: DyadicInterval[], vv: DyadicInterval): UpperModel {
  const H = site.entries(u.s);
  if (!H) return null;
  const rn = enclose(u.rnum, inputs, centre, site.X, site.freeIdx, A);
  if (!rn) return null;
  const rho = round(A.div(rn, vv).lo, certBits(), false);
  const values = eigenvaluesOf(H, n);
  if (n < 2 || !values.every(Number.isFinite)) return null;
  const gap = values[0]! - values[1]!;
  if (!(gap > 0)) return null;
  const K = fromDouble(4 * Math.max(...values.map(Math.abs)) + 1, 8, true);
  const Kv = model.v.map((vi) => model.v.map((vj) => A.div(A.mul(A.mul(DyadicInterval.point(K), DyadicInterval.point(vi)), DyadicInterval.point(vj)), vv)));
  const enc = u.res.map((r) => centeredEnclosure(r, inputs, centre, site.X, site.freeIdx, A));
  if (enc.some((x) => x === null)) return null;
  const mags = enc.map((x) => x!.v);
  // mu grows as |r~|^2: splitting x_j takes off about 2 |r~_i| |d r~_i / dx_j| w_j of it.
  const gap3 = vv.lo.toNumber() ** 3 * Math.max(gapOf(H, n), 1e-300) * 0.5;
  enc.forEach((x, i) => addSteer(model.steer, x!.g, site.X, site.freeIdx, (2 * mags[i]!.mag().toNumber()) / gap3));
  let r2 = DyadicInterval.point(Dyadic.ZERO);
  for (const x of mags) r2 = A.add(r2, A.powi(DyadicInterval.point(x!.mag()), 2));
  const vv3 = A.powi(vv, 3);
  // mu is inversely proportional to delta: the largest delta that the positive-definite test accepts is tried
  // first (on a small box rho is close to the top eigenvalue and delta may approach the gap).
  for (const share of DELTA_SHARES) {
    const delta = fromDouble(gap * share, 24, false);
    if (delta.sign() <= 0) return null;
    const shift = A.sub(DyadicInterval.point(rho), DyadicInterval.point(delta));
    const Mx: DyadicInterval[] = new Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const h = A.neg(H[upperIndex(n, i, j)]!);
        Mx[i * n + j] = A.add(i === j ? A.add(shift, h) : h, Kv[i]![j]!);
      }
    if (!leadingMinorsPositive(A, Mx, n)) continue;
    const mu = round(A.div(r2, A.mul(vv3, DyadicInterval.point(delta))).hi, certBits(), true);
    return { rho, delta, K, mu };
  }
  return null;
}

export interface SharpFormEval {
  holds: boolean;
  /** The bound of m on the side the relation needs ([bound, bound]), for reports; null when a model failed. */
  bound: DyadicInterval | null;
}

/**
 * The bound of Q on the side `dir` asks for, on the face where Q is monotone: free variables whose partial
 * derivative has one sign on the (shrinking) box are set to the end that maximizes (dir > 0) or minimizes Q.
 */
function monotoneBound(form: SharpForm, site: RayleighSite, vI: readonly DyadicInterval[], A: DyadicArith, runs: BoxRuns): { q: DyadicInterval; face: [number, 'lo' | 'hi'][] } | null {
  const X = [...site.X];
  const C = [...site.C];
  const face: [number, 'lo' | 'hi'][] = [];
  const open = new Set(site.freeIdx);
  try {
    for (let round = 0; round < site.freeIdx.length; round++) {
      // The first round is at the box itself: the gradient the centered form already took.
      const g = round === 0 && runs.grad ? runs.grad : form.q.grad.run([...X, ...vI], A);
      let fixed = false;
      site.freeIdx.forEach((i, k) => {
        if (!open.has(i)) return;
        const sg = g[k]!.lo.sign() >= 0 ? 1 : g[k]!.hi.sign() <= 0 ? -1 : 0;
        if (sg === 0) return;
        const end = sg * form.dir > 0 ? 'hi' : 'lo';
        const e = site.ends(i)[end === 'hi' ? 1 : 0];
        X[i] = e;
        C[i] = e;
        open.delete(i);
        face.push([i, end]);
        fixed = true;
      });
      if (!fixed) break;
    }
  } catch (e) {
    if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) return null;
    throw e;
  }
  if (face.length === 0) return null;
  // The gradient program returns one entry per free variable, in site.freeIdx's order: the centered form runs
  // over all of them (a variable set to an end has zero width there, so its term vanishes), never over a
  // subset, whose positions would pair a variable's width with another's derivative.
  const q = enclose(form.q, [...X, ...vI], [...C, ...vI], X, site.freeIdx, A);
  return q ? { q, face } : null;
}

/** Decide a sharp form on a box (never refutes: the bounds are one-sided); `key` names the statement for the leaf's faces. */
export function evalSharpForm(form: SharpForm, site: RayleighSite, n: number, A: DyadicArith, key = 0, premiseTerms: readonly PremiseTerm[] = []): SharpFormEval {
  if (site.model === undefined) site.model = makeModel(form, site, n);
  const model = site.model;
  if (!model) return { holds: false, bound: null };
  const vI = model.v.map((x) => DyadicInterval.point(x));
  const inputs = [...site.X, ...vI];
  const centre = [...site.C, ...vI];
  let vv = DyadicInterval.point(Dyadic.ZERO);
  for (const x of vI) vv = A.add(vv, A.mul(x, x));
  const runs: BoxRuns = {};
  const q = enclose(form.q, inputs, centre, site.X, site.freeIdx, A, model.steer, 1 / vv.lo.toNumber(), runs);
  if (!q) return { holds: false, bound: null };
  let mus = DyadicInterval.point(Dyadic.ZERO);
  for (const u of form.upper) {
    if (!model.upper.has(u.s)) model.upper.set(u.s, upperModel(u, model, site, n, A, inputs, centre, vv));
    const um = model.upper.get(u.s);
    if (!um) return { holds: false, bound: null };
    const cs = form.coef.find(([x]) => x === u.s)![1];
    mus = A.add(mus, A.mul(A.fromRational(cs), DyadicInterval.point(um.mu)));
  }
  const b = A.add(A.div(q, vv), mus);
  const decide = (b: DyadicInterval) => {
    const end = form.dir > 0 ? b.hi : b.lo;
    const s = end.sign() * form.dir;
    return { holds: form.strict ? s < 0 : s <= 0, bound: new DyadicInterval(end, end) };
  };
  const r = decide(b);
  model.faces.delete(key);
  model.multipliers.delete(key);
  if (r.holds) return r;
  // Q monotone in some variables: its bound is on a face of the box, where the enclosure is tighter.
  const m = monotoneBound(form, site, vI, A, runs);
  if (m) {
    const r2 = decide(A.add(A.div(m.q, vv), mus));
    if (r2.holds) {
      model.faces.set(key, m.face);
      return r2;
    }
  }
  for (const t of premiseTerms) {
    const c = multiplierBound(form, t, site, vI, vv, A, runs);
    if (!c) continue;
    const r3 = decide(A.add(c.bound, mus));
    if (r3.holds) {
      model.multipliers.set(key, { premise: t.index, c: c.c });
      return r3;
    }
  }
  return r;
}

/**
 * The centered form of Q / (v.v) + c d over the box, d a premise's rhs - lhs, with c chosen so that the
 * combined first-order variation is smallest: c = -sum_j w_j^2 q_j d_j / sum_j w_j^2 d_j^2 from the midpoints
 * of the two gradients (q_j of Q / (v.v)), w_j the widths, rounded to a short dyadic; null where c has the
 * wrong sign or a term fails. On a box that straddles the premise's boundary the statement's margin may change
 * sign across it while m + c d, whose variation the premise's own absorbs, does not.
 */
function multiplierBound(form: SharpForm, t: PremiseTerm, site: RayleighSite, vI: readonly DyadicInterval[], vv: DyadicInterval, A: DyadicArith, runs: BoxRuns): { c: Dyadic; bound: DyadicInterval } | null {
  try {
    const inputs = [...site.X, ...vI];
    const centre = [...site.C, ...vI];
    const gq = runs.grad ?? form.q.grad.run(inputs, A);
    const gd = t.grad.run(site.X, A);
    const vvn = vv.mid(64).toNumber();
    let num = 0;
    let den = 0;
    site.freeIdx.forEach((i, k) => {
      const w = site.X[i]!.width().toNumber();
      const qk = gq[k]!.mid(64).toNumber() / vvn;
      const dk = gd[k]!.mid(64).toNumber();
      num += w * w * qk * dk;
      den += w * w * dk * dk;
    });
    if (!(den > 0) || !Number.isFinite(num)) return null;
    const cf = -num / den;
    if (!Number.isFinite(cf) || cf === 0 || (t.cSign !== 0 && Math.sign(cf) !== t.cSign)) return null;
    const c = fromDouble(cf, 24, false);
    const cI = DyadicInterval.point(c);
    const qc = runs.centre ?? form.q.value.run(centre, A)[0]!;
    const dc = t.value.run(site.C, A)[0]!;
    let b = A.add(A.div(qc, vv), A.mul(cI, dc));
    site.freeIdx.forEach((i, k) => (b = A.add(b, A.mul(A.add(A.div(gq[k]!, vv), A.mul(cI, gd[k]!)), A.sub(site.X[i]!, site.C[i]!)))));
    return { c, bound: b };
  } catch (e) {
    if (e instanceof CertainlyUndefined || e instanceof MaybeUndefined) return null;
    throw e;
  }
}
