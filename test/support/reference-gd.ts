import type { DerivedModel } from '../../src/symbolic/derive.js';
import { checkInputs, DIVERGED_LOG10, type Arithmetic, type Termination } from '../../src/dynamics/gd.js';
import { ExtArith, type ExtFloat, log10Abs, toNumber as extToNumber } from '../../src/numeric/extfloat.js';

/**
 * The reference GD the engine is tested against: theta - eta grad L written out by hand, with the
 * model's tree-walking ExtArith kernels in extended arithmetic (one ExtFloat object per operation)
 * and the float64 gradient kernel otherwise. Slow and independent of the generated lane kernels
 * (src/dynamics/batch.ts), which must reproduce its iterates bit for bit.
 */
export class ReferenceGD {
  readonly n: number;
  private readonly h: Float64Array;
  private readonly eta: number;
  readonly th: Float64Array;
  thExt: ExtFloat[] = [];
  private readonly hExt: ExtFloat[] = [];
  private readonly g: Float64Array;
  private readonly gExt: ExtFloat[];
  t = 0;

  constructor(
    readonly model: DerivedModel,
    hyper: Record<string, number>,
    init: readonly number[],
    readonly arith: Arithmetic = 'extended',
  ) {
    this.h = checkInputs(model, hyper, init);
    this.eta = hyper.eta!;
    this.n = model.params.length;
    this.th = Float64Array.from(init);
    this.g = new Float64Array(this.n);
    this.gExt = new Array(this.n);
    if (arith === 'extended') {
      this.thExt = Array.from(init, (v) => ExtArith.fromNumber(v));
      this.hExt = Array.from(this.h, (v) => ExtArith.fromNumber(v));
    }
  }

  /** The current theta as (mantissa, exponent) pairs (float64: exponent 0). */
  pairs(): { m: number; e: number }[] {
    return this.arith === 'extended' ? this.thExt.map((x) => ({ m: x.m, e: x.e })) : Array.from(this.th, (m) => ({ m, e: 0 }));
  }

  advance(): Termination {
    const { n, eta } = this;
    // The divergence rule (src/dynamics/divergence.ts): the loss at the iterate must be finite as a double.
    const L = this.arith === 'extended' ? extToNumber(this.model.kernels.lossArith(ExtArith, this.thExt, this.hExt) as ExtFloat) : this.model.kernels.loss(this.th, this.h);
    if (!Number.isFinite(L)) return { kind: 'diverged', step: this.t, what: 'L', value: L };
    if (this.arith === 'extended') {
      const A = ExtArith;
      this.model.kernels.gradientArith(A, this.thExt, this.hExt, this.gExt);
      const e = A.fromNumber(eta);
      for (let i = 0; i < n; i++) this.thExt[i] = A.sub(this.thExt[i]!, A.mul(e, this.gExt[i]!));
      this.t++;
      for (let i = 0; i < n; i++) {
        const v = this.thExt[i]!;
        if (!Number.isFinite(v.m) || log10Abs(v) > DIVERGED_LOG10) return { kind: 'diverged', step: this.t, what: this.model.params[i]!, value: extToNumber(v) };
      }
      return { kind: 'completed' };
    }
    this.model.kernels.gradient(this.th, this.h, this.g);
    this.t++;
    for (let i = 0; i < n; i++) {
      const v = (this.th[i] = this.th[i]! - eta * this.g[i]!);
      if (!Number.isFinite(v) || Math.abs(v) > 1e100) return { kind: 'diverged', step: this.t, what: this.model.params[i]!, value: v };
    }
    return { kind: 'completed' };
  }
}
