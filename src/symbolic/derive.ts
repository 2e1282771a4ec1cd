import { createHash } from 'node:crypto';
import { derivative, parse, type MathNode } from 'mathjs';
import nerdamer from 'nerdamer-prime';
import type { ModelSpec } from '../model/spec.js';
import { ExprError, parseExpr, substitute } from './expr.js';
import { arithSource, buildFunction, floatSource } from './compile.js';
import { identityResidual, NotRationalFunctionError } from './rational-function.js';
import { toLatex } from './latex.js';

export type FloatScalarKernel = (th: ArrayLike<number>, h: ArrayLike<number>) => number;
export type FloatVectorKernel = (th: ArrayLike<number>, h: ArrayLike<number>, out: Float64Array) => void;
/** Kernels over an arithmetic object (float64 or extended exponent), see numeric/extfloat.ts. */
export type ArithScalarKernel<T> = (A: unknown, th: readonly T[], h: readonly T[]) => T;
export type ArithVectorKernel<T> = (A: unknown, th: readonly T[], h: readonly T[], out: T[]) => void;

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
  /** Named quantities with references to other quantities inlined. */
  quantities: Map<string, MathNode>;
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
  };
}

export class DerivationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerivationError';
  }
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
}

export function modelHash(spec: ModelSpec): string {
  const canon = JSON.stringify({ p: spec.params, h: spec.hypers, l: spec.loss, q: spec.quantities ?? {} });
  return createHash('sha256').update(canon).digest('hex').slice(0, 16);
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

/** Derive gradient, Hessian, LaTeX and kernels of a model, cross-checking mathjs against nerdamer. */
export function deriveModel(spec: ModelSpec): DerivedModel {
  const hash = modelHash(spec);
  const hit = cache.get(hash);
  if (hit) return hit;
  checkSpec(spec);
  const where = `model ${JSON.stringify(spec.name)}`;
  const base = new Set([...spec.params, ...spec.hypers]);
  const loss = parseExpr(spec.loss, base, `${where}: loss`);

  // Quantities may use earlier ones (S_GFS uses C): inline in declaration order.
  const quantities = new Map<string, MathNode>();
  for (const [name, text] of Object.entries(spec.quantities ?? {})) {
    const known = new Set([...base, ...quantities.keys()]);
    quantities.set(name, substitute(parseExpr(text, known, `${where}: quantities.${name}`), quantities));
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

  const slots = new Map<string, string>();
  spec.params.forEach((p, i) => slots.set(p, `th[${i}]`));
  spec.hypers.forEach((h, i) => slots.set(h, `h[${i}]`));
  const scalar = (node: MathNode) => buildFunction<FloatScalarKernel>(['th', 'h'], `return ${floatSource(node, slots)};`);
  const vector = (nodes: MathNode[]) =>
    buildFunction<FloatVectorKernel>(['th', 'h', 'out'], nodes.map((nd, i) => `out[${i}] = ${floatSource(nd, slots)};`).join('\n'));

  // Arithmetic kernels hoist their constants, converted once per call of the factory.
  const arithKernel = (nodes: MathNode[], vectorOut: boolean) => {
    const consts: number[] = [];
    const constSlot = (v: number) => {
      let i = consts.indexOf(v);
      if (i < 0) i = consts.push(v) - 1;
      return `K[${i}]`;
    };
    const bodies = nodes.map((nd) => arithSource(nd, slots, constSlot));
    const pre = `const K = [${consts.map((c) => `A.fromNumber(${c})`).join(', ')}];`;
    const body = vectorOut ? bodies.map((b, i) => `out[${i}] = ${b};`).join('\n') : `return ${bodies[0]};`;
    return buildFunction<any>(['A', 'th', 'h', 'out'], `${pre}\n${body}`);
  };
  // A model with fractional powers still derives and runs in float64; only extended arithmetic refuses it.
  const arithOrRefuse = (nodes: MathNode[], vectorOut: boolean) => {
    try {
      return arithKernel(nodes, vectorOut);
    } catch (e) {
      const why = (e as Error).message;
      return () => {
        throw new DerivationError(`${where}: ${why}; run it with --arith float64`);
      };
    }
  };
  const tryArith = (node: MathNode) => {
    try {
      return arithKernel([node], false);
    } catch {
      return undefined;
    }
  };

  const quantitiesArith = new Map<string, ArithScalarKernel<any>>();
  for (const [k, v] of quantities) {
    const f = tryArith(v);
    if (f) quantitiesArith.set(k, f);
  }
  const model: DerivedModel = {
    spec,
    hash,
    params: [...spec.params],
    hypers: [...spec.hypers],
    loss,
    gradient,
    hessian,
    quantities,
    crossCheck,
    latex: {
      loss: toLatex(loss),
      gradient: gradient.map(toLatex),
      hessian: hessian.map((r) => r.map(toLatex)),
      quantities: Object.fromEntries([...quantities].map(([k, v]) => [k, toLatex(v)])),
    },
    kernels: {
      loss: scalar(loss),
      gradient: vector(gradient),
      hessian: vector(hessian.flat()),
      quantities: new Map([...quantities].map(([k, v]) => [k, scalar(v)])),
      lossArith: arithOrRefuse([loss], false),
      gradientArith: arithOrRefuse(gradient, true),
      hessianArith: arithOrRefuse(hessian.flat(), true),
      quantitiesArith,
    },
  };
  cache.set(hash, model);
  return model;
}
