/**
 * Partial derivatives of expression trees as trees, for the region prover's centered forms
 * (check/region-prove.ts, check/region-rayleigh.ts): built once per comparison by the one fold of the
 * expression algebra, then compiled to dyadic programs like the trees themselves.
 */
import { ConstantNode, FunctionNode, OperatorNode, type MathNode } from '../symbolic/mathjs.js';
import { fold, type Backend } from '../symbolic/algebra.js';
import { NotCertifiable } from '../symbolic/dyadic-eval.js';

const op = (o: string, fn: string, args: MathNode[]) => new OperatorNode(o as any, fn as any, args) as unknown as MathNode;
const num = (k: number) => new ConstantNode(k) as unknown as MathNode;

/**
 * Partial derivatives of a tree with respect to `vars`, as trees (null: identically 0), built by the
 * one fold of the expression algebra. Rigorous (lenient false): max and min have none (throws), so a
 * mean-value form is only built where the tree is continuously differentiable wherever its derivative
 * evaluates. Lenient (for choosing the variable to split, never for a bound): the derivative of
 * max(a, b) and min(a, b) is max(|a'|, |b'|), a bound on the size of either branch's.
 */
export function partials(tree: MathNode, vars: readonly string[], lenient = false): (MathNode | null)[] {
  type D = { v: MathNode; d: (MathNode | null)[] };
  const n = vars.length;
  const zero = (): (MathNode | null)[] => new Array(n).fill(null);
  const add = (a: MathNode | null, b: MathNode | null) => (a === null ? b : b === null ? a : op('+', 'add', [a, b]));
  const sub = (a: MathNode | null, b: MathNode | null) => (b === null ? a : a === null ? op('-', 'unaryMinus', [b]) : op('-', 'subtract', [a, b]));
  const mul = (a: MathNode | null, b: MathNode) => (a === null ? null : op('*', 'multiply', [a, b]));
  const fn = (name: string, args: MathNode[]) => new FunctionNode(name, args) as unknown as MathNode;
  const branch = (name: 'max' | 'min') => (a: D, c: D): D => {
    if (!lenient) throw new NotCertifiable(`the derivative of ${name}`);
    const mag = (x: MathNode | null) => (x === null ? null : fn('abs', [x]));
    return { v: fn(name, [a.v, c.v]), d: a.d.map((x, i) => { const p = mag(x); const q = mag(c.d[i]!); return p === null ? q : q === null ? p : fn('max', [p, q]); }) };
  };
  const b: Backend<D> = {
    name: "the region prover's derivative",
    constant: (_v, node) => ({ v: node, d: zero() }),
    symbol: (name, node) => {
      const d = zero();
      const i = vars.indexOf(name);
      if (i >= 0) d[i] = num(1);
      return { v: node, d };
    },
    neg: (a) => ({ v: op('-', 'unaryMinus', [a.v]), d: a.d.map((x) => (x === null ? null : op('-', 'unaryMinus', [x]))) }),
    add: (a, c) => ({ v: op('+', 'add', [a.v, c.v]), d: a.d.map((x, i) => add(x, c.d[i]!)) }),
    sub: (a, c) => ({ v: op('-', 'subtract', [a.v, c.v]), d: a.d.map((x, i) => sub(x, c.d[i]!)) }),
    mul: (a, c) => ({ v: op('*', 'multiply', [a.v, c.v]), d: a.d.map((x, i) => add(mul(x, c.v), mul(c.d[i]!, a.v))) }),
    div: (a, c) => {
      const v = op('/', 'divide', [a.v, c.v]);
      // (a/c)' = (a' - (a/c) c') / c
      return {
        v,
        d: a.d.map((x, i) => {
          const t = sub(x, mul(c.d[i]!, v));
          return t === null ? null : op('/', 'divide', [t, c.v]);
        }),
      };
    },
    powi: (a, k) => {
      const v = op('^', 'pow', [a.v, num(k)]);
      if (k === 0) return { v, d: zero() };
      const f = k === 1 ? num(1) : op('*', 'multiply', [num(k), k === 2 ? a.v : op('^', 'pow', [a.v, num(k - 1)])]);
      return { v, d: a.d.map((x) => mul(x, f)) };
    },
    sqrt: (a) => {
      const v = fn('sqrt', [a.v]);
      // sqrt' = a' / (2 sqrt(a)): defined only where a > 0 (the evaluator refuses an enclosure of 0).
      return { v, d: a.d.map((x) => (x === null ? null : op('/', 'divide', [x, op('*', 'multiply', [num(2), v])]))) };
    },
    abs: (a) => {
      const v = fn('abs', [a.v]);
      // |a|' = a' a / |a|: defined only where a != 0.
      return { v, d: a.d.map((x) => (x === null ? null : op('/', 'divide', [op('*', 'multiply', [x, a.v]), v]))) };
    },
    max: branch('max'),
    min: branch('min'),
  };
  return fold(tree, b).d;
}

