import { derivative, FunctionNode, OperatorNode, parse, SymbolNode, type MathNode } from './mathjs.js';
import nerdamer from 'nerdamer-prime';
import type { ModelSpec, Projection } from '../model/spec.js';
import { ExprError, parseExpr, substitute } from './expr.js';
import { DerivationError, modelFromDerivation, type ArithScalarKernel, type ArithVectorKernel, type Derivation, type FloatGradHessKernel, type FloatScalarKernel, type FloatVectorKernel, type PairScalarKernel, type PairVectorKernel } from './model-kernels.js';
import { constantToRational, identityResidual, NotRationalFunctionError } from './rational-function.js';
import { Rational } from '../numeric/rational.js';
import { nextDown, nextUp } from '../numeric/float-interval.js';
import { toLatex } from './latex.js';
import { modelHash } from './model-hash.js';
import { implicitQuantity, type ImplicitQuantity } from './implicit.js';

export { modelHash } from './model-hash.js';
export { DerivationError, type ArithScalarKernel, type ArithVectorKernel, type Derivation, type FloatGradHessKernel, type FloatScalarKernel, type FloatVectorKernel, type PairScalarKernel, type PairVectorKernel };

export interface CrossCheckEntry {
  entry: string;
  mathjs: string;
  nerdamer: string;
  /** How equality was established. */
  method: 'polynomial-expansion' | 'float-points';
  agree: boolean;
}

export interface DerivedModel {
  spec: ModelSpec;
  /** sha256 of the model text: any change to the model changes the hash recorded in reports. */
  hash: string;
  params: string[];
  hypers: string[];
  loss: MathNode;
  gradient: MathNode[];
  /** hessian[i][j] = d^2 L / d param_i d param_j. */
  hessian: MathNode[][];
  /**
   * The GD map, written once: step[i] = param_i - eta * dL/dparam_i. Every arithmetic evaluates
   * these trees (the generated lane and batch kernels, the interval filter's S_next, the exact map,
   * `_next` in lemmas), so there is one definition of a GD step.
   */
  step: MathNode[];
  /**
   * Named quantities with references to other quantities inlined. An implicit quantity (a root) is
   * never inlined: its tree is its own symbol, and `implicit` holds its definition.
   */
  quantities: Map<string, MathNode>;
  /** The implicitly defined quantities (symbolic/implicit.ts), in declaration order. */
  implicit: Map<string, ImplicitQuantity>;
  crossCheck: CrossCheckEntry[];
  latex: { loss: string; gradient: string[]; hessian: string[][]; quantities: Record<string, string> };
  kernels: {
    loss: FloatScalarKernel;
    gradient: FloatVectorKernel;
    /** Row-major n*n. */
    hessian: FloatVectorKernel;
    quantities: Map<string, FloatScalarKernel>;
    lossArith: ArithScalarKernel<any>;
    gradientArith: ArithVectorKernel<any>;
    hessianArith: ArithVectorKernel<any>;
    quantitiesArith: Map<string, ArithScalarKernel<any>>;
    /** Gradient and Hessian in one call (float64, bit-identical to gradient + hessian). */
    gradHess: FloatGradHessKernel;
    /** Allocation-free extended kernels (undefined when the model has non-integer powers). */
    lossExtPair: PairScalarKernel | undefined;
    gradientExtPair: PairVectorKernel | undefined;
    hessianExtPair: PairVectorKernel | undefined;
    quantitiesExtPair: Map<string, PairScalarKernel>;
  };
}

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkSpec(spec: ModelSpec): void {
  const where = `model ${JSON.stringify(spec.name)}`;
  if (!Array.isArray(spec.params) || spec.params.length === 0) throw new ExprError('params must be a non-empty list', `${where}: params`);
  if (!Array.isArray(spec.hypers) || !spec.hypers.includes('eta')) throw new ExprError('hypers must include eta', `${where}: hypers`);
  const seen = new Set<string>();
  for (const s of [...spec.params, ...spec.hypers, ...Object.keys(spec.quantities ?? {})]) {
    if (!IDENT.test(s)) throw new ExprError(`"${s}" is not a valid name`, `${where}: names`);
    if (seen.has(s)) throw new ExprError(`"${s}" is declared twice`, `${where}: names`);
    seen.add(s);
  }
  if (spec.projection !== undefined) checkProjection(spec.projection, spec.params, `${where}: projection`);
}

function checkProjection(pr: Projection, params: string[], where: string): void {
  const fail = (field: string, why: string): never => {
    throw new ExprError(why, `${where}${field}`);
  };
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  if (typeof pr !== 'object' || pr === null) fail('', 'must be {kind: "box", bounds} or {kind: "halfspace", normal, offset}');
  if (pr.kind === 'box') {
    if (typeof pr.bounds !== 'object' || pr.bounds === null || Object.keys(pr.bounds).length === 0) fail('.bounds', 'must map parameters to [lo, hi]');
    for (const [k, b] of Object.entries(pr.bounds)) {
      if (!params.includes(k)) fail(`.bounds.${k}`, `not a parameter (the model has ${params.join(', ')})`);
      if (!Array.isArray(b) || b.length !== 2 || !finite(b[0]) || !finite(b[1])) fail(`.bounds.${k}`, 'must be [lo, hi] with finite numbers');
      if (b[0] > b[1]) fail(`.bounds.${k}`, `empty: lo ${b[0]} > hi ${b[1]}`);
    }
  } else if (pr.kind === 'halfspace') {
    if (typeof pr.normal !== 'object' || pr.normal === null) fail('.normal', 'must map parameters to coefficients');
    for (const [k, a] of Object.entries(pr.normal)) {
      if (!params.includes(k)) fail(`.normal.${k}`, `not a parameter (the model has ${params.join(', ')})`);
      if (!finite(a)) fail(`.normal.${k}`, 'must be a finite number');
    }
    if (!Object.values(pr.normal).some((a) => a !== 0)) fail('.normal', 'must not be zero');
    if (!finite(pr.offset)) fail('.offset', 'must be a finite number');
  } else fail('.kind', `must be "box" or "halfspace", got ${JSON.stringify((pr as { kind?: unknown }).kind)}`);
}

/**
 * The GD map as trees: p_i - eta dL/dp_i, then the model's projection, built from max/min and
 * constants as written so that every backend of the algebra evaluates the same map.
 */
function gdStep(spec: ModelSpec, gradient: MathNode[]): MathNode[] {
  const raw = spec.params.map((p, i) => new OperatorNode('-', 'subtract', [new SymbolNode(p), new OperatorNode('*', 'multiply', [new SymbolNode('eta'), gradient[i]!])]) as MathNode);
  const pr = spec.projection;
  if (!pr) return raw;
  const num = (x: number) => parse(`(${x})`);
  if (pr.kind === 'box')
    return raw.map((s, i) => {
      const b = pr.bounds[spec.params[i]!];
      if (!b) return s;
      // The box's ends as doubles inside the box as written (1.05 becomes the double below 21/20), so that
      // iterates in every arithmetic, float64 included, lie in the stated box.
      const lo = Rational.fromDouble(b[0]).lt(constantToRational(b[0])) ? nextUp(b[0]) : b[0];
      const hi = Rational.fromDouble(b[1]).gt(constantToRational(b[1])) ? nextDown(b[1]) : b[1];
      return new FunctionNode('max', [exactDouble(lo), new FunctionNode('min', [exactDouble(hi), s])]) as MathNode;
    });
  // Half-space a . theta <= b: theta - a max(0, a . theta - b) / |a|^2.
  const a = spec.params.map((p) => pr.normal[p] ?? 0);
  const norm2 = a.filter((x) => x !== 0).map((x) => `(${x})^2`).join(' + ');
  const dot = raw
    .map((s, i) => (a[i] === 0 ? null : (new OperatorNode('*', 'multiply', [num(a[i]!), s.cloneDeep()]) as MathNode)))
    .filter((x): x is MathNode => x !== null)
    .reduce((x, y) => new OperatorNode('+', 'add', [x, y]) as MathNode);
  const excess = new FunctionNode('max', [num(0), new OperatorNode('-', 'subtract', [dot, num(pr.offset)])]) as MathNode;
  return raw.map((s, i) => (a[i] === 0 ? s : (new OperatorNode('-', 'subtract', [s, new OperatorNode('*', 'multiply', [parse(`(${a[i]}) / (${norm2})`), excess.cloneDeep()])]) as MathNode)));
}

/** A double as a constant tree whose exact value is that double (a decimal string of it need not be). */
function exactDouble(x: number): MathNode {
  const r = Rational.fromDouble(x);
  // A denominator beyond 2^1000 would overflow in float code; such a tiny bound keeps its decimal form.
  if (r.eq(constantToRational(x)) || r.den > 2n ** 1000n) return parse(`(${x})`);
  return parse(`(${r.num}) / (${r.den})`);
}

/** The dynamics in words, for reports: gradient descent, or projected onto which set. */
export function dynamicsText(spec: ModelSpec): string {
  const pr = spec.projection;
  if (!pr) return 'gradient descent';
  if (pr.kind === 'box') return `projected gradient descent onto the box ${Object.entries(pr.bounds).map(([k, [lo, hi]]) => `${k} in [${lo}, ${hi}]`).join(', ')}`;
  const lhs = Object.entries(pr.normal).filter(([, a]) => a !== 0).map(([k, a]) => `${a}*${k}`).join(' + ');
  return `projected gradient descent onto the half-space ${lhs} <= ${pr.offset}`;
}

/** nerdamer's derivative of `text` as a mathjs tree. nerdamer keeps global state: call once per entry. */
function nerdamerDiff(text: string, v: string): MathNode {
  const out = (nerdamer as any).diff(text, v).toString() as string;
  return parse(out);
}

function agreeByExpansion(a: MathNode, b: MathNode, vars: string[]): boolean | undefined {
  try {
    return identityResidual(a, b, vars).isZero();
  } catch (e) {
    if (e instanceof NotRationalFunctionError) return undefined;
    throw e;
  }
}

/** Fallback for non-rational models: relative agreement at fixed pseudo-random points. */
function agreeAtPoints(a: MathNode, b: MathNode, vars: string[]): boolean {
  const fa = a.compile();
  const fb = b.compile();
  let s = 0x9e3779b9;
  const rnd = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  for (let k = 0; k < 32; k++) {
    const scope: Record<string, number> = {};
    for (const v of vars) scope[v] = 0.25 + 1.5 * rnd();
    const x = fa.evaluate(scope) as number;
    const y = fb.evaluate(scope) as number;
    if (!(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y)))) return false;
  }
  return true;
}

const cache = new Map<string, DerivedModel>();

/** Derive gradient, Hessian, GD map and LaTeX of a model, cross-checking mathjs against nerdamer, and compile its kernels. */
export function deriveModel(spec: ModelSpec): DerivedModel {
  const hash = modelHash(spec);
  const hit = cache.get(hash);
  if (hit) return hit;
  checkSpec(spec);
  const where = `model ${JSON.stringify(spec.name)}`;
  const base = new Set([...spec.params, ...spec.hypers]);
  const loss = parseExpr(spec.loss, base, `${where}: loss`);

  // Quantities may use earlier ones: inline in declaration order.
  const quantities = new Map<string, MathNode>();
  const implicit = new Map<string, ImplicitQuantity>();
  for (const [name, def] of Object.entries(spec.quantities ?? {})) {
    const known = new Set([...base, ...quantities.keys()]);
    if (typeof def === 'string') quantities.set(name, substitute(parseExpr(def, known, `${where}: quantities.${name}`), quantities));
    else if (typeof def === 'object' && def !== null) {
      const explicit = new Map([...quantities].filter(([k]) => !implicit.has(k)));
      implicit.set(name, implicitQuantity(name, def, known, explicit, new Set([...implicit.keys(), name]), where));
      quantities.set(name, new SymbolNode(name));
    } else throw new ExprError('must be an expression, or {"root": ..., "between": [lo, hi]}', `${where}: quantities.${name}`);
  }

  const vars = [...spec.params, ...spec.hypers];
  const gradient = spec.params.map((p) => derivative(loss, p));
  const hessian = spec.params.map((_, i) => spec.params.map((q) => derivative(gradient[i]!, q)));

  const crossCheck: CrossCheckEntry[] = [];
  const check = (entry: string, m: MathNode, n: MathNode) => {
    const exp = agreeByExpansion(m, n, vars);
    const agree = exp ?? agreeAtPoints(m, n, vars);
    crossCheck.push({ entry, mathjs: m.toString(), nerdamer: n.toString(), method: exp === undefined ? 'float-points' : 'polynomial-expansion', agree });
    if (!agree) throw new DerivationError(`${where}: mathjs and nerdamer disagree on ${entry}: mathjs ${m.toString()} vs nerdamer ${n.toString()}`);
  };
  const nGrad = spec.params.map((p) => nerdamerDiff(spec.loss, p));
  spec.params.forEach((p, i) => check(`dL/d${p}`, gradient[i]!, nGrad[i]!));
  spec.params.forEach((p, i) =>
    spec.params.forEach((q, j) => {
      if (j >= i) check(`d2L/d${p}d${q}`, hessian[i]![j]!, nerdamerDiff(nGrad[i]!.toString(), q));
    }),
  );

  const derivation: Derivation = {
    spec,
    hash,
    params: [...spec.params],
    hypers: [...spec.hypers],
    loss,
    gradient,
    hessian,
    step: gdStep(spec, gradient),
    quantities,
    implicit,
    crossCheck,
    latex: {
      loss: toLatex(loss),
      gradient: gradient.map(toLatex),
      hessian: hessian.map((r) => r.map(toLatex)),
      quantities: Object.fromEntries(
        [...quantities].map(([k, v]) => {
          const q = implicit.get(k);
          return [k, q ? `${toLatex(v)} \\text{ the root of } ${toLatex(q.poly)} = 0 \\text{ in } (${toLatex(q.lo)}, ${toLatex(q.hi)})` : toLatex(v)];
        }),
      ),
    },
  };
  const model = modelFromDerivation(derivation);
  cache.set(hash, model);
  return model;
}
