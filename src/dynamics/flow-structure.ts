/**
 * What a validated gradient-flow limit needs to know about a model, derived once per model and each
 * part proved exactly (polynomial expansion over the rationals), never assumed:
 *  - the loss as a weighted sum of squares, L = 1/2 sum_k w_k r_k^2, with w_k free of parameters:
 *    then |grad L|^2 >= 2 mu L wherever every member of W^1/2 J J^T W^1/2 (J the residuals' Jacobian)
 *    has its eigenvalues >= mu (a Polyak-Lojasiewicz inequality, the flow's Lyapunov argument), and
 *    L = 0 at the limit means every residual is 0;
 *  - every conserved quadratic form Q(theta) = sum_{i<=j} c_ij theta_i theta_j of the flow, i.e. every
 *    c with grad Q . grad L identically 0 (the exact nullspace of a rational linear system in the
 *    gradient's monomial coefficients), for every value of the hyperparameters.
 * The limit then solves r(theta) = 0, Q(theta) = Q(theta_0): a square system once n - m independent
 * Q are chosen (flow-enclosure.ts), which an interval Newton (Krawczyk) operator contracts.
 */
import { OperatorNode, ConstantNode, type MathNode } from '../symbolic/mathjs.js';
import { shapeOf } from '../symbolic/algebra.js';
import { freeSymbols } from '../symbolic/expr.js';
import { identityResidual, toRatFunc, Poly } from '../symbolic/rational-function.js';
import { Rational } from '../numeric/rational.js';
import type { DerivedModel } from '../symbolic/derive.js';

export interface SumOfSquares {
  /** Residual trees r_k (over parameters and hyperparameters). */
  residuals: MathNode[];
  /** Weight trees w_k (hyperparameters and constants only); L = 1/2 sum_k w_k r_k^2 proved by expansion. */
  weights: MathNode[];
}

export interface ConservedForm {
  /** Coefficients c_ij (i <= j) of Q = sum c_ij theta_i theta_j, by pair index (pairs in row order). */
  coef: { i: number; j: number; c: Rational }[];
  /** As text, for reports. */
  text: string;
}

export interface FlowStructure {
  sumOfSquares: SumOfSquares | { why: string };
  conserved: ConservedForm[];
}

const CACHE = new WeakMap<DerivedModel, FlowStructure>();

export function flowStructure(model: DerivedModel): FlowStructure {
  let s = CACHE.get(model);
  if (!s) {
    s = { sumOfSquares: sumOfSquares(model), conserved: conservedQuadratics(model) };
    CACHE.set(model, s);
  }
  return s;
}

/** Additive terms of a tree with their signs (a - (b + c) -> +a, -b, -c). */
function terms(node: MathNode, sign: 1 | -1, out: { node: MathNode; sign: 1 | -1 }[]): void {
  const s = shapeOf(node);
  if (s.kind === 'op' && s.op === 'add') for (const a of s.args) terms(a, sign, out);
  else if (s.kind === 'op' && s.op === 'sub') {
    terms(s.args[0]!, sign, out);
    terms(s.args[1]!, sign === 1 ? -1 : 1, out);
  } else if (s.kind === 'op' && s.op === 'neg') terms(s.args[0]!, sign === 1 ? -1 : 1, out);
  else out.push({ node, sign });
}

/** Multiplicative factors (a / c with c a factor of its own reciprocal). */
function factors(node: MathNode, out: { node: MathNode; inverse: boolean }[], inverse = false): void {
  const s = shapeOf(node);
  if (s.kind === 'op' && s.op === 'mul') for (const a of s.args) factors(a, out, inverse);
  else if (s.kind === 'op' && s.op === 'div') {
    factors(s.args[0]!, out, inverse);
    factors(s.args[1]!, out, !inverse);
  } else out.push({ node, inverse });
}

function product(nodes: MathNode[]): MathNode {
  return nodes.length === 0 ? new ConstantNode(1) : nodes.reduce((a, b) => new OperatorNode('*', 'multiply', [a, b]));
}

/** The loss read as 1/2 sum w_k r_k^2 and proved equal to it by expansion; else why not. */
export function sumOfSquares(model: DerivedModel): SumOfSquares | { why: string } {
  const params = new Set(model.params);
  const hasParam = (n: MathNode) => [...freeSymbols(n)].some((x) => params.has(x));
  try {
    const list: { node: MathNode; sign: 1 | -1 }[] = [];
    terms(model.loss, 1, list);
    const residuals: MathNode[] = [];
    const weights: MathNode[] = [];
    for (const t of list) {
      const fs: { node: MathNode; inverse: boolean }[] = [];
      factors(t.node, fs);
      const squares = fs.filter((f) => hasParam(f.node));
      if (squares.length !== 1 || squares[0]!.inverse) return { why: `the loss term ${t.node.toString()} is not a constant times a square` };
      const sq = shapeOf(squares[0]!.node);
      if (sq.kind !== 'powi' || sq.k !== 2) return { why: `the loss term ${t.node.toString()} is not a constant times a square` };
      const rest = fs.filter((f) => f !== squares[0]).map((f) => (f.inverse ? (new OperatorNode('/', 'divide', [new ConstantNode(1), f.node]) as MathNode) : f.node));
      // w = 2 * sign * (the other factors): L's term is 1/2 w r^2.
      weights.push(product([new ConstantNode(2 * t.sign), ...rest]));
      residuals.push(sq.base);
    }
    if (residuals.length === 0) return { why: 'the loss has no term' };
    const half = residuals.map((r, k) => new OperatorNode('*', 'multiply', [new OperatorNode('/', 'divide', [new ConstantNode(1), new ConstantNode(2)]), new OperatorNode('*', 'multiply', [weights[k]!, new OperatorNode('^', 'pow', [r, new ConstantNode(2)])])]) as MathNode);
    const rebuilt = half.reduce((a, b) => new OperatorNode('+', 'add', [a, b]));
    const vars = [...model.params, ...model.hypers];
    if (!identityResidual(model.loss, rebuilt, vars).isZero()) return { why: 'the loss is not the sum of squares read from it (expansion differs)' };
    return { residuals, weights };
  } catch (e) {
    return { why: `the loss could not be read as a sum of squares: ${(e as Error).message}` };
  }
}

/**
 * Every quadratic form in the parameters that gradient flow conserves for all hyperparameters: the
 * exact nullspace of grad Q . grad L = 0, one linear equation per monomial of the expanded identity.
 */
export function conservedQuadratics(model: DerivedModel): ConservedForm[] {
  const n = model.params.length;
  const vars = [...model.params, ...model.hypers];
  let grads: Poly[];
  try {
    grads = model.gradient.map((g) => {
      const f = toRatFunc(g, vars);
      const d = f.den.constantValue();
      if (d === undefined) throw new Error('not a polynomial');
      return f.num.mul(polyConst(f.num, Rational.ONE.div(d)));
    });
  } catch {
    return [];
  }
  const pairs: { i: number; j: number }[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) pairs.push({ i, j });
  const x = model.params.map((p) => polyVar(grads[0]!, vars, p));
  // Column of pair (i, j): d(theta_i theta_j) . grad L = theta_j g_i + theta_i g_j.
  const cols = pairs.map(({ i, j }) => x[j]!.mul(grads[i]!).add(x[i]!.mul(grads[j]!)));
  const monomials = [...new Set(cols.flatMap((c) => [...c.terms.keys()]))];
  const rows = monomials.map((m) => cols.map((c) => c.terms.get(m) ?? Rational.ZERO));
  return nullspace(rows, pairs.length).map((v) => {
    const coef = pairs.flatMap((p, k) => (v[k]!.isZero() ? [] : [{ ...p, c: v[k]! }]));
    const text = coef.map(({ i, j, c }) => `${c.toString()}*${model.params[i]}${i === j ? '^2' : `*${model.params[j]}`}`).join(' + ');
    return { coef, text };
  });
}

function polyConst(like: Poly, c: Rational): Poly {
  return Poly.constant(like.vars, c);
}

function polyVar(_like: Poly, vars: readonly string[], name: string): Poly {
  return Poly.variable(vars, name);
}

/** A basis of { v : rows v = 0 } over the rationals (reduced row echelon form). */
export function nullspace(rows: Rational[][], ncols: number): Rational[][] {
  const M = rows.map((r) => [...r]);
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < ncols && r < M.length; c++) {
    const p = M.findIndex((row, k) => k >= r && !row[c]!.isZero());
    if (p < 0) continue;
    [M[r], M[p]] = [M[p]!, M[r]!];
    const inv = Rational.ONE.div(M[r]![c]!);
    M[r] = M[r]!.map((x) => x.mul(inv));
    for (let k = 0; k < M.length; k++) {
      if (k === r || M[k]![c]!.isZero()) continue;
      const f = M[k]![c]!;
      M[k] = M[k]!.map((x, j) => x.sub(f.mul(M[r]![j]!)));
    }
    pivots.push(c);
    r++;
  }
  const free = [...Array(ncols).keys()].filter((c) => !pivots.includes(c));
  return free.map((f) => {
    const v = Array.from({ length: ncols }, () => Rational.ZERO);
    v[f] = Rational.ONE;
    pivots.forEach((c, k) => {
      v[c] = M[k]![f]!.neg();
    });
    return v;
  });
}
