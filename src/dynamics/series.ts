import type { DerivedModel } from '../symbolic/derive.js';
import { runGD, type Arithmetic, type Step, type Termination, type Underflow } from './gd.js';
import { PhaseTracker, type Phases } from './phases.js';

/**
 * Min/max decimation, streamed: the steps are cut into buckets of `width` consecutive points and each
 * bucket keeps, per series, its smallest and its largest value, in the order they occurred, at the
 * bucket's first and last step. A period-2 oscillation or a one-step spike therefore survives as the
 * envelope it draws at full resolution, at most one bucket off in x; averaging or taking every k-th
 * point would hide exactly the EoS behaviour the plots are for. Non-finite values are gaps (null).
 */
export class MinMaxDecimator {
  readonly t: number[] = [];
  readonly values: (number | null)[][];
  private count = 0;
  private firstT = 0;
  private lastT = 0;
  private readonly lo: number[];
  private readonly hi: number[];
  private readonly loAt: number[];
  private readonly hiAt: number[];

  /** `width` <= 2 keeps every point (two points per bucket would be no reduction). */
  constructor(
    readonly nSeries: number,
    readonly width: number,
  ) {
    if (!Number.isInteger(width) || width < 1) throw new Error(`MinMaxDecimator: width must be a positive integer, got ${width}`);
    this.values = Array.from({ length: nSeries }, () => []);
    this.lo = new Array(nSeries);
    this.hi = new Array(nSeries);
    this.loAt = new Array(nSeries);
    this.hiAt = new Array(nSeries);
    this.reset();
  }

  /** The bucket width that brings `points` points down to at most about 2 * `buckets`. */
  static widthFor(points: number, buckets: number): number {
    return Math.max(1, Math.ceil(points / buckets));
  }

  add(t: number, ys: ArrayLike<number>): void {
    if (this.width <= 2) {
      this.t.push(t);
      for (let i = 0; i < this.nSeries; i++) this.values[i]!.push(Number.isFinite(ys[i]!) ? ys[i]! : null);
      return;
    }
    if (this.count === 0) this.firstT = t;
    this.lastT = t;
    for (let i = 0; i < this.nSeries; i++) {
      const y = ys[i]!;
      if (!Number.isFinite(y)) continue;
      if (y < this.lo[i]!) (this.lo[i] = y), (this.loAt[i] = this.count);
      if (y > this.hi[i]!) (this.hi[i] = y), (this.hiAt[i] = this.count);
    }
    if (++this.count === this.width) this.flush();
  }

  /** Emit the partial last bucket; call once after the last point. */
  finish(): this {
    if (this.count > 0) this.flush();
    return this;
  }

  private flush(): void {
    if (this.count === 1) {
      this.t.push(this.firstT);
      for (let i = 0; i < this.nSeries; i++) this.values[i]!.push(Number.isFinite(this.lo[i]!) ? this.lo[i]! : null);
    } else {
      this.t.push(this.firstT, this.lastT);
      for (let i = 0; i < this.nSeries; i++) {
        const v = this.values[i]!;
        if (!Number.isFinite(this.lo[i]!)) v.push(null, null);
        else if (this.loAt[i]! <= this.hiAt[i]!) v.push(this.lo[i]!, this.hi[i]!);
        else v.push(this.hi[i]!, this.lo[i]!);
      }
    }
    this.reset();
  }

  private reset(): void {
    this.count = 0;
    this.lo.fill(Infinity);
    this.hi.fill(-Infinity);
    this.loAt.fill(-1);
    this.hiAt.fill(-1);
  }
}

/** One GD run to plot: hyperparameters, start, length. */
export interface RunSpec {
  name: string;
  hyper: Record<string, number>;
  init: number[];
  steps: number;
  arith?: Arithmetic;
}

/** PAPER.md section 3 (lambda1 = 1 in all three). */
export const REFERENCE_RUNS: readonly RunSpec[] = [
  { name: 'R1', hyper: { eta: 1.9, lambda1: 1, lambda2: 1e-3 }, init: [1, 0.01, 0], steps: 4000 },
  { name: 'R2', hyper: { eta: 1.5, lambda1: 1, lambda2: 1e-3 }, init: [1, 0.01, 0], steps: 6000 },
  { name: 'R3', hyper: { eta: 1.5, lambda1: 1, lambda2: 1e-4 }, init: [1, 0.001, 0], steps: 40000 },
];

/** A plotted quantity: `key` names it for the page, `log10` says the values are log10 of a magnitude. */
export interface SeriesInfo {
  key: string;
  label: string;
  log10: boolean;
}

/** A decimated trajectory, ready to plot: everything the page needs, no model or GD left to evaluate. */
export interface RunSeries {
  spec: Required<RunSpec>;
  params: string[];
  model: { name: string; hash: string };
  /** Steps actually run (less than spec.steps after a divergence). */
  stepsRun: number;
  termination: Termination;
  underflow: Underflow | null;
  /** Consecutive steps per decimation bucket (1: every step is plotted). */
  bucketWidth: number;
  t: number[];
  series: (SeriesInfo & { values: (number | null)[] })[];
  phases: Phases;
  /** Headline figures from the full-resolution run. */
  maxEtaS: { value: number; step: number };
  finalEtaS: number;
  etaSgfsStart: number | null;
  finalEtaSgfs: number | null;
}

/**
 * Which quantities of a Step are plotted. Loss and the magnitudes that leave the double range (beta1,
 * L_osc) are taken as log10 of the extended value, so R3's beta1 ~ 1e-3071 is a point on the plot, not 0.
 */
function seriesFor(model: DerivedModel, eta: number): { info: SeriesInfo; get: (s: Step) => number }[] {
  const out: { info: SeriesInfo; get: (s: Step) => number }[] = [{ info: { key: 'log10L', label: 'L', log10: true }, get: (s) => s.log10L }];
  for (const q of ['L_osc', 'L_conv'])
    if (model.kernels.quantities.has(q)) out.push({ info: { key: `log10${q}`, label: q, log10: true }, get: (s) => s.log10AbsQ[q]! });
  out.push({ info: { key: 'etaS', label: 'eta S', log10: false }, get: (s) => s.etaS });
  if (model.kernels.quantities.has('S_GFS')) out.push({ info: { key: 'etaS_GFS', label: 'eta S_GFS', log10: false }, get: (s) => eta * s.q.S_GFS! });
  model.params.forEach((p, i) => {
    // beta1 is multiplicative and falls through hundreds of decades: only its magnitude is plottable.
    if (p === 'beta1') out.push({ info: { key: `log10|${p}|`, label: `|${p}|`, log10: true }, get: (s) => s.log10AbsTheta[i]! });
    else out.push({ info: { key: p, label: p, log10: false }, get: (s) => s.theta[i]! });
  });
  if (model.kernels.quantities.has('C')) out.push({ info: { key: 'C', label: 'C', log10: false }, get: (s) => s.q.C! });
  return out;
}

/** Run GD and decimate it to at most about 2 * `buckets` points per series, in constant memory. */
export function runSeries(model: DerivedModel, spec: RunSpec, buckets = 1000): RunSeries {
  const full: Required<RunSpec> = { arith: 'extended', ...spec };
  const eta = full.hyper.eta!;
  const defs = seriesFor(model, eta);
  const width = MinMaxDecimator.widthFor(full.steps + 1, buckets);
  const dec = new MinMaxDecimator(defs.length, width);
  const phases = new PhaseTracker();
  const hasGfs = model.kernels.quantities.has('S_GFS');
  const ys = new Float64Array(defs.length);
  let maxEtaS = { value: -Infinity, step: -1 };
  let last: Step | undefined;
  let first: Step | undefined;
  const r = runGD(model, full.hyper, full.init, { steps: full.steps, arith: full.arith }, (s) => {
    first ??= s;
    last = s;
    for (let i = 0; i < defs.length; i++) ys[i] = defs[i]!.get(s);
    dec.add(s.t, ys);
    phases.add(s.t, s.etaS, hasGfs ? eta * s.q.S_GFS! : undefined);
    if (s.etaS > maxEtaS.value) maxEtaS = { value: s.etaS, step: s.t };
  });
  dec.finish();
  return {
    spec: full,
    params: model.params,
    model: { name: model.spec.name, hash: model.hash },
    stepsRun: r.steps,
    termination: r.termination,
    underflow: r.underflow ?? null,
    bucketWidth: width <= 2 ? 1 : width,
    t: dec.t,
    series: defs.map((d, i) => ({ ...d.info, values: dec.values[i]! })),
    phases: phases.finish(),
    maxEtaS,
    finalEtaS: last!.etaS,
    etaSgfsStart: hasGfs ? eta * first!.q.S_GFS! : null,
    finalEtaSgfs: hasGfs ? eta * last!.q.S_GFS! : null,
  };
}
