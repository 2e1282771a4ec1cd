import type { MathNode } from 'mathjs';

/**
 * Compile validated expression trees to JavaScript. The source is generated from the tree, never
 * copied from user text: symbols become slot accesses chosen by the caller (`th[0]`, `h[2]`, ...)
 * and constants are printed from their numeric values, so only arithmetic can come out.
 */

/** Symbol name -> JS access expression, e.g. alpha -> "th[0]". */
export type Slots = ReadonlyMap<string, string>;

const MATH_FN: Record<string, string> = {
  sqrt: 'Math.sqrt',
  abs: 'Math.abs',
  max: 'Math.max',
  min: 'Math.min',
  exp: 'Math.exp',
  log: 'Math.log',
  log10: 'Math.log10',
  log2: 'Math.log2',
};

function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite constant ${v}`);
  return Object.is(v, -0) ? '(-0)' : v < 0 ? `(${v})` : String(v);
}

function integerExponent(node: MathNode): number | undefined {
  const n = node as any;
  if (node.type === 'ConstantNode' && Number.isInteger(n.value)) return n.value;
  if (node.type === 'ParenthesisNode') return integerExponent(n.content);
  if (node.type === 'OperatorNode' && n.fn === 'unaryMinus') {
    const k = integerExponent(n.args[0]);
    return k === undefined ? undefined : -k;
  }
  return undefined;
}

/** Float64 source for a scalar expression. */
export function floatSource(node: MathNode, slots: Slots): string {
  const n = node as any;
  const rec = (x: MathNode) => floatSource(x, slots);
  switch (node.type) {
    case 'ConstantNode':
      return num(n.value);
    case 'SymbolNode': {
      const s = slots.get(n.name);
      if (s === undefined) throw new Error(`no slot for symbol ${n.name}`);
      return s;
    }
    case 'ParenthesisNode':
      return rec(n.content);
    case 'OperatorNode': {
      const a: MathNode[] = n.args;
      switch (n.fn) {
        case 'unaryMinus':
          return `(-${rec(a[0]!)})`;
        case 'unaryPlus':
          return rec(a[0]!);
        case 'add':
          return `(${a.map(rec).join(' + ')})`;
        case 'subtract':
          return `(${rec(a[0]!)} - ${rec(a[1]!)})`;
        case 'multiply':
          return `(${a.map(rec).join(' * ')})`;
        case 'divide':
          return `(${rec(a[0]!)} / ${rec(a[1]!)})`;
        case 'pow': {
          const k = integerExponent(a[1]!);
          const b = rec(a[0]!);
          if (k !== undefined && Math.abs(k) <= 4) {
            if (k === 0) return '1';
            const prod = `(${Array(Math.abs(k)).fill(b).join(' * ')})`;
            return k > 0 ? prod : `(1 / ${prod})`;
          }
          return `Math.pow(${b}, ${rec(a[1]!)})`;
        }
      }
      break;
    }
    case 'FunctionNode': {
      const f = MATH_FN[n.fn.name];
      if (f) return `${f}(${(n.args as MathNode[]).map(rec).join(', ')})`;
      break;
    }
  }
  throw new Error(`cannot compile ${node.type} ${node.toString()}`);
}

/**
 * Source over an arithmetic object `A` (see numeric/extfloat.ts ExtArith): every operation is a
 * call, so the same tree runs in float64 or in extended-exponent arithmetic.
 * Constants are hoisted by the caller through `constSlot`.
 */
export function arithSource(node: MathNode, slots: Slots, constSlot: (v: number) => string): string {
  const n = node as any;
  const rec = (x: MathNode) => arithSource(x, slots, constSlot);
  switch (node.type) {
    case 'ConstantNode':
      return constSlot(n.value);
    case 'SymbolNode': {
      const s = slots.get(n.name);
      if (s === undefined) throw new Error(`no slot for symbol ${n.name}`);
      return s;
    }
    case 'ParenthesisNode':
      return rec(n.content);
    case 'OperatorNode': {
      const a: MathNode[] = n.args;
      const fold = (op: string) => a.map(rec).reduce((s, x) => `A.${op}(${s}, ${x})`);
      switch (n.fn) {
        case 'unaryMinus':
          return `A.neg(${rec(a[0]!)})`;
        case 'unaryPlus':
          return rec(a[0]!);
        case 'add':
          return fold('add');
        case 'subtract':
          return fold('sub');
        case 'multiply':
          return fold('mul');
        case 'divide':
          return fold('div');
        case 'pow': {
          const k = integerExponent(a[1]!);
          if (k === undefined) throw new Error(`extended arithmetic needs integer exponents: ${node.toString()}`);
          if (k === 2) {
            const b = rec(a[0]!);
            return `A.mul(${b}, ${b})`;
          }
          return `A.powInt(${rec(a[0]!)}, ${k})`;
        }
      }
      break;
    }
    case 'FunctionNode': {
      const args = (n.args as MathNode[]).map(rec);
      switch (n.fn.name) {
        case 'sqrt':
          return `A.sqrt(${args[0]})`;
        case 'abs':
          return `A.abs(${args[0]})`;
        case 'max':
          return args.reduce((s, x) => `A.max(${s}, ${x})`);
        case 'min':
          return args.reduce((s, x) => `A.min(${s}, ${x})`);
      }
      break;
    }
  }
  throw new Error(`cannot compile ${node.toString()} for extended arithmetic`);
}

/** Build a function from generated source. Only ever called with output of the generators above. */
export function buildFunction<F>(params: string[], body: string): F {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(...params, body) as F;
}
