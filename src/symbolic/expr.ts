import { parse, type MathNode } from 'mathjs';

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

export const FUNCTIONS: ReadonlySet<string> = new Set(['sqrt', 'abs', 'max', 'min', 'exp', 'log', 'log10', 'log2']);
const ARITH_OPS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus']);
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

function validate(node: MathNode, symbols: ReadonlySet<string>, where: string, text: string): void {
  node.traverse((n: MathNode, _path: string, parent: MathNode | null) => {
    const any = n as any;
    switch (n.type) {
      case 'ConstantNode':
        if (typeof any.value !== 'number' || !Number.isFinite(any.value))
          throw new ExprError(`only finite numeric constants are allowed, got ${JSON.stringify(any.value)} in "${text}"`, where);
        return;
      case 'SymbolNode': {
        // A FunctionNode's name is itself a SymbolNode child: checked at the FunctionNode.
        if (parent && parent.type === 'FunctionNode' && (parent as any).fn === n) return;
        if (!symbols.has(any.name))
          throw new ExprError(`unknown symbol "${any.name}" in "${text}"; known: ${[...symbols].sort().join(', ')}`, where);
        return;
      }
      case 'ParenthesisNode':
        return;
      case 'OperatorNode':
        if (!ARITH_OPS.has(any.fn)) throw new ExprError(`operator "${any.op}" is not allowed in "${text}"`, where);
        return;
      case 'FunctionNode': {
        const name = any.fn?.type === 'SymbolNode' ? any.fn.name : undefined;
        if (!name || !FUNCTIONS.has(name))
          throw new ExprError(
            `function "${name ?? '(computed)'}" is not allowed in "${text}"; allowed: ${[...FUNCTIONS].join(', ')}`,
            where,
          );
        const arity = name === 'max' || name === 'min' ? -1 : 1;
        if (arity === 1 && any.args.length !== 1) throw new ExprError(`${name} takes one argument in "${text}"`, where);
        if (arity === -1 && any.args.length < 2) throw new ExprError(`${name} takes two or more arguments in "${text}"`, where);
        return;
      }
      default:
        throw new ExprError(`${n.type} is not allowed in an expression ("${text}")`, where);
    }
  });
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
