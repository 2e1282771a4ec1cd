/**
 * The iterate a trajectory check is at, built lazily, as Hypothesis's ConjectureData computes its properties on
 * first use: the float values of every state symbol (env), the rigorous enclosures, and the exact iterates are
 * each made at most once per iterate, and only where a comparison, a figure or a report reads them. Most
 * iterates are decided by the enclosures alone, so the rest costs only where it is needed.
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import { stateSymbols } from '../lemma/compile.js';
import { iteratePoint, laneState, Observer, type Arithmetic, type IteratePoint, type Step } from '../dynamics/gd.js';
import { Rational } from '../numeric/rational.js';
import { Interval } from '../numeric/interval.js';
import { ExactIterate, type ExactContext } from './decide.js';
import { IterateEnclosures } from './enclosures.js';
import { ExactGD } from '../dynamics/exact-step.js';
import { defectBound, type DefectBound } from '../dynamics/defect-bound.js';
import { checkInputs } from '../dynamics/inputs.js';

/** Writes a Step's float values into env at the slots of one suffix ('', '_0', '_next', '_flow'), or clears them. */
export interface EnvWriter {
  fill: (s: Step, suffix: string) => void;
  clear: (suffix: string) => void;
}

type EnvLayouts = { qNames: string[]; layouts: Record<string, ReturnType<typeof envLayout>> };
const LAYOUTS = new WeakMap<CompiledLemma, EnvLayouts>();

function envLayout(model: DerivedModel, slot: ReadonlyMap<string, number>, stateSyms: readonly string[], qNames: readonly string[], suffix: string) {
  return {
    param: model.params.map((p) => slot.get(p + suffix)!),
    grad: model.params.map((p) => slot.get(`g_${p}${suffix}`)!),
    log10abs: model.params.map((p) => slot.get(`log10abs_${p}${suffix}`)!),
    q: qNames.map((k) => slot.get(k + suffix)!),
    L: slot.get(`L${suffix}`)!,
    S: slot.get(`S${suffix}`)!,
    gradNorm: slot.get(`gradNorm${suffix}`)!,
    gTop: slot.get(`gTop${suffix}`)!,
    all: stateSyms.map((k) => slot.get(k + suffix)!),
  };
}

/** The slot indices of every state symbol, resolved once per lemma: fill runs at every iterate and must not look up names. */
export function envWriter(model: DerivedModel, lemma: CompiledLemma, env: Float64Array): EnvWriter {
  let cached = LAYOUTS.get(lemma);
  if (!cached) {
    const stateSyms = stateSymbols(model);
    const qNames = [...model.quantities.keys()];
    const layout = (suffix: string) => envLayout(model, lemma.slots, stateSyms, qNames, suffix);
    cached = { qNames, layouts: { '': layout(''), _0: layout('_0'), _next: layout('_next'), _flow: layout('_flow') } };
    LAYOUTS.set(lemma, cached);
  }
  const { qNames, layouts } = cached;
  const n = model.params.length;
  return {
    fill: (s, suffix) => {
      const ly = layouts[suffix]!;
      let gTop = 0;
      for (let i = 0; i < n; i++) {
        env[ly.param[i]!] = s.theta[i]!;
        env[ly.grad[i]!] = s.grad[i]!;
        env[ly.log10abs[i]!] = s.log10AbsTheta[i]!;
        gTop += s.grad[i]! * s.topVector[i]!;
      }
      for (let k = 0; k < qNames.length; k++) env[ly.q[k]!] = s.q[qNames[k]!]!;
      env[ly.L] = s.L;
      env[ly.S] = s.S;
      env[ly.gradNorm] = s.gradNorm;
      env[ly.gTop] = Math.abs(gTop);
    },
    clear: (suffix) => {
      for (const i of layouts[suffix]!.all) env[i] = NaN;
    },
  };
}

export class IterateState {
  /** The step of the current iterate, whether its computed successor exists, and the event time (null: none yet). */
  t = 0;
  hasNext = false;
  tEvent: number | null = null;
  /** The lane: the current iterate (th, thE) and its computed successor (nth, nthE), mantissas and exponents. */
  th: Float64Array;
  thE: Float64Array;
  nth: Float64Array;
  nthE: Float64Array;
  /** The hyperparameters as the kernels take them (checked), and as the step kernel's mantissas and exponents. */
  readonly hvec: Float64Array;
  readonly hM: Float64Array;
  readonly hE: Float64Array;
  /** Float values by the lemma's slots; a state symbol's are current only after floats(). */
  readonly env: Float64Array;
  readonly writer: EnvWriter;
  /** The hyperparameters as exact points (a flow-limit lemma adds its `_flow` scalars). */
  readonly hyperExact = new Map<string, Interval>();
  readonly enc: IterateEnclosures;
  readonly exactGD: ExactGD;
  /** A bound above the one-step defect at the lane state, cheaper than the exact step (dynamics/defect-bound.ts). */
  readonly defectBound: DefectBound;
  /** The exact iterate at t = 0 (its eigenvector certifies S there), once the first iterate was processed. */
  first: ExactIterate | undefined;
  /** The Step floats() observed last (the current iterate's once it ran). */
  observed: Step | undefined;
  private readonly observer: Observer;
  private envAt = -1;
  private encAt = -1;
  private curAt = -1;
  private nxtAt = -1;
  private scalars?: Map<string, Interval>;
  private scalarsT = -1;
  private scalarsEvent: number | null = null;
  private cur: ExactIterate | undefined;
  private nxt: ExactIterate | undefined;

  constructor(
    private readonly model: DerivedModel,
    lemma: CompiledLemma,
    hyper: Record<string, number>,
    init: number[],
    readonly arith: Arithmetic,
  ) {
    const slot = lemma.slots;
    this.env = new Float64Array(slot.size).fill(NaN);
    for (const h of model.hypers) {
      this.env[slot.get(h)!] = hyper[h]!;
      this.hyperExact.set(h, Interval.point(Rational.fromDouble(hyper[h]!)));
    }
    this.writer = envWriter(model, lemma, this.env);
    this.exactGD = new ExactGD(model, hyper);
    this.defectBound = defectBound(model, hyper);
    const hvec = (this.hvec = checkInputs(model, hyper, init));
    const lane = laneState(model, hvec, init, arith);
    this.th = lane.th;
    this.thE = lane.thE;
    this.hM = lane.hM;
    this.hE = lane.hE;
    this.nth = new Float64Array(this.th.length);
    this.nthE = new Float64Array(this.th.length);
    this.observer = new Observer(model, hvec, arith);
    this.enc = new IterateEnclosures(model, lemma, hyper);
  }

  /** The float values of the state symbols at this iterate (and its successor's as `_next`), in env. */
  floats(): void {
    if (this.envAt === this.t) return;
    this.envAt = this.t;
    this.observed = this.observer.observe(this.t, this.th, this.thE);
    this.writer.fill(this.observed, '');
    if (this.hasNext) this.writer.fill(this.observer.observe(this.t + 1, this.nth, this.nthE), '_next');
    else this.writer.clear('_next');
  }

  /** The rigorous enclosures of this iterate (and its successor's), in enc. */
  enclosures(): void {
    if (this.encAt === this.t) return;
    this.encAt = this.t;
    // The time slots too: the steady loop's deferred figures (encloseAt, visit) set them to an earlier iterate's.
    this.enc.setTime(this.t, this.tEvent);
    this.enc.fill(this.th, this.thE, '', this.hasNext);
  }

  /**
   * The enclosures of an earlier iterate of this orbit (lane state th, thE at step t: the steady loop's deferred
   * figures, steady-run.ts) into enc; the current iterate's are filled again when next read.
   */
  encloseAt(th: Float64Array, thE: Float64Array, t: number): void {
    this.encAt = -1;
    this.enc.setTime(t, this.tEvent);
    this.enc.fill(th, thE, '', false);
  }

  /**
   * Runs f with this state at an earlier iterate of the orbit (lane state th, thE at step t, without its successor:
   * the steady loop's deferred tightness records, steady-run.ts), then returns to the current one; every value read
   * at either is made again when next read.
   */
  visit(th: Float64Array, thE: Float64Array, t: number, f: () => void): void {
    const [th0, thE0, t0, next0] = [this.th, this.thE, this.t, this.hasNext];
    this.th = th;
    this.thE = thE;
    this.t = t;
    this.hasNext = false;
    this.envAt = this.encAt = this.curAt = this.nxtAt = -1;
    this.enc.setTime(t, this.tEvent);
    try {
      f();
    } finally {
      this.th = th0;
      this.thE = thE0;
      this.t = t0;
      this.hasNext = next0;
      this.envAt = this.encAt = this.curAt = this.nxtAt = -1;
      this.enc.setTime(t0, this.tEvent);
    }
  }

  point(): IteratePoint {
    this.enclosures();
    return iteratePoint(this.t, this.th, this.thE, this.arith, this.enc.topVector(''));
  }

  /** What the exact decider reads here: the exact iterates by suffix, and the exact scalars (hypers, t, T_event). */
  exact(): ExactContext {
    const t = this.t;
    if (this.curAt !== t) {
      this.curAt = t;
      this.cur = t === 0 && this.first ? this.first : new ExactIterate(this.model, this.point(), this.hyperExact);
    }
    if (this.hasNext && this.nxtAt !== t) {
      this.nxtAt = t;
      const from = this.cur!;
      // Exactly, "_next" is one exact GD step from the computed iterate: a one-step claim is about GD,
      // not about the rounding between two computed iterates (which can exceed a tiny true change).
      this.nxt = new ExactIterate(this.model, iteratePoint(t + 1, this.nth, this.nthE, this.arith, this.enc.topVector('_next')), this.hyperExact, () => this.exactGD.next(from.params()));
    }
    // One map per (t, T_event): the exact deciders only read it, and several comparisons at an iterate share it.
    if (this.scalarsT !== t || this.scalarsEvent !== this.tEvent) {
      const scalars = new Map(this.hyperExact);
      scalars.set('t', Interval.point(Rational.fromInt(t)));
      if (this.tEvent !== null) scalars.set('T_event', Interval.point(Rational.fromInt(this.tEvent)));
      this.scalars = scalars;
      this.scalarsT = t;
      this.scalarsEvent = this.tEvent;
    }
    return { iterates: { '': this.cur, _0: this.first, _next: this.hasNext ? this.nxt : undefined }, scalars: this.scalars! };
  }

  /** The first iterate's exact record and its `_0` values (t = 0 only). */
  recordStart(): void {
    this.floats();
    this.writer.fill(this.observed!, '_0');
    this.enc.fill(this.th, this.thE, '_0');
    // `first` is the exact iterate at t = 0 for S as well as for S_0: its eigenvector (which certifies S) comes
    // from whichever of the two the lemma encloses (with S alone, the _0 vector is empty and S at t = 0 could not
    // be enclosed exactly).
    const v0 = this.enc.topVector('_0');
    if (v0.length === 0) this.enclosures();
    this.first = new ExactIterate(this.model, iteratePoint(0, this.th, this.thE, this.arith, v0.length > 0 ? v0 : this.enc.topVector('')), this.hyperExact);
  }

  /** Move to the computed successor. */
  advance(): void {
    // Temporaries, not a destructuring swap: once per iterate, and the pattern may allocate an array.
    const th = this.th;
    this.th = this.nth;
    this.nth = th;
    const thE = this.thE;
    this.thE = this.nthE;
    this.nthE = thE;
    this.t++;
  }
}
