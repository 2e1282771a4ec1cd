import type { DerivedModel } from '../symbolic/derive.js';
import { runGD, type Arithmetic, type Step, type Termination, type Underflow } from './gd.js';
import { PhaseTracker, type Phases } from './phases.js';
import type { SeriesDef } from '../model/pack.js';

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

/** What a pack plots of a run: its series (besides log10 L and eta S) and its GFS sharpness for the phases. */
export interface SeriesView {
  series?: readonly SeriesDef[];
  gfsSharpness?: string;
}

/** The key a series is known by on the page: `x`, `etax`, `log10x` (a quantity) or `log10|x|` (a parameter). */
export function seriesKey(d: SeriesDef, params: readonly string[]): string {
  if (d.scale === 'eta') return `eta${d.of}`;
  if (d.scale === 'log10abs') return params.includes(d.of) ? `log10|${d.of}|` : `log10${d.of}`;
  return d.of;
}

/**
 * Which quantities of a Step are plotted: log10 L and eta S always, then the pack's series, by default
 * every parameter and quantity as is. A `log10abs` series takes log10 of the extended value, so a
 * parameter far below the double range (a multiplicative one at 1e-3071) is a point on the plot, not 0.
 */
function seriesFor(model: DerivedModel, eta: number, view: SeriesView): { info: SeriesInfo; get: (s: Step) => number }[] {
  const out: { info: SeriesInfo; get: (s: Step) => number }[] = [{ info: { key: 'log10L', label: 'L', log10: true }, get: (s) => s.log10L }];
  const etaS: SeriesDef = { of: 'S', scale: 'eta' };
  const given: readonly SeriesDef[] = view.series ?? [...model.params, ...model.quantities.keys()].map((of) => ({ of }));
  // eta S is always plotted: where the pack's list puts it, else right after the loss.
  const defs: readonly SeriesDef[] = given.some((d) => d.of === 'S' && d.scale === 'eta') ? given : [etaS, ...given];
  for (const d of defs) {
    const key = seriesKey(d, model.params);
    const i = model.params.indexOf(d.of);
    const isQ = model.kernels.quantities.has(d.of);
    if (i < 0 && !isQ && d.of !== 'L' && d.of !== 'S') continue;
    const value = (s: Step) => (i >= 0 ? s.theta[i]! : d.of === 'L' ? s.L : d.of === 'S' ? s.S : s.q[d.of]!);
    const log = (s: Step) => (i >= 0 ? s.log10AbsTheta[i]! : d.of === 'L' ? s.log10L : d.of === 'S' ? Math.log10(Math.abs(s.S)) : s.log10AbsQ[d.of] ?? Math.log10(Math.abs(s.q[d.of]!)));
    const get = d.of === 'S' && d.scale === 'eta' ? (s: Step) => s.etaS : d.scale === 'eta' ? (s: Step) => eta * value(s) : d.scale === 'log10abs' ? log : value;
    const label = d.label ?? (d.scale === 'eta' ? `eta ${d.of}` : d.scale === 'log10abs' ? (i >= 0 ? `|${d.of}|` : d.of) : d.of);
    out.push({ info: { key, label, log10: d.scale === 'log10abs' }, get });
  }
  return out;
}

/** Run GD and decimate it to at most about 2 * `buckets` points per series, in constant memory. */
export function runSeries(model: DerivedModel, spec: RunSpec, buckets = 1000, view: SeriesView = {}): RunSeries {
  const full: Required<RunSpec> = { arith: 'extended', ...spec };
  const eta = full.hyper.eta!;
  const defs = seriesFor(model, eta, view);
  const width = MinMaxDecimator.widthFor(full.steps + 1, buckets);
  const dec = new MinMaxDecimator(defs.length, width);
  const phases = new PhaseTracker();
  const gfs = view.gfsSharpness !== undefined && model.kernels.quantities.has(view.gfsSharpness) ? view.gfsSharpness : undefined;
  const hasGfs = gfs !== undefined;
  const ys = new Float64Array(defs.length);
  let maxEtaS = { value: -Infinity, step: -1 };
  let last: Step | undefined;
  let first: Step | undefined;
  const r = runGD(model, full.hyper, full.init, { steps: full.steps, arith: full.arith }, (s) => {
    first ??= s;
    last = s;
    for (let i = 0; i < defs.length; i++) ys[i] = defs[i]!.get(s);
    dec.add(s.t, ys);
    phases.add(s.t, s.etaS, hasGfs ? eta * s.q[gfs!]! : undefined);
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
    etaSgfsStart: hasGfs ? eta * first!.q[gfs!]! : null,
    finalEtaSgfs: hasGfs ? eta * last!.q[gfs!]! : null,
  };
}
