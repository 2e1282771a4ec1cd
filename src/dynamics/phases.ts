/**
 * The three phases of a GD run (docs/paper.md section 1: progressive sharpening; edge of stability;
 * self-stabilization and convergence), as precise step ranges. G is the pack's gradient-flow-solution
 * sharpness (roles.gfsSharpness: the sharpness at the limit of gradient flow from theta_t).
 *
 * - PS: from t = 0 up to (not including) the first t with eta S_t >= 2.
 * - EoS: from that step up to (not including) the convergence start below.
 * - convergence: from the first t (not before the EoS start) from which eta G(theta_t) < 2 holds
 *   at every later step of the run.
 *
 * Why the end of EoS is defined by G and not by "the last t with eta S_t >= 2": once eta G < 2 the
 * point gradient flow would reach is stable for step eta, and from there the loss decreases at every
 * step (on the minimalist model, lemma C8 of its catalogue), which is what a reader of the paper calls
 * the convergence phase. "The last t with eta S >= 2" is fragile: eta S can poke above 2 after that
 * (lemma c12 FALSIFIED, eta S = 2.0044), which would stretch the shaded EoS into monotone
 * convergence. On R1-R3 the two definitions differ by at most 15 steps (R1: 2087 against 2072).
 * "For every later step" rather than "the first time" keeps the definition right for runs in which
 * G rises again; when it never rises, as in R1-R3, the two coincide. Without G (a pack that names no
 * gfsSharpness) the fallback is the step after the last t with eta S >= 2.
 *
 * A run in which eta S never reaches 2 is PS throughout (the sharpness rises to a limit below 2/eta).
 * A run that ends while eta G >= 2 has no convergence phase.
 */

export type PhaseName = 'PS' | 'EoS' | 'convergence';

/** Steps `from` (inclusive) to `to` (exclusive), except that the last phase includes `to` = the last step. */
export interface Phase {
  name: PhaseName;
  from: number;
  to: number;
}

export interface Phases {
  /** First t with eta S_t >= 2, or null if it never happens. */
  eosStart: number | null;
  /** Start of the convergence phase, or null (no EoS, or the run ended during EoS). */
  convergenceStart: number | null;
  /** What ended the EoS phase: 'gfs' (eta G, the definition above) or 'S' (the fallback without G). */
  endCriterion: 'gfs' | 'S';
  lastStep: number;
  /** The nonempty phases in order; they cover [0, lastStep]. */
  phases: Phase[];
}

/** Folds (t, eta S, eta G) into the phase boundaries in constant memory. Steps must come in order. */
export class PhaseTracker {
  private eosStart: number | null = null;
  private lastGfsUnstable = -1;
  private lastSUnstable = -1;
  private sawGfs = false;
  private last = -1;

  /** `etaSgfs` undefined means the pack has no G. A non-finite value counts as "not known to be stable". */
  add(t: number, etaS: number, etaSgfs?: number): void {
    if (t <= this.last) throw new Error(`PhaseTracker: steps must increase (got ${t} after ${this.last})`);
    this.last = t;
    if (etaS >= 2 || Number.isNaN(etaS)) {
      if (this.eosStart === null && etaS >= 2) this.eosStart = t;
      this.lastSUnstable = t;
    }
    if (etaSgfs !== undefined) {
      this.sawGfs = true;
      if (!(etaSgfs < 2)) this.lastGfsUnstable = t;
    }
  }

  finish(): Phases {
    const lastStep = this.last;
    const endCriterion = this.sawGfs ? 'gfs' : 'S';
    if (lastStep < 0) return { eosStart: null, convergenceStart: null, endCriterion, lastStep, phases: [] };
    const eos = this.eosStart;
    if (eos === null) return { eosStart: null, convergenceStart: null, endCriterion, lastStep, phases: [{ name: 'PS', from: 0, to: lastStep }] };
    const stableFrom = (this.sawGfs ? this.lastGfsUnstable : this.lastSUnstable) + 1;
    const conv = Math.max(eos, stableFrom);
    const phases: Phase[] = [];
    if (eos > 0) phases.push({ name: 'PS', from: 0, to: eos });
    if (conv > lastStep) {
      phases.push({ name: 'EoS', from: eos, to: lastStep });
      return { eosStart: eos, convergenceStart: null, endCriterion, lastStep, phases };
    }
    if (conv > eos) phases.push({ name: 'EoS', from: eos, to: conv });
    phases.push({ name: 'convergence', from: conv, to: lastStep });
    return { eosStart: eos, convergenceStart: conv, endCriterion, lastStep, phases };
  }
}

/** The phases of a whole run given as arrays indexed by step (etaSgfs omitted when the pack has no G). */
export function phasesOf(etaS: ArrayLike<number>, etaSgfs?: ArrayLike<number>): Phases {
  if (etaSgfs !== undefined && etaSgfs.length !== etaS.length) throw new Error(`phasesOf: ${etaS.length} values of eta S but ${etaSgfs.length} of eta G (the GFS sharpness)`);
  const p = new PhaseTracker();
  for (let t = 0; t < etaS.length; t++) p.add(t, etaS[t]!, etaSgfs?.[t]);
  return p.finish();
}
