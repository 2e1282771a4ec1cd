import type { DerivedModel, PairStepKernel } from '../symbolic/derive.js';
import { ExtFloat, ext, fromParts, pairLog10Abs, pairToNumber } from '../numeric/extfloat.js';
import { DIVERGED_LOG10, checkInputs } from './gd.js';

/**
 * Extended-exponent GD state with no allocation per step: theta as (mantissa, exponent) pairs in
 * Float64Arrays (ExtFloat's canonical form), advanced by the model's generated stepExtPair kernel.
 * Each step performs exactly the roundings of GradientDescent.advance in 'extended' mode
 * (sub(theta_i, mul(eta, g_i)) with ExtArith), so the iterates are bit-identical to it
 * (test/dynamics/ext-step.test.ts on runs R1-R3 and random starts).
 */
export class ExtPairState {
  readonly n: number;
  /** theta_i = thM[i] * 2^thE[i]. */
  readonly thM: Float64Array;
  readonly thE: Float64Array;
  /** Hyperparameters in model.hypers order, converted like GradientDescent does (ext()). */
  readonly hM: Float64Array;
  readonly hE: Float64Array;
  /** The gradient at the previous iterate (written by advance()). */
  readonly gM: Float64Array;
  readonly gE: Float64Array;
  t = 0;
  /** Index of the parameter that diverged during run(), or -1. */
  diverged = -1;
  private readonly kernel: PairStepKernel;

  constructor(
    readonly model: DerivedModel,
    hyper: Record<string, number>,
    init: readonly number[],
  ) {
    const k = model.kernels.stepExtPair;
    if (!k) throw new Error(`model ${JSON.stringify(model.spec.name)} has no extended step kernel (non-integer powers?)`);
    this.kernel = k;
    const h = checkInputs(model, hyper, init);
    this.n = model.params.length;
    this.thM = new Float64Array(this.n);
    this.thE = new Float64Array(this.n);
    this.gM = new Float64Array(this.n);
    this.gE = new Float64Array(this.n);
    this.hM = new Float64Array(h.length);
    this.hE = new Float64Array(h.length);
    h.forEach((v, i) => {
      const x = ext(v);
      this.hM[i] = x.m;
      this.hE[i] = x.e;
    });
    this.setTheta(init);
  }

  /** Replace theta (doubles, or ExtFloats as they are). */
  setTheta(theta: readonly number[] | readonly ExtFloat[]): void {
    theta.forEach((v, i) => {
      const x = typeof v === 'number' ? ext(v) : v;
      this.thM[i] = x.m;
      this.thE[i] = x.e;
    });
  }

  /**
   * One GD step. Returns -1, or the index of the first parameter that is not finite or has
   * |value| > 10^DIVERGED_LOG10 afterwards (the divergence test of GradientDescent.advance).
   */
  advance(): number {
    const d = extStep(this.kernel, this.thM, this.thE, this.hM, this.hE, this.gM, this.gE);
    this.t++;
    return d;
  }

  /** Advance up to `steps` steps; returns the number done (fewer only at a divergence, which is left in `diverged`). */
  run(steps: number): number {
    for (let s = 0; s < steps; s++) {
      const d = this.advance();
      if (d >= 0) {
        this.diverged = d;
        return s + 1;
      }
    }
    return steps;
  }

  /** theta_i as an ExtFloat (allocates: for records, not for the hot loop). */
  thetaExt(i: number): ExtFloat {
    return fromParts(this.thM[i]!, this.thE[i]!);
  }

  thetaExtAll(): ExtFloat[] {
    return Array.from({ length: this.n }, (_, i) => this.thetaExt(i));
  }

  /** theta_i rounded to a double (0 below the double range, like toNumber). */
  thetaNumber(i: number): number {
    return pairToNumber(this.thM[i]!, this.thE[i]!);
  }

  log10AbsTheta(i: number): number {
    return pairLog10Abs(this.thM[i]!, this.thE[i]!);
  }
}

/**
 * Functional form for callers that keep their own arrays: one extended GD step in place. Same
 * contract as ExtPairState.advance (returns -1 or the first diverged parameter index).
 */
export function extStep(
  kernel: PairStepKernel,
  thM: Float64Array,
  thE: Float64Array,
  hM: ArrayLike<number>,
  hE: ArrayLike<number>,
  gM: Float64Array,
  gE: Float64Array,
): number {
  kernel(thM, thE, hM, hE, gM, gE);
  for (let i = 0; i < thM.length; i++) {
    const m = thM[i]!;
    const e = thE[i]!;
    // Cheap common cases first: an exponent-0 value below 1e99, or a canonical e < 0 (|value| < 2^-400),
    // cannot exceed 10^DIVERGED_LOG10 and is finite.
    if (e < 0 || (e === 0 && Math.abs(m) < 1e99)) continue;
    if (!Number.isFinite(m) || pairLog10Abs(m, e) > DIVERGED_LOG10) return i;
  }
  return -1;
}
