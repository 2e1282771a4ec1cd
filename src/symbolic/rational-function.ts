import type { MathNode } from 'mathjs';
import { Rational } from '../numeric/rational.js';

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

/** Convert an arithmetic expression to an exact rational function in `vars`. */
export function toRatFunc(node: MathNode, vars: readonly string[]): RatFunc {
  const n = node as any;
  switch (node.type) {
    case 'ConstantNode':
      return RatFunc.of(Poly.constant(vars, constantToRational(n.value)));
    case 'SymbolNode':
      if (!vars.includes(n.name)) throw new NotRationalFunctionError(`unknown symbol ${n.name}`);
      return RatFunc.of(Poly.variable(vars, n.name));
    case 'ParenthesisNode':
      return toRatFunc(n.content, vars);
    case 'OperatorNode': {
      const a = n.args.map((x: MathNode) => x);
      switch (n.fn) {
        case 'unaryMinus':
          return toRatFunc(a[0], vars).neg();
        case 'unaryPlus':
          return toRatFunc(a[0], vars);
        case 'add':
          return a.map((x: MathNode) => toRatFunc(x, vars)).reduce((s: RatFunc, x: RatFunc) => s.add(x));
        case 'subtract':
          return toRatFunc(a[0], vars).sub(toRatFunc(a[1], vars));
        case 'multiply':
          return a.map((x: MathNode) => toRatFunc(x, vars)).reduce((s: RatFunc, x: RatFunc) => s.mul(x));
        case 'divide':
          return toRatFunc(a[0], vars).div(toRatFunc(a[1], vars));
        case 'pow': {
          const e = toRatFunc(a[1], vars);
          const c = e.num.constantValue();
          const d = e.den.constantValue();
          if (c === undefined || d === undefined) throw new NotRationalFunctionError(`non-constant exponent in ${node.toString()}`);
          const k = c.div(d);
          if (!k.isInteger()) throw new NotRationalFunctionError(`non-integer exponent in ${node.toString()}`);
          return toRatFunc(a[0], vars).pow(Number(k.toString()));
        }
      }
      throw new NotRationalFunctionError(`operator ${n.op}`);
    }
    default:
      throw new NotRationalFunctionError(node.toString());
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
