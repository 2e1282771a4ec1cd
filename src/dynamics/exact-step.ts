import type { MathNode } from 'mathjs';
import type { DerivedModel } from '../symbolic/derive.js';
import { log2AbsOfDyadic, Rational } from '../numeric/rational.js';
import { Interval } from '../numeric/interval.js';
import { evalInterval } from '../symbolic/interval-eval.js';
import { toRational as extToRational, type ExtFloat } from '../numeric/extfloat.js';
import { compileDyadic, type DyadicProgram } from '../symbolic/dyadic-eval.js';
import { cmpDyadic, dabs, Dyadic, DyadicArith, DyadicInterval, dyadic, dyadicFromDouble } from '../numeric/dyadic.js';
import type { IteratePoint } from './gd.js';

/** A precision no exact value here reaches: the dyadic program below rounds nothing, and says so by points. */
const EXACT = new DyadicArith(2 ** 40);

function extToDyadic(a: ExtFloat): Dyadic {
  const d = dyadicFromDouble(a.m);
  return d.m === 0n ? d : dyadic(d.m, d.e + a.e);
}

/** model.step as a dyadic program, compiled once per model (null: it has a non-dyadic constant or operation). */
const DYADIC_STEP = new WeakMap<DerivedModel, DyadicProgram | null>();
function dyadicStepOf(model: DerivedModel): DyadicProgram | null {
  let p = DYADIC_STEP.get(model);
  if (p === undefined) {
    try {
      p = compileDyadic(model.step, [...model.params, ...model.hypers]);
    } catch {
      p = null;
    }
    DYADIC_STEP.set(model, p);
  }
  return p;
}

/**
 * The exact GD map G(theta) = theta - eta grad L(theta) in rational arithmetic, applied to a
 * computed iterate. It answers what true GD does from the point the float run actually reached:
 * the sign of a one-step change (does C rise?) and the one-step defect of the computed orbit.
 */
export class ExactGD {
  private readonly hyper: Map<string, Interval>;
  private readonly hyperDyadic: DyadicInterval[];

  constructor(
    private readonly model: DerivedModel,
    hyper: Record<string, number>,
  ) {
    this.hyper = new Map(model.hypers.map((h) => [h, Interval.point(Rational.fromDouble(hyper[h]!))]));
    this.hyperDyadic = model.hypers.map((h) => DyadicInterval.fromDouble(hyper[h]!));
  }

  /**
   * G(p) and p exactly as dyadics, for p the computed iterate: the step compiled once into a dyadic program (a
   * computed iterate and the hyperparameters are dyadic, and so is G(p) for a polynomial step with dyadic
   * constants, without the gcds of rational arithmetic). Undefined where the program does not give exact points.
   */
  nextDyadic(prev: IteratePoint): { p: Dyadic[]; g: Dyadic[] } | undefined {
    const step = dyadicStepOf(this.model);
    if (step === null) return undefined;
    const p = prev.thetaExt ? prev.thetaExt.map(extToDyadic) : prev.theta.map(dyadicFromDouble);
    let out: DyadicInterval[];
    try {
      out = step.run([...p.map((x) => DyadicInterval.point(x)), ...this.hyperDyadic], EXACT);
    } catch {
      return undefined;
    }
    if (out.some((o) => cmpDyadic(o.lo, o.hi) !== 0)) return undefined;
    return { p, g: out.map((o) => o.lo) };
  }

  static iterate(step: IteratePoint): Rational[] {
    return step.thetaExt ? step.thetaExt.map(extToRational) : step.theta.map((x) => Rational.fromDouble(x));
  }

  private env(theta: Rational[]): Map<string, Interval> {
    const env = new Map(this.hyper);
    this.model.params.forEach((p, i) => env.set(p, Interval.point(theta[i]!)));
    return env;
  }

  eval(node: MathNode, theta: Rational[]): Rational {
    return evalInterval(node, this.env(theta)).lo;
  }

  /** theta is a fixed point of exact GD: the gradient vanishes exactly. */
  isFixedPoint(theta: Rational[]): boolean {
    const env = this.env(theta);
    return this.model.gradient.every((g) => evalInterval(g, env).lo.isZero());
  }

  /** The exact GD map: model.step evaluated in rational arithmetic. */
  next(theta: Rational[]): Rational[] {
    const env = this.env(theta);
    return this.model.step.map((s) => evalInterval(s, env).lo);
  }

  /**
   * The one-step defect of a computed orbit: max_i |x_i - G(p)_i| / max(|G(p)_i|, |p_i|) between the
   * computed iterate x after p and the exact GD map of p. About 1e-16 for a faithful orbit. The
   * denominator includes |p_i| because a step that nearly cancels p_i (a sign change of a multiplicative parameter, say)
   * loses relative accuracy in x_i by cancellation, while its error stays at the rounding level of p_i.
   */
  defect(prev: IteratePoint, next: IteratePoint): { value: number; param: string } {
    const fast = this.nextDyadic(prev);
    if (!fast) return this.defectRational(prev, next);
    const x = next.thetaExt ? next.thetaExt.map(extToDyadic) : next.theta.map(dyadicFromDouble);
    let worst = { value: 0, param: this.model.params[0]! };
    fast.g.forEach((gi, i) => {
      const d = EXACT.sub(DyadicInterval.point(x[i]!), DyadicInterval.point(gi)).lo;
      const pi = fast.p[i]!;
      const scale = cmpDyadic(dabs(gi), dabs(pi)) > 0 ? gi : pi;
      // The figure from the rationals' log2, as the rational path below computes it (the same value).
      const rel = scale.m === 0n ? (d.m === 0n ? 0 : Infinity) : Math.exp(Math.log(2) * (log2AbsOfDyadic(d.m, d.e) - log2AbsOfDyadic(scale.m, scale.e)));
      if (rel > worst.value) worst = { value: rel, param: this.model.params[i]! };
    });
    return worst;
  }

  /** The defect in rational arithmetic (a step the dyadic program does not evaluate exactly). */
  defectRational(prev: IteratePoint, next: IteratePoint): { value: number; param: string } {
    const p = ExactGD.iterate(prev);
    const g = this.next(p);
    const x = ExactGD.iterate(next);
    let worst = { value: 0, param: this.model.params[0]! };
    g.forEach((gi, i) => {
      const d = x[i]!.sub(gi).abs();
      const scale = gi.abs().gt(p[i]!.abs()) ? gi : p[i]!;
      const rel = scale.isZero() ? (d.isZero() ? 0 : Infinity) : Math.exp(Math.log(2) * (d.log2Abs() - scale.log2Abs()));
      if (rel > worst.value) worst = { value: rel, param: this.model.params[i]! };
    });
    return worst;
  }

  /** q(G(theta)) - q(theta), exactly. */
  change(q: MathNode, theta: Rational[]): Rational {
    return this.eval(q, this.next(theta)).sub(this.eval(q, theta));
  }
}
