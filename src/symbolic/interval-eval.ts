import type { MathNode } from 'mathjs';
import { Interval, iabs, iadd, idiv, imax, imin, imonotone, imul, ineg, ipow, isqrt, isub, UndecidableError } from '../numeric/interval.js';
import { constantToRational } from './rational-function.js';

/**
 * Evaluate an expression over rational intervals. With point inputs and a rational expression
 * the result is the exact value; sqrt, exp, log and enclosed inputs (a certified eigenvalue)
 * give a certified enclosure.
 */
/** Constants of the (immutable, shared) expression trees, converted once. */
const CONSTANTS = new WeakMap<MathNode, Interval>();

export function evalInterval(node: MathNode, env: ReadonlyMap<string, Interval>, bits = 160): Interval {
  const n = node as any;
  const rec = (x: MathNode) => evalInterval(x, env, bits);
  switch (node.type) {
    case 'ConstantNode': {
      let c = CONSTANTS.get(node);
      if (!c) CONSTANTS.set(node, (c = Interval.point(constantToRational(n.value))));
      return c;
    }
    case 'SymbolNode': {
      const v = env.get(n.name);
      if (v === undefined) throw new Error(`no value for symbol ${n.name}`);
      return v;
    }
    case 'ParenthesisNode':
      return rec(n.content);
    case 'OperatorNode': {
      const a: MathNode[] = n.args;
      switch (n.fn) {
        case 'unaryMinus':
          return ineg(rec(a[0]!));
        case 'unaryPlus':
          return rec(a[0]!);
        case 'add':
          return a.map(rec).reduce(iadd);
        case 'subtract':
          return isub(rec(a[0]!), rec(a[1]!));
        case 'multiply':
          return a.map(rec).reduce(imul);
        case 'divide':
          return idiv(rec(a[0]!), rec(a[1]!));
        case 'pow': {
          const e = rec(a[1]!);
          if (!e.isPoint() || !e.lo.isInteger()) throw new UndecidableError(`non-integer power in ${node.toString()}`);
          return ipow(rec(a[0]!), Number(e.lo.toString()));
        }
      }
      break;
    }
    case 'FunctionNode': {
      const args = (n.args as MathNode[]).map(rec);
      switch (n.fn.name) {
        case 'abs':
          return iabs(args[0]!);
        case 'max':
          return args.reduce(imax);
        case 'min':
          return args.reduce(imin);
        case 'sqrt':
          return isqrt(args[0]!, bits);
        case 'exp':
          return imonotone(args[0]!, Math.exp, 'exp');
        case 'log':
          return imonotone(args[0]!, Math.log, 'log');
        case 'log10':
          return imonotone(args[0]!, Math.log10, 'log10');
        case 'log2':
          return imonotone(args[0]!, Math.log2, 'log2');
      }
      break;
    }
  }
  throw new UndecidableError(`cannot enclose ${node.toString()}`);
}
