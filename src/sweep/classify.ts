import type { Arithmetic, Step, Termination, Underflow } from '../dynamics/gd.js';
import { Summarizer, type TrajectorySummary } from '../dynamics/summary.js';

/**
 * The outcome classes of one GD trajectory theta_0..theta_T, decided in this order (the first that
 * applies wins, so the classes partition the cells):
 *
 *   divergence     the run stopped early: some |parameter| exceeded 10^DIVERGED_LOG10 (see gd.ts), or
 *                  L or S was not finite.
 *   catapult       otherwise, if L_t > K * L_0 at some t (K defaults to 10): the loss rose by more than
 *                  the factor K above its start, whether or not it has come back down by step T.
 *   eos            otherwise, if eta * S_t >= 2 at some t: the run entered the edge of stability, the
 *                  loss staying below K * L_0.
 *   not-converged  otherwise (eta * S_t < 2 and L_t <= K * L_0 at every t), if L_T > tol * L_0 (tol
 *                  defaults to 1e-8): below the edge throughout, and the loss did not fall by the factor
 *                  tol within T steps.
 *   stable         otherwise: eta * S_t < 2 at every t, L_t <= K * L_0 at every t, and converged.
 *
 * Whether the run converged (L_T <= tol * L_0) is a separate field of every row (`converged`), so a
 * catapult or eos cell still on its way down at step T is told apart from one that got there; a
 * divergent cell has converged = false. Until format version 2 of the sweep files, not-converged came
 * right after divergence and took every cell that had not converged, which hid the EoS band at small
 * curvature (lambda2), where the loss falls slowly after the edge.
 *
 * Why K = 10 and not 1: the EoS cycles of run R1 of docs/paper.md (repeated, self-stabilizing) already
 * lift the loss above its start, to 6.4, 8.9, 7.6 and 1.3 times L_0 (steps 264, 551, 1007, 2067),
 * while the single catapult of run R2 lifts it to 40 L_0. With K = 1 every EoS run that oscillates
 * would be a catapult; K = 10 ("an order of magnitude") separates the two reference runs. The
 * boundary is a choice: the row keeps log10 max_t L_t / L_0, so any other K can be applied afterwards.
 *
 * Comparisons use log10 L (kept exactly in extended arithmetic, where L itself may be far below the
 * double range), so "converged" is log10 L_T <= log10 L_0 + log10 tol; a start with L_0 = 0 counts as
 * converged only if L_T = 0 too.
 */
export const CLASSES = ['stable', 'eos', 'catapult', 'not-converged', 'divergence'] as const;
export type CellClass = (typeof CLASSES)[number];

export { DEFAULT_TOL, DEFAULT_CATAPULT } from './limits.js';

export interface CellOutcome {
  class: CellClass;
  /** L_T <= tol * L_0 (false for a divergent run). */
  converged: boolean;
  /** max_t eta S_t - 2 (over the steps run). */
  maxEtaSMinus2: number;
  argmaxEtaS: number;
  finalEtaS: number;
  finalLoss: number;
  log10FinalLoss: number;
  /** max_t log10 (L_t / L_0), t >= 0, so >= 0; > 0 means the loss rose above its start. */
  log10MaxLossRatio: number;
  lossIncreases: number;
  /** Steps actually run (T, or the step of divergence). */
  steps: number;
  divergedAt: number | null;
  /** float64 only: a parameter underflowed (the run is not faithful). */
  underflow: boolean;
}

export interface ClassInputs {
  diverged: boolean;
  log10L0: number;
  log10LT: number;
  log10MaxLossRatio: number;
  maxEtaS: number;
}

export function isConverged(o: Pick<ClassInputs, 'diverged' | 'log10L0' | 'log10LT'>, tol: number): boolean {
  return !o.diverged && (o.log10LT === -Infinity || o.log10LT <= o.log10L0 + Math.log10(tol));
}

export function classify(o: ClassInputs, tol: number, catapult: number): CellClass {
  if (o.diverged) return 'divergence';
  if (o.log10MaxLossRatio > Math.log10(catapult)) return 'catapult';
  if (o.maxEtaS >= 2) return 'eos';
  if (!isConverged(o, tol)) return 'not-converged';
  return 'stable';
}

/** Folds the Steps of one trajectory into its CellOutcome, in constant memory (no exact arithmetic: speed). */
export class CellTracker {
  private readonly sum: Summarizer;
  private log10L0 = NaN;
  private maxRatio = NaN;

  constructor(params: string[], eta: number) {
    this.sum = new Summarizer(params, eta);
  }

  add(s: Step): void {
    this.sum.add(s);
    if (s.t === 0) {
      this.log10L0 = s.log10L;
      this.maxRatio = 0;
    } else {
      const r = s.log10L - this.log10L0;
      // L_0 = 0: any positive L is a rise; 0 after 0 is none (and -Inf - -Inf would be NaN).
      const rr = Number.isNaN(r) ? 0 : r;
      if (rr > this.maxRatio) this.maxRatio = rr;
    }
  }

  finish(r: { termination: Termination; underflow: Underflow | undefined; steps: number }, arith: Arithmetic, tol: number, catapult: number): CellOutcome {
    const s: TrajectorySummary = this.sum.finish(r, arith);
    const o: ClassInputs = { diverged: s.diverged !== null, log10L0: this.log10L0, log10LT: s.log10FinalLoss, log10MaxLossRatio: this.maxRatio, maxEtaS: s.maxEtaS };
    return {
      class: classify(o, tol, catapult),
      converged: isConverged(o, tol),
      maxEtaSMinus2: s.maxEtaS - 2,
      argmaxEtaS: s.argmaxEtaS,
      finalEtaS: s.finalEtaS,
      finalLoss: s.finalLoss,
      log10FinalLoss: s.log10FinalLoss,
      log10MaxLossRatio: this.maxRatio,
      lossIncreases: s.lossIncreases,
      steps: s.steps,
      divergedAt: s.diverged,
      underflow: s.underflow,
    };
  }
}
