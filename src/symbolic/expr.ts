import { parse, type MathNode } from './mathjs.js';
import { FUNCTION_NAMES, shapeOf, type Shape } from './algebra.js';
import { didYouMean, nearestNames } from '../model/did-you-mean.js';
import type { Relation as NumericRelation } from '../numeric/enclosure.js';

/**
 * Expressions from models and lemma files are parsed and validated, never executed: only numbers,
 * declared symbols, arithmetic operators and a short list of pure functions are accepted, so a
 * lemma cannot reach the host (no `import(...)`, no property access, no assignment).
 */

export class ExprError extends Error {
  /** Each independent problem (every unknown symbol of an expression, ...), without `where`; one line each. */
  readonly problems: readonly string[];

  constructor(
    message: string | readonly string[],
    /** Where the expression came from, e.g. "lemmas/c6.ts: claim". */
    readonly where: string,
  ) {
    const problems = typeof message === 'string' ? [message] : message;
    super(`${where}: ${problems.join('; ')}`);
    this.problems = problems;
    this.name = 'ExprError';
  }
}

/** An expression's text in a message, on one line: its line breaks are shown as \n. */
function quote(text: unknown): string {
  return `"${String(text).replace(/\r\n|[\r\n\u2028\u2029]/g, (b) => ({ '\r\n': '\\r\\n', '\r': '\\r', '\n': '\\n', '\u2028': '\\u2028', '\u2029': '\\u2029' })[b]!)}"`;
}

/** A message of a library (the parser) on one line. */
function oneLine(text: string): string {
  return text.replace(/[ \t]*(?:\r\n|[\r\n\u2028\u2029])\s*/g, ' ').trim();
}

/** Up to this many symbols, an unknown symbol's message lists them all; beyond, the nearest few. */
const LIST_ALL = 12;
const NEAREST = 4;

function unknownSymbol(name: string, symbols: ReadonlySet<string>, text: string, seeAlso: string | undefined): string {
  const near = didYouMean(name, symbols);
  let known: string;
  if (symbols.size <= LIST_ALL) known = `known: ${[...symbols].sort().join(', ')}`;
  else {
    // The "did you mean" name first, then the next nearest.
    const meant = /did you mean "(.*)"\?/.exec(near)?.[1];
    const names = nearestNames(name, symbols, NEAREST + 1).filter((n) => n !== meant);
    known = `nearest known: ${[...(meant === undefined ? [] : [meant]), ...names].slice(0, NEAREST).join(', ')}${seeAlso ? ` (${seeAlso})` : ''}`;
  }
  return `unknown symbol "${name}" in ${quote(text)}${near}; ${known}`;
}

export const FUNCTIONS: ReadonlySet<string> = FUNCTION_NAMES;
export const RELATIONS = new Set(['smaller', 'smallerEq', 'larger', 'largerEq', 'equal']);

/** The one relation type of the project (numeric/enclosure.ts). */
export type Relation = NumericRelation;

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
    throw new ExprError(`cannot parse ${quote(text)}: ${oneLine((e as Error).message)}`, where);
  }
}

/**
 * Accept exactly the trees the expression algebra can fold (algebra.ts shapeOf), over known symbols.
 * Every problem of the trees is reported at once: each unknown symbol (once, with its nearest known
 * names; `seeAlso` says where all are listed) and each construct outside the algebra.
 */
function validate(nodes: readonly MathNode[], symbols: ReadonlySet<string>, where: string, text: string, seeAlso: string | undefined): void {
  const problems: string[] = [];
  const unknown = new Set<string>();
  const visit = (n: MathNode) => {
    let s: Shape;
    try {
      s = shapeOf(n);
    } catch (e) {
      problems.push(`${oneLine((e as Error).message)} in ${quote(text)}`);
      return;
    }
    if (s.kind === 'symbol') {
      if (!symbols.has(s.name) && !unknown.has(s.name)) {
        unknown.add(s.name);
        problems.push(unknownSymbol(s.name, symbols, text, seeAlso));
      }
    } else if (s.kind === 'powi' || s.kind === 'powr') visit(s.base);
    else if (s.kind === 'op') s.args.forEach(visit);
  };
  nodes.forEach(visit);
  if (problems.length > 0) throw new ExprError(problems, where);
}

/**
 * Parse an arithmetic expression over the given symbols. `seeAlso` ends the message of an unknown
 * symbol when there are too many symbols to list (where the reader finds them all).
 */
export function parseExpr(text: unknown, symbols: ReadonlySet<string>, where: string, seeAlso?: string): MathNode {
  const node = parseText(text, where);
  if (node.type === 'RelationalNode' || (node.type === 'OperatorNode' && RELATIONS.has((node as any).fn)))
    throw new ExprError(`expected an expression, got a comparison: ${quote(text)}`, where);
  validate([node], symbols, where, text as string, seeAlso);
  return node;
}

const REL_OF: Record<string, Relation> = { smaller: '<', smallerEq: '<=', larger: '>', largerEq: '>=', equal: '==' };

/** Parse a single comparison `lhs REL rhs` (REL one of < <= > >= ==); `seeAlso` as for parseExpr. */
export function parseComparison(text: unknown, symbols: ReadonlySet<string>, where: string, seeAlso?: string): Comparison {
  const node = parseText(text, where);
  const any = node as any;
  if (node.type === 'OperatorNode' && RELATIONS.has(any.fn)) {
    // Both sides at once: an unknown symbol on the right is reported with one on the left.
    validate([any.args[0], any.args[1]], symbols, where, text as string, seeAlso);
    return { lhs: any.args[0], rel: REL_OF[any.fn]!, rhs: any.args[1] };
  }
  if (node.type === 'RelationalNode')
    throw new ExprError(`chained comparisons are not supported, write two claims: ${quote(text)}`, where);
  throw new ExprError(`expected a comparison (lhs <= rhs, lhs < rhs, lhs == rhs, ...), got ${quote(text)}`, where);
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
