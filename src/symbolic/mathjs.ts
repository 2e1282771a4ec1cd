/**
 * The one mathjs instance of eos-check. mathjs's ESM build is about a thousand modules and takes 1.3-2 s
 * to load on this machine; its single-file build (the same release, an official package export) loads
 * in about 0.12 s. Every runtime use of mathjs goes through this module, so node classes and
 * `instanceof` checks all refer to one copy; types still come from the package's declarations.
 */
import { createRequire } from 'node:module';

type MathJs = typeof import('mathjs');

const math = createRequire(import.meta.url)('mathjs/lib/browser/math.js') as MathJs;

export const { parse, derivative, ConstantNode, OperatorNode, FunctionNode, SymbolNode, ParenthesisNode, simplify } = math;
export type { MathNode } from 'mathjs';
