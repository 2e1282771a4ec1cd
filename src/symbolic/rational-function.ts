import type { MathNode } from 'mathjs';
import { fold, UnsupportedOperation, type Backend } from './algebra.js';
import { Rational } from '../numeric/rational.js';
import { isqrtBig } from '../numeric/interval.js';

/**
 * Exact multivariate polynomials and rational functions over Q. An identity between rational
 * expressions is proved by bringing both sides to P/Q form and expanding P1*Q2 - P2*Q1 to the zero
 * polynomial: a decision procedure, not sampling.
 */

export class NotRationalFunctionError extends Error {
  constructor(what: string) {
    super(`not a rational function: ${what}`);
    this.name = 'NotRationalFunctionError';
  }
}

/** Exponent vectors are keyed by "e0,e1,..." over a fixed variable order. */
export class Poly {
  constructor(
    readonly vars: readonly string[],
    readonly terms: Map<string, Rational> = new Map(),
  ) {}

  static constant(vars: readonly string[], c: Rational): Poly {
    const p = new Poly(vars);
    if (!c.isZero()) p.terms.set(vars.map(() => 0).join(','), c);
    return p;
  }

  static variable(vars: readonly string[], name: string): Poly {
    const i = vars.indexOf(name);
    if (i < 0) throw new Error(`unknown variable ${name}`);
    const p = new Poly(vars);
    p.terms.set(vars.map((_, j) => (j === i ? 1 : 0)).join(','), Rational.fromInt(1));
    return p;
  }

  isZero(): boolean {
    return this.terms.size === 0;
  }

  /** The constant value, or undefined when the polynomial is not constant. */
  constantValue(): Rational | undefined {
    if (this.terms.size === 0) return Rational.fromInt(0);
    if (this.terms.size > 1) return undefined;
    const [k, v] = [...this.terms][0]!;
    return k.split(',').every((e) => e === '0') ? v : undefined;
  }

  add(o: Poly, sign = 1): Poly {
    const out = new Poly(this.vars, new Map(this.terms));
    for (const [k, v] of o.terms) {
      const s = (out.terms.get(k) ?? Rational.fromInt(0)).add(sign === 1 ? v : v.neg());
      if (s.isZero()) out.terms.delete(k);
      else out.terms.set(k, s);
    }
    return out;
  }

  sub(o: Poly): Poly {
    return this.add(o, -1);
  }

  mul(o: Poly): Poly {
    const out = new Poly(this.vars);
    for (const [ka, va] of this.terms) {
      const ea = ka.split(',').map(Number);
      for (const [kb, vb] of o.terms) {
        const eb = kb.split(',').map(Number);
        const k = ea.map((e, i) => e + eb[i]!).join(',');
        const s = (out.terms.get(k) ?? Rational.fromInt(0)).add(va.mul(vb));
        if (s.isZero()) out.terms.delete(k);
        else out.terms.set(k, s);
      }
    }
    return out;
  }

  pow(k: number): Poly {
    let out = Poly.constant(this.vars, Rational.fromInt(1));
    let base: Poly = this;
    let n = k;
    while (n > 0) {
      if (n & 1) out = out.mul(base);
      base = base.mul(base);
      n >>= 1;
    }
    return out;
  }

  degree(): number {
    let d = 0;
    for (const k of this.terms.keys()) d = Math.max(d, k.split(',').reduce((s, e) => s + Number(e), 0));
    return d;
  }

  toString(): string {
    if (this.isZero()) return '0';
    return [...this.terms]
      .map(([k, v]) => {
        const mono = k
          .split(',')
          .map((e, i) => (e === '0' ? '' : e === '1' ? this.vars[i] : `${this.vars[i]}^${e}`))
          .filter(Boolean)
          .join('*');
        return mono ? `${v.toString()}*${mono}` : v.toString();
      })
      .join(' + ');
  }
}

export class RatFunc {
  constructor(
    readonly num: Poly,
    readonly den: Poly,
  ) {}

  static of(p: Poly): RatFunc {
    return new RatFunc(p, Poly.constant(p.vars, Rational.fromInt(1)));
  }

  add(o: RatFunc): RatFunc {
    if (sameConstantOne(this.den) && sameConstantOne(o.den)) return RatFunc.of(this.num.add(o.num));
    return new RatFunc(this.num.mul(o.den).add(o.num.mul(this.den)), this.den.mul(o.den));
  }
  sub(o: RatFunc): RatFunc {
    return this.add(o.neg());
  }
  neg(): RatFunc {
    return new RatFunc(Poly.constant(this.num.vars, Rational.fromInt(-1)).mul(this.num), this.den);
  }
  mul(o: RatFunc): RatFunc {
    return new RatFunc(this.num.mul(o.num), this.den.mul(o.den));
  }
  div(o: RatFunc): RatFunc {
    if (o.num.isZero()) throw new NotRationalFunctionError('division by the zero polynomial');
    const c = o.num.constantValue();
    if (c !== undefined) return new RatFunc(this.num.mul(Poly.constant(this.num.vars, Rational.fromInt(1).div(c))).mul(o.den), this.den);
    return new RatFunc(this.num.mul(o.den), this.den.mul(o.num));
  }
  pow(k: number): RatFunc {
    if (k >= 0) return new RatFunc(this.num.pow(k), this.den.pow(k));
    if (this.num.isZero()) throw new NotRationalFunctionError('zero to a negative power');
    return new RatFunc(this.den.pow(-k), this.num.pow(-k));
  }
  /** True iff this rational function is identically zero. */
  isIdenticallyZero(): boolean {
    return this.num.isZero();
  }
}

function sameConstantOne(p: Poly): boolean {
  const c = p.constantValue();
  return c !== undefined && c.eq(Rational.fromInt(1));
}

/** A decimal constant as written (0.1 means 1/10), not the double nearest to it. */
export function constantToRational(value: number): Rational {
  return Rational.fromDecimalString(String(value));
}

/**
 * The exact square root of a polynomial, if it is the square of one (lex leading-term recursion,
 * checked by squaring), else undefined.
 */
export function polySqrt(p: Poly): Poly | undefined {
  if (p.isZero()) return p;
  const lex = (a: string, b: string) => {
    const x = a.split(',').map(Number);
    const y = b.split(',').map(Number);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
    return 0;
  };
  const lead = (q: Poly) => [...q.terms.keys()].sort(lex)[0]!;
  const l = lead(p);
  const e = l.split(',').map(Number);
  if (e.some((x) => x % 2 !== 0)) return undefined;
  const c = p.terms.get(l)!;
  if (c.sign() < 0) return undefined;
  const cn = sqrtInt(c.num);
  const cd = sqrtInt(c.den);
  if (cn === undefined || cd === undefined) return undefined;
  let root = new Poly(p.vars, new Map([[e.map((x) => x / 2).join(','), Rational.of(cn, cd)]]));
  const lt = root;
  const two = Poly.constant(p.vars, Rational.fromInt(2));
  for (let guard = 0; guard <= p.terms.size + 1; guard++) {
    const rem = p.sub(root.mul(root));
    if (rem.isZero()) return root;
    // next term = lt(rem) / (2 lt(root)); it must be a monomial with non-negative exponents.
    const rl = lead(rem);
    const re = rl.split(',').map(Number);
    const le = [...lt.terms.keys()][0]!.split(',').map(Number);
    const ne = re.map((x, i) => x - le[i]!);
    if (ne.some((x) => x < 0)) return undefined;
    const coef = rem.terms.get(rl)!.div(lt.terms.get([...lt.terms.keys()][0]!)!.mul(Rational.fromInt(2)));
    root = root.add(new Poly(p.vars, new Map([[ne.join(','), coef]])));
    void two;
  }
  return undefined;
}

function sqrtInt(n: bigint): bigint | undefined {
  if (n < 0n) return undefined;
  const x = isqrtBig(n);
  return x * x === n ? x : undefined;
}

/** +1 (or -1) when every monomial has even exponents and a positive (negative) coefficient: the sign holds everywhere the polynomial is nonzero. */
export function obviousSign(p: Poly): 1 | -1 | undefined {
  let sign: 1 | -1 | undefined;
  for (const [k, v] of p.terms) {
    if (k.split(',').some((e) => Number(e) % 2 !== 0)) return undefined;
    const s = v.sign() as 1 | -1;
    if (sign === undefined) sign = s;
    else if (sign !== s) return undefined;
  }
  return sign;
}

/**
 * A rational-function value, or a max/min over rational functions: the exact-algebra backend
 * keeps max and min symbolic so that max(a, b) == max(c, d) is an identity when {a, b} and {c, d}
 * agree as rational functions.
 */
export type AlgebraicValue = { kind: 'rf'; f: RatFunc } | { kind: 'max' | 'min'; args: RatFunc[] };

function rfBackend(vars: readonly string[]): Backend<AlgebraicValue> {
  const rf = (v: AlgebraicValue, op: string): RatFunc => {
    if (v.kind !== 'rf') throw new NotRationalFunctionError(`${v.kind}(...) under ${op}`);
    return v.f;
  };
  const wrap = (f: RatFunc): AlgebraicValue => ({ kind: 'rf', f });
  const lattice = (kind: 'max' | 'min') => (a: AlgebraicValue, b: AlgebraicValue): AlgebraicValue => {
    const xs = [a, b].flatMap((v) => (v.kind === 'rf' ? [v.f] : v.kind === kind ? v.args : [rf(v, kind)]));
    return { kind, args: xs };
  };
  return {
    name: 'the rational-function expansion',
    constant: (value) => wrap(RatFunc.of(Poly.constant(vars, constantToRational(value)))),
    symbol: (name) => {
      if (!vars.includes(name)) throw new NotRationalFunctionError(`unknown symbol ${name}`);
      return wrap(RatFunc.of(Poly.variable(vars, name)));
    },
    neg: (a) => wrap(rf(a, '-').neg()),
    add: (a, b) => wrap(rf(a, '+').add(rf(b, '+'))),
    sub: (a, b) => wrap(rf(a, '-').sub(rf(b, '-'))),
    mul: (a, b) => wrap(rf(a, '*').mul(rf(b, '*'))),
    div: (a, b) => wrap(rf(a, '/').div(rf(b, '/'))),
    powi: (a, k) => wrap(rf(a, '^').pow(k)),
    // sqrt(N/D) is rational where N and D are squares of polynomials of known sign: sqrt(q^2) = |q| = q.
    sqrt: (a) => {
      const f = rf(a, 'sqrt');
      const n = polySqrt(f.num);
      const d = polySqrt(f.den);
      if (!n || !d) throw new NotRationalFunctionError('sqrt of a rational function that is not a square');
      const sn = n.isZero() ? 1 : obviousSign(n);
      const sd = obviousSign(d);
      if (sn === undefined || sd === undefined) throw new NotRationalFunctionError('sqrt of a square of unknown sign');
      const q = new RatFunc(n, d);
      return wrap(sn * sd > 0 ? q : q.neg());
    },
    max: lattice('max'),
    min: lattice('min'),
  };
}

/** Convert an arithmetic expression to an exact rational function in `vars`. */
export function toRatFunc(node: MathNode, vars: readonly string[]): RatFunc {
  const v = toAlgebraic(node, vars);
  if (v.kind !== 'rf') throw new NotRationalFunctionError(`${v.kind}(...) is not a rational function`);
  return v.f;
}

export function toAlgebraic(node: MathNode, vars: readonly string[]): AlgebraicValue {
  try {
    return fold(node, rfBackend(vars));
  } catch (e) {
    if (e instanceof UnsupportedOperation) throw new NotRationalFunctionError(e.message);
    throw e;
  }
}

/**
 * Decide whether lhs - rhs is identically zero as rational functions (wherever both are defined).
 * Returns the expanded numerator of the difference, which is the zero polynomial iff the identity holds.
 */
export function identityResidual(lhs: MathNode, rhs: MathNode, vars: readonly string[]): Poly {
  const l = toRatFunc(lhs, vars);
  const r = toRatFunc(rhs, vars);
  return l.num.mul(r.den).sub(r.num.mul(l.den));
}
