import { ConstantNode, OperatorNode, type MathNode } from './mathjs.js';
import { ExprError, freeSymbols, parseExpr, substitute } from './expr.js';
import { shapeOf } from './algebra.js';
import type { ImplicitQuantitySpec } from '../model/spec.js';

/**
 * Quantities defined implicitly: `c` is the unique real root of a polynomial p(c) in an open interval
 * (lo, hi), where p's coefficients and the interval's ends are expressions over the state. Main use:
 * the gradient-flow limit of a scalar depth-D network, c the root of prod_i (w_i^2 + c) = 1 above
 * -min w_i^2 (Kreisler, Nacson, Soudry, Carmon 2023).
 *
 * Semantics (one in every evaluator, README "Partial terms"): the quantity is defined where p has
 * exactly one distinct real root in (lo, hi); elsewhere every term using it is undefined. Such a
 * quantity is a primitive symbol of the exact forms, like the sharpness S: it is never inlined. Each
 * arithmetic supplies its value at an iterate:
 *   - float64 (reports, float-only claims): bisection on the sign of p between lo and hi;
 *   - the interval filter: numeric/root-enclosure.ts, a rigorous enclosure proving the root unique;
 *   - exact: p's rational coefficients by interpolation, Sturm's theorem for uniqueness and
 *     bisection with exact signs (numeric/real-roots.ts), refined with the decider's precision.
 * A float root never stands in an exact decision.
 */
export interface ImplicitQuantity {
  name: string;
  /** p(name) with every explicit quantity inlined. */
  poly: MathNode;
  /** dp/d(name). */
  dpoly: MathNode;
  /** A bound on p's degree in the variable (p is evaluated at degree + 1 points to interpolate it). */
  degree: number;
  lo: MathNode;
  hi: MathNode;
  /** The definition as written, for reports. */
  text: string;
}

/** The degree of `node` as a polynomial in `v`, or undefined if it is not a polynomial in `v`. */
export function polynomialDegree(node: MathNode, v: string): number | undefined {
  if (!freeSymbols(node).has(v)) return 0;
  const s = shapeOf(node);
  switch (s.kind) {
    case 'constant':
      return 0;
    case 'symbol':
      return s.name === v ? 1 : 0;
    case 'powi': {
      if (s.k < 0) return undefined;
      const d = polynomialDegree(s.base, v);
      return d === undefined ? undefined : d * s.k;
    }
    case 'powr':
      return undefined;
    case 'op': {
      const ds = s.args.map((a) => polynomialDegree(a, v));
      if (ds.some((d) => d === undefined)) return undefined;
      const d = ds as number[];
      switch (s.op) {
        case 'neg':
        case 'add':
        case 'sub':
          return Math.max(...d);
        case 'mul':
          return d.reduce((a, b) => a + b, 0);
        case 'div':
          return d[1] === 0 ? d[0] : undefined;
        default:
          return undefined;
      }
    }
  }
}

const num = (x: number): MathNode => new ConstantNode(x);
const op = (o: string, fn: string, args: MathNode[]): MathNode => new OperatorNode(o as any, fn as any, args);

/**
 * d(node)/dv for a polynomial in v, by the sum, product and power rules on the tree: no constant is
 * folded (mathjs's derivative folds constants in floating point), so the derivative is exact.
 */
export function polynomialDerivative(node: MathNode, v: string): MathNode {
  if (!freeSymbols(node).has(v)) return num(0);
  const s = shapeOf(node);
  switch (s.kind) {
    case 'constant':
      return num(0);
    case 'symbol':
      return num(s.name === v ? 1 : 0);
    case 'powi':
      // d b^k = k b^(k-1) db
      return op('*', 'multiply', [num(s.k), op('*', 'multiply', [op('^', 'pow', [s.base, num(s.k - 1)]), polynomialDerivative(s.base, v)])]);
    case 'op': {
      const d = s.args.map((a) => polynomialDerivative(a, v));
      switch (s.op) {
        case 'neg':
          return op('-', 'unaryMinus', [d[0]!]);
        case 'add':
          return d.reduce((a, b) => op('+', 'add', [a, b]));
        case 'sub':
          return op('-', 'subtract', [d[0]!, d[1]!]);
        case 'mul': {
          // n-ary product rule: sum over k of (d arg_k) * prod of the others.
          const terms = s.args.map((_, k) => s.args.map((a, j) => (j === k ? d[k]! : a)).reduce((a, b) => op('*', 'multiply', [a, b])));
          return terms.reduce((a, b) => op('+', 'add', [a, b]));
        }
        case 'div':
          return op('/', 'divide', [d[0]!, s.args[1]!]);
      }
    }
  }
  throw new Error(`not a polynomial in ${v}: ${node.toString()}`);
}

/** Parse and check one implicit quantity: p a polynomial in the quantity's own name, the ends free of it. */
export function implicitQuantity(
  name: string,
  def: ImplicitQuantitySpec,
  known: ReadonlySet<string>,
  explicit: ReadonlyMap<string, MathNode>,
  implicitNames: ReadonlySet<string>,
  where: string,
): ImplicitQuantity {
  const field = `${where}: quantities.${name}`;
  const keys = Object.keys(def);
  for (const k of keys) if (k !== 'root' && k !== 'between') throw new ExprError(`unknown key "${k}" (an implicit quantity is {"root": "p(${name})", "between": ["lo", "hi"]})`, field);
  if (typeof def.root !== 'string') throw new ExprError(`"root" must be an expression, the polynomial in ${name} whose root this is`, field);
  if (!Array.isArray(def.between) || def.between.length !== 2) throw new ExprError('"between" must be [lo, hi]: the open interval holding exactly one root', field);
  const poly = substitute(parseExpr(def.root, new Set([...known, name]), `${field}.root`), explicit);
  const lo = substitute(parseExpr(def.between[0], known, `${field}.between[0]`), explicit);
  const hi = substitute(parseExpr(def.between[1], known, `${field}.between[1]`), explicit);
  for (const [tree, f] of [
    [poly, 'root'],
    [lo, 'between[0]'],
    [hi, 'between[1]'],
  ] as const)
    for (const s of freeSymbols(tree))
      if (implicitNames.has(s) && !(f === 'root' && s === name)) throw new ExprError(`uses the implicit quantity ${s}: an implicit quantity's polynomial and interval may use explicit quantities only`, `${field}.${f}`);
  const degree = polynomialDegree(poly, name);
  if (degree === undefined) throw new ExprError(`"${def.root}" is not a polynomial in ${name} (sums, products, integer powers of ${name}; divisions only by terms free of ${name})`, `${field}.root`);
  if (degree < 1) throw new ExprError(`"${def.root}" does not depend on ${name}`, `${field}.root`);
  if (degree > 16) throw new ExprError(`degree ${degree} in ${name} is above the limit of 16`, `${field}.root`);
  return { name, poly, dpoly: polynomialDerivative(poly, name), degree, lo, hi, text: `the root of ${def.root} in (${def.between[0]}, ${def.between[1]})` };
}
