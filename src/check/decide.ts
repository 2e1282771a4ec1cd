import type { MathNode } from 'mathjs';
import type { DerivedModel } from '../symbolic/derive.js';
import { isSharpness, type CompiledComparison } from '../lemma/compile.js';
import type { IteratePoint } from '../dynamics/gd.js';
import { Rational } from '../numeric/rational.js';
import { ExactGD } from '../dynamics/exact-step.js';
import { Interval, icompare, roundToGrid, UndecidableError } from '../numeric/interval.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { FI_OK, FI_UNDEFINED } from '../numeric/outward.js';
import { DDOps, GiveUp } from '../numeric/double-double.js';
import { certifyTopEigenvalue } from '../numeric/certified-eigen.js';
import { decideSharpness, relationHolds } from '../numeric/sylvester.js';
import { evalInterval, exactBackend } from '../symbolic/interval-eval.js';
import { fold, type Backend } from '../symbolic/algebra.js';
import { evalExtInterval, type ExtInterval } from '../symbolic/ext-interval-eval.js';
import { ext, cmp as extCmp, toNumber as extToNumber } from '../numeric/extfloat.js';
import { interpolate, isolateUniqueRoot, polyEval, simplestRational } from '../numeric/real-roots.js';

/**
 * Deciding one comparison at one iterate. Three-valued: a comparison holds, fails, or is
 * undefined there (a term leaves its domain: README, "Partial terms"). Two deciders, one semantics:
 *
 * 1. The float filter: both sides in outward-rounded double intervals (symbolic/interval-kernel.ts)
 *    over enclosures of the iterate. It decides only when the enclosures separate (or a partial term
 *    is undefined on the whole enclosure). There is no tolerance anywhere.
 * 2. Exact: both sides at the iterate's exact value in rational arithmetic, with certified
 *    enclosures for square roots, exp/log and the sharpness S, refined up to 2560 bits; a
 *    comparison affine in S with rational coefficients is decided by Sylvester's criterion on
 *    rI - H. What neither can separate is undecided: never a pass.
 */
export type Truth = true | false | 'undefined';

export type Decision =
  | { holds: Truth; slack: number; how: 'float' | 'exact' }
  | { holds: undefined; slack: number; how: 'undecided'; why: string };

/** The exact values an iterate provides: its parameters as rationals, the Hessian, and (lazily) a certified S. */
export class ExactIterate {
  private theta?: Rational[];
  private S?: Interval;
  private H?: Rational[][];
  private bits = 0;
  /**
   * `step` supplies the approximate top eigenvector; `exact`, when given, supplies the exact point
   * (one exact GD step from the previous iterate) instead of the step's own computed values.
   */
  constructor(
    readonly model: DerivedModel,
    readonly step: IteratePoint,
    private readonly hyperExact: ReadonlyMap<string, Interval>,
    private readonly exact?: () => Rational[],
  ) {}

  private readonly roots = new Map<string, { bits: number; value: Interval }>();

  /**
   * The implicit quantity `name` at the exact iterate, enclosed to about `bits` bits: p's rational
   * coefficients by interpolation at degree + 1 integer points, uniqueness in (lo, hi) by Sturm's
   * theorem, the root by bisection on exact signs. No root or several: the term is undefined there
   * (CertainlyUndefined); a root at an end, or inexact coefficients (a square root in p): undecidable.
   */
  root(name: string, bits: number): Interval {
    const hit = this.roots.get(name);
    if (hit && hit.bits >= bits) return hit.value;
    const q = this.model.implicit.get(name)!;
    const env = new Map<string, Interval>(this.hyperExact);
    const th = this.params();
    this.model.params.forEach((p, i) => env.set(p, Interval.point(th[i]!)));
    const point = (node: MathNode, what: string): Rational => {
      const v = evalInterval(node, env, 160);
      if (!v.isPoint()) throw new UndecidableError(`${name}: ${what} is not rational at the iterate, so its root cannot be isolated exactly`);
      return v.lo;
    };
    const xs = Array.from({ length: q.degree + 1 }, (_, k) => Rational.fromInt(k));
    const ys = xs.map((x) => {
      env.set(name, Interval.point(x));
      return point(q.poly, 'the polynomial');
    });
    env.delete(name);
    const lo = point(q.lo, 'the interval end');
    const hi = point(q.hi, 'the interval end');
    // The float64 root at the computed iterate starts the exact Newton refinement (a hint: the enclosure is certified by exact signs).
    const hint = this.model.kernels.quantities.get(name)!(this.step.theta, this.model.hypers.map((h) => this.hyperExact.get(h)!.lo.toNumber()));
    const r = isolateUniqueRoot(interpolate(xs, ys), lo, hi, bits, hint);
    if (r.kind === 'root' && r.lo.gt(r.hi)) throw new Error('isolateUniqueRoot: empty enclosure');
    if (r.kind === 'none') throw new CertainlyUndefined(`${name}: no root in (${lo.toNumber()}, ${hi.toNumber()})`);
    if (r.kind === 'many') throw new CertainlyUndefined(`${name}: ${r.count} roots in (${lo.toNumber()}, ${hi.toNumber()})`);
    if (r.kind === 'endpoint') throw new UndecidableError(`${name}: a root at an end of its interval`);
    // A root that is exactly rational (a balanced network's c = 1 - w^2) is a point: equalities with it can be decided.
    const coeffs = interpolate(xs, ys);
    const exact = r.lo.eq(r.hi) ? r.lo : bits <= 800 ? simplestRational(r.lo, r.hi) : undefined;
    const value = exact !== undefined && polyEval(coeffs, exact).isZero() ? Interval.point(exact) : new Interval(r.lo, r.hi);
    this.roots.set(name, { bits, value });
    return value;
  }

  /** The exact point is the computed step's own value (no exact override). */
  get isComputedStep(): boolean {
    return this.exact === undefined;
  }

  params(): Rational[] {
    if (!this.theta) this.theta = this.exact ? this.exact() : ExactGD.iterate(this.step);
    return this.theta;
  }

  /** The exact Hessian at the exact iterate (entries can carry thousands of bits). */
  hessian(): Rational[][] {
    if (!this.H) {
      const env = new Map<string, Interval>(this.hyperExact);
      const th = this.params();
      this.model.params.forEach((p, i) => env.set(p, Interval.point(th[i]!)));
      this.H = this.model.hessian.map((row) => row.map((h) => evalInterval(h, env).lo));
    }
    return this.H;
  }

  /**
   * Certified enclosure of the top Hessian eigenvalue at the exact iterate. The exact parameters can
   * carry thousands of bits (a parameter ~ 2^-10000), so the Hessian is first enclosed entrywise from
   * parameters rounded outward to 2^-k (interval arithmetic), the eigenvalue of the short dyadic
   * lower-endpoint matrix H' is certified, and Weyl's inequality |lambda(H) - lambda(H')| <= n max|H - H'|
   * widens it to an enclosure for every matrix in the entrywise enclosure, the exact Hessian included.
   */
  sharpness(bits = 170): Interval {
    if (!this.S || this.bits < bits) {
      this.bits = bits;
      const th = this.params();
      const scale = Math.max(1, ...th.map((x) => Math.abs(x.toNumber())));
      const k = bits - Math.ceil(Math.log2(scale));
      const env = new Map<string, Interval>(this.hyperExact);
      this.model.params.forEach((p, i) => env.set(p, new Interval(roundToGrid(th[i]!, k, 'down'), roundToGrid(th[i]!, k, 'up'))));
      const n = this.model.params.length;
      const enc = this.model.hessian.map((row) => row.map((h) => evalInterval(h, env)));
      const Hp = enc.map((row, i) => row.map((x, j) => (j >= i ? x.lo : enc[j]![i]!.lo)));
      let e = Rational.fromInt(0);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const x = enc[i]![j]!;
          const d = x.hi.sub(Hp[i]![j]!).abs();
          const d2 = x.lo.sub(Hp[i]![j]!).abs();
          const m = d.gt(d2) ? d : d2;
          if (m.gt(e)) e = m;
        }
      const ne = e.mul(Rational.fromInt(n));
      const c = certifyTopEigenvalue(Hp, this.step.topVector, bits);
      this.S = new Interval(c.lo.sub(ne), c.hi.add(ne));
    }
    return this.S;
  }
}

export type Rel = CompiledComparison['rel'];

/** The margin by which a comparison holds (negative: fails), from two values. */
export function floatSlack(rel: Rel, l: number, r: number): number {
  if (rel === '<' || rel === '<=') return r - l;
  if (rel === '>' || rel === '>=') return l - r;
  return -Math.abs(l - r);
}

/**
 * The slack reported with an exact decision: a nonzero margin that rounds to 0 in doubles (a parameter ~
 * 1e-3000) is reported as the smallest double, so a worst slack of 0 always means equality.
 */
function exactSlack(slack: number, apart: boolean, holds: boolean): number {
  return consistent(slack === 0 && apart ? (holds ? Number.MIN_VALUE : -Number.MIN_VALUE) : slack, holds);
}

/** The slack agrees in sign with the decision (a midpoint inside overlapping enclosures may not). */
function consistent(slack: number, holds: Truth): number {
  if (holds === true) return slack < 0 ? 0 : slack;
  if (holds === false) return slack > 0 ? -0 : slack;
  return NaN;
}

/**
 * Decide from two enclosures [O0, O1] (lhs) and [O2, O3] (rhs): true, false, or undefined when
 * they do not separate. NaN bounds never decide.
 */
export function separate(rel: Rel, ll: number, lh: number, rl: number, rh: number): boolean | undefined {
  switch (rel) {
    case '<':
      return lh < rl ? true : ll >= rh ? false : undefined;
    case '<=':
      return lh <= rl ? true : ll > rh ? false : undefined;
    case '>':
      return ll > rh ? true : lh <= rl ? false : undefined;
    case '>=':
      return ll >= rh ? true : lh < rl ? false : undefined;
    case '==':
      return ll === lh && rl === rh && ll === rl ? true : lh < rl || ll > rh ? false : undefined;
  }
}

const OUT = new Float64Array(6);
const DD = new DDOps();

/**
 * The float filter alone: double intervals, then double-double with an error bound; a decision, or
 * undefined when the exact decider must take over.
 */
export function decideFloat(c: CompiledComparison, E: Float64Array, D?: Float64Array, refine?: () => void): Decision | undefined {
  const st = c.kernel!(E, OUT);
  if (st === FI_UNDEFINED) return { holds: 'undefined', slack: NaN, how: 'float' };
  if (st === FI_OK) {
    const h = separate(c.rel, OUT[0]!, OUT[1]!, OUT[2]!, OUT[3]!);
    if (h !== undefined) {
      const slack = floatSlack(c.rel, (OUT[0]! + OUT[1]!) / 2, (OUT[2]! + OUT[3]!) / 2);
      return { holds: h, slack: consistent(slack, h), how: 'float' };
    }
  }
  if (!c.ddKernel || !D) return undefined;
  // S and S_next get their double-double enclosures only now, where the double ones did not separate.
  if (refine && c.usesS) refine();
  try {
    c.ddKernel(D, OUT);
    DD.sub(OUT[0]!, OUT[1]!, OUT[2]!, OUT[3]!, OUT[4]!, OUT[5]!);
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
  // lhs - rhs = DD.hi + DD.lo within DD.err: its sign is certain when the value clears the error.
  const mag = Math.abs(DD.hi) - Math.abs(DD.lo);
  if (!(mag - mag * 2 ** -50 > DD.err) || DD.hi === 0) return undefined;
  const sign = DD.hi > 0 ? 1 : -1;
  const holds = relationHolds(sign, c.rel);
  const diff = DD.hi;
  const slack = c.rel === '<' || c.rel === '<=' ? -diff : c.rel === '==' ? -Math.abs(diff) : diff;
  return { holds, slack: consistent(slack, holds), how: 'float' };
}

export interface ExactContext {
  /** Iterates by suffix: '' (current), '_0', '_next'. */
  iterates: Partial<Record<'' | '_0' | '_next', ExactIterate>>;
  /** Hypers, t, T_event as exact points. */
  scalars: Map<string, Interval>;
}

const SUFFIX_OF = (u: string): '' | '_0' | '_next' => (u.endsWith('_next') ? '_next' : u.endsWith('_0') ? '_0' : '');

function exactEnv(model: DerivedModel, uses: ReadonlySet<string>, ctx: ExactContext, bits: number): Map<string, Interval> {
  const env = new Map(ctx.scalars);
  for (const suf of ['', '_0', '_next'] as const) {
    const it = ctx.iterates[suf];
    if (!it) continue;
    if (model.params.some((p) => uses.has(p + suf))) model.params.forEach((p, i) => env.set(p + suf, Interval.point(it.params()[i]!)));
    if (uses.has(`S${suf}`)) env.set(`S${suf}`, it.sharpness(bits));
    for (const k of model.implicit.keys()) if (uses.has(k + suf)) env.set(k + suf, it.root(k, bits));
  }
  for (const u of uses) if (!env.has(u)) throw new UndecidableError(`no exact value for ${u} (gradient-flow limits are float-only)`);
  return env;
}

/**
 * Decide a comparison exactly (certified), or say it cannot. Enclosures (square roots, eigenvalues)
 * start at about 160 bits and are refined up to 2560 bits while they straddle.
 */
/** Precisions of the exact decider: multiple-precision intervals rounded to these bits, then exact rationals with enclosures of these bits. */
const ROUNDED_BITS = [192, 768] as const;
const ENCLOSURE_BITS = [160, 640, 2560] as const;

export function decideExact(model: DerivedModel, c: CompiledComparison, ctx: ExactContext): Decision {
  const x = decideByExtIntervals(c, ctx);
  if (x) return x;
  // Multiple-precision intervals first (cheap with 10^4-bit parameters), then exact rationals.
  for (const round of ROUNDED_BITS) {
    const d = decideExactAt(model, c, ctx, round, round);
    if (d.how !== 'undecided') return d;
    if (d.why.startsWith('no exact value')) return d;
  }
  const sharp = decideBySylvester(model, c, ctx);
  if (sharp) return sharp;
  let d: Decision = decideExactAt(model, c, ctx, ENCLOSURE_BITS[0]);
  for (const bits of ENCLOSURE_BITS.slice(1)) {
    if (d.how !== 'undecided' || d.why.startsWith('no exact value')) break;
    d = decideExactAt(model, c, ctx, bits);
  }
  return d;
}

function decideExactAt(model: DerivedModel, c: CompiledComparison, ctx: ExactContext, bits: number, round?: number): Decision {
  try {
    const env = exactEnv(model, c.uses, ctx, bits);
    const l = evalInterval(c.lhsExact, env, bits, round);
    const r = evalInterval(c.rhsExact, env, bits, round);
    const cmp = icompare(l, r);
    const mid = (x: Interval) => x.lo.add(x.hi).div(Rational.fromInt(2)).toNumber();
    const slack = floatSlack(c.rel, mid(l), mid(r));
    if (cmp === undefined) {
      // Only disjoint enclosures (or two equal points) decide.
      return { holds: undefined, slack, how: 'undecided', why: `enclosures overlap: lhs in [${l.lo.toNumber()}, ${l.hi.toNumber()}], rhs in [${r.lo.toNumber()}, ${r.hi.toNumber()}]` };
    }
    const holds = relationHolds(cmp, c.rel);
    return { holds, slack: exactSlack(slack, cmp !== 0, holds), how: 'exact' };
  } catch (e) {
    if (e instanceof CertainlyUndefined) return { holds: 'undefined', slack: NaN, how: 'exact' };
    if (e instanceof UndecidableError || e instanceof MaybeUndefined || (e as Error).name === 'RangeError') return { holds: undefined, slack: NaN, how: 'undecided', why: (e as Error).message };
    throw e;
  }
}

/**
 * Extended-exponent intervals (53 bits, unbounded exponent) at the iterate's exact value: cheap where
 * parameters are far outside the double range and the comparison has a margin at 53 bits. Returns
 * undefined when they do not separate, or the comparison uses S, exp/log or a non-point input.
 */
function decideByExtIntervals(c: CompiledComparison, ctx: ExactContext): Decision | undefined {
  if ([...c.uses].some(isSharpness)) return undefined;
  const env = new Map<string, ExtInterval>();
  for (const [k, v] of ctx.scalars) {
    if (!v.isPoint()) return undefined;
    const d = v.lo.toNumber();
    if (!Rational.fromDouble(d).eq(v.lo)) return undefined;
    env.set(k, { lo: ext(d), hi: ext(d) });
  }
  for (const suf of ['', '_0'] as const) {
    const it = ctx.iterates[suf];
    if (!it) continue;
    if (!it.isComputedStep) return undefined;
    const st = it.step;
    st.theta.forEach((x, i) => {
      const v = st.thetaExt ? st.thetaExt[i]! : ext(x);
      env.set(it.model.params[i]! + suf, { lo: v, hi: v });
    });
  }
  for (const u of c.uses) if (!env.has(u)) return undefined;
  let l: ExtInterval;
  let r: ExtInterval;
  try {
    l = evalExtInterval(c.lhsExact, env);
    r = evalExtInterval(c.rhsExact, env);
  } catch (e) {
    if (e instanceof CertainlyUndefined) return { holds: 'undefined', slack: NaN, how: 'exact' };
    if (e instanceof MaybeUndefined || (e as Error).name === 'UnsupportedOperation') return undefined;
    throw e;
  }
  const ends = [l.lo, l.hi, r.lo, r.hi];
  if (ends.some((x) => !Number.isFinite(x.m))) return undefined;
  // `separate` only compares endpoints, so their ranks (equal values, equal ranks) decide as they would.
  const rank = ends.map((x) => ends.filter((y) => extCmp(y, x) < 0).length);
  const holds = separate(c.rel, rank[0]!, rank[1]!, rank[2]!, rank[3]!);
  if (holds === undefined) return undefined;
  const mid = (a: ExtInterval) => (extToNumber(a.lo) + extToNumber(a.hi)) / 2;
  return { holds, slack: exactSlack(floatSlack(c.rel, mid(l), mid(r)), rank[1]! < rank[2]! || rank[3]! < rank[0]!, holds), how: 'exact' };
}

/** a*S + b with exact interval coefficients: the comparison's difference as a function of one sharpness symbol. */
interface Affine {
  a: Interval;
  b: Interval;
}

class NotAffine extends Error {}

const ZERO = Interval.point(Rational.fromInt(0));
const isZero = (x: Interval) => x.isPoint() && x.lo.isZero();

function affineBackend(env: ReadonlyMap<string, Interval>, sym: string): Backend<Affine> {
  const ex = exactBackend(env, 160);
  const c = (v: Affine, op: string): Interval => {
    if (!isZero(v.a)) throw new NotAffine(op);
    return v.b;
  };
  const scalar = (f: (x: Interval) => Interval, op: string) => (v: Affine): Affine => ({ a: ZERO, b: f(c(v, op)) });
  return {
    name: 'affine-in-S exact arithmetic',
    constant: (value, node) => ({ a: ZERO, b: ex.constant(value, node) }),
    symbol: (name, node) => (name === sym ? { a: Interval.point(Rational.fromInt(1)), b: ZERO } : { a: ZERO, b: ex.symbol(name, node) }),
    neg: (x) => ({ a: ex.neg!(x.a), b: ex.neg!(x.b) }),
    add: (x, y) => ({ a: ex.add!(x.a, y.a), b: ex.add!(x.b, y.b) }),
    sub: (x, y) => ({ a: ex.sub!(x.a, y.a), b: ex.sub!(x.b, y.b) }),
    mul: (x, y) => {
      if (isZero(x.a)) return { a: ex.mul!(x.b, y.a), b: ex.mul!(x.b, y.b) };
      if (isZero(y.a)) return { a: ex.mul!(x.a, y.b), b: ex.mul!(x.b, y.b) };
      throw new NotAffine('S * S');
    },
    div: (x, y) => {
      const d = c(y, '/ S');
      return { a: ex.div!(x.a, d), b: ex.div!(x.b, d) };
    },
    powi: (x, k) => (k === 1 ? x : { a: ZERO, b: ex.powi!(c(x, '^'), k) }),
    powr: (x, p) => ({ a: ZERO, b: ex.powr!(c(x, '^'), p) }),
    sqrt: scalar(ex.sqrt!, 'sqrt'),
    abs: scalar(ex.abs!, 'abs'),
    max: (x, y) => ({ a: ZERO, b: ex.max!(c(x, 'max'), c(y, 'max')) }),
    min: (x, y) => ({ a: ZERO, b: ex.min!(c(x, 'min'), c(y, 'min')) }),
    exp: scalar(ex.exp!, 'exp'),
    log: scalar(ex.log!, 'log'),
    log10: scalar(ex.log10!, 'log10'),
    log2: scalar(ex.log2!, 'log2'),
  };
}

/**
 * The margin of "A S + B rel 0" from the certified enclosure of S (informational: the decision is
 * exact). NaN when S cannot be enclosed, which must not discard the exact decision.
 */
function sylvesterSlack(it: ExactIterate, A: Rational, B: Rational, rel: Rel): number {
  let S: Interval;
  try {
    S = it.sharpness(160);
  } catch (e) {
    if (e instanceof UndecidableError) return NaN;
    throw e;
  }
  const diff = A.mul(S.lo.add(S.hi).div(Rational.fromInt(2))).add(B).toNumber();
  return rel === '<' || rel === '<=' ? -diff : rel === '==' ? -Math.abs(diff) : diff;
}

const FLIP: Record<Rel, Rel> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };

/**
 * A comparison in which one sharpness symbol appears affinely with rational coefficients at the
 * iterate (S <= 2/eta + delta, S >= a product of parameters, ...) is decided exactly without enclosing S:
 * a S + b rel 0 becomes S rel' -b/a, and S <= r iff rI - H is positive semidefinite, S < r iff
 * it is positive definite (Sylvester's criterion on the exact Hessian). Returns undefined when
 * the comparison does not have that form.
 */
function decideBySylvester(model: DerivedModel, c: CompiledComparison, ctx: ExactContext): Decision | undefined {
  const sSyms = [...c.uses].filter(isSharpness);
  if (sSyms.length !== 1) return undefined;
  const sym = sSyms[0]!;
  const it = ctx.iterates[SUFFIX_OF(sym)];
  if (!it) return undefined;
  try {
    const env = exactEnv(model, new Set([...c.uses].filter((u) => u !== sym)), ctx, 160);
    const bk = affineBackend(env, sym);
    const l = fold(c.lhsExact, bk);
    const r = fold(c.rhsExact, bk);
    const a = bk.sub!(l, r);
    if (!a.a.isPoint() || !a.b.isPoint()) return undefined;
    const A = a.a.lo;
    const B = a.b.lo;
    const S = A.isZero() ? undefined : B.neg().div(A);
    let holds: boolean;
    if (S === undefined) holds = relationHolds(B.sign(), c.rel);
    else holds = decideSharpness(it.hessian(), A.sign() > 0 ? c.rel : FLIP[c.rel], S);
    return { holds, slack: consistent(sylvesterSlack(it, A, B, c.rel), holds), how: 'exact' };
  } catch (e) {
    if (e instanceof NotAffine || e instanceof UndecidableError || e instanceof MaybeUndefined) return undefined;
    if (e instanceof CertainlyUndefined) return { holds: 'undefined', slack: NaN, how: 'exact' };
    throw e;
  }
}

/**
 * Decide a comparison at an iterate: the float filter first (unless `exactAll`), the exact decider
 * for whatever it cannot separate. Float-only comparisons (symbols with no exact form) are decided
 * by float64 alone and say so.
 */
export function decide(model: DerivedModel, c: CompiledComparison, E: Float64Array, env: Float64Array, ctx: () => ExactContext, exactAll = false, D?: Float64Array, refine?: () => void): Decision {
  if (!c.kernel) {
    const l = c.lhs(env);
    const r = c.rhs(env);
    if (Number.isNaN(l) || Number.isNaN(r) || !Number.isFinite(l - r)) return { holds: 'undefined', slack: NaN, how: 'float' };
    const slack = floatSlack(c.rel, l, r);
    const holds = c.rel === '==' ? l === r : c.rel === '<' ? l < r : c.rel === '<=' ? l <= r : c.rel === '>' ? l > r : l >= r;
    return { holds, slack, how: 'float' };
  }
  if (!exactAll) {
    const f = decideFloat(c, E, D, refine);
    if (f) return f;
  }
  return decideExact(model, c, ctx());
}

/** The value of an expression at the iterate from rigorous values: the float enclosure's midpoint when tight, else exact. */
export function rigorousValue(node: MathNode, kernelOut: { status: number; lo: number; hi: number }, model: DerivedModel, uses: ReadonlySet<string>, ctx: () => ExactContext): number {
  const { status, lo, hi } = kernelOut;
  if (status === FI_OK && Number.isFinite(lo) && Number.isFinite(hi) && hi - lo <= 1e-9 * Math.max(Math.abs(lo), Math.abs(hi))) return (lo + hi) / 2;
  if (status === FI_UNDEFINED) return NaN;
  const ladder: [number, number | undefined][] = [...ROUNDED_BITS.map((b) => [b, b] as [number, number]), ...ENCLOSURE_BITS.map((b) => [b, undefined] as [number, undefined])];
  for (const [bits, round] of ladder) {
    try {
      const v = evalInterval(node, exactEnv(model, uses, ctx(), bits), bits, round);
      const w = v.hi.sub(v.lo).abs().toNumber();
      const m = v.lo.add(v.hi).div(Rational.fromInt(2)).toNumber();
      if (w <= 1e-9 * Math.abs(m) || w === 0 || bits === ENCLOSURE_BITS[ENCLOSURE_BITS.length - 1]) return m;
    } catch (e) {
      if (e instanceof CertainlyUndefined) return NaN;
      if (!(e instanceof UndecidableError || e instanceof MaybeUndefined || (e as Error).name === 'RangeError')) throw e;
    }
  }
  return NaN;
}
