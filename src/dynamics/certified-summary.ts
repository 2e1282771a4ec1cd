/**
 * What `trajectory --certified` adds to a run's summary: the figures a reader quotes, certified on the
 * TRUE orbit from the exact start (the doubles of the start and of the hyperparameters taken exactly;
 * dynamics/certified-orbit.ts encloses every theta_t in dyadic intervals with outward rounding):
 *
 * - max eta S over every step 0..T: eta S_t is enclosed at every step (the sharpness enclosure of the box
 *   times eta), so the maximum lies in [largest lower end, largest upper end]. Its step is certified only
 *   when that step's lower end is above the upper end of every other step; otherwise the steps whose upper
 *   end reaches the largest lower end are reported: the maximum is attained at one of them, no other. A
 *   step whose S is certainly below (largest lower end so far) / eta (mu I - H positive definite on the
 *   box, numeric/dyadic-eigen.ts) is not enclosed further: its upper end is below that lower end, which
 *   is all the maximum needs, and it costs one interval elimination instead of an eigenvalue enclosure.
 * - the first step of the pack's instability (roles.instability: its quantity above its threshold):
 *   certified only when the quantity is certainly at most the threshold (or undefined) at every earlier
 *   step and certainly above it at that step; otherwise undecided, with the first step that could not be
 *   decided.
 * - the last step's parameters, L, S and eta S.
 *
 * An undecided decision (the max's step, or an instability step) abandons the pass and encloses the orbit
 * again at the next precision, as src/check/certify.ts does, up to the ladder row's decisionBits
 * (numeric/ladder.ts LADDER.certifiedSummary): a count of passes, never a clock, so the same input gives
 * the same answer on any machine. For the max's step that happens only while a doubling still separates
 * more steps: steps with equal eta S (a fixed point) never separate, and one more pass is all they cost.
 * Intervals are printed outward rounded (numeric/dyadic-decimal).
 */
import type { MathNode } from 'mathjs';
import type { DerivedModel } from '../symbolic/derive.js';
import type { PackRoles } from '../model/pack.js';
import { compileDyadic } from '../symbolic/dyadic-eval.js';
import { ConstantNode, SymbolNode } from '../symbolic/mathjs.js';
import { cmpDyadic, DyadicArith, DyadicInterval, type Dyadic } from '../numeric/dyadic.js';
import { positiveDefiniteShift, topEigenvalueDyadic } from '../numeric/dyadic-eigen.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { orbitStep, scheduleOf } from '../numeric/ladder.js';
import { certifiedOrbit, CertifiedStatement, hessianEnclosure, sharpnessEnclosure, type Box, type OrbitVisitor } from './certified-orbit.js';

/** At most this many undecided candidate steps of the maximum are kept by number (the count is always kept). */
const MAX_LISTED = 64;

export interface CertifiedMax {
  /** Enclosure of max_t eta S_t over the steps enclosed: [largest lower end, largest upper end]; 'undecided' if some step's eta S could not be enclosed. */
  value: DyadicInterval | 'undecided';
  /** The step of the maximum when certified (its lower end above every other step's upper end), else null. */
  step: number | null;
  /** Steps at which the maximum may be attained (upper end >= the largest lower end), ascending; the certified step alone when certified. At most MAX_LISTED. */
  candidates: number[];
  /** How many such steps there are (may exceed candidates.length). */
  candidateCount: number;
  /** Steps where eta S is undefined at every point of the box (left out of the maximum). */
  undefinedSteps: number;
  /** The first step whose eta S could not be enclosed (then value is 'undecided'), or null. */
  unenclosedAt: number | null;
  /** The steps the maximum is over: 0..through. */
  through: number;
}

export interface CertifiedFirstStep {
  quantity: string;
  above: number;
  label: string;
  /**
   * certified: `step` is the first step above the threshold (every earlier one certainly not above);
   * never: no step through `through` is above (each certainly not); undecided: `undecidedAt` is the first
   * step that could not be decided (no earlier one above); error: the quantity has no certified enclosure.
   */
  status: 'certified' | 'never' | 'undecided' | 'error';
  step: number | null;
  undecidedAt: number | null;
  through: number;
  /** Steps before the decision where the quantity is undefined at every point of the box (counted as not above). */
  undefinedSteps: number;
  detail?: string;
}

export interface CertifiedSummary {
  status: string;
  bits: number;
  passes: { bits: number; reached: number; end: string }[];
  steps: number;
  widest: { log2RelWidth: number | null; step: number; param: string };
  /** The first step where a parameter's enclosure came to hold 0 (wider than its value), or null: why a wide or cut-short orbit is so. */
  signLost: { step: number; param: string } | null;
  /** Enclosures at the last step enclosed, as exact dyadic intervals (formatted by the report). */
  theta: Record<string, DyadicInterval>;
  L: DyadicInterval | 'undefined' | 'undecided';
  S: DyadicInterval | 'undecided';
  etaS: DyadicInterval | 'undecided';
  maxEtaS: CertifiedMax;
  /** The pack's instability step (null when the pack names no instability role). */
  firstUnstable: CertifiedFirstStep | null;
}

/**
 * What an evaluation that threw means: 'undefined' (a term undefined at every point of the box),
 * 'undecided' (maybe undefined, or a value beyond the dyadic exponent range, as on a diverging orbit), or
 * undefined for an error that is a bug (rethrown by the caller).
 */
function failure(e: unknown): 'undefined' | 'undecided' | undefined {
  if (e instanceof CertainlyUndefined) return 'undefined';
  if (e instanceof MaybeUndefined) return 'undecided';
  if (e instanceof RangeError && /exponent/.test(e.message)) return 'undecided';
  return undefined;
}

/** Running maximum of enclosed values: the largest lower end and the steps whose upper end reaches it. */
class MaxTracker {
  bestLo: Dyadic | undefined;
  private bestHi: Dyadic | undefined;
  /** Steps (and upper ends) with hi >= bestLo, ascending. */
  private cands: { t: number; hi: Dyadic }[] = [];
  undefinedSteps = 0;
  unenclosedAt: number | null = null;
  through = -1;

  /** Step t is certainly below the largest lower end so far (its upper end is below it): not a candidate. */
  below(t: number): void {
    this.through = t;
  }

  add(t: number, v: DyadicInterval | 'undefined' | 'undecided'): void {
    this.through = t;
    if (v === 'undefined') {
      this.undefinedSteps++;
      return;
    }
    if (v === 'undecided') {
      this.unenclosedAt ??= t;
      return;
    }
    if (this.bestHi === undefined || cmpDyadic(v.hi, this.bestHi) > 0) this.bestHi = v.hi;
    if (this.bestLo === undefined || cmpDyadic(v.lo, this.bestLo) > 0) {
      this.bestLo = v.lo;
      // A step below the new lower end cannot be the maximum.
      this.cands = this.cands.filter((c) => cmpDyadic(c.hi, v.lo) >= 0);
    }
    if (cmpDyadic(v.hi, this.bestLo) >= 0) this.cands.push({ t, hi: v.hi });
  }

  /** The step is separated: one candidate (its own upper end reaches its lower end, so it is always one). */
  get decided(): boolean {
    return this.unenclosedAt === null && this.cands.length === 1;
  }

  result(): CertifiedMax {
    const value = this.unenclosedAt !== null || this.bestLo === undefined ? 'undecided' : new DyadicInterval(this.bestLo, this.bestHi!);
    const decided = this.decided && value !== 'undecided';
    return {
      value,
      step: decided ? this.cands[0]!.t : null,
      candidates: this.cands.slice(0, MAX_LISTED).map((c) => c.t),
      candidateCount: this.cands.length,
      undefinedSteps: this.undefinedSteps,
      unenclosedAt: this.unenclosedAt,
      through: this.through,
    };
  }
}

/** The first step of the instability role, decided step by step in order. */
class FirstStepTracker {
  step: number | null = null;
  undecidedAt: number | null = null;
  through = -1;
  undefinedSteps = 0;
  error: string | undefined;
  private readonly statement: CertifiedStatement | undefined;

  constructor(
    model: DerivedModel,
    readonly role: NonNullable<PackRoles['instability']>,
  ) {
    try {
      this.statement = new CertifiedStatement(model, [{ lhs: new SymbolNode(role.quantity) as MathNode, rel: '>', rhs: new ConstantNode(role.above) as MathNode }]);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /** Still deciding (no step found, nothing undecided, no error). */
  get open(): boolean {
    return this.statement !== undefined && this.step === null && this.undecidedAt === null;
  }

  /** Decide step t; returns true when the decision was undecided. */
  visit(t: number, box: Box, hyper: Box, A: DyadicArith): boolean {
    if (!this.open) return false;
    this.through = t;
    let d: ReturnType<CertifiedStatement['decideEach']>[number];
    try {
      d = this.statement!.decideEach({ t, theta: box, hyper, A })[0]!;
    } catch (e) {
      d = failure(e) ?? ((): never => { throw e; })();
    }
    // Undefined: the quantity has no value at any point of the box, so it is not above the threshold (as
    // the float summary, whose NaN > threshold is false).
    if (d === true) this.step = t;
    else if (d === 'undefined') this.undefinedSteps++;
    else if (d === 'undecided') this.undecidedAt = t;
    return d === 'undecided';
  }

  result(): CertifiedFirstStep {
    const { quantity, above, label } = this.role;
    const base = { quantity, above, label, through: this.through, undefinedSteps: this.undefinedSteps };
    if (this.error !== undefined) return { ...base, status: 'error', step: null, undecidedAt: null, detail: this.error };
    if (this.step !== null) return { ...base, status: 'certified', step: this.step, undecidedAt: null };
    if (this.undecidedAt !== null) return { ...base, status: 'undecided', step: null, undecidedAt: this.undecidedAt };
    return { ...base, status: 'never', step: null, undecidedAt: null };
  }
}

interface SummaryVisitor extends OrbitVisitor {
  max: MaxTracker;
  first: FirstStepTracker | undefined;
}

export interface CertifiedSummaryOptions {
  /** Pack roles: the instability role's first step is certified too. */
  roles?: PackRoles;
  /** The passes double from startBits to orbitMaxBits (by default the ladder's row, numeric/ladder.ts LADDER.certifiedSummary). */
  startBits?: number;
  orbitMaxBits?: number;
  /** Undecided decisions ask for more precision only below this (default: the row's decisionBits). */
  decisionMaxBits?: number;
}

/**
 * A run of `steps` GD steps from the exact start, the summary figures certified over every step. A box
 * too wide restarts the orbit at the next precision up to the last (a long run that needs more ends
 * 'wide', its enclosures still valid); an undecided summary decision does so up to decisionMaxBits.
 */
export function certifiedSummary(model: DerivedModel, hyper: Record<string, number>, init: readonly number[], steps: number, options: CertifiedSummaryOptions = {}): CertifiedSummary {
  const row = orbitStep('certifiedSummary');
  const schedule = scheduleOf(row.bits, options.startBits, options.orbitMaxBits);
  const orbitMax = schedule[schedule.length - 1]!;
  const decisionMax = Math.min(options.decisionMaxBits ?? row.decisionBits ?? orbitMax, orbitMax);
  const hyperBox = model.hypers.map((k) => DyadicInterval.fromDouble(hyper[k]!));
  const etaIndex = model.hypers.indexOf('eta');
  if (etaIndex < 0) throw new RangeError(`model ${model.spec.name} has no hyperparameter eta`);
  const eta = hyperBox[etaIndex]!;
  const n = model.params.length;
  // The shortcut below divides by eta: only for eta > 0 (what the CLI allows).
  const etaPositive = eta.lo.sign() > 0;
  const instability = options.roles?.instability;
  // Candidates for the maximum's step after the last pass that reached the end: more precision is tried
  // again only while it separates more steps (two steps whose eta S are equal never separate; a count, so
  // the passes are the same on any machine).
  let lastCandidates: number | undefined;
  const visitor = (bits: number): SummaryVisitor => {
    // A 'refine' at the orbit's last precision would only mark the orbit wide: ask only below both limits.
    const canRefine = bits < decisionMax;
    const max = new MaxTracker();
    const first = instability ? new FirstStepTracker(model, instability) : undefined;
    return {
      max,
      first,
      visit(t: number, box: Box, A: DyadicArith) {
        let etaS: DyadicInterval | 'undefined' | 'undecided' | 'below';
        try {
          const H = hessianEnclosure(model, box, hyperBox, A);
          // Cheaper than enclosing S: a step whose S is certainly below mu = (largest lower end so far) / eta
          // (mu I - H positive definite for every member of the box) cannot be the maximum, nor raise it.
          const mu = max.bestLo === undefined || !etaPositive ? undefined : A.div(DyadicInterval.point(max.bestLo), eta).lo;
          etaS = mu !== undefined && positiveDefiniteShift(H, n, mu, A) ? 'below' : A.mul(topEigenvalueDyadic(H, n, A), eta);
        } catch (e) {
          etaS = failure(e) ?? ((): never => { throw e; })();
        }
        if (etaS === 'below') max.below(t);
        else max.add(t, etaS);
        const undecided = first?.visit(t, box, hyperBox, A) ?? false;
        // Undecided now: more precision may decide it; the rest of this pass would be discarded anyway.
        if (canRefine && (undecided || max.unenclosedAt !== null)) return 'refine';
        if (t === steps && !max.decided) {
          const count = max.result().candidateCount;
          const progress = lastCandidates === undefined || count < lastCandidates;
          lastCandidates = count;
          if (canRefine && progress) return 'refine';
        }
      },
    };
  };
  const orbit = certifiedOrbit(model, hyper, init, steps, { bits: schedule, relWidthBits: row.relWidthBits, visitor });
  const A = new DyadicArith(orbit.bits);
  const theta = Object.fromEntries(model.params.map((p, i) => [p, orbit.box[i]!]));
  let L: CertifiedSummary['L'];
  try {
    L = compileDyadic([model.loss], [...model.params, ...model.hypers]).run([...orbit.box, ...orbit.hyper], A)[0]!;
  } catch (e) {
    L = failure(e) ?? ((): never => { throw e; })();
  }
  let S: CertifiedSummary['S'] = 'undecided';
  let etaS: CertifiedSummary['etaS'] = 'undecided';
  try {
    S = sharpnessEnclosure(model, orbit.box, orbit.hyper, A);
    etaS = A.mul(S, orbit.hyper[etaIndex]!);
  } catch (e) {
    if (failure(e) === undefined) throw e;
  }
  const w = orbit.widest.log2RelWidth;
  const v = orbit.visitor!;
  return {
    status: orbit.status,
    bits: orbit.bits,
    passes: orbit.passes.map((p) => ({ bits: p.bits, reached: p.reached, end: p.end })),
    steps: orbit.steps,
    widest: { log2RelWidth: Number.isFinite(w) ? w : null, step: orbit.widest.step, param: orbit.widest.param },
    signLost: orbit.signLost,
    theta,
    L,
    S,
    etaS,
    maxEtaS: v.max.result(),
    firstUnstable: v.first ? v.first.result() : null,
  };
}
