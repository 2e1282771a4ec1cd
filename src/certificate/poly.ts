/**
 * The checker's own exact multivariate polynomials over its rationals (rational.ts), to confirm the
 * algebraic identities a certificate's factored forms claim (rhs - lhs = unit * prod factor^power, a
 * premise's difference = scale * factor) by expanding both sides. Independent of the prover's algebra
 * (src/symbolic/rational-function.ts, factor.ts): it shares only the parser, through expr.ts.
 */
import type { Expr } from './expr.js';
import { Q } from './rational.js';

/** A polynomial: monomial key (exponents over `vars`, comma-separated) -> nonzero coefficient. */
export class P {
  constructor(
    readonly vars: readonly string[],
    readonly terms: Map<string, Q> = new Map(),
  ) {}

  static constant(vars: readonly string[], c: Q): P {
    const p = new P(vars);
    if (!c.isZero()) p.terms.set(vars.map(() => '0').join(','), c);
    return p;
  }

  static variable(vars: readonly string[], i: number): P {
    const p = new P(vars);
    p.terms.set(vars.map((_, j) => (j === i ? '1' : '0')).join(','), Q.ONE);
    return p;
  }

  isZero(): boolean {
    return this.terms.size === 0;
  }

  /** The value when constant, else undefined. */
  constant(): Q | undefined {
    if (this.terms.size === 0) return Q.ZERO;
    if (this.terms.size > 1) return undefined;
    const [k, v] = [...this.terms][0]!;
    return k.split(',').every((e) => e === '0') ? v : undefined;
  }

  add(o: P, sign: 1 | -1 = 1): P {
    const out = new P(this.vars, new Map(this.terms));
    for (const [k, v] of o.terms) {
      const s = (out.terms.get(k) ?? Q.ZERO).add(sign === 1 ? v : v.neg());
      if (s.isZero()) out.terms.delete(k);
      else out.terms.set(k, s);
    }
    return out;
  }

  scale(c: Q): P {
    const out = new P(this.vars);
    if (c.isZero()) return out;
    for (const [k, v] of this.terms) out.terms.set(k, v.mul(c));
    return out;
  }

  mul(o: P): P {
    const out = new P(this.vars);
    for (const [ka, va] of this.terms) {
      const ea = ka.split(',').map(Number);
      for (const [kb, vb] of o.terms) {
        const eb = kb.split(',');
        const k = ea.map((e, i) => e + Number(eb[i])).join(',');
        const s = (out.terms.get(k) ?? Q.ZERO).add(va.mul(vb));
        if (s.isZero()) out.terms.delete(k);
        else out.terms.set(k, s);
      }
    }
    return out;
  }

  pow(k: number): P {
    let out = P.constant(this.vars, Q.ONE);
    let base: P = this;
    for (let n = k; n > 0; n >>= 1) {
      if (n & 1) out = out.mul(base);
      if (n > 1) base = base.mul(base);
    }
    return out;
  }

  equals(o: P): boolean {
    return this.add(o, -1).isZero();
  }
}

export class NotPolynomial extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotPolynomial';
  }
}

/** Largest number of terms an expansion may reach (a guard against a certificate that would exhaust memory). */
export const MAX_TERMS = 200_000;

/**
 * Expand a tree into a polynomial over `vars`, reading the symbols of `values` as those exact constants.
 * Throws NotPolynomial for anything else: a square root, abs, max, min, a real power, a negative power, a
 * division by a non-constant, a symbol that is neither.
 */
export function expand(e: Expr, vars: readonly string[], values: ReadonlyMap<string, Q>): P {
  const rec = (x: Expr): P => {
    let r: P;
    switch (x.k) {
      case 'const':
        return P.constant(vars, x.q);
      case 'var': {
        const v = values.get(x.name);
        if (v !== undefined) return P.constant(vars, v);
        const i = vars.indexOf(x.name);
        if (i < 0) throw new NotPolynomial(`the symbol ${x.name} is not a variable of the form`);
        return P.variable(vars, i);
      }
      case 'neg':
        return rec(x.a).scale(Q.int(-1));
      case 'add':
        r = rec(x.a).add(rec(x.b));
        break;
      case 'sub':
        r = rec(x.a).add(rec(x.b), -1);
        break;
      case 'mul':
        r = rec(x.a).mul(rec(x.b));
        break;
      case 'div': {
        const d = rec(x.b).constant();
        if (d === undefined || d.isZero()) throw new NotPolynomial('a division by a non-constant or by zero');
        r = rec(x.a).scale(Q.ONE.div(d));
        break;
      }
      case 'powi':
        if (x.n < 0) throw new NotPolynomial('a negative power');
        r = rec(x.a).pow(x.n);
        break;
      default:
        throw new NotPolynomial(`${x.k} is not polynomial`);
    }
    if (r.terms.size > MAX_TERMS) throw new NotPolynomial(`an expansion of more than ${MAX_TERMS} terms`);
    return r;
  };
  return rec(e);
}
