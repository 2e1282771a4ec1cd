import type { DerivedModel } from '../symbolic/derive.js';
import { topEigenpair3 } from '../numeric/eigen3.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import { ExtArith, ExtFloat, fromParts, log10Abs, pairLog10Abs, pairToNumber, toNumber as extToNumber } from '../numeric/extfloat.js';
import { ExtPairState } from './ext-step.js';

/**
 * Gradient descent theta_{t+1} = theta_t - eta grad L(theta_t), streamed one Step at a time so
 * that a run of any length needs constant memory.
 *
 * 'extended' keeps every number as a float64 mantissa with an unbounded binary exponent: the same
 * rounding as float64 wherever float64 has range, and no underflow where it has not (run R3 of
 * PAPER.md, where beta1 reaches 1e-928). 'float64' is plain IEEE double, kept for speed and for
 * showing what goes wrong.
 */
export type Arithmetic = 'float64' | 'extended';

export interface Step {
  t: number;
  /** theta as doubles (in extended mode a value below the double range reads 0 here: use log10AbsTheta). */
  theta: number[];
  /** log10 |theta_i|, finite for values far outside the double range. */
  log10AbsTheta: number[];
  /** Exact state in extended mode (mantissa, exponent pairs), for exact confirmation. */
  thetaExt?: ExtFloat[];
  L: number;
  log10L: number;
  /** Model quantities (L_osc, C, S_GFS, ...) as doubles. */
  q: Record<string, number>;
  /** log10 of |quantity| where the extended kernel exists (so a tiny L_osc is not read as 0). */
  log10AbsQ: Record<string, number>;
  gradNorm: number;
  /** The gradient, as doubles. */
  grad: number[];
  /** Largest algebraic eigenvalue of the Hessian, and its unit eigenvector. */
  S: number;
  etaS: number;
  topVector: number[];
}

export interface RunOptions {
  steps: number;
  arith?: Arithmetic;
}

export type Termination =
  | { kind: 'completed' }
  | { kind: 'diverged'; step: number; what: string; value: number };

export interface Underflow {
  step: number;
  param: string;
  value: number;
}

export class InputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InputError';
  }
}

/** Validate hyperparameters and start: every value finite, eta > 0, lengths right. */
export function checkInputs(model: DerivedModel, hyper: Record<string, number>, init: readonly number[]): Float64Array {
  for (const h of model.hypers) {
    const v = hyper[h];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`must be a finite number, got ${v}`, h);
  }
  for (const k of Object.keys(hyper)) if (!model.hypers.includes(k)) throw new InputError(`unknown hyperparameter (model has ${model.hypers.join(', ')})`, k);
  if (!(hyper.eta! > 0)) throw new InputError(`must be > 0, got ${hyper.eta}`, 'eta');
  if (init.length !== model.params.length)
    throw new InputError(`needs ${model.params.length} values (${model.params.join(', ')}), got ${init.length}`, 'init');
  init.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new InputError(`must be finite, got ${v}`, `init.${model.params[i]}`);
  });
  return Float64Array.from(model.hypers.map((h) => hyper[h]!));
}

const MIN_NORMAL = 2.2250738585072014e-308;
/** |parameter| above 10^100 counts as divergence in extended arithmetic (float64 overflows near 10^308 anyway). */
export const DIVERGED_LOG10 = 100;

/** One GD trajectory, streamed. */
export class GradientDescent {
  readonly arith: Arithmetic;
  readonly n: number;
  private readonly h: Float64Array;
  private readonly eta: number;
  private th: Float64Array;
  /** Extended state as (mantissa, exponent) pairs, advanced without allocation (src/dynamics/ext-step.ts). */
  private readonly pair: ExtPairState | undefined;
  // The ExtArith path remains for models without pair kernels; it refuses non-integer powers clearly.
  private thExt: ExtFloat[] = [];
  private hExt: ExtFloat[] = [];
  private readonly g: Float64Array;
  private readonly gExt: ExtFloat[];
  private readonly H: Float64Array;
  private readonly HExt: ExtFloat[];
  private readonly pm: Float64Array;
  private readonly pe: Float64Array;
  private readonly out2 = new Float64Array(2);
  private readonly qNames: string[];
  t = 0;
  underflow: Underflow | undefined;

  constructor(
    readonly model: DerivedModel,
    readonly hyper: Record<string, number>,
    init: readonly number[],
    arith: Arithmetic = 'extended',
    /** 'arith': the ExtArith object path, kept as the reference the pair kernels are tested against. */
    opts: { extKernels?: 'pair' | 'arith' } = {},
  ) {
    this.h = checkInputs(model, hyper, init);
    this.eta = hyper.eta!;
    this.arith = arith;
    this.n = model.params.length;
    this.th = Float64Array.from(init);
    this.g = new Float64Array(this.n);
    this.gExt = new Array(this.n);
    this.H = new Float64Array(this.n * this.n);
    this.HExt = new Array(this.n * this.n);
    this.pm = new Float64Array(this.n * this.n);
    this.pe = new Float64Array(this.n * this.n);
    this.qNames = [...model.kernels.quantities.keys()];
    const K = model.kernels;
    if (arith === 'extended' && opts.extKernels !== 'arith' && K.stepExtPair && K.lossExtPair && K.gradientExtPair && K.hessianExtPair) this.pair = new ExtPairState(model, hyper, init);
    else if (arith === 'extended') {
      // Building the ExtArith kernels throws the "run it with --arith float64" error for non-integer powers.
      this.thExt = Array.from(init, (v) => ExtArith.fromNumber(v));
      this.hExt = Array.from(this.h, (v) => ExtArith.fromNumber(v));
    }
  }

  /** The record of the current iterate. */
  observe(): Step {
    const { model, n } = this;
    const K = model.kernels;
    let theta: number[];
    let log10AbsTheta: number[];
    let L: number;
    let log10L: number;
    let thetaExt: ExtFloat[] | undefined;
    const q: Record<string, number> = {};
    const log10AbsQ: Record<string, number> = {};
    const P = this.pair;
    if (P) {
      const { thM, thE, hM, hE } = P;
      const o = this.out2;
      theta = new Array(n);
      log10AbsTheta = new Array(n);
      thetaExt = new Array(n);
      for (let i = 0; i < n; i++) {
        theta[i] = pairToNumber(thM[i]!, thE[i]!);
        log10AbsTheta[i] = pairLog10Abs(thM[i]!, thE[i]!);
        thetaExt[i] = fromParts(thM[i]!, thE[i]!);
      }
      K.lossExtPair!(thM, thE, hM, hE, o);
      L = pairToNumber(o[0]!, o[1]!);
      log10L = pairLog10Abs(o[0]!, o[1]!);
      K.hessianExtPair!(thM, thE, hM, hE, this.pm, this.pe);
      for (let i = 0; i < n * n; i++) this.H[i] = pairToNumber(this.pm[i]!, this.pe[i]!);
      K.gradientExtPair!(thM, thE, hM, hE, this.pm, this.pe);
      for (let i = 0; i < n; i++) this.g[i] = pairToNumber(this.pm[i]!, this.pe[i]!);
      for (const name of this.qNames) {
        const fx = K.quantitiesExtPair.get(name);
        if (fx) {
          fx(thM, thE, hM, hE, o);
          q[name] = pairToNumber(o[0]!, o[1]!);
          log10AbsQ[name] = pairLog10Abs(o[0]!, o[1]!);
        } else {
          q[name] = K.quantities.get(name)!(theta, this.h);
          log10AbsQ[name] = Math.log10(Math.abs(q[name]!));
        }
      }
    } else if (this.arith === 'extended') {
      const A = ExtArith;
      theta = this.thExt.map(extToNumber);
      log10AbsTheta = this.thExt.map(log10Abs);
      thetaExt = this.thExt.slice();
      const Lx = K.lossArith(A, this.thExt, this.hExt) as ExtFloat;
      L = extToNumber(Lx);
      log10L = log10Abs(Lx);
      K.hessianArith(A, this.thExt, this.hExt, this.HExt);
      for (let i = 0; i < n * n; i++) this.H[i] = extToNumber(this.HExt[i]!);
      K.gradientArith(A, this.thExt, this.hExt, this.gExt);
      for (let i = 0; i < n; i++) this.g[i] = extToNumber(this.gExt[i]!);
      for (const [name, f] of K.quantities) {
        const fx = K.quantitiesArith.get(name);
        if (fx) {
          const v = fx(A, this.thExt, this.hExt) as ExtFloat;
          q[name] = extToNumber(v);
          log10AbsQ[name] = log10Abs(v);
        } else {
          q[name] = f(theta, this.h);
          log10AbsQ[name] = Math.log10(Math.abs(q[name]!));
        }
      }
    } else {
      theta = Array.from(this.th);
      log10AbsTheta = theta.map((v) => Math.log10(Math.abs(v)));
      L = K.loss(this.th, this.h);
      log10L = Math.log10(Math.abs(L));
      K.gradHess(this.th, this.h, this.g, this.H);
      for (const [name, f] of K.quantities) {
        q[name] = f(this.th, this.h);
        log10AbsQ[name] = Math.log10(Math.abs(q[name]!));
      }
    }
    let gn = 0;
    for (let i = 0; i < n; i++) gn += this.g[i]! * this.g[i]!;
    const H = this.H;
    const top =
      n === 3
        ? topEigenpair3(H[0]!, H[1]!, H[2]!, H[4]!, H[5]!, H[8]!)
        : topEigenpair(Array.from({ length: n }, (_, i) => Array.from(H.subarray(i * n, i * n + n))));
    const step: Step = {
      t: this.t,
      theta,
      log10AbsTheta,
      L,
      log10L,
      q,
      log10AbsQ,
      gradNorm: Math.sqrt(gn),
      grad: Array.from(this.g),
      S: top.value,
      etaS: this.eta * top.value,
      topVector: Array.from(top.vector),
    };
    if (thetaExt) step.thetaExt = thetaExt;
    return step;
  }

  /** Advance one step. Returns a divergence if the new state is not finite. */
  advance(): Termination {
    const { n, eta } = this;
    const P = this.pair;
    if (P) {
      const d = P.advance();
      this.t++;
      if (d >= 0) return { kind: 'diverged', step: this.t, what: this.model.params[d]!, value: P.thetaNumber(d) };
      return { kind: 'completed' };
    }
    if (this.arith === 'extended') {
      const A = ExtArith;
      this.model.kernels.gradientArith(A, this.thExt, this.hExt, this.gExt);
      const e = A.fromNumber(eta);
      for (let i = 0; i < n; i++) this.thExt[i] = A.sub(this.thExt[i]!, A.mul(e, this.gExt[i]!));
      this.t++;
      for (let i = 0; i < n; i++) {
        const v = this.thExt[i]!;
        // The exponent is unbounded, so a runaway never overflows: call it divergence past DIVERGED.
        if (!Number.isFinite(v.m) || log10Abs(v) > DIVERGED_LOG10)
          return { kind: 'diverged', step: this.t, what: this.model.params[i]!, value: extToNumber(v) };
      }
      return { kind: 'completed' };
    }
    this.model.kernels.gradient(this.th, this.h, this.g);
    this.t++;
    for (let i = 0; i < n; i++) {
      const old = this.th[i]!;
      const v = (this.th[i] = old - eta * this.g[i]!);
      if (!Number.isFinite(v) || Math.abs(v) > 1e100) return { kind: 'diverged', step: this.t, what: this.model.params[i]!, value: v };
      // A nonzero value that fell below the normal range has lost digits, or all of them.
      if (!this.underflow && old !== 0 && Math.abs(v) < MIN_NORMAL)
        this.underflow = { step: this.t, param: this.model.params[i]!, value: v };
    }
    return { kind: 'completed' };
  }
}

/**
 * Run `steps` GD steps, calling `onStep` at every iterate t = 0..steps (or until divergence).
 * A divergence is returned as data; no NaN reaches `onStep`.
 */
export function runGD(
  model: DerivedModel,
  hyper: Record<string, number>,
  init: readonly number[],
  opts: RunOptions,
  onStep: (s: Step) => void | boolean,
): { termination: Termination; underflow: Underflow | undefined; steps: number } {
  const gd = new GradientDescent(model, hyper, init, opts.arith ?? 'extended');
  if (!Number.isInteger(opts.steps) || opts.steps < 0) throw new InputError(`must be a non-negative integer, got ${opts.steps}`, 'steps');
  for (;;) {
    const s = gd.observe();
    if (!Number.isFinite(s.L) || !Number.isFinite(s.S)) {
      const what = !Number.isFinite(s.L) ? 'L' : 'S';
      return { termination: { kind: 'diverged', step: gd.t, what, value: what === 'L' ? s.L : s.S }, underflow: gd.underflow, steps: gd.t };
    }
    if (onStep(s) === false || gd.t >= opts.steps) break;
    const r = gd.advance();
    if (r.kind === 'diverged') return { termination: r, underflow: gd.underflow, steps: gd.t };
  }
  return { termination: { kind: 'completed' }, underflow: gd.underflow, steps: gd.t };
}
