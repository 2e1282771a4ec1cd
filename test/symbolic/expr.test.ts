import { describe, it, expect } from 'vitest';
import { parseComparison, parseExpr, ExprError } from '../../src/symbolic/expr.js';

const syms = new Set(['alpha', 'beta1', 'eta']);

describe('expressions are parsed and validated, never executed', () => {
  it.each([
    ['import("fs")', /function "import" is not allowed/],
    ['process.exit()', /not allowed/],
    ['constructor', /unknown symbol "constructor"/],
    ['alpha.constructor', /not allowed/],
    ['f(x) = x', /not allowed/],
    ['alpha = 2', /not allowed/],
    ['"text"', /only finite numeric constants/],
    ['[1, 2]', /not allowed/],
    ['alpha ? 1 : 2', /not allowed/],
    ['evaluate("1+1")', /function "evaluate" is not allowed/],
    ['gamma', /unknown symbol "gamma"/],
    ['alpha +', /cannot parse/],
    ['', /empty expression/],
  ])('%s is refused', (text, msg) => {
    expect(() => parseExpr(text, syms, 'lemmas/x.ts: statement')).toThrow(ExprError);
    expect(() => parseExpr(text, syms, 'lemmas/x.ts: statement')).toThrow(msg);
  });

  it('errors name where the expression came from', () => {
    expect(() => parseExpr('zeta', syms, 'lemmas/x.ts [my-id]: constants.delta')).toThrow(/^lemmas\/x.ts \[my-id\]: constants.delta: unknown symbol/);
  });

  it('accepts arithmetic and whitelisted functions', () => {
    expect(parseExpr('sqrt(alpha^2 + 1) * max(eta, 1) - abs(beta1)/2', syms, 'w').type).toBe('OperatorNode');
  });

  it('a claim must be one comparison', () => {
    expect(parseComparison('alpha <= 2 * eta', syms, 'w').rel).toBe('<=');
    expect(() => parseComparison('alpha + 1', syms, 'w')).toThrow(/expected a comparison/);
    expect(() => parseComparison('0 < alpha < 1', syms, 'w')).toThrow(/chained comparisons/);
  });
});
