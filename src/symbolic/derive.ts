import { createHash } from 'node:crypto';
import { derivative, FunctionNode, OperatorNode, parse, SymbolNode, type MathNode } from './mathjs.js';
import nerdamer from 'nerdamer-prime';
import type { ModelSpec, Projection } from '../model/spec.js';
import { ExprError, parseExpr, substitute } from './expr.js';
import { arithSource, buildFunction, FloatProgram, PAIR_RUNTIME_PARAMS, PairProgram, pairRuntime, usedSymbols, type PairAtom } from './compile.js';
import { constantToRational, identityResidual, NotRationalFunctionError } from './rational-function.js';
import { Rational } from '../numeric/rational.js';
import { nextDown, nextUp } from '../numeric/float-interval.js';
import { toLatex } from './latex.js';
import { implicitQuantity, type ImplicitQuantity } from './implicit.js';

export type FloatScalarKernel = (th: ArrayLike<number>, h: ArrayLike<number>) => number;
export type FloatVectorKernel = (th: ArrayLike<number>, h: ArrayLike<number>, out: Float64Array) => void;
/** Kernels over an arithmetic object (float64 or extended exponent), see numeric/extfloat.ts. */
export type ArithScalarKernel<T> = (A: unknown, th: readonly T[], h: readonly T[]) => T;
export type ArithVectorKernel<T> = (A: unknown, th: readonly T[], h: readonly T[], out: T[]) => void;
/** Float64 gradient and row-major Hessian from one program (shared subexpressions computed once). */
export type FloatGradHessKernel = (th: ArrayLike<number>, h: ArrayLike<number>, g: Float64Array, H: Float64Array) => void;
/**
 * Extended-exponent kernels over (mantissa, exponent) pairs held in separate arrays: value i is
 * m[i] * 2^e[i] in ExtFloat's canonical form (build it with ext()/fromParts(), read it with
 * pairToNumber). Bit-identical to the *Arith kernels with ExtArith, and allocation-free.
 */
export type PairVectorKernel = (
  thM: ArrayLike<number>,
  thE: ArrayLike<number>,
  hM: ArrayLike<number>,
  hE: ArrayLike<number>,
  outM: Float64Array,
  outE: Float64Array,
) => void;
/** Writes the value's mantissa to out[0] and its exponent to out[1]. */
export type PairScalarKernel = (thM: ArrayLike<number>, thE: ArrayLike<number>, hM: ArrayLike<number>, hE: ArrayLike<number>, out: Float64Array) => void;

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

/**
 * The float64 values of the implicit quantities at (th, h): bisection on the sign of p between the
 * interval's ends, 200 halvings at most (a count, so the result does not depend on load). NaN where p
 * does not change sign over the interval. Reports and float-only claims read these; decisions use
 * the rigorous enclosures (check/enclosures.ts) and the exact isolation (check/decide.ts).
 */
function implicitRootsFloat(
  implicit: ReadonlyMap<string, ImplicitQuantity>,
  floatBody: (nodes: MathNode[], store: (atoms: string[]) => string[]) => string,
): (th: ArrayLike<number>, h: ArrayLike<number>) => number[] {
  const names = [...implicit.keys()];
  const solvers = [...implicit.values()].map((q) => {
    const ends = buildFunction<(th: ArrayLike<number>, h: ArrayLike<number>, out: Float64Array) => void>(['th', 'h', 'out'], floatBody([q.lo, q.hi], (a) => [`out[0] = ${a[0]};`, `out[1] = ${a[1]};`]));
    // p reads its variable from the roots vector at the quantity's own slot (it uses no other implicit quantity).
    const p = buildFunction<(th: ArrayLike<number>, h: ArrayLike<number>, r: ArrayLike<number>) => number>(['th', 'h', 'r'], floatBody([q.poly], (a) => [`return ${a[0]};`]));
    const k = names.indexOf(q.name);
    const out = new Float64Array(2);
    const z = new Float64Array(names.length);
    const at = (th: ArrayLike<number>, h: ArrayLike<number>, x: number) => {
      z[k] = x;
      return p(th, h, z);
    };
    return (th: ArrayLike<number>, h: ArrayLike<number>) => {
      ends(th, h, out);
      let a = out[0]!;
      let b = out[1]!;
      if (!(a < b)) return NaN;
      const pa = at(th, h, a);
      if (!(pa * at(th, h, b) < 0)) return NaN;
      for (let i = 0; i < 200; i++) {
        const m = a / 2 + b / 2;
        if (!(a < m && m < b)) break;
        const pm = at(th, h, m);
        if (pm === 0) return m;
        if (pm < 0 === pa < 0) a = m;
        else b = m;
      }
      return a / 2 + b / 2;
    };
  });
  // Every quantity that uses a root asks for the roots at the same point: solve once per point.
  let lastTh: number[] = [];
  let lastH: number[] = [];
  let last: number[] = [];
  const same = (x: ArrayLike<number>, y: number[]) => {
    if (x.length !== y.length) return false;
    for (let i = 0; i < y.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  };
  return (th, h) => {
    if (!same(th, lastTh) || !same(h, lastH)) {
      last = solvers.map((f) => f(th, h));
      lastTh = Array.from(th);
      lastH = Array.from(h);
    }
    return last;
  };
}

/** The dynamics in words, for reports: gradient descent, or projected onto which set. */
export function dynamicsText(spec: ModelSpec): string {
  const pr = spec.projection;
  if (!pr) return 'gradient descent';
  if (pr.kind === 'box') return `projected gradient descent onto the box ${Object.entries(pr.bounds).map(([k, [lo, hi]]) => `${k} in [${lo}, ${hi}]`).join(', ')}`;
  const lhs = Object.entries(pr.normal).filter(([, a]) => a !== 0).map(([k, a]) => `${a}*${k}`).join(' + ');
  return `projected gradient descent onto the half-space ${lhs} <= ${pr.offset}`;
}

export function modelHash(spec: ModelSpec): string {
  // A projection changes the dynamics, so it changes the hash (models without one keep theirs).
  const canon = JSON.stringify({ p: spec.params, h: spec.hypers, l: spec.loss, q: spec.quantities ?? {}, ...(spec.projection ? { pr: spec.projection } : {}) });
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

  const slots = new Map<string, string>();
  spec.params.forEach((p, i) => slots.set(p, `th[${i}]`));
  spec.hypers.forEach((h, i) => slots.set(h, `h[${i}]`));
  // Implicit quantities enter float kernels as a third argument, the roots found by rootsFloat.
  [...implicit.keys()].forEach((k, i) => slots.set(k, `r[${i}]`));
  // Float64 kernels: inputs read into locals once, then one CSE'd straight-line program.
  const locals = new Map<string, string>();
  [...spec.params, ...spec.hypers, ...implicit.keys()].forEach((v) => locals.set(v, `s_${v}`));
  const loads = (nodes: MathNode[]) => usedSymbols(nodes).map((v) => `const s_${v} = ${slots.get(v)};`);
  const floatBody = (nodes: MathNode[], store: (atoms: string[]) => string[]) => {
    const prog = new FloatProgram(locals);
    const atoms = nodes.map((nd) => prog.emit(nd));
    return [...loads(nodes), ...prog.lines, ...store(atoms)].join('\n');
  };
  const scalar = (node: MathNode) => buildFunction<FloatScalarKernel>(['th', 'h'], floatBody([node], (a) => [`return ${a[0]};`]));
  const rootsFloat = implicitRootsFloat(implicit, floatBody);
  // A quantity that uses an implicit one reads the roots, found once per call.
  const quantityKernel = (node: MathNode): FloatScalarKernel => {
    if (!usedSymbols([node]).some((v) => implicit.has(v))) return scalar(node);
    const f = buildFunction<(th: ArrayLike<number>, h: ArrayLike<number>, r: ArrayLike<number>) => number>(['th', 'h', 'r'], floatBody([node], (a) => [`return ${a[0]};`]));
    return (th, h) => f(th, h, rootsFloat(th, h));
  };
  const vector = (nodes: MathNode[]) =>
    buildFunction<FloatVectorKernel>(['th', 'h', 'out'], floatBody(nodes, (a) => a.map((x, i) => `out[${i}] = ${x};`)));
  const nParams = spec.params.length;
  const gradHess = buildFunction<FloatGradHessKernel>(
    ['th', 'h', 'g', 'H'],
    floatBody([...gradient, ...hessian.flat()], (a) => a.map((x, i) => (i < nParams ? `g[${i}] = ${x};` : `H[${i - nParams}] = ${x};`))),
  );

  // Pair kernels: each closes over its own scratch object for the rare slow path.
  const pairSlots = new Map<string, PairAtom>();
  spec.params.forEach((p) => pairSlots.set(p, { m: `s_${p}_m`, e: `s_${p}_e` }));
  spec.hypers.forEach((h) => pairSlots.set(h, { m: `s_${h}_m`, e: `s_${h}_e` }));
  const pairLoads = (nodes: MathNode[]) =>
    usedSymbols(nodes).map((v) => {
      const i = spec.params.indexOf(v);
      const [M, E, k] = i >= 0 ? ['thM', 'thE', i] : ['hM', 'hE', spec.hypers.indexOf(v)];
      return `const s_${v}_m = ${M}[${k}], s_${v}_e = ${E}[${k}];`;
    });
  const pairKernel = <F>(params: string[], nodes: MathNode[], store: (atoms: PairAtom[]) => string[]): F | undefined => {
    try {
      const prog = new PairProgram(pairSlots);
      const atoms = nodes.map((nd) => prog.emit(nd));
      const body = [...pairLoads(nodes), ...prog.lines, ...store(atoms)].join('\n');
      const factory = buildFunction<(...rt: unknown[]) => F>(PAIR_RUNTIME_PARAMS, `return function kernel(${params.join(', ')}) {\n${body}\n};`);
      return factory(...pairRuntime());
    } catch {
      return undefined;
    }
  };
  const pairVector = (nodes: MathNode[]) =>
    pairKernel<PairVectorKernel>(['thM', 'thE', 'hM', 'hE', 'outM', 'outE'], nodes, (a) => a.map((x, i) => `outM[${i}] = ${x.m}; outE[${i}] = ${x.e};`));
  const pairScalar = (node: MathNode) =>
    pairKernel<PairScalarKernel>(['thM', 'thE', 'hM', 'hE', 'out'], [node], (a) => [`out[0] = ${a[0]!.m}; out[1] = ${a[0]!.e};`]);
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
    if (usedSymbols([v]).some((x) => implicit.has(x))) continue;
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
    kernels: {
      loss: scalar(loss),
      gradient: vector(gradient),
      hessian: vector(hessian.flat()),
      quantities: new Map([...quantities].map(([k, v]) => [k, quantityKernel(v)])),
      lossArith: arithOrRefuse([loss], false),
      gradientArith: arithOrRefuse(gradient, true),
      hessianArith: arithOrRefuse(hessian.flat(), true),
      quantitiesArith,
      gradHess,
      lossExtPair: pairScalar(loss),
      gradientExtPair: pairVector(gradient),
      hessianExtPair: pairVector(hessian.flat()),
      quantitiesExtPair: new Map(
        [...quantities].flatMap(([k, v]) => {
          const f = pairScalar(v);
          return f ? [[k, f] as const] : [];
        }),
      ),
    },
  };
  cache.set(hash, model);
  return model;
}
