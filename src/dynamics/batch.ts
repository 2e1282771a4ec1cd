import type { DerivedModel } from '../symbolic/derive.js';
import type { MathNode } from 'mathjs';
import { buildFunction, FloatProgram, MixedProgram, PAIR_RUNTIME_PARAMS, PairProgram, pairRuntime, normInline, pruneDead, ScaledProgram, ShadowProgram, type PairAtom, type ScaledAtom } from '../symbolic/compile.js';
import { EXT_BAND_EXPONENT, EXT_BAND_HI, EXT_BAND_LO, EXT_HI_WORD, ext, pairLog10Abs, pairToNumber } from '../numeric/extfloat.js';
import { topEigenvalue3 } from '../numeric/eigen3.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import { checkInputs } from './inputs.js';
import { DIVERGED_LOG10, MIN_NORMAL } from './divergence.js';

/**
 * Batch gradient descent: N starts (lanes) advanced by one generated kernel, state in
 * structure-of-arrays Float64Arrays (optionally on a SharedArrayBuffer, see batch-pool.ts), with
 * the sharpness at every iterate and per-lane records cheap enough for a sweep.
 *
 * The kernel is generated from the derived gradient, Hessian and loss trees (compile.ts
 * FloatProgram / PairProgram, shared subexpressions computed once), so a GD step of a lane is
 * bit-identical to GradientDescent's step in the same arithmetic (test/dynamics/batch.test.ts).
 *
 * Sharpness (largest algebraic eigenvalue), 3 parameters: Newton's method on p(x) = det(xI - H)
 * from an upper bound of the top eigenvalue. Right of the largest root p is increasing and convex
 * (all roots are real), so Newton decreases monotonically onto the largest root and never
 * overshoots; the step is det(B) / (sum of the principal 2x2 minors of B), B = xI - H, one division.
 * Upper bound: the previous iterate's eigenvalue + ||H_t - H_{t-1}||_F (Weyl), checked by the
 * leading minors of B (positive iff x is above every eigenvalue), else the Gershgorin bound.
 * Stop when the step is below 1e-9 ||H||_F and p' >= ||H||_F^2 / 8 at the current point: that
 * certifies a gap mu1 - mu2 >= ||H||_F / 16 between the top two eigenvalues, for which Newton's error after that step is
 * below 32 s^2 / ||H||_F <= 3.2e-17 ||H||_F (quadratic convergence with an explicit constant), so
 * the result is as accurate as float64 evaluation of det allows. Without that certificate (a near
 * double top eigenvalue, where det(B) evaluated in float64 loses digits), after 40 iterations, or when
 * neither start is a valid upper bound, the lane falls back to the closed form topEigenvalue3 (and
 * counts it in `fallbacks`). A step that lands on or (by rounding) just below the root ends the
 * iteration too, under the same certificate. Not power iteration: that finds the largest |eigenvalue|.
 * The tolerance is 1e-9 ||H||_F on the step rather than 1e-15, because the certificate turns a step
 * s into an error bound 32 s^2 / ||H||_F: one Newton iteration fewer at the same accuracy.
 * Other parameter counts take the general symmetric eigensolver per step (slow path: it allocates).
 *
 * Extended arithmetic: the lane state is (mantissa, exponent) pairs, the step is PairProgram code
 * (bit-identical to ExtArith), and while every input has exponent 0 and a magnitude within the
 * statically checked range (ShadowProgram.safeInputExponent) the step runs as plain float64 code
 * instead, which computes the same values; only the new theta is then put into canonical form.
 * When a single parameter is below that range (beta1 on its way to 1e-3071 in R3), the step runs as
 * float64 code on that parameter's mantissa with its power of two kept aside (ScaledProgram), which
 * again computes the same values, or hands the step to the mixed pair code when a run-time test of
 * that argument fails (test/dynamics/ext-fast-equivalence.test.ts holds the two to the same bits).
 */

/** Per-lane record fields, each an N-long slice of `rec`. */
export const REC = {
  /** Index of the current iterate. */
  t: 0,
  maxEtaS: 1,
  argmaxEtaS: 2,
  /** eta*S and L at the last observed iterate (the current one after run()). */
  finalEtaS: 3,
  finalLoss: 4,
  /** Step of divergence, -1 if none; what: parameter index, -1 for L, -2 for S; the value. */
  divStep: 5,
  divWhat: 6,
  divValue: 7,
  /** float64 only: first step at which a nonzero parameter became subnormal or zero, -1 if none. */
  underflowStep: 8,
  underflowParam: 9,
  underflowValue: 10,
  /** Sharpness evaluations that needed the closed-form fallback, and Newton iterations in total. */
  fallbacks: 11,
  newtonIters: 12,
  /** extended only: steps taken by a scaled variant (one parameter far below the double range, see emitEvaluation). */
  scaledSteps: 13,
} as const;
const NREC = 14;
/** Warm-start state per lane: the last eigenvalue and the 6 Hessian entries it belongs to (NaN: none). */
const NWARM = 7;

export type BatchArith = 'float64' | 'extended';

export interface BatchLayout {
  N: number;
  /** Parameters and hyperparameters. */
  n: number;
  nh: number;
  arith: BatchArith;
}

/** Float64Array views of one buffer; lane j of field k is at [k * N + j]. */
export interface BatchArrays {
  /** float64: theta values; extended: mantissas. n * N. */
  th: Float64Array;
  /** extended only: exponents (length 0 in float64). */
  thE: Float64Array;
  h: Float64Array;
  hE: Float64Array;
  warm: Float64Array;
  rec: Float64Array;
}

function sizes(L: BatchLayout): number[] {
  const ext = L.arith === 'extended';
  return [L.n * L.N, ext ? L.n * L.N : 0, L.nh * L.N, ext ? L.nh * L.N : 0, NWARM * L.N, NREC * L.N];
}

export function batchBufferBytes(L: BatchLayout): number {
  return sizes(L).reduce((a, b) => a + b, 0) * 8;
}

/** Views of `buffer` (an ArrayBuffer or SharedArrayBuffer of batchBufferBytes bytes). */
export function batchArrays(L: BatchLayout, buffer: ArrayBufferLike): BatchArrays {
  const s = sizes(L);
  let off = 0;
  const v = s.map((len) => {
    const a = new Float64Array(buffer, off, len);
    off += len * 8;
    return a;
  });
  return { th: v[0]!, thE: v[1]!, h: v[2]!, hE: v[3]!, warm: v[4]!, rec: v[5]! };
}

/** (lo, hi, steps, arrays...) -> advances lanes lo..hi-1 by `steps` GD steps each, observing every iterate. */
export type BatchKernel = (
  lo: number,
  hi: number,
  N: number,
  steps: number,
  th: Float64Array,
  thE: Float64Array,
  h: Float64Array,
  hE: Float64Array,
  warm: Float64Array,
  rec: Float64Array,
) => void;


// The warm start lives in locals during a lane's run (loaded once, stored once).
const WARM_LOAD = `let wS = warm[lane], w0 = warm[N + lane], w1 = warm[2 * N + lane], w2 = warm[3 * N + lane], w3 = warm[4 * N + lane], w4 = warm[5 * N + lane], w5 = warm[6 * N + lane];`;
const WARM_STORE = `warm[lane] = wS; warm[N + lane] = w0; warm[2 * N + lane] = w1; warm[3 * N + lane] = w2; warm[4 * N + lane] = w3; warm[5 * N + lane] = w4; warm[6 * N + lane] = w5;`;

/** Newton from a validated upper bound (see the header comment); leaves the eigenvalue in `S`. */
function newtonSource(a: string[]): string {
  const [a00, a01, a02, a11, a12, a22] = a as [string, string, string, string, string, string];
  // One evaluation at x: B = xI - A; minors c00, c11, c22; det; step = det / p'.
  const evalAt = (x: string) => `
      const b00 = ${x} - ${a00}, b11 = ${x} - ${a11}, b22 = ${x} - ${a22};
      const c00 = b11 * b22 - ${a12} * ${a12}, c11 = b00 * b22 - ${a02} * ${a02}, c22 = b00 * b11 - ${a01} * ${a01};
      det = b00 * c00 - ${a01} * (${a01} * b22 + ${a12} * ${a02}) - ${a02} * (${a01} * ${a12} + b11 * ${a02});
      dp = c00 + c11 + c22;
      ok = b00 > 0 && c22 > 0 && det > 0 && dp > 0;`;
  return `
    let S = 0;
    {
      const F2 = ${a00} * ${a00} + ${a11} * ${a11} + ${a22} * ${a22} + 2 * (${a01} * ${a01} + ${a02} * ${a02} + ${a12} * ${a12});
      // Fb >= ||H||_F: a margin that needs no square root (the stopping test compares squares).
      const Fb = Math.abs(${a00}) + Math.abs(${a11}) + Math.abs(${a22}) + 2 * (Math.abs(${a01}) + Math.abs(${a02}) + Math.abs(${a12}));
      let x = 0, det = 0, dp = 0, ok = false, done = false;
      if (wS === wS) {
        const e0 = ${a00} - w0, e1 = ${a01} - w1, e2 = ${a02} - w2;
        const e3 = ${a11} - w3, e4 = ${a12} - w4, e5 = ${a22} - w5;
        x = wS + Math.sqrt(e0 * e0 + e3 * e3 + e5 * e5 + 2 * (e1 * e1 + e2 * e2 + e4 * e4));
        x += 1e-15 * (Fb + Math.abs(x));
        ${evalAt('x')}
      }
      if (!ok) {
        const r0 = ${a00} + Math.abs(${a01}) + Math.abs(${a02}), r1 = ${a11} + Math.abs(${a01}) + Math.abs(${a12}), r2 = ${a22} + Math.abs(${a02}) + Math.abs(${a12});
        x = r0 > r1 ? (r0 > r2 ? r0 : r2) : r1 > r2 ? r1 : r2;
        x += 1e-14 * (Fb + Math.abs(x));
        ${evalAt('x')}
      }
      if (ok) {
        for (let it = 0; it < 40; it++) {
          const s = det / dp;
          nIt++;
          x -= s;
          if (s * s <= 1e-18 * F2) { done = dp >= 0.125 * F2; break; }
          const dpPrev = dp;
          ${evalAt('x')}
          // Landed on the root, or below it by rounding: the step was accurate if the gap was certified.
          if (!ok) { done = dpPrev >= 0.125 * F2; break; }
        }
      }
      if (done) S = x;
      else { S = eig3(${a00}, ${a01}, ${a02}, ${a11}, ${a12}, ${a22}); nFb++; }
      wS = S; w0 = ${a00}; w1 = ${a01}; w2 = ${a02}; w3 = ${a11}; w4 = ${a12}; w5 = ${a22};
    }`;
}

/**
 * The sharpness routine of the kernel as a standalone function, for tests: `warm` holds the warm
 * start (NaN in warm[0]: none) and is updated as in the kernel; stats[0] += Newton iterations,
 * stats[1] += fallbacks to the closed form.
 */
export function makeTop3(): (a00: number, a01: number, a02: number, a11: number, a12: number, a22: number, warm: Float64Array, stats: Float64Array) => number {
  const body = `const lane = 0, N = 1; let nIt = 0, nFb = 0;
${WARM_LOAD}
${newtonSource(['a00', 'a01', 'a02', 'a11', 'a12', 'a22'])}
${WARM_STORE}
stats[0] += nIt; stats[1] += nFb; return S;`;
  return buildFunction<any>(['eig3'], `return function top3(a00, a01, a02, a11, a12, a22, warm, stats) {${body}};`)(topEigenvalue3);
}

/**
 * The one divergence rule of GD in generated code, as a condition that is true when the new value
 * of a parameter ends the run: not finite, or |value| > 10^DIVERGED_LOG10. Float64: `v` is the
 * double; extended: `v` is `[mantissa, exponent]` in canonical form (unbounded exponent, so a runaway
 * never overflows and the bound is what stops it). GD also ends where the loss at an iterate is not
 * finite as a double (`lossFinite` in the kernels): the rule is stated once in README "Divergence".
 */
export function divergedSource(arith: BatchArith, v: string | [string, string]): string {
  if (arith === 'float64') return `!(Math.abs(${v as string}) <= 1e${DIVERGED_LOG10})`;
  const [vm, ve] = v as [string, string];
  // A canonical e < 0 means |value| < 2^-400: finite and far from divergence, no logarithm needed.
  return `(!(${ve} < 0 || (${ve} === 0 && Math.abs(${vm}) < 1e99)) && (!(${vm} - ${vm} === 0) || log10Abs(${vm}, ${ve}) > ${DIVERGED_LOG10}))`;
}

/** Characters of scaled-variant code inlined into one kernel (V8 optimizes no function beyond 60 KB of bytecode). */
const INLINE_BUDGET = 24_000;

/** Generated code of one GD iterate of one lane: loss, gradient, optionally the Hessian, and theta - eta grad. */
interface Evaluation {
  /** Declarations in the factory scope (extended: the step variants). */
  prelude: string[];
  /** Per lane: read theta and the hyperparameters into locals. */
  load: string[];
  /** Per iterate: evaluate. */
  lines: string[];
  hAtoms: string[];
  lossFinite: string;
  lossValue: string;
  /** Per parameter: the new value (float64: one expression; extended: mantissa and exponent). */
  next: (string | [string, string])[];
}

/** Tests only: `scaled: false` leaves out the scaled variants (the kernel they are checked against, bit for bit). */
export interface KernelOptions {
  scaled?: boolean;
}

function emitEvaluation(model: DerivedModel, arith: BatchArith, withHessian: boolean, opts: KernelOptions = {}): Evaluation {
  const { params, hypers } = model;
  const n = params.length;
  if (!hypers.includes('eta')) throw new Error('model has no eta');
  const upper: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) upper.push([i, j]);
  const hessNodes = withHessian ? upper.map(([i, j]) => model.hessian[i]![j]!) : [];
  const nodes = [model.loss, ...model.gradient, ...hessNodes];
  const lines: string[] = [];
  const prelude: string[] = [];
  const load: string[] = [];
  // The GD map (model.step, written once in the derivation), emitted by each arithmetic's program.
  const stepTree = (i: number): MathNode => model.step[i]!;
  if (arith === 'float64') {
    const locals = new Map<string, string>();
    [...params, ...hypers].forEach((v) => locals.set(v, `s_${v}`));
    const prog = new FloatProgram(locals);
    const atoms = nodes.map((nd) => prog.emit(nd));
    const next = params.map((_, i) => prog.emit(stepTree(i)));
    lines.push(...prog.lines);
    load.push(...params.map((p, i) => `let s_${p} = th[${i} * N + lane];`));
    load.push(...hypers.map((p, i) => `const s_${p} = h[${i} * N + lane];`));
    return { prelude, load, lines, hAtoms: atoms.slice(1 + n), lossFinite: `${atoms[0]} - ${atoms[0]} === 0`, lossValue: atoms[0]!, next };
  }
  const slots = new Map<string, PairAtom>();
  [...params, ...hypers].forEach((v) => slots.set(v, { m: `s_${v}_m`, e: `s_${v}_e` }));
  const prog = new PairProgram(slots);
  const atoms = nodes.map((nd) => prog.emit(nd));
  const next = params.map((_, i) => prog.emit(stepTree(i)));
  // Fast path: when every input has exponent 0 and a magnitude the static range analysis allows, the
  // float64 shadow of the same operations gives the same values (ShadowProgram), so only the new
  // theta needs putting into canonical form. Otherwise the pair code runs.
  const fslots = new Map<string, string>();
  [...params, ...hypers].forEach((v) => fslots.set(v, `s_${v}_m`));
  const shadow = new ShadowProgram(fslots);
  const fAtoms = nodes.map((nd) => shadow.emit(nd));
  const fNext = params.map((_, i) => shadow.emit(stepTree(i)));
  const P = shadow.safeInputExponent();
  const inRange = (v: string) => `${v}_e === 0 && (${v}_m === 0 || (Math.abs(${v}_m) >= ${2 ** -P} && Math.abs(${v}_m) < ${2 ** P}))`;
  const nH = atoms.length - 1 - n;
  // The pair and mixed variants of the step are functions of their own (reading IN, writing OUT): one
  // function with all of them would exceed V8's size limit for optimization and run unoptimized. The
  // float64 variants (shadow, scaled) are small and run inline on the lane's locals.
  const symbols = [...params, ...hypers];
  const outNames = ['Ld', ...Array.from({ length: nH }, (_, k) => `hd${k}`), ...params.flatMap((p) => [`nx_${p}_m`, `nx_${p}_e`])];
  const outDecl = `let ${outNames.map((v) => `${v} = 0`).join(', ')};`;
  const outStore = outNames.map((v, k) => `OUT[${k}] = ${v};`);
  const variant = (name: string, body: string[]) => {
    prelude.push(
      `function ${name}() {`,
      `  ${symbols.map((v, k) => `const s_${v}_m = IN[${2 * k}], s_${v}_e = IN[${2 * k + 1}];`).join(' ')}`,
      `  ${outDecl}`,
      ...body.map((l) => '  ' + l),
      `  ${outStore.join(' ')}`,
      `  return true;`,
      `}`,
    );
  };
  // A call of a variant function with the lane's parameters.
  const fromOut = outNames.map((v, k) => `${v} = OUT[${k}];`).join(' ');
  const toIn = params.map((p, k) => `IN[${2 * k}] = s_${p}_m; IN[${2 * k + 1}] = s_${p}_e;`).join(' ');
  const call = (name: string) => `{ ${toIn} ${name}(); ${fromOut} }`;
  const asNum = (a: PairAtom) => `${a.e} === 0 ? ${a.m} : toNum(${a.m}, ${a.e})`;
  const pairBody = [
    ...prog.lines,
    // The sharpness is taken from the Hessian rounded to doubles; L is tested after rounding to a
    // double, so an L beyond 1e308 diverges in both arithmetics.
    `Ld = ${asNum(atoms[0]!)};`,
    ...atoms.slice(1 + n).map((a, k) => `hd${k} = ${asNum(a)};`),
    ...params.map((p, i) => `nx_${p}_m = ${next[i]!.m}; nx_${p}_e = ${next[i]!.e};`),
  ];
  variant('evPair', pairBody);
  // The canonical pair of the double v (exponent 0 unless v leaves the band).
  const canonical = (m: string, e: string, v: string) =>
    `${m} = ${v}; if (!(Math.abs(${m}) >= ${EXT_BAND_LO} && Math.abs(${m}) < ${EXT_BAND_HI})) { P.norm(${m}, 0); ${m} = P.m; ${e} = P.e; }`;
  // Parameter i alone far below the double range: float64 code on its scaled double (ScaledProgram),
  // which runs `bail` (leaving its block or function) to hand the step to evMixed; undefined where
  // the trees or the ranges allow no such code. Inline while the kernel stays small enough for V8 to
  // optimize it (INLINE_BUDGET), a function of its own beyond.
  let inlined = 0;
  const scaledBody = (i: number, bail: string): string[] | undefined => {
    const p = params[i]!;
    const z = `z_${p}`;
    const k = `k_${p}`;
    const sp = new ScaledProgram(new Map(fslots).set(p, z), p, k, `c${i}_`, bail);
    let L: ScaledAtom, H: ScaledAtom[], nxt: ScaledAtom[];
    try {
      L = sp.emit(nodes[0]!);
      H = nodes.slice(1 + n).map((nd) => sp.emit(nd));
      nxt = params.map((_, j) => sp.emit(stepTree(j)));
    } catch {
      return undefined;
    }
    // The dispatch already holds the other inputs within 2^±P with exponent 0; a narrower bound needs its own test.
    const lim = sp.limits(P);
    if (!lim) return undefined;
    const others = symbols.filter((v) => v !== p);
    const guard = lim.P >= P ? '' : ` || !(${others.map((v) => `(s_${v}_m === 0 || (Math.abs(s_${v}_m) >= ${2 ** -lim.P} && Math.abs(s_${v}_m) < ${2 ** lim.P}))`).join(' && ')})`;
    // The nearest double of f 2^(c k): ±0 without a call when even the largest |f| the range analysis
    // allows falls below the subnormals there (ldexp's own cut-off, T < -1076).
    const asDouble = (a: ScaledAtom) => {
      if (a.c === 0) return a.f;
      const hi = sp.shadow.rangeAt(a.f, lim.P)[1];
      return `(${a.f} === 0 ? ${a.f} : ${a.c} * ${k} < ${-1077 - Math.ceil(hi)} ? (${a.f} > 0 ? 0 : -0) : toNum(${a.f}, ${a.c} * ${k}))`;
    };
    const tail = [
      `Ld = ${asDouble(L)}; ${H.map((a, q) => `hd${q} = ${asDouble(a)};`).join(' ')}`,
      ...params.map((q, j) => {
        const a = nxt[j]!;
        const m = `nx_${q}_m`;
        const e = `nx_${q}_e`;
        // f 2^(c k) with f in [1, 2) and c k outside ExtFloat's band is canonical as it stands (the common case: z moves slowly).
        return a.c === 0
          ? canonical(m, e, a.f)
          : `${m} = ${a.f}; ${e} = ${a.c} * ${k}; if (!(Math.abs(${m}) >= 1 && Math.abs(${m}) < 2 && (${e} < ${-EXT_BAND_EXPONENT} || ${e} >= ${EXT_BAND_EXPONENT}))) ${normInline(m, e)}`;
      }),
    ];
    return [
      // z in [1, 2) and k the binary exponent of the parameter (its canonical pair, or a double in the band).
      `let ${k} = s_${p}_e, ${z} = s_${p}_m;`,
      `if (${k} === 0) { F64S[0] = ${z}; const b_ = (U32S[${EXT_HI_WORD}] >>> 20) & 2047; ${k} = b_ - 1023; ${z} = ${z} * POW2T[2097 - b_]; }`,
      `if (!(${k} <= ${lim.kMax} && ${k} >= ${lim.kMin})${guard}) ${bail}`,
      ...sp.prologue(),
      ...pruneDead(sp.lines, tail),
      ...tail,
    ];
  };
  lines.push(outDecl);
  if (P > 0) {
    // Which parameters are outside the safe range this step: 0 runs the float64 shadow, a single
    // one the scaled code for it or else the mixed program (float64 for every subtree without it),
    // more run pair code.
    const shadowBody = [...shadow.lines, `Ld = ${fAtoms[0]}; ${fAtoms.slice(1 + n).map((a, k) => `hd${k} = ${a};`).join(' ')}`];
    for (const [i, p] of params.entries()) shadowBody.push(canonical(`nx_${p}_m`, `nx_${p}_e`, fNext[i]!));
    const dispatch = [`const mask_ = hFast ? ${params.map((p, i) => `(${inRange(`s_${p}`)} ? 0 : ${1 << i})`).join(' | ')} : -1;`, `if (mask_ === 0) {`, ...shadowBody, `}`];
    for (const [i, out] of params.entries()) {
      const inSet = new Set([...hypers, ...params.filter((q) => q !== out)]);
      const mixed = new MixedProgram(slots, new ShadowProgram(fslots, `g${i}_`), inSet, `y${i}_`);
      const asDouble = (nd: MathNode) => {
        const f = mixed.floatAtom(nd);
        if (f !== undefined) return f;
        return `(${asNum(mixed.emit(nd))})`;
      };
      const Lsrc = asDouble(nodes[0]!);
      const Hsrc = nodes.slice(1 + n).map(asDouble);
      const nxt = params.map((_, j) => mixed.emit(stepTree(j)));
      variant(`evMixed${i}`, [
        ...mixed.shadow.lines,
        ...mixed.lines,
        `Ld = ${Lsrc}; ${Hsrc.map((a, k) => `hd${k} = ${a};`).join(' ')}`,
        ...params.map((p, j) => `nx_${p}_m = ${nxt[j]!.m}; nx_${p}_e = ${nxt[j]!.e};`),
      ]);
      const scaled = opts.scaled === false ? undefined : scaledBody(i, `break sc${i};`);
      const size = scaled?.reduce((a, l) => a + l.length, 0) ?? 0;
      if (scaled && (inlined += size) <= INLINE_BUDGET) {
        dispatch.push(`else if (mask_ === ${1 << i}) {`, `let ok_ = false;`, `sc${i}: {`, ...scaled, `ok_ = true; }`, `if (ok_) nSc++; else ${call(`evMixed${i}`)}`, `}`);
      } else if (scaled) {
        variant(`evScaled${i}`, scaledBody(i, 'return false;')!);
        dispatch.push(`else if (mask_ === ${1 << i}) { ${toIn} if (evScaled${i}()) nSc++; else evMixed${i}(); ${fromOut} }`);
      } else dispatch.push(`else if (mask_ === ${1 << i}) ${call(`evMixed${i}`)}`);
    }
    dispatch.push(`else ${call('evPair')}`);
    lines.push(...dispatch);
  } else lines.push(call('evPair'));
  load.push(...params.map((p, i) => `let s_${p}_m = th[${i} * N + lane], s_${p}_e = thE[${i} * N + lane];`));
  load.push(...hypers.map((p, i) => `const s_${p}_m = h[${i} * N + lane], s_${p}_e = hE[${i} * N + lane];`));
  load.push(`const s_eta = toNum(s_eta_m, s_eta_e);`);
  load.push(`const hFast = ${P > 0 ? hypers.map((v) => inRange(`s_${v}`)).join(' && ') : 'false'};`);
  load.push(hypers.map((v, k) => `IN[${2 * (n + k)}] = s_${v}_m; IN[${2 * (n + k) + 1}] = s_${v}_e;`).join(' '));
  prelude.push(`const IN = new Float64Array(${2 * symbols.length}), OUT = new Float64Array(${1 + nH + 2 * n});`);
  return { prelude, load, lines, hAtoms: Array.from({ length: nH }, (_, k) => `hd${k}`), lossFinite: `Ld - Ld === 0`, lossValue: 'Ld', next: params.map((p) => [`nx_${p}_m`, `nx_${p}_e`] as [string, string]) };
}

/**
 * Source of the batch kernel of a model in the given arithmetic: the body of a factory that
 * returns the kernel (see makeBatchKernel for the names in scope). The body of one lane is a loop over
 * iterates: observe (loss, gradient, Hessian, sharpness, records), then one GD step (float64:
 * theta_i - eta * g_i; extended: ExtArith's sub(theta_i, mul(eta, g_i)) on (mantissa, exponent)
 * pairs), with the divergence rule.
 */
export function batchKernelSource(model: DerivedModel, arith: BatchArith, opts: KernelOptions = {}): string {
  const { params } = model;
  const n = params.length;
  const upper: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) upper.push([i, j]);
  const ev = emitEvaluation(model, arith, true, opts);
  const f64 = arith === 'float64';
  const update = params.map((p, i) => {
    const v = ev.next[i]!;
    const value = f64 ? (v as string) : `toNum(${v[0]}, ${v[1]})`;
    return `{
        ${f64 ? `const v = ${v};` : ''}
        if (${divergedSource(arith, f64 ? 'v' : v)}) { rec[${REC.divStep} * N + lane] = t + 1; rec[${REC.divWhat} * N + lane] = ${i}; rec[${REC.divValue} * N + lane] = ${f64 ? 'v' : value}; dead = true; break; }
        ${f64 ? `if (ufStep < 0 && s_${p} !== 0 && Math.abs(v) < ${MIN_NORMAL}) { ufStep = t + 1; rec[${REC.underflowParam} * N + lane] = ${i}; rec[${REC.underflowValue} * N + lane] = v; }` : ''}
        ${f64 ? `nv_${p} = v;` : `nv_${p}_m = ${v[0]}; nv_${p}_e = ${v[1]};`}
      }`;
  });
  const hAtoms = ev.hAtoms;
  const sharp =
    n === 3
      ? newtonSource(hAtoms)
      : n === 1
        ? `const S = ${hAtoms[0]};`
        : `let S = 0; { ${upper.map(([i, j], k) => `Hs[${i * n + j}] = ${hAtoms[k]}; Hs[${j * n + i}] = ${hAtoms[k]};`).join(' ')} S = eigN(Hs); nFb++; }`;
  const nvDecl = f64 ? params.map((p) => `let nv_${p} = 0;`).join(' ') : params.map((p) => `let nv_${p}_m = 0, nv_${p}_e = 0;`).join(' ');
  const nvStore = f64 ? params.map((p) => `s_${p} = nv_${p};`).join(' ') : params.map((p) => `s_${p}_m = nv_${p}_m; s_${p}_e = nv_${p}_e;`).join(' ');
  const thStore = f64
    ? params.map((p, i) => `th[${i} * N + lane] = s_${p};`).join(' ')
    : params.map((p, i) => `th[${i} * N + lane] = s_${p}_m; thE[${i} * N + lane] = s_${p}_e;`).join(' ');
  return `${ev.prelude.join('\n')}
return function batchKernel(lo, hi, N, steps, th, thE, h, hE, warm, rec) {
for (let lane = lo; lane < hi; lane++) {
  if (rec[${REC.divStep} * N + lane] >= 0) continue;
  ${ev.load.join('\n  ')}
  let t = rec[${REC.t} * N + lane];
  let maxES = rec[${REC.maxEtaS} * N + lane], argmax = rec[${REC.argmaxEtaS} * N + lane];
  let lastES = NaN, lastL = NaN, ufStep = rec[${REC.underflowStep} * N + lane], nIt = 0, nFb = 0, nSc = 0, dead = false;
  ${n === 3 ? WARM_LOAD : ''}
  for (let k = 0; ; k++) {
    ${ev.lines.join('\n    ')}
    if (!(${ev.lossFinite})) { rec[${REC.divStep} * N + lane] = t; rec[${REC.divWhat} * N + lane] = -1; rec[${REC.divValue} * N + lane] = ${ev.lossValue}; dead = true; break; }
    ${sharp}
    if (!(S - S === 0)) { rec[${REC.divStep} * N + lane] = t; rec[${REC.divWhat} * N + lane] = -2; rec[${REC.divValue} * N + lane] = S; dead = true; break; }
    const ES = s_eta * S;
    if (ES > maxES) { maxES = ES; argmax = t; }
    lastES = ES; lastL = ${ev.lossValue};
    if (k === steps) break;
    ${nvDecl}
    for (let once = 0; once < 1; once++) {
      ${update.join('\n      ')}
    }
    if (dead) break;
    ${nvStore}
    t++;
  }
  ${thStore}
  ${n === 3 ? WARM_STORE : ''}
  rec[${REC.t} * N + lane] = t; rec[${REC.maxEtaS} * N + lane] = maxES; rec[${REC.argmaxEtaS} * N + lane] = argmax;
  rec[${REC.finalEtaS} * N + lane] = lastES; rec[${REC.finalLoss} * N + lane] = lastL; rec[${REC.underflowStep} * N + lane] = ufStep;
  rec[${REC.fallbacks} * N + lane] += nFb; rec[${REC.newtonIters} * N + lane] += nIt; rec[${REC.scaledSteps} * N + lane] += nSc;
}
};`;
}

/** The step of one lane: returns STEP_OK, STEP_LOSS (the loss at the iterate is not finite) or the index of the parameter that diverged. */
export type LaneStepKernel = (lane: number, N: number, th: Float64Array, thE: Float64Array, h: Float64Array, hE: Float64Array, nth: Float64Array, nthE: Float64Array, out: Float64Array) => number;
export const STEP_OK = -1;
export const STEP_LOSS = -2;

/**
 * Source of the lane step kernel: the GD map of one lane from (th, thE) into (nth, nthE), leaving
 * the current iterate in place, with the divergence rule: out[0] is the loss at the iterate (as a
 * double), or the diverged value. The same emission as the batch kernel, so the iterates are the same bits.
 */
export function laneStepSource(model: DerivedModel, arith: BatchArith, opts: KernelOptions = {}): string {
  const ev = emitEvaluation(model, arith, false, opts);
  const f64 = arith === 'float64';
  const store = model.params.map((p, i) => {
    const v = ev.next[i]!;
    if (f64) return `{ const v = ${v}; if (${divergedSource(arith, 'v')}) { out[0] = v; return ${i}; } nth[${i} * N + lane] = v; }`;
    return `if (${divergedSource(arith, v)}) { out[0] = toNum(${v[0]}, ${v[1]}); return ${i}; } nth[${i} * N + lane] = ${v[0]}; nthE[${i} * N + lane] = ${v[1]};`;
  });
  return `${ev.prelude.join('\n')}
return function laneStep(lane, N, th, thE, h, hE, nth, nthE, out) {
  let nSc = 0;
  ${ev.load.join('\n  ')}
  ${ev.lines.join('\n  ')}
  out[0] = ${ev.lossValue};
  if (!(${ev.lossFinite})) return ${STEP_LOSS};
  ${store.join('\n  ')}
  return ${STEP_OK};
};`;
}

/**
 * Up to `steps` GD steps of one lane in place (th, thE: N = 1), each the lane step kernel's (the same emission, so the
 * same bits): returns how many were taken. It stops before a step the lane step kernel would not take (a loss that is
 * not finite, a parameter that diverges), leaving the iterate it starts from, and after a step whose output repeats its
 * input bit for bit (-0 is not 0), with out[0] = 1 (else 0). For the iterates where a check only steps (steady-run.ts):
 * the hyperparameters are read once, and the iterate stays in locals.
 */
export type LaneRunKernel = (th: Float64Array, thE: Float64Array, h: Float64Array, hE: Float64Array, steps: number, out: Float64Array) => number;

/** Source of the lane run kernel (LaneRunKernel). */
export function laneRunSource(model: DerivedModel, arith: BatchArith, opts: KernelOptions = {}): string {
  return laneLoopSource(model, arith, { name: 'laneRun', params: [], setup: '', visit: () => '' }, opts);
}

/**
 * What a lane loop does at each iterate besides stepping: code that sees the iterate and its successor, each parameter
 * as a [mantissa, exponent] pair of expressions (float64: the double and '0'), and may end the run before the iterate
 * is taken (`break run;`). With nothing to do it is the lane run kernel.
 */
export interface LaneLoopHook {
  name: string;
  /** Parameters of the generated function after (th, thE, h, hE, steps, out). */
  params: string[];
  /** Code after the lane is loaded, before the loop. */
  setup: string;
  /** Code at iterate number k of the run, after its step was computed and taken to be finite. */
  visit(cur: [string, string][], next: [string, string][]): string;
  /** Code after the loop, before the lane is stored. */
  finish?: string;
}

/**
 * Source of a lane loop (th, thE, h, hE, steps, out, ...hook.params) => iterates taken: the lane run kernel's loop
 * (LaneRunKernel: the same stops, the same bits) with the hook's code at every iterate.
 */
export function laneLoopSource(model: DerivedModel, arith: BatchArith, hook: LaneLoopHook, opts: KernelOptions = {}): string {
  const ev = emitEvaluation(model, arith, false, opts);
  const f64 = arith === 'float64';
  const { params } = model;
  // Bit-for-bit equality of doubles without a call: equal, and not 0 against -0 (neither is NaN here: both are finite).
  const same = (a: string, b: string) => `(${a} === ${b} && (${a} !== 0 || 1 / ${a} === 1 / ${b}))`;
  const checks = params.map((p, i) => {
    const v = ev.next[i]!;
    return f64 ? `const nv_${p} = ${v as string}; if (${divergedSource(arith, `nv_${p}`)}) break run;` : `if (${divergedSource(arith, v)}) break run;`;
  });
  const cur = params.map((p): [string, string] => (f64 ? [`s_${p}`, '0'] : [`s_${p}_m`, `s_${p}_e`]));
  const next = params.map((p, i): [string, string] => (f64 ? [`nv_${p}`, '0'] : (ev.next[i] as [string, string])));
  const repeat = params.map((_, i) => (f64 ? same(next[i]![0], cur[i]![0]) : `${same(next[i]![0], cur[i]![0])} && ${next[i]![1]} === ${cur[i]![1]}`)).join(' && ');
  const assign = params.map((_, i) => (f64 ? `${cur[i]![0]} = ${next[i]![0]};` : `${cur[i]![0]} = ${next[i]![0]}; ${cur[i]![1]} = ${next[i]![1]};`)).join(' ');
  const store = params.map((_, i) => (f64 ? `th[${i}] = ${cur[i]![0]};` : `th[${i}] = ${cur[i]![0]}; thE[${i}] = ${cur[i]![1]};`)).join(' ');
  return `${ev.prelude.join('\n')}
return function ${hook.name}(${['th', 'thE', 'h', 'hE', 'steps', 'out', ...hook.params].join(', ')}) {
  const N = 1, lane = 0;
  let nSc = 0, k = 0;
  out[0] = 0;
  ${ev.load.join('\n  ')}
  ${hook.setup}
  run: for (; k < steps; ) {
    ${ev.lines.join('\n    ')}
    if (!(${ev.lossFinite})) break;
    ${checks.join('\n    ')}
    ${hook.visit(cur, next)}
    const rep = ${repeat};
    ${assign}
    k++;
    if (rep) { out[0] = 1; break; }
  }
  ${hook.finish ?? ''}
  ${store}
  return k;
};`;
}

/** Compiles a lane kernel's source (step, run or loop) into its function, with the runtime they share. */
export function compileLaneSource<F>(source: string, extra: Record<string, unknown> = {}): F {
  return buildFunction<(...deps: unknown[]) => F>([...PAIR_RUNTIME_PARAMS, 'toNum', 'log10Abs', ...Object.keys(extra)], source)(...pairRuntime(), pairToNumber, pairLog10Abs, ...Object.values(extra));
}

const runCache = new WeakMap<DerivedModel, Partial<Record<BatchArith, LaneRunKernel>>>();

/** The lane run kernel of a model, generated and compiled once per model and arithmetic. */
export function makeLaneRunKernel(model: DerivedModel, arith: BatchArith): LaneRunKernel {
  return cachedLaneKernel(runCache, model, arith, laneRunSource);
}

const laneCache = new WeakMap<DerivedModel, Partial<Record<BatchArith, LaneStepKernel>>>();

/** The lane step kernel of a model, generated and compiled once per model and arithmetic. */
export function makeLaneStepKernel(model: DerivedModel, arith: BatchArith): LaneStepKernel {
  return cachedLaneKernel(laneCache, model, arith, laneStepSource);
}

/** A lane kernel (step or run: the same evaluation, the same runtime) from its cache, else generated and compiled into it. */
function cachedLaneKernel<K>(cache: WeakMap<DerivedModel, Partial<Record<BatchArith, K>>>, model: DerivedModel, arith: BatchArith, sourceOf: (model: DerivedModel, arith: BatchArith) => string): K {
  let perModel = cache.get(model);
  if (!perModel) cache.set(model, (perModel = {}));
  return (perModel[arith] ??= compileLaneKernel<K>(model, arith, sourceOf));
}

function compileLaneKernel<K>(model: DerivedModel, arith: BatchArith, sourceOf: (model: DerivedModel, arith: BatchArith) => string): K {
  let source: string;
  try {
    source = sourceOf(model, arith);
  } catch (e) {
    // Extended code exists for integer powers only; float64 runs every model.
    if (arith === 'extended') throw new Error(`model ${JSON.stringify(model.spec.name)}: no extended-arithmetic GD step (${(e as Error).message}); run it with --arith float64`);
    throw e;
  }
  return compileLaneSource<K>(source);
}

const kernelCache = new Map<string, BatchKernel>();

/**
 * Compile kernel source (from batchKernelSource) into a function; usable in a worker from the text
 * alone. Cached per source in this thread, so that batches of the same model share one optimized
 * kernel instead of warming up a fresh one each (kernels are not re-entrant, and never need to be).
 */
export function makeBatchKernel(source: string, n: number): BatchKernel {
  const key = `${n}\n${source}`;
  const hit = kernelCache.get(key);
  if (hit) return hit;
  const k = compileBatchKernel(source, n);
  kernelCache.set(key, k);
  return k;
}

function compileBatchKernel(source: string, n: number): BatchKernel {
  const Hs = new Float64Array(n * n);
  const eigN = (H: Float64Array) => topEigenpair(Array.from({ length: n }, (_, i) => Array.from(H.subarray(i * n, i * n + n)))).value;
  const factory = buildFunction<(...deps: unknown[]) => BatchKernel>(
    [...PAIR_RUNTIME_PARAMS, 'eig3', 'eigN', 'Hs', 'toNum', 'log10Abs'],
    source,
  );
  return factory(...pairRuntime(), topEigenvalue3, eigN, Hs, pairToNumber, pairLog10Abs);
}

export interface LaneResult {
  t: number;
  maxEtaS: number;
  argmaxEtaS: number;
  finalEtaS: number;
  finalLoss: number;
  diverged: { step: number; what: string; value: number } | null;
  underflow: { step: number; param: string; value: number } | null;
  fallbacks: number;
  newtonIters: number;
}

export type HyperInput = Record<string, number | ArrayLike<number>>;

/**
 * N lanes of GD on one model. Hyperparameters are per lane (an array) or shared (a number);
 * starts are given per lane. The buffer may be a SharedArrayBuffer so that workers share the state.
 */
export class GDBatch {
  readonly layout: BatchLayout;
  readonly arrays: BatchArrays;
  readonly buffer: ArrayBufferLike;
  private kernel: BatchKernel | undefined;
  private source: string | undefined;

  constructor(
    readonly model: DerivedModel,
    readonly N: number,
    hyper: HyperInput,
    init: (lane: number) => readonly number[],
    readonly arith: BatchArith = 'float64',
    shared = false,
  ) {
    if (!Number.isInteger(N) || N < 1) throw new RangeError(`batch size must be a positive integer, got ${N}`);
    this.layout = { N, n: model.params.length, nh: model.hypers.length, arith };
    const bytes = batchBufferBytes(this.layout);
    this.buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    this.arrays = batchArrays(this.layout, this.buffer);
    const { th, thE, h, hE, warm, rec } = this.arrays;
    const { n, nh } = this.layout;
    for (let lane = 0; lane < N; lane++) {
      const hy: Record<string, number> = {};
      for (const k of Object.keys(hyper)) {
        const v = hyper[k]!;
        hy[k] = typeof v === 'number' ? v : v[lane]!;
      }
      const start = init(lane);
      const hv = checkInputs(model, hy, start);
      for (let k = 0; k < nh; k++) {
        if (arith === 'extended') {
          const x = ext(hv[k]!);
          h[k * N + lane] = x.m;
          hE[k * N + lane] = x.e;
        } else h[k * N + lane] = hv[k]!;
      }
      for (let i = 0; i < n; i++) {
        if (arith === 'extended') {
          const x = ext(start[i]!);
          th[i * N + lane] = x.m;
          thE[i * N + lane] = x.e;
        } else th[i * N + lane] = start[i]!;
      }
      warm[lane] = NaN;
      rec[REC.maxEtaS * N + lane] = -Infinity;
      rec[REC.argmaxEtaS * N + lane] = -1;
      rec[REC.finalEtaS * N + lane] = NaN;
      rec[REC.finalLoss * N + lane] = NaN;
      rec[REC.divStep * N + lane] = -1;
      rec[REC.underflowStep * N + lane] = -1;
    }
  }

  /** The generated kernel source (workers compile the same text). */
  kernelSource(): string {
    return (this.source ??= batchKernelSource(this.model, this.arith));
  }

  /** Advance lanes lo..hi-1 by `steps` steps each (lanes that diverged stay put). */
  run(steps: number, lo = 0, hi = this.N): void {
    this.kernel ??= makeBatchKernel(this.kernelSource(), this.layout.n);
    const { th, thE, h, hE, warm, rec } = this.arrays;
    this.kernel(lo, hi, this.N, steps, th, thE, h, hE, warm, rec);
  }

  result(lane: number): LaneResult {
    const { rec } = this.arrays;
    const N = this.N;
    const r = (k: number) => rec[k * N + lane]!;
    const divStep = r(REC.divStep);
    const what = r(REC.divWhat);
    const uf = r(REC.underflowStep);
    return {
      t: r(REC.t),
      maxEtaS: r(REC.maxEtaS),
      argmaxEtaS: r(REC.argmaxEtaS),
      finalEtaS: r(REC.finalEtaS),
      finalLoss: r(REC.finalLoss),
      diverged: divStep < 0 ? null : { step: divStep, what: what === -1 ? 'L' : what === -2 ? 'S' : this.model.params[what]!, value: r(REC.divValue) },
      underflow: uf < 0 ? null : { step: uf, param: this.model.params[r(REC.underflowParam)]!, value: r(REC.underflowValue) },
      fallbacks: r(REC.fallbacks),
      newtonIters: r(REC.newtonIters),
    };
  }

  /** theta of a lane as doubles (extended: rounded; below the double range reads 0). */
  theta(lane: number): number[] {
    const { th, thE } = this.arrays;
    const N = this.N;
    return Array.from({ length: this.layout.n }, (_, i) =>
      this.arith === 'extended' ? pairToNumber(th[i * N + lane]!, thE[i * N + lane]!) : th[i * N + lane]!,
    );
  }
}

