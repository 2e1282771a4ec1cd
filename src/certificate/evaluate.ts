/**
 * The checker's rational interval arithmetic over its own trees (expr.ts): exact, except that an end with a
 * denominator above 2^64 that is not a power of two is rounded outward to a 192-bit dyadic (`tame` below), with the definedness
 * semantics of README "Partial terms":
 *  - `undef`: the term is undefined at EVERY point of the box (a division by exactly 0, a square root of
 *    an enclosure entirely below 0, ...);
 *  - otherwise `iv` encloses the term's value at every point of the box where it is defined (null: no
 *    finite enclosure), and `maybe` (a reason) says the term may be undefined somewhere on the box.
 * A subterm undefined everywhere makes the term undefined everywhere; an argument whose enclosure (over
 * the points where it is defined) lies entirely outside an operation's domain does too.
 *
 * `centered` is the mean-value form of a tree by forward-mode automatic differentiation in the same
 * arithmetic (dual numbers of rational intervals): d(x) is in d(c) + sum_i g_i(box) (x_i - c_i), where g_i
 * encloses the (generalized, for abs/max/min) partial derivatives over the whole box. It needs the tree
 * certainly defined and differentiable on the box; otherwise it throws NotDifferentiable.
 */
import type { Expr } from './expr.js';
import { Q } from './rational.js';

export interface I {
  lo: Q;
  hi: Q;
}

export type Val = { undef: string } | { undef?: undefined; iv: I | null; maybe?: string };

/** An operation or symbol the checker cannot evaluate: the leaf that needs it fails with this message. */
export class CannotEvaluate extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotEvaluate';
  }
}

export class NotDifferentiable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotDifferentiable';
  }
}

/** Significant bits of the outward-rounded rational bounds of a square root. */
export const SQRT_BITS = 128;

// ---------------------------------------------------------------- rational intervals

/**
 * An end whose denominator is not a power of two and whose denominator exceeds TAME_DEN is rounded outward to a
 * dyadic of TAME_BITS significant bits. Boxes with decimal ends (1/1000 + dyadic splits) make every product mix
 * powers of 5 into ever longer denominators whose gcds cost most of a check; the rounded ends still enclose.
 * Short numbers (literals, box ends, shallow results) stay exact, so exact ties are still decided exactly.
 */
const TAME_DEN = 1n << 64n;
const TAME_BITS = 192;
const tameLo = (q: Q): Q => (q.d > TAME_DEN && !q.isDyadic() ? q.roundDyadic(TAME_BITS, false) : q);
const tameHi = (q: Q): Q => (q.d > TAME_DEN && !q.isDyadic() ? q.roundDyadic(TAME_BITS, true) : q);
const tame = (lo: Q, hi: Q): I => ({ lo: tameLo(lo), hi: tameHi(hi) });

export const point = (q: Q): I => ({ lo: q, hi: q });
export const iv = (lo: Q, hi: Q): I => ({ lo, hi });

export function iadd(a: I, b: I): I {
  return tame(a.lo.add(b.lo), a.hi.add(b.hi));
}
export function isub(a: I, b: I): I {
  return tame(a.lo.sub(b.hi), a.hi.sub(b.lo));
}
export function ineg(a: I): I {
  return { lo: a.hi.neg(), hi: a.lo.neg() };
}
export function imul(a: I, b: I): I {
  if (a.lo === a.hi && b.lo === b.hi) {
    const x = a.lo.mul(b.lo);
    return tame(x, x);
  }
  // The ends by the signs of the operands (two products, except when both straddle 0).
  const as = a.lo.sign() >= 0 ? 1 : a.hi.sign() <= 0 ? -1 : 0;
  const bs = b.lo.sign() >= 0 ? 1 : b.hi.sign() <= 0 ? -1 : 0;
  if (as > 0) {
    if (bs > 0) return tame(a.lo.mul(b.lo), a.hi.mul(b.hi));
    if (bs < 0) return tame(a.hi.mul(b.lo), a.lo.mul(b.hi));
    return tame(a.hi.mul(b.lo), a.hi.mul(b.hi));
  }
  if (as < 0) {
    if (bs > 0) return tame(a.lo.mul(b.hi), a.hi.mul(b.lo));
    if (bs < 0) return tame(a.hi.mul(b.hi), a.lo.mul(b.lo));
    return tame(a.lo.mul(b.hi), a.lo.mul(b.lo));
  }
  if (bs > 0) return tame(a.lo.mul(b.hi), a.hi.mul(b.hi));
  if (bs < 0) return tame(a.hi.mul(b.lo), a.lo.mul(b.lo));
  return tame(Q.min(a.lo.mul(b.hi), a.hi.mul(b.lo)), Q.max(a.lo.mul(b.lo), a.hi.mul(b.hi)));
}
export function iscale(q: Q, a: I): I {
  return q.sign() >= 0 ? tame(q.mul(a.lo), q.mul(a.hi)) : tame(q.mul(a.hi), q.mul(a.lo));
}
/** 1/b for b not containing 0. */
function irecip(b: I): I {
  return { lo: Q.ONE.div(b.hi), hi: Q.ONE.div(b.lo) };
}
export const containsZero = (a: I): boolean => a.lo.sign() <= 0 && a.hi.sign() >= 0;
export const isZero = (a: I): boolean => a.lo.isZero() && a.hi.isZero();

/** a^k, k >= 0 an integer: an even power of an interval containing 0 starts at 0. */
export function ipowNat(a: I, k: number): I {
  if (k === 0) return point(Q.ONE);
  if (k === 1) return a;
  const l = a.lo.pow(k);
  const h = a.hi.pow(k);
  if (k % 2 === 1 || a.lo.sign() >= 0) return tame(l, h);
  if (a.hi.sign() <= 0) return tame(h, l);
  return tame(Q.ZERO, Q.max(l, h));
}
/** sqrt of an interval with lo >= 0, rounded outward to rationals. */
export function isqrtNonneg(a: I): I {
  return { lo: a.lo.sqrtBounds(SQRT_BITS)[0], hi: a.hi.sqrtBounds(SQRT_BITS)[1] };
}
export function iabs(a: I): I {
  if (a.lo.sign() >= 0) return a;
  if (a.hi.sign() <= 0) return ineg(a);
  return { lo: Q.ZERO, hi: Q.max(a.lo.neg(), a.hi) };
}
export function imax(a: I, b: I): I {
  return { lo: Q.max(a.lo, b.lo), hi: Q.max(a.hi, b.hi) };
}
export function imin(a: I, b: I): I {
  return { lo: Q.min(a.lo, b.lo), hi: Q.min(a.hi, b.hi) };
}
export function ihull(a: I, b: I): I {
  return { lo: Q.min(a.lo, b.lo), hi: Q.max(a.hi, b.hi) };
}
/** a ∩ b (both enclose the same quantity, so the intersection is nonempty unless one is wrong). */
export function iintersect(a: I, b: I): I {
  const r = { lo: Q.max(a.lo, b.lo), hi: Q.min(a.hi, b.hi) };
  // Two valid enclosures of one quantity always meet: an empty intersection is an error of this code.
  if (r.hi.lt(r.lo)) throw new CannotEvaluate(`two enclosures of one term are disjoint (${fmt(a)} and ${fmt(b)}): an error in the checker's arithmetic`);
  return r;
}

/** x^p for x >= 0 (x > 0 when p < 0) and p with denominator 1 or 2. */
function ipowReal(a: I, p: Q): I {
  if (p.d !== 1n && p.d !== 2n) throw new CannotEvaluate(`the power ${p} (only integer and half-integer exponents are evaluated)`);
  if ((p.n < 0n ? -p.n : p.n) > 8192n) throw new CannotEvaluate(`the power ${p} (its numerator is too large)`);
  const m = Number(p.n < 0n ? -p.n : p.n);
  let r = p.d === 2n ? ipowNat(isqrtNonneg(a), m) : ipowNat(a, m);
  if (p.sign() < 0) r = irecip(r);
  return r;
}

export function fmt(a: I | null): string {
  if (a === null) return '(unbounded)';
  return a.lo.eq(a.hi) ? `[${a.lo.approx()}]` : `[${a.lo.approx()}, ${a.hi.approx()}]`;
}

// ---------------------------------------------------------------- natural evaluation with definedness

export type Env = ReadonlyMap<string, I>;

function unary(a: Val, f: (x: I) => Val): Val {
  if (a.undef !== undefined) return a;
  if (a.iv === null) return { iv: null, maybe: a.maybe };
  const r = f(a.iv);
  if (r.undef !== undefined) return r;
  return { iv: r.iv, maybe: a.maybe ?? r.maybe };
}

function binary(a: Val, b: Val, f: (x: I, y: I) => Val, whenUnbounded?: (x: I | null, y: I | null) => Val): Val {
  if (a.undef !== undefined) return a;
  if (b.undef !== undefined) return b;
  const maybe = a.maybe ?? b.maybe;
  if (a.iv === null || b.iv === null) {
    const r = whenUnbounded ? whenUnbounded(a.iv, b.iv) : { iv: null };
    return r.undef !== undefined ? r : { iv: r.iv, maybe: maybe ?? r.maybe };
  }
  const r = f(a.iv, b.iv);
  if (r.undef !== undefined) return r;
  return { iv: r.iv, maybe: maybe ?? r.maybe };
}

const ok = (x: I): Val => ({ iv: x });

function divide(x: I, y: I): Val {
  if (isZero(y)) return { undef: 'a division by zero' };
  if (containsZero(y)) return { iv: null, maybe: 'a denominator whose enclosure contains 0' };
  return ok(imul(x, irecip(y)));
}

function powi(x: I, k: number): Val {
  if (k >= 0) return ok(ipowNat(x, k));
  if (isZero(x)) return { undef: 'a negative power of zero' };
  if (containsZero(x)) return { iv: null, maybe: 'a negative power of an enclosure containing 0' };
  return ok(irecip(ipowNat(x, -k)));
}

function sqrt(x: I): Val {
  if (x.hi.sign() < 0) return { undef: 'a square root of a negative number' };
  if (x.lo.sign() < 0) return { iv: isqrtNonneg({ lo: Q.ZERO, hi: x.hi }), maybe: 'a square root of an enclosure that reaches below 0' };
  return ok(isqrtNonneg(x));
}

function powr(x: I, p: Q): Val {
  const strict = p.sign() < 0;
  if (x.hi.sign() < 0 || (strict && x.hi.sign() <= 0)) return { undef: `a non-integer power of a ${strict ? 'non-positive' : 'negative'} number` };
  if (x.lo.sign() < 0 || (strict && x.lo.sign() <= 0)) {
    if (strict) return { iv: null, maybe: 'a non-integer power of an enclosure that leaves the domain' };
    return { iv: ipowReal({ lo: Q.ZERO, hi: x.hi }, p), maybe: 'a non-integer power of an enclosure that reaches below 0' };
  }
  return ok(ipowReal(x, p));
}

/** Natural interval evaluation of a tree over the box `env` (symbol -> interval). */
export function evaluate(e: Expr, env: Env): Val {
  switch (e.k) {
    case 'const':
      return ok(point(e.q));
    case 'var': {
      const v = env.get(e.name);
      if (v === undefined) throw new CannotEvaluate(`no value for the symbol ${e.name}`);
      return ok(v);
    }
    case 'neg':
      return unary(evaluate(e.a, env), (x) => ok(ineg(x)));
    case 'abs':
      return unary(evaluate(e.a, env), (x) => ok(iabs(x)));
    case 'sqrt':
      return unary(evaluate(e.a, env), sqrt);
    case 'powi':
      return unary(evaluate(e.a, env), (x) => powi(x, e.n));
    case 'powr':
      return unary(evaluate(e.a, env), (x) => powr(x, e.p));
    case 'add':
      return binary(evaluate(e.a, env), evaluate(e.b, env), (x, y) => ok(iadd(x, y)));
    case 'sub':
      return binary(evaluate(e.a, env), evaluate(e.b, env), (x, y) => ok(isub(x, y)));
    case 'mul':
      return binary(evaluate(e.a, env), evaluate(e.b, env), (x, y) => ok(imul(x, y)));
    case 'max':
      return binary(evaluate(e.a, env), evaluate(e.b, env), (x, y) => ok(imax(x, y)));
    case 'min':
      return binary(evaluate(e.a, env), evaluate(e.b, env), (x, y) => ok(imin(x, y)));
    case 'div':
      // Over the points where the denominator is defined its enclosure is exactly 0: undefined everywhere.
      return binary(evaluate(e.a, env), evaluate(e.b, env), divide, (_x, y) => (y !== null && isZero(y) ? { undef: 'a division by zero' } : { iv: null }));
    case 'unsupported':
      throw new CannotEvaluate(`${e.what} (the checker evaluates + - * / ^ sqrt abs max min only)`);
  }
}

// ---------------------------------------------------------------- centered form (forward-mode AD)

/** A value and its gradient over the active variables (null: identically 0). */
interface Dual {
  v: I;
  g: (I | null)[];
}

const gmap = (a: Dual, f: (x: I) => I): (I | null)[] => a.g.map((x) => (x === null ? null : f(x)));
function gzip(a: Dual, b: Dual, f: (x: I | null, y: I | null) => I | null): (I | null)[] {
  return a.g.map((x, i) => f(x, b.g[i]!));
}
const gadd = (x: I | null, y: I | null): I | null => (x === null ? y : y === null ? x : iadd(x, y));

function constantDual(v: I, m: number): Dual {
  return { v, g: new Array<I | null>(m).fill(null) };
}

function differentiate(e: Expr, env: Env, active: ReadonlyMap<string, number>, m: number): Dual {
  // Plain calls, not closures made per node: this recursion is most of a Rayleigh leaf's check.
  const rec = differentiate;
  switch (e.k) {
    case 'const':
      return constantDual(point(e.q), m);
    case 'var': {
      const v = env.get(e.name);
      if (v === undefined) throw new CannotEvaluate(`no value for the symbol ${e.name}`);
      const d = constantDual(v, m);
      const i = active.get(e.name);
      if (i !== undefined) d.g[i] = point(Q.ONE);
      return d;
    }
    case 'neg': {
      const a = rec(e.a, env, active, m);
      return { v: ineg(a.v), g: gmap(a, ineg) };
    }
    case 'add': {
      const a = rec(e.a, env, active, m);
      const b = rec(e.b, env, active, m);
      return { v: iadd(a.v, b.v), g: gzip(a, b, gadd) };
    }
    case 'sub': {
      const a = rec(e.a, env, active, m);
      const b = rec(e.b, env, active, m);
      return { v: isub(a.v, b.v), g: gzip(a, b, (x, y) => gadd(x, y === null ? null : ineg(y))) };
    }
    case 'mul': {
      const a = rec(e.a, env, active, m);
      const b = rec(e.b, env, active, m);
      return { v: imul(a.v, b.v), g: gzip(a, b, (x, y) => gadd(x === null ? null : imul(x, b.v), y === null ? null : imul(a.v, y))) };
    }
    case 'div': {
      const a = rec(e.a, env, active, m);
      const b = rec(e.b, env, active, m);
      if (containsZero(b.v)) throw new NotDifferentiable('a denominator whose enclosure contains 0');
      const r = irecip(b.v);
      const v = imul(a.v, r);
      // (a/b)' = (a' - (a/b) b') / b
      return { v, g: gzip(a, b, (x, y) => { const s = gadd(x, y === null ? null : ineg(imul(v, y))); return s === null ? null : imul(s, r); }) };
    }
    case 'powi': {
      const a = rec(e.a, env, active, m);
      const k = e.n;
      if (k === 0) return constantDual(point(Q.ONE), m);
      if (k < 0 && containsZero(a.v)) throw new NotDifferentiable('a negative power of an enclosure containing 0');
      const pw = (j: number): I => (j >= 0 ? ipowNat(a.v, j) : irecip(ipowNat(a.v, -j)));
      const dv = iscale(Q.int(k), pw(k - 1));
      return { v: pw(k), g: gmap(a, (x) => imul(dv, x)) };
    }
    case 'sqrt': {
      const a = rec(e.a, env, active, m);
      if (a.v.lo.sign() <= 0) throw new NotDifferentiable('a square root of an enclosure reaching 0');
      const v = isqrtNonneg(a.v);
      const half = irecip(iscale(Q.int(2), v));
      return { v, g: gmap(a, (x) => imul(x, half)) };
    }
    case 'powr': {
      const a = rec(e.a, env, active, m);
      if (a.v.lo.sign() <= 0) throw new NotDifferentiable('a non-integer power of an enclosure reaching 0');
      const dv = iscale(e.p, ipowReal(a.v, e.p.sub(Q.ONE)));
      return { v: ipowReal(a.v, e.p), g: gmap(a, (x) => imul(dv, x)) };
    }
    case 'abs': {
      const a = rec(e.a, env, active, m);
      if (a.v.lo.sign() >= 0) return a;
      if (a.v.hi.sign() <= 0) return { v: ineg(a.v), g: gmap(a, ineg) };
      // abs is 1-Lipschitz: its generalized derivative lies in [-1, 1].
      const s = iv(Q.int(-1), Q.ONE);
      return { v: iabs(a.v), g: gmap(a, (x) => imul(s, x)) };
    }
    case 'max':
    case 'min': {
      const a = rec(e.a, env, active, m);
      const b = rec(e.b, env, active, m);
      const aWins = e.k === 'max' ? b.v.hi.le(a.v.lo) : a.v.hi.le(b.v.lo);
      const bWins = e.k === 'max' ? a.v.hi.le(b.v.lo) : b.v.hi.le(a.v.lo);
      if (aWins) return a;
      if (bWins) return b;
      // Either may be active: the generalized gradient lies in the hull of both gradients.
      const zero = point(Q.ZERO);
      return { v: e.k === 'max' ? imax(a.v, b.v) : imin(a.v, b.v), g: gzip(a, b, (x, y) => (x === null && y === null ? null : ihull(x ?? zero, y ?? zero))) };
    }
    case 'unsupported':
      throw new CannotEvaluate(`${e.what} (the checker evaluates + - * / ^ sqrt abs max min only)`);
  }
}

/**
 * The centered (mean-value) enclosure of a tree over the box `env`: d(c) + sum_i g_i (x_i - c_i), c the
 * exact centre of every interval of `env` of positive width. Throws NotDifferentiable where the form does
 * not apply (a partial operation may leave its domain, or a derivative is unbounded on the box).
 */
export function centered(e: Expr, env: Env): I {
  const active = new Map<string, number>();
  const centre = new Map<string, I>();
  for (const [name, x] of env) {
    if (x.lo.lt(x.hi)) active.set(name, active.size);
    centre.set(name, point(x.lo.mid(x.hi)));
  }
  const d = differentiate(e, env, active, active.size);
  const fc = evaluate(e, centre);
  if (fc.undef !== undefined || fc.iv === null || fc.maybe !== undefined) throw new NotDifferentiable(`undefined at the centre: ${fc.undef ?? fc.maybe}`);
  let out = fc.iv;
  for (const [name, i] of active) {
    const g = d.g[i];
    if (g === null) continue;
    const x = env.get(name)!;
    const c = centre.get(name)!.lo;
    out = iadd(out, imul(g, iv(x.lo.sub(c), x.hi.sub(c))));
  }
  return out;
}

/**
 * An enclosure of the partial derivative of a tree with respect to one symbol over the box `env` (forward
 * differentiation in the same arithmetic). Throws NotDifferentiable where it does not apply.
 */
export function partialEnclosure(e: Expr, env: Env, name: string): I {
  const d = differentiate(e, env, new Map([[name, 0]]), 1);
  return d.g[0] ?? point(Q.ZERO);
}
