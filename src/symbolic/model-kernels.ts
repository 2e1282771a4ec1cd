import type { MathNode } from './mathjs.js';
import { arithSource, buildFunction, FloatProgram, PAIR_RUNTIME_PARAMS, PairProgram, pairRuntime, usedSymbols, type PairAtom } from './compile.js';
import type { ImplicitQuantity } from './implicit.js';
import type { DerivedModel } from './derive.js';

/**
 * The compiled kernels of a derived model, generated from its trees alone: the same trees give the same
 * sources, whether they were just derived (derive.ts) or imported from a derivation's plain data
 * (derivation-data.ts, how worker threads start without deriving again). This module does no calculus,
 * so a thread that imports a derivation never loads nerdamer or runs mathjs's derivative.
 */

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

export class DerivationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerivationError';
  }
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
  build: typeof buildFunction,
): (th: ArrayLike<number>, h: ArrayLike<number>) => number[] {
  const names = [...implicit.keys()];
  const solvers = [...implicit.values()].map((q) => {
    const ends = build<(th: ArrayLike<number>, h: ArrayLike<number>, out: Float64Array) => void>(['th', 'h', 'out'], floatBody([q.lo, q.hi], (a) => [`out[0] = ${a[0]};`, `out[1] = ${a[1]};`]));
    // p reads its variable from the roots vector at the quantity's own slot (it uses no other implicit quantity).
    const p = build<(th: ArrayLike<number>, h: ArrayLike<number>, r: ArrayLike<number>) => number>(['th', 'h', 'r'], floatBody([q.poly], (a) => [`return ${a[0]};`]));
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

/** Everything a derivation produces except the compiled kernels. */
export type Derivation = Omit<DerivedModel, 'kernels'>;

/**
 * The kernels of a derivation, compiled from its trees. With `sources`, the source of every generated
 * function is appended there (params, then body), in the order they are generated: the test that an
 * imported derivation compiles to the same code as the derived one reads them.
 */
export function compileKernels(d: Derivation, sources?: string[]): DerivedModel['kernels'] {
  const { spec, loss, gradient, hessian, quantities, implicit } = d;
  const where = `model ${JSON.stringify(spec.name)}`;
  const build = <F>(params: string[], fnBody: string): F => {
    sources?.push(`(${params.join(', ')})\n${fnBody}`);
    return buildFunction<F>(params, fnBody);
  };
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
  const scalar = (node: MathNode) => build<FloatScalarKernel>(['th', 'h'], floatBody([node], (a) => [`return ${a[0]};`]));
  const rootsFloat = implicitRootsFloat(implicit, floatBody, build);
  // A quantity that uses an implicit one reads the roots, found once per call.
  const quantityKernel = (node: MathNode): FloatScalarKernel => {
    if (!usedSymbols([node]).some((v) => implicit.has(v))) return scalar(node);
    const f = build<(th: ArrayLike<number>, h: ArrayLike<number>, r: ArrayLike<number>) => number>(['th', 'h', 'r'], floatBody([node], (a) => [`return ${a[0]};`]));
    return (th, h) => f(th, h, rootsFloat(th, h));
  };
  const vector = (nodes: MathNode[]) =>
    build<FloatVectorKernel>(['th', 'h', 'out'], floatBody(nodes, (a) => a.map((x, i) => `out[${i}] = ${x};`)));
  const nParams = spec.params.length;
  const gradHess = build<FloatGradHessKernel>(
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
      const factory = build<(...rt: unknown[]) => F>(PAIR_RUNTIME_PARAMS, `return function kernel(${params.join(', ')}) {\n${body}\n};`);
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
    return build<any>(['A', 'th', 'h', 'out'], `${pre}\n${body}`);
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
  return {
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
  };
}

/**
 * A derivation with its kernels compiled: the one way a DerivedModel is made, from a derivation just done
 * (deriveModel) or one imported from plain data (derivation-data.ts).
 */
export function modelFromDerivation(d: Derivation): DerivedModel {
  return { ...d, kernels: compileKernels(d) };
}

/** The source of every kernel compileKernels generates for `d`, in order (compiled once more to read them). */
export function kernelSources(d: Derivation): string[] {
  const out: string[] = [];
  compileKernels(d, out);
  return out;
}
