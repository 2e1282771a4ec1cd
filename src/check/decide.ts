import type { MathNode } from 'mathjs';
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledComparison } from '../lemma/compile.js';
import type { Step } from '../dynamics/gd.js';
import { Rational } from '../numeric/rational.js';
import { ExactGD } from '../dynamics/exact-step.js';
import { Interval, icompare, roundToGrid, UndecidableError } from '../numeric/interval.js';
import { certifyTopEigenvalue } from '../numeric/certified-eigen.js';
import { evalInterval } from '../symbolic/interval-eval.js';

/** Relative band around 0 in which a float slack is not trusted and the iterate is decided exactly. */
export const FLOAT_BAND = 1e-12;

export type Decision = { holds: boolean; slack: number; how: 'float' | 'exact' } | { holds: undefined; slack: number; how: 'undecided'; why: string };

/** The exact values an iterate provides: its parameters as rationals, and (lazily) a certified S. */
export class ExactIterate {
  private theta?: Rational[];
  private S?: Interval;
  private bits = 0;
  /**
   * `step` supplies the approximate top eigenvector; `exact`, when given, supplies the exact point
   * (one exact GD step from the previous iterate) instead of the step's own computed values.
   */
  constructor(
    private readonly model: DerivedModel,
    readonly step: Step,
    private readonly hyperExact: ReadonlyMap<string, Interval>,
    private readonly exact?: () => Rational[],
  ) {}

  params(): Rational[] {
    if (!this.theta)
      this.theta = this.exact ? this.exact() : ExactGD.iterate(this.step);
    return this.theta;
  }

  /**
   * Certified enclosure of the top Hessian eigenvalue at the exact iterate. The exact parameters can
   * carry thousands of bits (beta1 ~ 2^-10000), so the Hessian is first enclosed entrywise from
   * parameters rounded outward to 2^-k (interval arithmetic), the eigenvalue of the short dyadic
   * lower-endpoint matrix H' is certified, and Weyl's inequality |lambda(H) - lambda(H')| <= n max|H - H'|
   * widens it to an enclosure for every matrix in the entrywise enclosure, the exact Hessian included.
   */
  sharpness(bits = 170): Interval {
    if (!this.S || this.bits < bits) {
      this.bits = bits;
      const th = this.params();
      const scale = Math.max(1, ...th.map((x) => Math.abs(x.toNumber())));
      const k = bits - Math.ceil(Math.log2(scale));
      const env = new Map<string, Interval>(this.hyperExact);
      this.model.params.forEach((p, i) => env.set(p, new Interval(roundToGrid(th[i]!, k, 'down'), roundToGrid(th[i]!, k, 'up'))));
      const n = this.model.params.length;
      const enc = this.model.hessian.map((row) => row.map((h) => evalInterval(h, env)));
      const Hp = enc.map((row, i) => row.map((x, j) => (j >= i ? x.lo : enc[j]![i]!.lo)));
      let e = Rational.fromInt(0);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          const x = enc[i]![j]!;
          const d = x.hi.sub(Hp[i]![j]!).abs();
          const d2 = x.lo.sub(Hp[i]![j]!).abs();
          const m = d.gt(d2) ? d : d2;
          if (m.gt(e)) e = m;
        }
      const ne = e.mul(Rational.fromInt(n));
      const c = certifyTopEigenvalue(Hp, this.step.topVector, bits);
      this.S = new Interval(c.lo.sub(ne), c.hi.add(ne));
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

function exactEnv(model: DerivedModel, uses: Set<string>, ctx: ExactContext, bits: number): Map<string, Interval> {
  const env = new Map(ctx.scalars);
  for (const suf of ['', '_0', '_next'] as const) {
    const it = ctx.iterates[suf];
    if (!it) continue;
    if (model.params.some((p) => uses.has(p + suf))) model.params.forEach((p, i) => env.set(p + suf, Interval.point(it.params()[i]!)));
    if (uses.has(`S${suf}`)) env.set(`S${suf}`, it.sharpness(bits));
  }
  for (const u of uses) if (!env.has(u)) throw new UndecidableError(`no exact value for ${u} (gradient-flow limits are float-only)`);
  return env;
}

/**
 * Decide a comparison exactly (certified), or say it cannot. Enclosures (square roots, eigenvalues)
 * start at about 160 bits and are refined up to 2560 bits while they straddle.
 */
export function decideExact(model: DerivedModel, c: CompiledComparison, ctx: ExactContext): Decision {
  let d = decideExactAt(model, c, ctx, 160);
  for (let bits = 640; d.how === 'undecided' && bits <= 2560 && !d.why.startsWith('no exact value'); bits *= 4) d = decideExactAt(model, c, ctx, bits);
  return d;
}

function decideExactAt(model: DerivedModel, c: CompiledComparison, ctx: ExactContext, bits: number): Decision {
  try {
    const env = exactEnv(model, c.uses, ctx, bits);
    const l = evalInterval(c.lhsExact, env, bits);
    const r = evalInterval(c.rhsExact, env, bits);
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
 * exactly. For a claim (`confirmFalse`), a float "violated" is always confirmed exactly before it
 * counts; a premise that is clearly false in float64 is simply not met.
 */
export function decide(model: DerivedModel, c: CompiledComparison, env: Float64Array, ctx: () => ExactContext, exactAlways = false, confirmFalse = true): Decision & { floatSaidFalse?: boolean } {
  const l = c.lhs(env);
  const r = c.rhs(env);
  const slack = floatSlack(c.rel, l, r);
  const band = FLOAT_BAND * (Math.abs(l) + Math.abs(r)) + 1e-300;
  if (!exactAlways && Number.isFinite(slack) && slack > band && c.rel !== '==') return { holds: true, slack, how: 'float' };
  if (!exactAlways && !confirmFalse && Number.isFinite(slack) && slack < -band) return { holds: false, slack, how: 'float' };
  const d = decideExact(model, c, ctx());
  if (d.holds === undefined && Number.isFinite(slack) && Math.abs(slack) > band && c.rel !== '==')
    // The exact evaluation could not run (e.g. a sqrt of a negative enclosure): keep the float verdict but mark it.
    return { holds: slack > 0, slack, how: 'float' };
  return { ...d, floatSaidFalse: Number.isFinite(slack) && slack < -band };
}

