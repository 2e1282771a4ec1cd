import type { MathNode } from 'mathjs';

/**
 * The one expression algebra. Every evaluator, printer and translator of expression trees (float
 * code, float intervals, exact rational intervals, rational functions, Z3 terms, definedness
 * conditions) is a `Backend` passed to the single `fold` below, the way mathjs's typed tables or
 * SymPy's printers dispatch: the tree is walked here and only here. A backend declares the
 * operations it supports; `fold` refuses any other by name, so an operation added to OPERATIONS is
 * added everywhere or refused clearly.
 *
 * Partial operations have one semantics (README, "Partial terms"): a term is undefined where a
 * square root has a negative argument, a logarithm a non-positive one, a division a zero
 * denominator, or a negative power a zero base. `DOMAIN` below states those conditions once; every
 * backend that evaluates applies them (numeric ones by throwing CertainlyUndefined or
 * MaybeUndefined, see numeric/partial.ts) and the symbolic ones collect them.
 */

export type UnaryOp = 'neg' | 'sqrt' | 'abs' | 'exp' | 'log' | 'log10' | 'log2';
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';
export type Op = UnaryOp | BinaryOp | 'powi' | 'powr';

/** Where an operation is defined, as a condition on one of its arguments. */
export type DomainCondition = { arg: number; is: '>= 0' | '> 0' | '!= 0' } | null;

export const OPERATIONS: Readonly<Record<Op, { arity: 1 | 2; domain: DomainCondition; fn?: string }>> = {
  neg: { arity: 1, domain: null },
  add: { arity: 2, domain: null },
  sub: { arity: 2, domain: null },
  mul: { arity: 2, domain: null },
  div: { arity: 2, domain: { arg: 1, is: '!= 0' } },
  // An integer power; a negative one needs a nonzero base (checked in fold, by the exponent's sign).
  powi: { arity: 1, domain: null },
  // A constant non-integer power: defined for base >= 0 (base > 0 when the exponent is negative).
  powr: { arity: 1, domain: { arg: 0, is: '>= 0' } },
  sqrt: { arity: 1, domain: { arg: 0, is: '>= 0' }, fn: 'sqrt' },
  abs: { arity: 1, domain: null, fn: 'abs' },
  max: { arity: 2, domain: null, fn: 'max' },
  min: { arity: 2, domain: null, fn: 'min' },
  exp: { arity: 1, domain: null, fn: 'exp' },
  log: { arity: 1, domain: { arg: 0, is: '> 0' }, fn: 'log' },
  log10: { arity: 1, domain: { arg: 0, is: '> 0' }, fn: 'log10' },
  log2: { arity: 1, domain: { arg: 0, is: '> 0' }, fn: 'log2' },
};

/** Function names an expression may call (max and min take two or more arguments). */
export const FUNCTION_NAMES: ReadonlySet<string> = new Set(Object.values(OPERATIONS).flatMap((o) => (o.fn ? [o.fn] : [])));
const VARIADIC = new Set(['max', 'min']);

export interface Backend<T> {
  /** Named in errors: "the Z3 backend does not support log". */
  readonly name: string;
  /** A decimal constant exactly as written (0.1 means 1/10, not the nearest double). */
  constant(value: number, node: MathNode): T;
  symbol(name: string, node: MathNode): T;
  neg?(a: T): T;
  add?(a: T, b: T): T;
  sub?(a: T, b: T): T;
  mul?(a: T, b: T): T;
  div?(a: T, b: T): T;
  powi?(a: T, k: number): T;
  /** a^p for a constant non-integer p. */
  powr?(a: T, p: number): T;
  sqrt?(a: T): T;
  abs?(a: T): T;
  max?(a: T, b: T): T;
  min?(a: T, b: T): T;
  exp?(a: T): T;
  log?(a: T): T;
  log10?(a: T): T;
  log2?(a: T): T;
}

export class UnsupportedOperation extends Error {
  constructor(
    readonly backend: string,
    readonly op: string,
    expr: string,
  ) {
    super(`${backend} does not support ${op} (in ${expr})`);
    this.name = 'UnsupportedOperation';
  }
}

/** The integer value of a constant exponent (2, -1, (3), -(2)), or undefined. */
export function integerExponent(node: MathNode): number | undefined {
  const n = node as any;
  if (node.type === 'ConstantNode' && typeof n.value === 'number' && Number.isInteger(n.value)) return n.value;
  if (node.type === 'ParenthesisNode') return integerExponent(n.content);
  if (node.type === 'OperatorNode' && n.fn === 'unaryMinus') {
    const k = integerExponent(n.args[0]);
    return k === undefined ? undefined : -k;
  }
  if (node.type === 'OperatorNode' && n.fn === 'unaryPlus') return integerExponent(n.args[0]);
  return undefined;
}

const OPERATOR_OPS: Record<string, UnaryOp | BinaryOp> = { add: 'add', subtract: 'sub', multiply: 'mul', divide: 'div', unaryMinus: 'neg' };

/** The operation a node applies, and its argument trees (parentheses and unary plus are transparent). */
export type Shape =
  | { kind: 'constant'; value: number }
  | { kind: 'symbol'; name: string }
  | { kind: 'op'; op: Exclude<Op, 'powi' | 'powr'>; args: MathNode[] }
  | { kind: 'powi'; base: MathNode; k: number }
  | { kind: 'powr'; base: MathNode; p: number };

/** The value of a constant exponent such as 3/2 or -(1/2), or undefined if it has symbols. */
function constantExponent(node: MathNode): number | undefined {
  const n = node as any;
  if (node.type === 'ConstantNode' && typeof n.value === 'number') return n.value;
  if (node.type === 'ParenthesisNode') return constantExponent(n.content);
  if (node.type === 'OperatorNode' && n.args.length === 1) {
    const a = constantExponent(n.args[0]);
    return a === undefined ? undefined : n.fn === 'unaryMinus' ? -a : n.fn === 'unaryPlus' ? a : undefined;
  }
  if (node.type === 'OperatorNode' && n.fn === 'divide') {
    const a = constantExponent(n.args[0]);
    const b = constantExponent(n.args[1]);
    return a === undefined || b === undefined || b === 0 ? undefined : a / b;
  }
  return undefined;
}

export function shapeOf(node: MathNode): Shape {
  const n = node as any;
  switch (node.type) {
    case 'ConstantNode':
      if (typeof n.value !== 'number' || !Number.isFinite(n.value)) throw new Error(`only finite numeric constants are allowed, got ${JSON.stringify(n.value)}`);
      return { kind: 'constant', value: n.value };
    case 'SymbolNode':
      return { kind: 'symbol', name: n.name };
    case 'ParenthesisNode':
      return shapeOf(n.content);
    case 'OperatorNode': {
      if (n.fn === 'unaryPlus') return shapeOf(n.args[0]);
      if (n.fn === 'pow') {
        const k = integerExponent(n.args[1]);
        if (k !== undefined) return { kind: 'powi', base: n.args[0], k };
        const p = constantExponent(n.args[1]);
        if (p === undefined || !Number.isFinite(p)) throw new Error(`only constant exponents are supported: ${node.toString()}`);
        return { kind: 'powr', base: n.args[0], p };
      }
      const op = OPERATOR_OPS[n.fn];
      if (!op) throw new Error(`operator "${n.op}" is not allowed: ${node.toString()}`);
      return { kind: 'op', op, args: n.args };
    }
    case 'FunctionNode': {
      const name = n.fn?.type === 'SymbolNode' ? n.fn.name : undefined;
      if (!name || !FUNCTION_NAMES.has(name)) throw new Error(`function "${name ?? '(computed)'}" is not allowed; allowed: ${[...FUNCTION_NAMES].join(', ')}`);
      if (VARIADIC.has(name) ? n.args.length < 2 : n.args.length !== 1)
        throw new Error(`${name} takes ${VARIADIC.has(name) ? 'two or more arguments' : 'one argument'}: ${node.toString()}`);
      return { kind: 'op', op: name as Exclude<Op, 'powi' | 'powr'>, args: n.args };
    }
    default:
      throw new Error(`${node.type} is not allowed in an expression: ${node.toString()}`);
  }
}

function need<F>(b: Backend<any>, op: string, f: F | undefined, node: MathNode): F {
  if (f === undefined) throw new UnsupportedOperation(b.name, op, node.toString());
  return f;
}

/**
 * Fold a tree through a backend. `memo` (optional) caches results per node object: the expression
 * trees are shared and immutable, so a subtree used twice is evaluated once per fold. `recurse`
 * (optional) replaces the recursion into subtrees, for a code generator whose entry point decides
 * per subtree (MixedProgram computes some subtrees in another arithmetic).
 */
export function fold<T>(node: MathNode, b: Backend<T>, memo?: Map<MathNode, T>, recurse?: (x: MathNode) => T): T {
  if (memo) {
    const hit = memo.get(node);
    if (hit !== undefined) return hit;
  }
  const rec = recurse ?? ((x: MathNode) => fold(x, b, memo));
  const s = shapeOf(node);
  let out: T;
  switch (s.kind) {
    case 'constant':
      out = b.constant(s.value, node);
      break;
    case 'symbol':
      out = b.symbol(s.name, node);
      break;
    case 'powi':
      out = need(b, 'powi', b.powi, node).call(b, rec(s.base), s.k);
      break;
    case 'powr':
      out = need(b, 'non-integer powers (integer exponents only)', b.powr, node).call(b, rec(s.base), s.p);
      break;
    case 'op': {
      const f = need(b, s.op, (b as any)[s.op] as ((...a: T[]) => T) | undefined, node);
      const args = s.args.map(rec);
      if (OPERATIONS[s.op].arity === 1) out = f.call(b, args[0]!);
      // n-ary add/mul (mathjs flattens a + b + c) and variadic max/min reduce left to right.
      else out = args.reduce((acc, x) => f.call(b, acc, x));
      break;
    }
  }
  if (memo) memo.set(node, out);
  return out;
}

/** A definedness condition of a term: `expr` compared with 0. */
export interface Definedness {
  expr: MathNode;
  is: '>= 0' | '> 0' | '!= 0';
}

/**
 * Every condition under which the term is defined, for all its subterms (outermost last). A
 * comparison is defined where all conditions of both sides hold.
 */
export function definedness(node: MathNode): Definedness[] {
  const out: Definedness[] = [];
  const seen = new Set<string>();
  const visit = (x: MathNode) => {
    const s = shapeOf(x);
    if (s.kind === 'constant' || s.kind === 'symbol') return;
    if (s.kind === 'powi') {
      visit(s.base);
      if (s.k < 0) push({ expr: s.base, is: '!= 0' });
      return;
    }
    if (s.kind === 'powr') {
      visit(s.base);
      push({ expr: s.base, is: s.p < 0 ? '> 0' : '>= 0' });
      return;
    }
    s.args.forEach(visit);
    const d = OPERATIONS[s.op].domain;
    if (d) push({ expr: s.args[d.arg]!, is: d.is });
  };
  const push = (d: Definedness) => {
    const key = `${d.is}|${d.expr.toString()}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  };
  visit(node);
  return out;
}
