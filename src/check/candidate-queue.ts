/**
 * The steady loop's pending candidates (steady-run.ts): settled iterates whose statements' slacks may be a new
 * smallest, their figures made later and only if no later iterate's slack is shown below them. One store in typed
 * arrays, read and written by the steady loop through `Candidate` views and by the fused rung's lane loop in
 * generated code (captureSource): a lane loop captures a candidate without leaving its loop.
 *
 * A candidate's figures are the interval rung's, made only if no later iterate's slack is shown below them (the
 * orbit's slack falls for hundreds of steps in progressive sharpening), else dropped, changing no record. Where the
 * interval rung does not settle it, the steady loop goes back to it (the lane, the stall check and the counts as they
 * were) and stops there: the state machine and the full ladder take it, as they would have without the deferral.
 * A drop compares rigorous brackets of the exact slacks (the later one is smaller), with room for a figure within
 * 2^-20 of its slack. A candidate the interval rung would find loose is ordered by that rung's midpoint without the
 * deferral and is not looked at once dropped: there the record is the smaller exact slack (on every pack's
 * catalogue trajectories the results are equal with and without the deferral: test/check/fused-rung.test.ts).
 *
 * Main results: a new candidate drops every pending one whose every figure lies above every figure it can get (none
 * of them can set a record), keeping the order of their iterates; `figHi` is the smallest upper bound of a pending
 * candidate's figures, and it never rises when a candidate is captured (one dropped had figures above the new one's).
 */

/** Room for any rung's figure of a slack: within 2^-20 of it (decide.ts, LOOSE), as the fused rung's threshold assumes. */
export const FIG_LO = (1 - 2 ** -19) * (1 - 2 ** -50);
export const FIG_HI = (1 + 2 ** -19) * (1 + 2 ** -50);

/**
 * How many candidates wait at once. Where the slack falls by less than its figures' room (2^-20 of it) per step, an
 * iterate cannot drop the one just before it, but one a few steps later can: with one candidate, every such iterate
 * had its figures made (7% of the iterates of issue 25's claim).
 */
export const PENDING_CANDIDATES = 16;

/** A candidate's counts, before its iterate: these, then one per statement (tested). */
export const COUNT_ITERATES = 0;
export const COUNT_PREMISE = 1;
export const COUNT_FLOAT = 2;
export const COUNT_DONE = 3;
export const COUNT_FUSED = 4;
export const COUNT_TESTED = 5;

/** One slot of the store, as the steady loop reads and writes it. */
export class Candidate {
  readonly th: Float64Array;
  readonly thE: Float64Array;
  /** Which statements were bracketed. */
  readonly bracketed: Uint8Array;
  /** Per statement: how many iterates tested it before this one. */
  readonly tested: Float64Array;
  private readonly counts: Float64Array;

  constructor(
    private readonly q: CandidateQueue,
    private readonly slot: number,
  ) {
    const { n, nS, width } = q;
    this.th = q.th.subarray(slot * n, slot * n + n);
    this.thE = q.thE.subarray(slot * n, slot * n + n);
    this.bracketed = q.bracketed.subarray(slot * nS, slot * nS + nS);
    this.counts = q.counts.subarray(slot * width, slot * width + width);
    this.tested = this.counts.subarray(COUNT_TESTED);
  }

  get t(): number {
    return this.q.t[this.slot]!;
  }
  set t(v: number) {
    this.q.t[this.slot] = v;
  }
  /** The range of every figure its bracketed statements can get: [figLo, figHi] (smallest of each). */
  get figLo(): number {
    return this.q.figLos[this.slot]!;
  }
  set figLo(v: number) {
    this.q.figLos[this.slot] = v;
  }
  get figHi(): number {
    return this.q.figHis[this.slot]!;
  }
  set figHi(v: number) {
    this.q.figHis[this.slot] = v;
  }
  count(i: number): number {
    return this.counts[i]!;
  }
  setCount(i: number, v: number): void {
    this.counts[i] = v;
  }
}

/**
 * The store: slot order[i] holds the i-th pending candidate, state[0] their number and state[1] the smallest upper
 * bound of their figures. `base` holds the trajectory's counts where a lane loop starts (the counts of a candidate it
 * captures are these plus its own).
 */
export class CandidateQueue {
  readonly state = new Float64Array([0, Infinity]);
  readonly order: Int32Array;
  readonly t: Float64Array;
  readonly th: Float64Array;
  readonly thE: Float64Array;
  readonly bracketed: Uint8Array;
  readonly figLos: Float64Array;
  readonly figHis: Float64Array;
  readonly counts: Float64Array;
  readonly base: Float64Array;
  /** Counts per candidate: COUNT_TESTED + one per statement. */
  readonly width: number;
  /** Made at a slot's first use: a trajectory that never leaves the lane loop with a candidate needs none. */
  private readonly views: (Candidate | undefined)[];
  private readonly spare: Int32Array;

  constructor(
    readonly n: number,
    readonly nS: number,
    readonly capacity: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`pending candidates: ${capacity} is not a whole number >= 1`);
    this.width = COUNT_TESTED + nS;
    this.order = Int32Array.from({ length: capacity }, (_, i) => i);
    this.spare = new Int32Array(capacity);
    this.t = new Float64Array(capacity);
    this.th = new Float64Array(capacity * n);
    this.thE = new Float64Array(capacity * n);
    this.bracketed = new Uint8Array(capacity * nS);
    this.figLos = new Float64Array(capacity);
    this.figHis = new Float64Array(capacity);
    this.counts = new Float64Array(capacity * this.width);
    this.base = new Float64Array(this.width);
    this.views = new Array<Candidate | undefined>(capacity).fill(undefined);
  }

  get count(): number {
    return this.state[0]!;
  }

  /** The smallest upper bound of a pending candidate's figures (Infinity with none). */
  get figHi(): number {
    return this.state[1]!;
  }

  at(i: number): Candidate {
    return this.view(this.order[i]!);
  }

  private view(slot: number): Candidate {
    return (this.views[slot] ??= new Candidate(this, slot));
  }

  /** The slot of a new candidate, after the pending ones (the queue is not full); `pushed` once it is written. */
  push(): Candidate {
    const c = this.view(this.order[this.state[0]!]!);
    this.state[0]!++;
    return c;
  }

  pushed(c: Candidate): void {
    if (c.figHi < this.state[1]!) this.state[1] = c.figHi;
  }

  /** Drops every candidate whose every figure lies above figHi (a later iterate's bound), keeping the order. */
  dropAbove(figHi: number): void {
    const o = this.order;
    const count = this.state[0]!;
    let k = 0;
    let fh = Infinity;
    for (let i = 0; i < count; i++) {
      const s = o[i]!;
      if (figHi < this.figLos[s]!) continue;
      if (k !== i) (o[i] = o[k]!), (o[k] = s);
      if (this.figHis[s]! < fh) fh = this.figHis[s]!;
      k++;
    }
    this.state[0] = k;
    this.state[1] = fh;
  }

  /** Removes the first `k` candidates (flushed). */
  shift(k: number): void {
    if (k === 0) return;
    const o = this.order;
    const cap = this.capacity;
    for (let i = 0; i < k; i++) this.spare[i] = o[i]!;
    for (let i = k; i < cap; i++) o[i - k] = o[i]!;
    for (let i = 0; i < k; i++) o[cap - k + i] = this.spare[i]!;
    const count = (this.state[0] = this.state[0]! - k);
    let fh = Infinity;
    for (let i = 0; i < count; i++) fh = Math.min(fh, this.figHis[o[i]!]!);
    this.state[1] = fh;
  }

  clear(): void {
    this.state[0] = 0;
    this.state[1] = Infinity;
  }
}

/**
 * The smallest figure any rung can give the bracketed statements (figLo), and a bound the smallest of their figures
 * is below (figHi). A figure f within 2^-20 |f| of a slack s lies between s / (1 + 2^-20) and s / (1 - 2^-20) for
 * s > 0, and between s / (1 - 2^-20) and s / (1 + 2^-20) for s < 0.
 */
export function figureRange(lo: Float64Array, hi: Float64Array, out: { figLo: number; figHi: number }): boolean {
  let any = false;
  let fl = Infinity;
  let fh = Infinity;
  for (let k = 0; k < lo.length; k++) {
    const l = lo[k]!;
    if (l !== l) continue;
    any = true;
    const u = hi[k]!;
    fl = Math.min(fl, l >= 0 ? l * FIG_LO : l / FIG_LO);
    fh = Math.min(fh, u >= 0 ? u * FIG_HI : u / FIG_HI);
  }
  out.figLo = fl;
  out.figHi = fh;
  return any;
}

/** The names the generated capture reads: the queue's arrays, bound once before the loop (captureSetup). */
export function captureSetup(q: string): string {
  return `const QS_ = ${q}.state, QO_ = ${q}.order, QT_ = ${q}.t, QTh_ = ${q}.th, QThE_ = ${q}.thE, QB_ = ${q}.bracketed, QL_ = ${q}.figLos, QH_ = ${q}.figHis, QC_ = ${q}.counts, QA_ = ${q}.base, QCAP_ = ${q}.capacity;`;
}

/**
 * Generated code that captures the current iterate as a candidate, as the steady loop does (figureRange, dropAbove,
 * push): `cur` its lane values, `t` its step, `k` the iterates the loop took before it and `asserted` those it
 * asserted, lo and hi its brackets (nS statements). Where the queue is still full after the drop it runs `full`
 * (the steady loop flushes the oldest first) without capturing; else `done` after the capture.
 */
export function captureSource(n: number, nS: number, cur: [string, string][], t: string, k: string, asserted: string, full: string, done: string): string {
  const range = Array.from(
    { length: nS },
    (_, j) => `{ const l_ = lo[${j}]; if (l_ === l_) { const u_ = hi[${j}]; fl_ = Math.min(fl_, l_ >= 0 ? l_ * ${FIG_LO} : l_ / ${FIG_LO}); fh_ = Math.min(fh_, u_ >= 0 ? u_ * ${FIG_HI} : u_ / ${FIG_HI}); } }`,
  );
  const width = COUNT_TESTED + nS;
  return [
    `{ let fl_ = Infinity, fh_ = Infinity;`,
    ...range,
    `const c_ = QS_[0]; let m_ = 0, qh_ = Infinity;`,
    `for (let i_ = 0; i_ < c_; i_++) { const s_ = QO_[i_]; if (fh_ < QL_[s_]) continue; if (m_ !== i_) { QO_[i_] = QO_[m_]; QO_[m_] = s_; } if (QH_[s_] < qh_) qh_ = QH_[s_]; m_++; }`,
    `QS_[0] = m_; QS_[1] = qh_;`,
    `if (m_ === QCAP_) { ${full} }`,
    `const sl_ = QO_[m_]; QT_[sl_] = ${t};`,
    ...cur.map(([m, e], i) => `QTh_[sl_ * ${n} + ${i}] = ${m}; QThE_[sl_ * ${n} + ${i}] = ${e};`),
    ...Array.from({ length: nS }, (_, j) => `QB_[sl_ * ${nS} + ${j}] = lo[${j}] === lo[${j}] ? 1 : 0;`),
    `QL_[sl_] = fl_; QH_[sl_] = fh_;`,
    `const w_ = sl_ * ${width};`,
    `QC_[w_ + ${COUNT_ITERATES}] = QA_[${COUNT_ITERATES}] + ${k}; QC_[w_ + ${COUNT_PREMISE}] = QA_[${COUNT_PREMISE}] + ${asserted}; QC_[w_ + ${COUNT_FLOAT}] = QA_[${COUNT_FLOAT}] + ${asserted} * ${nS};`,
    `QC_[w_ + ${COUNT_DONE}] = QA_[${COUNT_DONE}] + ${k}; QC_[w_ + ${COUNT_FUSED}] = QA_[${COUNT_FUSED}] + ${k};`,
    ...Array.from({ length: nS }, (_, j) => `QC_[w_ + ${COUNT_TESTED + j}] = QA_[${COUNT_TESTED + j}] + ${asserted};`),
    `QS_[0] = m_ + 1; if (fh_ < qh_) QS_[1] = fh_;`,
    done,
    `}`,
  ].join('\n');
}
