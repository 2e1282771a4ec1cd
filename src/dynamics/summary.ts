import type { MathNode } from 'mathjs';
import type { Step, Termination, Underflow, Arithmetic } from './gd.js';
import { ExactGD } from './exact-step.js';
import type { PackRoles } from '../model/pack.js';

/** [start, end] step ranges (inclusive) where eta*S > 2. */
export type Interval = [number, number];

export interface TrajectorySummary {
  steps: number;
  arithmetic: Arithmetic;
  maxEtaS: number;
  argmaxEtaS: number;
  finalEtaS: number;
  finalLoss: number;
  log10FinalLoss: number;
  /** Number of t with L_{t+1} > L_t. */
  lossIncreases: number;
  firstLossIncrease: number | null;
  /** First t at which the pack's instability quantity exceeds its threshold (roles.instability), or null. */
  firstUnstableStep: number | null;
  /**
   * Number of t at which one exact GD step from the computed iterate raises the pack's gradient-flow
   * invariant C (roles.invariant): C(G(theta_t)) > C(theta_t). Decided in float64 where the change is
   * clearly away from 0, exactly (rational arithmetic) otherwise, so rounding noise is not counted as a
   * rise. null when the pack names no invariant.
   */
  cIncreases: number | null;
  /** How many of those decisions needed exact arithmetic. */
  cDecidedExactly: number | null;
  /** Largest C_{t+1} - C_t between computed iterates, in float64 (null without an invariant). */
  maxCIncrease: number | null;
  /**
   * Largest relative one-step defect max_i |theta_{t+1,i} - G(theta_t)_i| / max(|G(theta_t)_i|, |theta_{t,i}|) between the computed
   * iterate and the exact GD map G applied (in rational arithmetic) to the previous computed iterate, sampled
   * every `defectEvery` steps; null when not measured. About 1e-16 for a faithful orbit.
   */
  maxStepDefect: { value: number; step: number; param: string; every: number } | null;
  /** eta times the pack's gradient-flow-solution sharpness (roles.gfsSharpness) at t = 0 and at the end (null without one). */
  etaSgfsStart: number | null;
  etaSgfsFinal: number | null;
  /** min over t of log10 |theta_i| per parameter. */
  minLog10AbsTheta: Record<string, number>;
  eosIntervals: Interval[];
  underflow: boolean;
  underflowDetail: Underflow | null;
  diverged: number | null;
  divergence: Extract<Termination, { kind: 'diverged' }> | null;
}

/** Folds Steps into a summary, one at a time, in constant memory. */
export class Summarizer {
  private s: Omit<TrajectorySummary, 'underflow' | 'underflowDetail' | 'diverged' | 'divergence' | 'steps' | 'arithmetic'>;
  private prev: Step | undefined;
  private eosStart: number | null = null;

  private readonly exact: { gd: ExactGD; C: MathNode } | undefined;

  private readonly defect: { gd: ExactGD; every: number } | undefined;

  private readonly unstable: { q: string; above: number } | undefined;
  private readonly invariant: string | undefined;
  private readonly gfs: string | undefined;

  /**
   * `roles` says which quantities are the instability indicator, the flow invariant and the GFS sharpness
   * (a pack's roles). With `exactFor` (the exact GD map, and the invariant's tree), rises of the invariant
   * are decided exactly near 0 and the one-step defect is sampled.
   */
  constructor(
    private readonly params: string[],
    private readonly eta: number,
    roles: PackRoles = {},
    exactFor?: { gd: ExactGD; invariant: MathNode | undefined; defectEvery?: number },
  ) {
    this.unstable = roles.instability ? { q: roles.instability.quantity, above: roles.instability.above } : undefined;
    this.invariant = roles.invariant?.quantity;
    this.gfs = roles.gfsSharpness?.quantity;
    if (exactFor?.invariant && this.invariant) this.exact = { gd: exactFor.gd, C: exactFor.invariant };
    if (exactFor && exactFor.defectEvery !== 0) this.defect = { gd: exactFor.gd, every: exactFor.defectEvery ?? 100 };
    this.s = {
      maxEtaS: -Infinity,
      argmaxEtaS: -1,
      finalEtaS: NaN,
      finalLoss: NaN,
      log10FinalLoss: NaN,
      lossIncreases: 0,
      firstLossIncrease: null,
      firstUnstableStep: null,
      cIncreases: null,
      cDecidedExactly: null,
      maxStepDefect: null,
      maxCIncrease: null,
      etaSgfsStart: null,
      etaSgfsFinal: null,
      minLog10AbsTheta: Object.fromEntries(params.map((p) => [p, Infinity])),
      eosIntervals: [],
    };
  }

  add(step: Step): void {
    const s = this.s;
    if (step.etaS > s.maxEtaS) {
      s.maxEtaS = step.etaS;
      s.argmaxEtaS = step.t;
    }
    s.finalEtaS = step.etaS;
    s.finalLoss = step.L;
    s.log10FinalLoss = step.log10L;
    const qo = this.unstable ? step.q[this.unstable.q] : undefined;
    if (qo !== undefined && s.firstUnstableStep === null && qo > this.unstable!.above) s.firstUnstableStep = step.t;
    const sg = this.gfs ? step.q[this.gfs] : undefined;
    if (sg !== undefined) {
      if (s.etaSgfsStart === null) s.etaSgfsStart = this.eta * sg;
      s.etaSgfsFinal = this.eta * sg;
    }
    this.params.forEach((p, i) => {
      if (step.log10AbsTheta[i]! < s.minLog10AbsTheta[p]!) s.minLog10AbsTheta[p] = step.log10AbsTheta[i]!;
    });
    if (step.etaS > 2) {
      if (this.eosStart === null) this.eosStart = step.t;
    } else if (this.eosStart !== null) {
      s.eosIntervals.push([this.eosStart, step.t - 1]);
      this.eosStart = null;
    }
    const p = this.prev;
    if (p && this.defect && p.t % this.defect.every === 0) {
      const worst = this.defect.gd.defect(p, step);
      if (s.maxStepDefect === null || worst.value > s.maxStepDefect.value) s.maxStepDefect = { ...worst, step: p.t, every: this.defect.every };
    }
    if (p) {
      if (step.L > p.L) {
        s.lossIncreases++;
        if (s.firstLossIncrease === null) s.firstLossIncrease = p.t;
      }
      const c0 = this.invariant ? p.q[this.invariant] : undefined;
      const c1 = this.invariant ? step.q[this.invariant] : undefined;
      if (c0 !== undefined && c1 !== undefined) {
        const d = c1 - c0;
        s.maxCIncrease = Math.max(s.maxCIncrease ?? -Infinity, d);
        let rise = d > 0;
        // Below ~100 ulps of C the float difference is rounding noise: decide exactly.
        if (this.exact && Math.abs(d) <= 1e-13 * Math.max(1, Math.abs(c0))) {
          rise = this.exact.gd.change(this.exact.C, ExactGD.iterate(p)).sign() > 0;
          s.cDecidedExactly = (s.cDecidedExactly ?? 0) + 1;
        }
        s.cIncreases = (s.cIncreases ?? 0) + (rise ? 1 : 0);
      }
    } else if (this.invariant && step.q[this.invariant] !== undefined) {
      s.cIncreases = 0;
      if (this.exact) s.cDecidedExactly = 0;
    }
    this.prev = step;
  }

  finish(r: { termination: Termination; underflow: Underflow | undefined; steps: number }, arithmetic: Arithmetic): TrajectorySummary {
    const eos = [...this.s.eosIntervals];
    if (this.eosStart !== null && this.prev) eos.push([this.eosStart, this.prev.t]);
    return {
      steps: r.steps,
      arithmetic,
      ...this.s,
      eosIntervals: eos,
      underflow: r.underflow !== undefined,
      underflowDetail: r.underflow ?? null,
      diverged: r.termination.kind === 'diverged' ? r.termination.step : null,
      divergence: r.termination.kind === 'diverged' ? r.termination : null,
    };
  }
}
