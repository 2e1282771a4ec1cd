import { ConstantNode, FunctionNode, OperatorNode, type MathNode } from './mathjs.js';
import { shapeOf } from './algebra.js';
import { freeSymbols } from './expr.js';
import type { Cmp } from './reduce.js';

/**
 * An upper bound on the sharpness, A S + B REL 0 with A >= 0, as claims without S. S is the largest
 * eigenvalue of the symmetric matrix H, so for A >= 0
 *
 *   A S + B <= 0  iff  M = -B I - A H is positive semidefinite,
 *   A S + B <  0  iff  M is positive definite
 *
 * (A > 0: divide by A; A = 0: both sides say B <= 0, resp. B < 0). Two sufficient sets of claims:
 *
 * - Gershgorin: every eigenvalue of H lies in a disc around some H_ii of radius sum_{j != i} |H_ij|,
 *   so S <= max_i (H_ii + sum_{j != i} |H_ij|); with A >= 0, "A (H_ii + sum_{j != i} |H_ij|) REL -B
 *   for every row i" implies the statement (n claims, no determinant);
 * - Sylvester: a symmetric matrix is positive semidefinite iff every principal minor is >= 0 (all
 *   2^n - 1 of them: leading minors >= 0 do not suffice, diag(0, -1)), positive definite iff every
 *   leading principal minor is > 0.
 *
 * A lower bound on S (A S + B >= 0 with A >= 0) needs a vector, not a matrix inequality: it is not
 * reduced here.
 */

/** lhs - rhs as A * sym + B, both trees without sym (undefined: A is 0). */
export interface Affine {
  a?: MathNode;
  b?: MathNode;
}

function op(o: string, fn: string, args: MathNode[]): MathNode {
  return new OperatorNode(o as any, fn as any, args) as unknown as MathNode;
}
function one(): MathNode {
  return new ConstantNode(1) as unknown as MathNode;
}
function zero(): MathNode {
  return new ConstantNode(0) as unknown as MathNode;
}
function plus(x: MathNode | undefined, y: MathNode | undefined): MathNode | undefined {
  return x === undefined ? y : y === undefined ? x : op('+', 'add', [x, y]);
}
/** -x, with a double negation dropped (the certificate's text stays readable). */
function neg(x: MathNode): MathNode {
  const n = x as any;
  if (x.type === 'OperatorNode' && n.fn === 'unaryMinus') return n.args[0];
  return op('-', 'unaryMinus', [x]);
}
function isOne(x: MathNode): boolean {
  const s = shapeOf(x);
  return s.kind === 'constant' && s.value === 1;
}
function minusOf(x: MathNode | undefined, y: MathNode | undefined): MathNode | undefined {
  return y === undefined ? x : x === undefined ? neg(y) : op('-', 'subtract', [x, y]);
}
function times(x: MathNode | undefined, k: MathNode): MathNode | undefined {
  return x === undefined ? undefined : isOne(x) ? k : op('*', 'multiply', [k, x]);
}
function over(x: MathNode | undefined, d: MathNode): MathNode | undefined {
  return x === undefined ? undefined : op('/', 'divide', [x, d]);
}

/**
 * A tree as A * sym + B, with A and B free of sym; undefined when sym occurs other than affinely (a
 * power, a product of two terms with sym, a denominator with sym, inside sqrt, abs, max, min, ...).
 */
export function affineIn(node: MathNode, sym: string): Affine | undefined {
  if (!freeSymbols(node).has(sym)) return { b: node };
  const s = shapeOf(node);
  if (s.kind === 'symbol') return s.name === sym ? { a: one() } : { b: node };
  if (s.kind === 'constant') return { b: node };
  if (s.kind === 'powi') return s.k === 1 ? affineIn(s.base, sym) : undefined;
  if (s.kind === 'powr') return undefined;
  const parts = s.args.map((x) => affineIn(x, sym));
  if (parts.some((p) => p === undefined)) return undefined;
  const ps = parts as Affine[];
  switch (s.op) {
    case 'add':
      return ps.reduce((x, y) => ({ a: plus(x.a, y.a), b: plus(x.b, y.b) }));
    case 'sub':
      return { a: minusOf(ps[0]!.a, ps[1]!.a), b: minusOf(ps[0]!.b, ps[1]!.b) };
    case 'neg':
      return { a: minusOf(undefined, ps[0]!.a), b: minusOf(undefined, ps[0]!.b) };
    case 'mul': {
      // At most one factor may hold sym; the others multiply both parts.
      const withSym = ps.filter((p) => p.a !== undefined);
      if (withSym.length !== 1) return undefined;
      let out: Affine = withSym[0]!;
      s.args.forEach((x, i) => {
        if (ps[i]!.a !== undefined) return;
        out = { a: times(out.a, x), b: times(out.b, x) };
      });
      return out;
    }
    case 'div': {
      if (ps[1]!.a !== undefined) return undefined;
      const d = s.args[1]!;
      return { a: over(ps[0]!.a, d), b: over(ps[0]!.b, d) };
    }
    default:
      return undefined;
  }
}

export interface SharpnessBound {
  /** The sharpness symbol (S or S_next). */
  sym: string;
  /** lhs - rhs = A sym + B after orienting the comparison as "A sym + B REL 0" with REL '<=' or '<'. */
  A: MathNode;
  B: MathNode;
  strict: boolean;
}

/**
 * The comparison as an upper bound on one sharpness symbol, A sym + B <= 0 (or < 0), or undefined
 * when it is not affine in exactly one of them, or is an equation. The sign of A is the caller's to
 * establish (A >= 0 is needed).
 */
export function asSharpnessBound(c: Cmp, symbols: readonly string[]): { bound: SharpnessBound; flipped: boolean } | undefined {
  if (c.rel === '==') return undefined;
  const present = symbols.filter((x) => freeSymbols(c.lhs).has(x) || freeSymbols(c.rhs).has(x));
  if (present.length !== 1) return undefined;
  const sym = present[0]!;
  const l = affineIn(c.lhs, sym);
  const r = affineIn(c.rhs, sym);
  if (!l || !r) return undefined;
  let A = minusOf(l.a, r.a);
  let B = minusOf(l.b, r.b);
  if (A === undefined) return undefined;
  // ">=" and ">" bound sym from above when A <= 0: negate to "(-A) sym + (-B) <= 0".
  const flipped = c.rel === '>=' || c.rel === '>';
  if (flipped) {
    A = minusOf(undefined, A)!;
    B = minusOf(undefined, B);
  }
  return { bound: { sym, A, B: B ?? zero(), strict: c.rel === '<' || c.rel === '>' }, flipped };
}

/** A times x, without the factor when A is the constant 1. */
function scaled(A: MathNode, x: MathNode): MathNode {
  return isOne(A) ? x : op('*', 'multiply', [A, x]);
}

function absOf(x: MathNode): MathNode {
  return new FunctionNode('abs', [x]) as unknown as MathNode;
}

/**
 * Gershgorin's sufficient claims: for each row i, A (H_ii + sum_{j != i} |H_ij|) REL -B, REL '<='
 * (or '<' for a strict bound). H holds the entries at the iterate the symbol reads.
 */
export function gershgorinClaims(b: SharpnessBound, H: readonly (readonly MathNode[])[]): Cmp[] {
  const n = H.length;
  const rhs = neg(b.B);
  return H.map((row, i) => {
    let sum: MathNode = row[i]!;
    for (let j = 0; j < n; j++) if (j !== i) sum = op('+', 'add', [sum, absOf(row[j]!)]);
    return { lhs: scaled(b.A, sum), rel: b.strict ? '<' : '<=', rhs };
  });
}

/** det(M_K) for M = -B I - A H restricted to rows and columns K, by Laplace expansion (models are small). */
function minorOf(b: SharpnessBound, H: readonly (readonly MathNode[])[], idx: readonly number[]): MathNode {
  const negB = neg(b.B);
  const entry = (i: number, j: number): MathNode => (i === j ? op('-', 'subtract', [negB, scaled(b.A, H[i]![i]!)]) : neg(scaled(b.A, H[i]![j]!)));
  const det = (rows: readonly number[], cols: readonly number[]): MathNode => {
    if (rows.length === 1) return entry(rows[0]!, cols[0]!);
    const terms = cols.map((c, k) => {
      const t = op('*', 'multiply', [entry(rows[0]!, c), det(rows.slice(1), cols.filter((x) => x !== c))]);
      return k % 2 === 0 ? t : op('-', 'unaryMinus', [t]);
    });
    return terms.reduce((x, y) => op('+', 'add', [x, y]));
  };
  return det(idx, idx);
}

/**
 * Sylvester's claims on M = -B I - A H: every principal minor >= 0 (index sets `sets`, all 2^n - 1
 * of them) for a bound "<=", every leading principal minor > 0 for "<" (the caller passes the sets).
 */
export function minorClaims(b: SharpnessBound, H: readonly (readonly MathNode[])[], sets: readonly (readonly number[])[]): { set: readonly number[]; claim: Cmp }[] {
  return sets.map((set) => ({ set, claim: { lhs: minorOf(b, H, set), rel: b.strict ? '>' : '>=', rhs: zero() } }));
}
