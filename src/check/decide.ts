import type { MathNode } from 'mathjs';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison } from '../lemma/compile.js';
import type { Step } from '../dynamics/gd.js';
import { Rational } from '../numeric/rational.js';
import { toRational as extToRational } from '../numeric/extfloat.js';
import { Interval, icompare, UndecidableError } from '../numeric/interval.js';
import { certifyTopEigenvalue } from '../numeric/certified-eigen.js';
import { evalInterval } from '../symbolic/interval-eval.js';

/** Relative band around 0 in which a float slack is not trusted and the iterate is decided exactly. */
export const FLOAT_BAND = 1e-9;

export type Decision = { holds: boolean; slack: number; how: 'float' | 'exact' } | { holds: undefined; slack: number; how: 'undecided'; why: string };

/** The exact values an iterate provides: its parameters as rationals, and (lazily) a certified S. */
export class ExactIterate {
  private theta?: Rational[];
  private S?: Interval;
  constructor(
    private readonly model: DerivedModel,
    private readonly step: Step,
    private readonly hyperExact: ReadonlyMap<string, Interval>,
  ) {}

  params(): Rational[] {
    if (!this.theta)
      this.theta = this.step.thetaExt ? this.step.thetaExt.map(extToRational) : this.step.theta.map((x) => Rational.fromDouble(x));
    return this.theta;
  }

  sharpness(): Interval {
    if (!this.S) {
      const env = new Map<string, Interval>(this.hyperExact);
      this.model.params.forEach((p, i) => env.set(p, Interval.point(this.params()[i]!)));
      const H = this.model.hessian.map((row) => row.map((h) => evalInterval(h, env).lo));
      this.S = certifyTopEigenvalue(H, this.step.topVector);
    }
    return this.S;
  }
}

function relHolds(c: -1 | 0 | 1, rel: CompiledComparison['rel']): boolean {
  switch (rel) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '==':
      return c === 0;
  }
}

export function floatSlack(rel: CompiledComparison['rel'], l: number, r: number): number {
  if (rel === '<' || rel === '<=') return r - l;
  if (rel === '>' || rel === '>=') return l - r;
  return -Math.abs(l - r);
}

export interface ExactContext {
  /** Iterates by suffix: '' (current), '_0', '_next'. */
  iterates: Partial<Record<'' | '_0' | '_next', ExactIterate>>;
  /** Hypers, t, T_event as exact points. */
  scalars: Map<string, Interval>;
}

function exactEnv(model: DerivedModel, uses: Set<string>, ctx: ExactContext): Map<string, Interval> {
  const env = new Map(ctx.scalars);
  for (const suf of ['', '_0', '_next'] as const) {
    const it = ctx.iterates[suf];
    if (!it) continue;
    if (model.params.some((p) => uses.has(p + suf))) model.params.forEach((p, i) => env.set(p + suf, Interval.point(it.params()[i]!)));
    if (uses.has(`S${suf}`)) env.set(`S${suf}`, it.sharpness());
  }
  for (const u of uses) if (!env.has(u)) throw new UndecidableError(`no exact value for ${u} (gradient-flow limits are float-only)`);
  return env;
}

/** Decide a comparison exactly (certified), or say it cannot. */
export function decideExact(model: DerivedModel, c: CompiledComparison, ctx: ExactContext): Decision {
  try {
    const env = exactEnv(model, c.uses, ctx);
    const l = evalInterval(c.lhsExact, env);
    const r = evalInterval(c.rhsExact, env);
    const cmp = icompare(l, r);
    const mid = (x: Interval) => x.lo.add(x.hi).div(Rational.fromInt(2)).toNumber();
    const slack = floatSlack(c.rel, mid(l), mid(r));
    if (cmp === undefined) {
      // Overlapping enclosures still decide a non-strict claim when they touch only at equal points.
      return { holds: undefined, slack, how: 'undecided', why: `enclosures overlap: lhs in [${l.lo.toNumber()}, ${l.hi.toNumber()}], rhs in [${r.lo.toNumber()}, ${r.hi.toNumber()}]` };
    }
    return { holds: relHolds(cmp, c.rel), slack, how: 'exact' };
  } catch (e) {
    if (e instanceof UndecidableError || (e as Error).name === 'RangeError') return { holds: undefined, slack: NaN, how: 'undecided', why: (e as Error).message };
    throw e;
  }
}

/**
 * Decide a comparison at an iterate: by float64 when the slack is clearly outside the band, else
 * exactly; a float "violated" is always confirmed exactly before it counts.
 */
export function decide(model: DerivedModel, c: CompiledComparison, env: Float64Array, ctx: () => ExactContext, exactAlways = false): Decision & { floatSaidFalse?: boolean } {
  const l = c.lhs(env);
  const r = c.rhs(env);
  const slack = floatSlack(c.rel, l, r);
  const band = FLOAT_BAND * (Math.abs(l) + Math.abs(r)) + 1e-300;
  if (!exactAlways && Number.isFinite(slack) && slack > band && c.rel !== '==') return { holds: true, slack, how: 'float' };
  const d = decideExact(model, c, ctx());
  if (d.holds === undefined && Number.isFinite(slack) && Math.abs(slack) > band && c.rel !== '==')
    // The exact evaluation could not run (e.g. a sqrt of a negative enclosure): keep the float verdict but mark it.
    return { holds: slack > 0, slack, how: 'float' };
  return { ...d, floatSaidFalse: Number.isFinite(slack) && slack < -band };
}

export type { MathNode };
