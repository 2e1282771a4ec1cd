import { parse, type MathNode } from './mathjs.js';
import { FUNCTION_NAMES, shapeOf, type Shape } from './algebra.js';
import { didYouMean } from '../model/did-you-mean.js';

/**
 * Expressions from models and lemma files are parsed and validated, never executed: only numbers,
 * declared symbols, arithmetic operators and a short list of pure functions are accepted, so a
 * lemma cannot reach the host (no `import(...)`, no property access, no assignment).
 */

export class ExprError extends Error {
  constructor(
    message: string,
    /** Where the expression came from, e.g. "lemmas/c6.ts: claim". */
    readonly where: string,
  ) {
    super(`${where}: ${message}`);
    this.name = 'ExprError';
  }
}

export const FUNCTIONS: ReadonlySet<string> = FUNCTION_NAMES;
export const RELATIONS = new Set(['smaller', 'smallerEq', 'larger', 'largerEq', 'equal']);

export type Relation = '<' | '<=' | '>' | '>=' | '==';

export interface Comparison {
  lhs: MathNode;
  rel: Relation;
  rhs: MathNode;
}

function parseText(text: unknown, where: string): MathNode {
  if (typeof text !== 'string') throw new ExprError(`expected an expression string, got ${typeof text}`, where);
  if (text.trim() === '') throw new ExprError('empty expression', where);
  try {
    return parse(text);
  } catch (e) {
    throw new ExprError(`cannot parse "${text}": ${(e as Error).message}`, where);
  }
}

/** Accept exactly the trees the expression algebra can fold (algebra.ts shapeOf), over known symbols. */
function validate(node: MathNode, symbols: ReadonlySet<string>, where: string, text: string): void {
  const visit = (n: MathNode) => {
    let s: Shape;
    try {
      s = shapeOf(n);
    } catch (e) {
      throw new ExprError(`${(e as Error).message} in "${text}"`, where);
    }
    if (s.kind === 'symbol') {
      if (!symbols.has(s.name)) throw new ExprError(`unknown symbol "${s.name}" in "${text}"${didYouMean(s.name, symbols)}; known: ${[...symbols].sort().join(', ')}`, where);
    } else if (s.kind === 'powi' || s.kind === 'powr') visit(s.base);
    else if (s.kind === 'op') s.args.forEach(visit);
  };
  visit(node);
}


/** Parse an arithmetic expression over the given symbols. */
export function parseExpr(text: unknown, symbols: ReadonlySet<string>, where: string): MathNode {
  const node = parseText(text, where);
  if (node.type === 'RelationalNode' || (node.type === 'OperatorNode' && RELATIONS.has((node as any).fn)))
    throw new ExprError(`expected an expression, got a comparison: "${text}"`, where);
  validate(node, symbols, where, text as string);
  return node;
}

const REL_OF: Record<string, Relation> = { smaller: '<', smallerEq: '<=', larger: '>', largerEq: '>=', equal: '==' };

/** Parse a single comparison `lhs REL rhs` (REL one of < <= > >= ==). */
export function parseComparison(text: unknown, symbols: ReadonlySet<string>, where: string): Comparison {
  const node = parseText(text, where);
  const any = node as any;
  if (node.type === 'OperatorNode' && RELATIONS.has(any.fn)) {
    validate(any.args[0], symbols, where, text as string);
    validate(any.args[1], symbols, where, text as string);
    return { lhs: any.args[0], rel: REL_OF[any.fn]!, rhs: any.args[1] };
  }
  if (node.type === 'RelationalNode')
    throw new ExprError(`chained comparisons are not supported, write two claims: "${text}"`, where);
  throw new ExprError(`expected a comparison (lhs <= rhs, lhs < rhs, lhs == rhs, ...), got "${text}"`, where);
}

/** Replace symbols by expressions (used to inline named quantities). */
export function substitute(node: MathNode, defs: ReadonlyMap<string, MathNode>): MathNode {
  return node.transform((n: MathNode, _p: string, parent: MathNode | null) => {
    if (n.type === 'SymbolNode' && defs.has((n as any).name) && !(parent?.type === 'FunctionNode' && (parent as any).fn === n))
      return defs.get((n as any).name)!.cloneDeep();
    return n;
  });
}

/** The free symbols of an expression (function names excluded). */
export function freeSymbols(node: MathNode): Set<string> {
  const out = new Set<string>();
  node.traverse((n: MathNode, _p: string, parent: MathNode | null) => {
    if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && (parent as any).fn === n)) out.add((n as any).name);
  });
  return out;
}
