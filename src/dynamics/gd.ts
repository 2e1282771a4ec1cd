import type { DerivedModel } from '../symbolic/derive.js';
import { topEigenpair3 } from '../numeric/eigen3.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import { ext, ExtFloat, fromParts, pairLog10Abs, pairToNumber } from '../numeric/extfloat.js';
import { makeLaneStepKernel, STEP_LOSS, STEP_OK, type LaneStepKernel } from './batch.js';

/**
 * Gradient descent theta_{t+1} = theta_t - eta grad L(theta_t), streamed one Step at a time so
 * that a run of any length needs constant memory.
 *
 * 'extended' keeps every number as a float64 mantissa with an unbounded binary exponent: the same
 * rounding as float64 wherever float64 has range, and no underflow where it has not (run R3 of
 * docs/paper.md, where a parameter reaches 1e-928). 'float64' is plain IEEE double, kept for speed and for
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
  /** The model's named quantities as doubles. */
  q: Record<string, number>;
  /** log10 of |quantity| where the extended kernel exists (so a tiny quantity is not read as 0). */
  log10AbsQ: Record<string, number>;
  gradNorm: number;
  /** The gradient, as doubles. */
  grad: number[];
  /** Largest algebraic eigenvalue of the Hessian, and its unit eigenvector. */
  S: number;
  etaS: number;
  topVector: number[];
}

/** What exact arithmetic needs of an iterate: its computed value (exactly, in extended form where it has one) and an approximate top eigenvector. */
export type IteratePoint = Pick<Step, 't' | 'theta' | 'thetaExt' | 'topVector'>;

/** The IteratePoint of lane state (allocates: for the iterates that are decided exactly). */
export function iteratePoint(t: number, th: Float64Array, thE: Float64Array, arith: Arithmetic, topVector: number[]): IteratePoint {
  const n = th.length;
  const theta = new Array<number>(n);
  if (arith !== 'extended') {
    for (let i = 0; i < n; i++) theta[i] = th[i]!;
    return { t, theta, topVector };
  }
  const thetaExt = new Array<ExtFloat>(n);
  for (let i = 0; i < n; i++) {
    theta[i] = pairToNumber(th[i]!, thE[i]!);
    thetaExt[i] = fromParts(th[i]!, thE[i]!);
  }
  return { t, theta, topVector, thetaExt };
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

export { InputError, checkInputs } from './inputs.js';
export { DIVERGED_LOG10, MIN_NORMAL } from './divergence.js';
import { checkInputs, InputError } from './inputs.js';
import { iterateDiverged, MIN_NORMAL } from './divergence.js';

/**
 * One GD trajectory, streamed: a batch of one on the engine's lane step kernel (batch.ts
 * laneStepSource), the same generated GD map and divergence rule as every batch and every check.
 */
export class GradientDescent {
  readonly arith: Arithmetic;
  readonly n: number;
  private readonly h: Float64Array;
  /** Lane state: theta (float64 values, or extended mantissas) and exponents (0 in float64), and the next iterate. */
  th: Float64Array;
  thE: Float64Array;
  private nth: Float64Array;
  private nthE: Float64Array;
  private readonly hM: Float64Array;
  private readonly hE: Float64Array;
  private readonly kernel: LaneStepKernel;
  private readonly out = new Float64Array(1);
  private readonly obs: Observer;
  t = 0;
  underflow: Underflow | undefined;

  constructor(
    readonly model: DerivedModel,
    readonly hyper: Record<string, number>,
    init: readonly number[],
    arith: Arithmetic = 'extended',
  ) {
    this.h = checkInputs(model, hyper, init);
    this.arith = arith;
    this.n = model.params.length;
    this.kernel = makeLaneStepKernel(model, arith);
    const lane = laneState(model, this.h, init, arith);
    this.th = lane.th;
    this.thE = lane.thE;
    this.hM = lane.hM;
    this.hE = lane.hE;
    this.nth = new Float64Array(this.n);
    this.nthE = new Float64Array(this.n);
    this.obs = new Observer(model, this.h, arith);
  }

  /** The record of the current iterate. */
  observe(): Step {
    return this.obs.observe(this.t, this.th, this.thE);
  }

  /** Advance one step. Returns a divergence if the loss at the iterate or the new state is not finite. */
  advance(): Termination {
    const d = this.kernel(0, 1, this.th, this.thE, this.hM, this.hE, this.nth, this.nthE, this.out);
    if (d === STEP_LOSS) return { kind: 'diverged', step: this.t, what: 'L', value: this.out[0]! };
    this.t++;
    if (d !== STEP_OK) return { kind: 'diverged', step: this.t, what: this.model.params[d]!, value: this.out[0]! };
    if (this.arith === 'float64' && !this.underflow) {
      // A nonzero value that fell below the normal range has lost digits, or all of them.
      for (let i = 0; i < this.n; i++) {
        const v = this.nth[i]!;
        if (this.th[i]! !== 0 && Math.abs(v) < MIN_NORMAL) {
          this.underflow = { step: this.t, param: this.model.params[i]!, value: v };
          break;
        }
      }
    }
    [this.th, this.nth] = [this.nth, this.th];
    [this.thE, this.nthE] = [this.nthE, this.thE];
    return { kind: 'completed' };
  }
}

/** A lane's state arrays for one start: theta and the hyperparameters, as doubles or as extended (mantissa, exponent). */
export function laneState(model: DerivedModel, h: ArrayLike<number>, init: readonly number[], arith: Arithmetic): { th: Float64Array; thE: Float64Array; hM: Float64Array; hE: Float64Array } {
  const n = model.params.length;
  const th = new Float64Array(n);
  const thE = new Float64Array(n);
  const hM = new Float64Array(h.length);
  const hE = new Float64Array(h.length);
  const put = (v: number, m: Float64Array, e: Float64Array, i: number) => {
    if (arith === 'extended') {
      const x = ext(v);
      m[i] = x.m;
      e[i] = x.e;
    } else m[i] = v;
  };
  init.forEach((v, i) => put(v, th, thE, i));
  Array.from(h).forEach((v, i) => put(v, hM, hE, i));
  return { th, thE, hM, hE };
}

/**
 * The record (Step) of an iterate given as lane state: every quantity, its log10, the gradient, the
 * sharpness and its eigenvector. For reports and plots, and for float-only claims; checking a claim
 * with an exact form never builds one.
 */
export class Observer {
  private readonly n: number;
  private readonly g: Float64Array;
  private readonly H: Float64Array;
  private readonly pm: Float64Array;
  private readonly pe: Float64Array;
  private readonly hM: Float64Array;
  private readonly hE: Float64Array;
  private readonly out2 = new Float64Array(2);
  private readonly qNames: string[];
  private readonly eta: number;

  constructor(
    readonly model: DerivedModel,
    private readonly h: Float64Array,
    readonly arith: Arithmetic,
  ) {
    this.eta = h[model.hypers.indexOf('eta')]!;
    this.n = model.params.length;
    this.g = new Float64Array(this.n);
    this.H = new Float64Array(this.n * this.n);
    this.pm = new Float64Array(this.n * this.n);
    this.pe = new Float64Array(this.n * this.n);
    this.qNames = [...model.kernels.quantities.keys()];
    const hs = laneState(model, h, [], arith);
    this.hM = hs.hM;
    this.hE = hs.hE;
    const K = model.kernels;
    if (arith === 'extended' && !(K.lossExtPair && K.gradientExtPair && K.hessianExtPair)) throw new Error(`model ${JSON.stringify(model.spec.name)} has no extended kernels; run it with --arith float64`);
  }

  observe(t: number, th: Float64Array, thE: Float64Array): Step {
    const { model, n } = this;
    const K = model.kernels;
    let theta: number[];
    let log10AbsTheta: number[];
    let L: number;
    let log10L: number;
    let thetaExt: ExtFloat[] | undefined;
    const q: Record<string, number> = {};
    const log10AbsQ: Record<string, number> = {};
    if (this.arith === 'extended') {
      const { hM, hE } = this;
      const o = this.out2;
      theta = new Array(n);
      log10AbsTheta = new Array(n);
      thetaExt = new Array(n);
      for (let i = 0; i < n; i++) {
        theta[i] = pairToNumber(th[i]!, thE[i]!);
        log10AbsTheta[i] = pairLog10Abs(th[i]!, thE[i]!);
        thetaExt[i] = fromParts(th[i]!, thE[i]!);
      }
      K.lossExtPair!(th, thE, hM, hE, o);
      L = pairToNumber(o[0]!, o[1]!);
      log10L = pairLog10Abs(o[0]!, o[1]!);
      K.hessianExtPair!(th, thE, hM, hE, this.pm, this.pe);
      for (let i = 0; i < n * n; i++) this.H[i] = pairToNumber(this.pm[i]!, this.pe[i]!);
      K.gradientExtPair!(th, thE, hM, hE, this.pm, this.pe);
      for (let i = 0; i < n; i++) this.g[i] = pairToNumber(this.pm[i]!, this.pe[i]!);
      for (const name of this.qNames) {
        const fx = K.quantitiesExtPair.get(name);
        if (fx) {
          fx(th, thE, hM, hE, o);
          q[name] = pairToNumber(o[0]!, o[1]!);
          log10AbsQ[name] = pairLog10Abs(o[0]!, o[1]!);
        } else {
          q[name] = K.quantities.get(name)!(theta, this.h);
          log10AbsQ[name] = Math.log10(Math.abs(q[name]!));
        }
      }
    } else {
      theta = Array.from(th);
      log10AbsTheta = theta.map((v) => Math.log10(Math.abs(v)));
      L = K.loss(th, this.h);
      log10L = Math.log10(Math.abs(L));
      K.gradHess(th, this.h, this.g, this.H);
      for (const [name, f] of K.quantities) {
        q[name] = f(th, this.h);
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
      t,
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
    const what = iterateDiverged(s.L, s.S);
    if (what !== null) {
      return { termination: { kind: 'diverged', step: gd.t, what, value: what === 'L' ? s.L : s.S }, underflow: gd.underflow, steps: gd.t };
    }
    if (onStep(s) === false || gd.t >= opts.steps) break;
    const r = gd.advance();
    if (r.kind === 'diverged') return { termination: r, underflow: gd.underflow, steps: gd.t };
  }
  return { termination: { kind: 'completed' }, underflow: gd.underflow, steps: gd.t };
}
