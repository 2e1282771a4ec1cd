import { Poly } from './rational-function.js';
import { Rational } from '../numeric/rational.js';

/**
 * Factorization of multivariate polynomials over Q, as far as it is cheap and certain: the rational
 * content, monomial content (x^k), the content with respect to each variable (a gcd of coefficient
 * polynomials), square-free decomposition (gcd with a partial derivative), and trial division by
 * given candidate factors (the premises' differences, definedness conditions). A factor left
 * unsplit may be reducible: nothing here claims irreducibility, only that the product of the
 * factors (times the unit) is the polynomial, which `factorPoly` re-checks by expanding the
 * product exactly before it returns (a mismatch, which would be a bug, returns the trivial
 * factorization).
 *
 * nerdamer-prime's `factor` was tried as a further step and dropped: it reads a variable named
 * `e` as Euler's number, and it leaves (x y - 1)^2 and (x y - 1)(x + y^2) unsplit.
 *
 * Multivariate gcds are primitive pseudo-remainder sequences in one variable, with the content
 * gcds computed recursively over the others (Knuth, TAOCP 4.6.1; the models here have degree at
 * most 20 in 6 to 10 variables).
 */

/** Term products the gcds of one factorization may spend. */
export const GCD_BUDGET = 200_000;

export interface Factorization {
  /** The constant factor. */
  unit: Rational;
  /** Primitive factors with integer coefficients and a positive leading coefficient (lex), with multiplicities. */
  factors: { f: Poly; e: number }[];
}

const ONE = Rational.fromInt(1);

/** Exponent vectors by monomial key, parsed once: lex comparisons read them in every division step (read-only). */
const EXPS = new Map<string, readonly number[]>();

function exps(k: string): readonly number[] {
  let e = EXPS.get(k);
  if (e === undefined) {
    if (EXPS.size >= 100_000) EXPS.clear();
    e = k.split(',').map(Number);
    EXPS.set(k, e);
  }
  return e;
}

function lexCmp(a: string, b: string): number {
  const x = exps(a);
  const y = exps(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
  return 0;
}

/** The lex-leading monomial key. */
function leadKey(p: Poly): string {
  let best: string | undefined;
  for (const k of p.terms.keys()) if (best === undefined || lexCmp(k, best) < 0) best = k;
  return best!;
}

export function isConstant(p: Poly): boolean {
  return p.constantValue() !== undefined;
}

function scale(p: Poly, c: Rational): Poly {
  const out = new Poly(p.vars);
  if (c.isZero()) return out;
  for (const [k, v] of p.terms) out.terms.set(k, v.mul(c));
  return out;
}

function gcdBig(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * p = c q with q primitive: integer coefficients without a common divisor and a positive
 * lex-leading coefficient. The zero polynomial is returned as is with c = 1.
 */
export function normalize(p: Poly): { c: Rational; q: Poly } {
  if (p.isZero()) return { c: ONE, q: p };
  let den = 1n;
  for (const v of p.terms.values()) den = (den / gcdBig(den, v.den)) * v.den;
  let g = 0n;
  for (const v of p.terms.values()) g = gcdBig(g, (v.num * den) / v.den);
  let c = Rational.of(g, den);
  if (p.terms.get(leadKey(p))!.sign() < 0) c = c.neg();
  return { c, q: scale(p, ONE.div(c)) };
}

/** A canonical key of a polynomial up to a nonzero constant factor, and that factor's sign (p = c key-poly). */
export function canonicalKey(p: Poly): { key: string; sign: 1 | -1 } {
  const { c, q } = normalize(p);
  const key = [...q.terms].sort(([a], [b]) => lexCmp(a, b)).map(([k, v]) => `${v.toString()}@${k}`).join(' ');
  return { key, sign: c.sign() < 0 ? -1 : 1 };
}

function degreeIn(p: Poly, i: number): number {
  let d = 0;
  for (const k of p.terms.keys()) d = Math.max(d, exps(k)[i]!);
  return d;
}

/** p as a polynomial in variable i: degree -> coefficient (a polynomial without variable i). */
function coefficientsIn(p: Poly, i: number): Map<number, Poly> {
  const out = new Map<number, Poly>();
  for (const [k, v] of p.terms) {
    const e = exps(k).slice();
    const d = e[i]!;
    e[i] = 0;
    let c = out.get(d);
    if (!c) out.set(d, (c = new Poly(p.vars)));
    c.terms.set(e.join(','), v);
  }
  return out;
}

function monomial(vars: readonly string[], i: number, k: number): Poly {
  const p = new Poly(vars);
  p.terms.set(vars.map((_, j) => (j === i ? k : 0)).join(','), ONE);
  return p;
}

/** The leading coefficient of p in variable i (a polynomial without variable i). */
function leadCoefficientIn(p: Poly, i: number): Poly {
  return coefficientsIn(p, i).get(degreeIn(p, i))!;
}

export function derivative(p: Poly, i: number): Poly {
  const out = new Poly(p.vars);
  for (const [k, v] of p.terms) {
    const e = exps(k).slice();
    if (e[i] === 0) continue;
    const c = v.mul(Rational.fromInt(e[i]!));
    e[i]!--;
    out.terms.set(e.join(','), c);
  }
  return out;
}

/** q if p = d q exactly, else undefined (division by leading terms in lex order; exact iff the remainder is zero). */
export function divideExact(p: Poly, d: Poly): Poly | undefined {
  if (d.isZero()) return undefined;
  const dk = leadKey(d);
  const de = exps(dk);
  const dc = d.terms.get(dk)!;
  let r = p;
  const q = new Poly(p.vars);
  // Each step removes the leading term of r, so lex order bounds the loop; the guard is a backstop.
  for (let guard = 0; !r.isZero(); guard++) {
    if (guard > 100_000) return undefined;
    const rk = leadKey(r);
    const e = exps(rk).map((x, i) => x - de[i]!);
    if (e.some((x) => x < 0)) return undefined;
    const t = new Poly(p.vars);
    t.terms.set(e.join(','), r.terms.get(rk)!.div(dc));
    q.terms.set(e.join(','), t.terms.get(e.join(','))!);
    r = r.sub(t.mul(d));
  }
  return q;
}

/** The content of p in variable i: the gcd of its coefficients (primitive, or 1). */
function contentIn(p: Poly, i: number): Poly {
  let g: Poly | undefined;
  for (const c of coefficientsIn(p, i).values()) {
    g = g === undefined ? normalize(c).q : gcd(g, c);
    if (isConstant(g)) return Poly.constant(p.vars, ONE);
  }
  return g ?? Poly.constant(p.vars, ONE);
}

function firstVariable(p: Poly): number {
  for (let i = 0; i < p.vars.length; i++) if (degreeIn(p, i) > 0) return i;
  return -1;
}

/** The greatest common divisor (primitive, positive leading coefficient; 1 when coprime). */
export function gcd(a: Poly, b: Poly): Poly {
  if (a.isZero()) return normalize(b).q;
  if (b.isZero()) return normalize(a).q;
  if (isConstant(a) || isConstant(b)) return Poly.constant(a.vars, ONE);
  const ia = firstVariable(a);
  const ib = firstVariable(b);
  const i = Math.min(ia, ib);
  if (degreeIn(a, i) === 0) return gcd(a, contentIn(b, i));
  if (degreeIn(b, i) === 0) return gcd(contentIn(a, i), b);
  const ca = contentIn(a, i);
  const cb = contentIn(b, i);
  const c = gcd(ca, cb);
  let p = normalize(divideExact(a, ca)!).q;
  let q = normalize(divideExact(b, cb)!).q;
  if (degreeIn(p, i) < degreeIn(q, i)) [p, q] = [q, p];
  // Primitive PRS: pseudo-remainders, each made primitive in variable i.
  for (let guard = 0; guard < 1000; guard++) {
    const r = pseudoRemainder(p, q, i);
    if (r.isZero()) {
      const g = normalize(q).q;
      return normalize(c.mul(g)).q;
    }
    if (degreeIn(r, i) === 0) return c; // the primitive parts are coprime
    p = q;
    q = normalize(divideExact(r, contentIn(r, i))!).q;
  }
  return c;
}

/**
 * A budget of term products for the gcds of one factorization: pseudo-remainder sequences can swell
 * in many variables, and a split that costs more is not attempted (the piece stays whole). A count,
 * not a clock: the same factorization on a quiet and on a loaded machine.
 */
class BudgetExceeded extends Error {}
let budget = Infinity;
function spend(n: number): void {
  budget -= n;
  if (budget < 0) throw new BudgetExceeded('gcd budget exceeded');
}

function pseudoRemainder(a: Poly, b: Poly, i: number): Poly {
  const db = degreeIn(b, i);
  const lb = leadCoefficientIn(b, i);
  let r = a;
  while (!r.isZero() && degreeIn(r, i) >= db) {
    const dr = degreeIn(r, i);
    const lr = leadCoefficientIn(r, i);
    spend(lb.terms.size * r.terms.size + lr.terms.size * b.terms.size);
    r = lb.mul(r).sub(lr.mul(monomial(a.vars, i, dr - db)).mul(b));
    r = normalize(r).q; // a constant factor does not change the remainder sequence's gcd
  }
  return r;
}

/**
 * Factor p (nonzero) over Q, splitting off the candidate factors `hints` (any nonzero polynomials
 * over the same variables) wherever they divide. The result multiplies back to p exactly.
 */
export function factorPoly(p: Poly, hints: readonly Poly[] = []): Factorization {
  if (p.isZero()) throw new Error('factorPoly: the zero polynomial');
  const { c, q } = normalize(p);
  const found = new Map<string, { f: Poly; e: number }>();
  const add = (f: Poly, e: number) => {
    const n = normalize(f).q;
    const { key } = canonicalKey(n);
    const x = found.get(key);
    if (x) x.e += e;
    else found.set(key, { f: n, e });
  };
  const hs = hints
    .filter((h) => !h.isZero() && !isConstant(h))
    .map((h) => normalize(h).q)
    .filter((h, k, all) => all.findIndex((o) => canonicalKey(o).key === canonicalKey(h).key) === k);
  // Monomial content.
  let rest = q;
  for (let i = 0; i < p.vars.length; i++) {
    let m = Infinity;
    for (const k of rest.terms.keys()) m = Math.min(m, exps(k)[i]!);
    if (m > 0 && Number.isFinite(m)) {
      add(Poly.variable(p.vars, p.vars[i]!), m);
      rest = divideExact(rest, monomial(p.vars, i, m))!;
    }
  }
  const work = (x: Poly, e: number, depth: number): void => {
    x = normalize(x).q;
    if (isConstant(x)) return;
    if (depth > 64) return add(x, e);
    for (const h of hs) {
      if (h.terms.size > x.terms.size && h.degree() >= x.degree()) continue;
      const d = divideExact(x, h);
      if (d && !isConstant(h)) {
        add(h, e);
        return work(d, e, depth + 1);
      }
    }
    // Content and square-free parts (gcds), within the budget; past it the piece stays whole.
    let split: [Poly, Poly] | undefined;
    try {
      for (let i = 0; i < x.vars.length && !split; i++) {
        if (degreeIn(x, i) === 0) continue;
        const cont = contentIn(x, i);
        if (!isConstant(cont)) split = [cont, divideExact(x, cont)!];
      }
      for (let i = 0; i < x.vars.length && !split; i++) {
        if (degreeIn(x, i) === 0) continue;
        const g = gcd(x, derivative(x, i));
        if (!isConstant(g)) split = [g, divideExact(x, g)!];
      }
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) throw err;
    }
    if (split) {
      work(split[0], e, depth + 1);
      return work(split[1], e, depth + 1);
    }
    add(x, e);
  };
  const saved = budget;
  budget = GCD_BUDGET;
  try {
    work(rest, 1, 0);
  } finally {
    budget = saved;
  }
  const factors = [...found.values()].sort((a, b) => canonicalKey(a.f).key.localeCompare(canonicalKey(b.f).key));
  // The unit, and the check that the product is p.
  let prod = Poly.constant(p.vars, ONE);
  for (const { f, e } of factors) prod = prod.mul(f.pow(e));
  const lk = leadKey(p);
  const pc = prod.terms.get(lk);
  const unit = pc === undefined ? undefined : p.terms.get(lk)!.div(pc);
  if (unit === undefined || !scale(prod, unit).sub(p).isZero()) return { unit: ONE, factors: [{ f: p, e: 1 }] };
  void c;
  return { unit, factors };
}
