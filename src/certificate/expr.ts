/**
 * Expression text of a certificate -> the checker's own small tree, with every numeric literal as the
 * exact rational it spells (0.1 = 1/10; 4503599627370497 stays exact: it is read from the text, not from
 * the parser's double). The mathjs parser (the one piece of code shared with the prover) decides the
 * structure; nothing else of the project's expression algebra is used.
 *
 * Semantics follow README "Partial terms" and the project's expression algebra: `^` with an integer
 * literal exponent (2, -1, (3), -(2)) is an integer power (a negative one needs a nonzero base); any other
 * constant exponent (1/2, 1.5, 4/2) is a real power, defined for base >= 0 (base > 0 when negative).
 */
import { parse, type MathNode } from '../symbolic/mathjs.js';
import { Q } from './rational.js';

export type Expr =
  | { k: 'const'; q: Q }
  | { k: 'var'; name: string }
  | { k: 'neg' | 'sqrt' | 'abs'; a: Expr }
  | { k: 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min'; a: Expr; b: Expr }
  | { k: 'powi'; a: Expr; n: number }
  | { k: 'powr'; a: Expr; p: Q }
  /** An operation the checker does not evaluate (exp, log, ...): a leaf whose terms need it fails. */
  | { k: 'unsupported'; what: string; args: Expr[] };

export class CertExprError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertExprError';
  }
}

const IDENT_START = /[A-Za-z_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]/;
const IDENT_PART = /[A-Za-z0-9_$\u00C0-\u02AF\u0370-\u03FF\u2100-\u214F]/;
const DIGIT = /[0-9]/;

/** Largest integer exponent accepted (a guard against a certificate that would exhaust memory). */
export const MAX_EXPONENT = 4096;

/** The numeric literals of an expression text, in source order (as mathjs's tokenizer reads them). */
export function numericLiterals(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') throw new CertExprError(`strings are not allowed in an expression: "${text}"`);
    if (IDENT_START.test(c)) {
      while (i < text.length && IDENT_PART.test(text[i]!)) i++;
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(text[i + 1] ?? ''))) {
      const start = i;
      while (i < text.length && DIGIT.test(text[i]!)) i++;
      if (text[i] === '.') {
        i++;
        while (i < text.length && DIGIT.test(text[i]!)) i++;
      }
      if (text[i] === 'e' || text[i] === 'E') {
        const s = text[i + 1];
        if (DIGIT.test(s ?? '') || ((s === '+' || s === '-') && DIGIT.test(text[i + 2] ?? ''))) {
          i += s === '+' || s === '-' ? 2 : 1;
          while (i < text.length && DIGIT.test(text[i]!)) i++;
        }
      }
      out.push(text.slice(start, i));
      continue;
    }
    i++;
  }
  return out;
}

const BINARY: Record<string, 'add' | 'sub' | 'mul' | 'div'> = { add: 'add', subtract: 'sub', multiply: 'mul', divide: 'div' };
const UNARY_FUNCTIONS = new Set(['sqrt', 'abs']);
const VARIADIC_FUNCTIONS = new Set(['max', 'min']);
/** Functions of the project's algebra that the checker recognizes but does not evaluate. */
const KNOWN_UNSUPPORTED = new Set(['exp', 'log', 'log10', 'log2']);

/** Parse one expression text into the checker's tree. Throws CertExprError on anything it cannot read exactly. */
export function parseExpr(text: unknown): Expr {
  if (typeof text !== 'string' || text.trim() === '') throw new CertExprError(`expected an expression text, got ${JSON.stringify(text)}`);
  let root: MathNode;
  try {
    root = parse(text);
  } catch (e) {
    throw new CertExprError(`cannot parse "${text}": ${(e as Error).message}`);
  }
  const literals = numericLiterals(text);
  const constants: MathNode[] = [];
  root.traverse((node) => {
    if (node.type === 'ConstantNode') constants.push(node);
  });
  if (constants.length !== literals.length) throw new CertExprError(`cannot match the numbers of "${text}" to its literals`);
  const exact = new Map<MathNode, Q>();
  constants.forEach((node, i) => {
    const lit = literals[i]!;
    const value = (node as any).value;
    const q = Q.parseDecimal(lit);
    // The parser's double must be the literal's: a check that the i-th constant is the i-th literal.
    if (typeof value !== 'number' || q === undefined || Number(lit) !== value) throw new CertExprError(`cannot read the number ${lit} of "${text}" exactly`);
    exact.set(node, q);
  });
  return convert(root, exact, text);
}

/** The exact value of a constant exponent tree (literal, parentheses, unary +/-, division), or undefined. */
function constantValue(node: MathNode, exact: Map<MathNode, Q>): Q | undefined {
  const n = node as any;
  if (node.type === 'ConstantNode') return exact.get(node);
  if (node.type === 'ParenthesisNode') return constantValue(n.content, exact);
  if (node.type === 'OperatorNode' && n.args.length === 1) {
    const a = constantValue(n.args[0], exact);
    return a === undefined ? undefined : n.fn === 'unaryMinus' ? a.neg() : n.fn === 'unaryPlus' ? a : undefined;
  }
  if (node.type === 'OperatorNode' && n.fn === 'divide') {
    const a = constantValue(n.args[0], exact);
    const b = constantValue(n.args[1], exact);
    return a === undefined || b === undefined || b.isZero() ? undefined : a.div(b);
  }
  return undefined;
}

/** An integer exponent as the project's algebra reads one: an integer literal under parentheses and unary signs. */
function integerExponent(node: MathNode, exact: Map<MathNode, Q>): number | undefined {
  const n = node as any;
  if (node.type === 'ConstantNode') {
    const q = exact.get(node);
    if (q === undefined || !q.isInteger()) return undefined;
    if (q.n > BigInt(MAX_EXPONENT)) throw new CertExprError(`the exponent ${q} is too large (at most ${MAX_EXPONENT})`);
    return Number(q.n);
  }
  if (node.type === 'ParenthesisNode') return integerExponent(n.content, exact);
  if (node.type === 'OperatorNode' && n.fn === 'unaryMinus') {
    const k = integerExponent(n.args[0], exact);
    return k === undefined ? undefined : -k;
  }
  if (node.type === 'OperatorNode' && n.fn === 'unaryPlus') return integerExponent(n.args[0], exact);
  return undefined;
}

function convert(node: MathNode, exact: Map<MathNode, Q>, text: string): Expr {
  const n = node as any;
  const rec = (x: MathNode) => convert(x, exact, text);
  switch (node.type) {
    case 'ConstantNode':
      return { k: 'const', q: exact.get(node)! };
    case 'SymbolNode':
      return { k: 'var', name: n.name };
    case 'ParenthesisNode':
      return rec(n.content);
    case 'OperatorNode': {
      if (n.fn === 'unaryPlus') return rec(n.args[0]);
      if (n.fn === 'unaryMinus') return { k: 'neg', a: rec(n.args[0]) };
      if (n.fn === 'pow') {
        const k = integerExponent(n.args[1], exact);
        if (k !== undefined) return { k: 'powi', a: rec(n.args[0]), n: k };
        const p = constantValue(n.args[1], exact);
        if (p === undefined) throw new CertExprError(`only constant exponents are supported: "${node.toString()}" in "${text}"`);
        return { k: 'powr', a: rec(n.args[0]), p };
      }
      const op = BINARY[n.fn];
      if (!op || n.args.length < 2) throw new CertExprError(`operator "${n.op}" is not allowed: "${text}"`);
      return n.args.map(rec).reduce((a: Expr, b: Expr) => ({ k: op, a, b }));
    }
    case 'FunctionNode': {
      const name: string | undefined = n.fn?.type === 'SymbolNode' ? n.fn.name : undefined;
      const args: Expr[] = n.args.map(rec);
      if (name !== undefined && UNARY_FUNCTIONS.has(name) && args.length === 1) return { k: name as 'sqrt' | 'abs', a: args[0]! };
      if (name !== undefined && VARIADIC_FUNCTIONS.has(name) && args.length >= 2) return args.reduce((a, b) => ({ k: name as 'max' | 'min', a, b }));
      if (name !== undefined && KNOWN_UNSUPPORTED.has(name) && args.length === 1) return { k: 'unsupported', what: name, args };
      throw new CertExprError(`function "${name ?? '(computed)'}" with ${args.length} argument(s) is not allowed: "${text}"`);
    }
    default:
      throw new CertExprError(`${node.type} is not allowed in an expression: "${text}"`);
  }
}

/** The symbols a tree reads. */
export function symbolsOf(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.k) {
    case 'const':
      break;
    case 'var':
      out.add(e.name);
      break;
    case 'neg':
    case 'sqrt':
    case 'abs':
    case 'powi':
    case 'powr':
      symbolsOf(e.a, out);
      break;
    case 'unsupported':
      for (const a of e.args) symbolsOf(a, out);
      break;
    default:
      symbolsOf(e.a, out);
      symbolsOf(e.b, out);
  }
  return out;
}
