import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import { fromParts } from '../numeric/extfloat.js';
import { lastTopVector3, topEigenvalue3 } from '../numeric/eigen3.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import { compileIntervalKernel, type IntervalKernel } from '../symbolic/interval-kernel.js';
import { FI, fiFromExt } from '../numeric/float-interval.js';
import { FI_OK, topEigenvalueEnclosure, topEigenvalueEnclosure3, up } from '../numeric/outward.js';
import { BIG, SMALL } from '../numeric/double-double.js';

/**
 * The float filter's inputs at one iterate: a rigorous double enclosure of every primitive symbol a
 * lemma's comparisons use. Parameters are the computed iterate's exact value (a point where it is a
 * double; an extended-exponent value outside the double range gets a rigorous wider enclosure);
 * hyperparameters are exact doubles; S is enclosed by a certified Rayleigh-quotient lower bound and a
 * Sylvester upper bound over the interval Hessian (numeric/float-interval.ts). S_next is enclosed at
 * the interval image of the iterate under one exact GD step.
 */
interface ModelKernels {
  /** (params, hypers) -> Hessian entries, row-major. */
  hessian: IntervalKernel;
  /** (params, hypers) -> one GD step, p - eta dL/dp. */
  step: IntervalKernel;
  slot: Map<string, number>;
}

const CACHE = new WeakMap<DerivedModel, ModelKernels>();

function modelKernels(model: DerivedModel): ModelKernels {
  let k = CACHE.get(model);
  if (!k) {
    const slot = new Map<string, number>();
    [...model.params, ...model.hypers].forEach((s) => slot.set(s, slot.size));
    const at = (name: string) => {
      const i = slot.get(name);
      if (i === undefined) throw new Error(`model kernel: no slot for ${name}`);
      return i;
    };
    k = { hessian: compileIntervalKernel(model.hessian.flat(), at), step: compileIntervalKernel(model.step, at), slot };
    CACHE.set(model, k);
  }
  return k;
}

export class IterateEnclosures {
  /** The lemma's filter input: slot i of lemma.fiSlots at [E[2i], E[2i+1]]. */
  readonly E: Float64Array;
  /** The second tier's input: slot i is D[3i] + D[3i+1] with error at most D[3i+2] (NaN: not representable). */
  readonly D: Float64Array;
  private readonly mk: ModelKernels;
  private readonly local: Float64Array;
  private readonly H: Float64Array;
  private readonly nextP: Float64Array;
  private readonly n: number;
  /** Model-kernel input slot of each parameter. */
  private readonly pIdx: number[];
  private readonly paramSlots: Record<'' | '_0', number[]>;
  private readonly sSlot: Partial<Record<'' | '_0' | '_next', number>>;
  private readonly tSlot?: number;
  private readonly tEventSlot?: number;

  constructor(
    private readonly model: DerivedModel,
    lemma: CompiledLemma,
    hyper: Record<string, number>,
  ) {
    const fs = lemma.fiSlots;
    this.E = new Float64Array(2 * Math.max(1, fs.size)).fill(NaN);
    this.D = new Float64Array(3 * Math.max(1, fs.size)).fill(NaN);
    this.mk = modelKernels(model);
    this.n = model.params.length;
    this.local = new Float64Array(2 * (this.n + model.hypers.length));
    this.H = new Float64Array(2 * this.n * this.n);
    this.work = new Float64Array(2 * this.n * this.n);
    this.nextP = new Float64Array(2 * this.n);
    this.mid = new Float64Array(this.n * this.n);
    this.pIdx = model.params.map((p) => this.mk.slot.get(p)!);
    for (const h of model.hypers) {
      const v = hyper[h]!;
      this.setSlot(fs.get(h), v, v);
      const j = this.mk.slot.get(h)!;
      this.local[2 * j] = this.local[2 * j + 1] = v;
    }
    this.paramSlots = { '': model.params.map((p) => fs.get(p) ?? -1), _0: model.params.map((p) => fs.get(`${p}_0`) ?? -1) };
    this.sSlot = { '': fs.get('S'), _0: fs.get('S_0'), _next: fs.get('S_next') };
    this.tSlot = fs.get('t');
    this.tEventSlot = fs.get('T_event');
  }

  /** Enclosures of the iterate's parameters (lane state: values or mantissas, and exponents) into the model-kernel input. */
  private loadParams(th: Float64Array, thE: Float64Array): void {
    for (let i = 0; i < this.n; i++) {
      const j = this.pIdx[i]!;
      const m = th[i]!;
      const e = thE[i]!;
      if (e !== 0) {
        // Outside the double band (e = 0 means the mantissa is the exact value): enclose it.
        const f = Number.isFinite(m) ? fiFromExt(fromParts(m, e)) : FI.ENTIRE;
        this.local[2 * j] = f.lo;
        this.local[2 * j + 1] = f.hi;
      } else this.local[2 * j] = this.local[2 * j + 1] = m;
    }
  }

  private readonly work = new Float64Array(32);
  private readonly eig = new Float64Array(2);
  private readonly mid: Float64Array;
  /** The approximate top eigenvector behind the last S enclosure, per suffix (certification starts from it). */
  readonly vectors: Record<'' | '_0' | '_next', number[]> = { '': [], _0: [], _next: [] };

  /**
   * Enclosure of S at the parameters in `local` ([lo, hi] into this.eig): the estimate and its
   * eigenvector come from the midpoint of the interval Hessian, the bounds from topEigenvalueEnclosure.
   */
  private sharpness(suffix: '' | '_0' | '_next'): Float64Array {
    const st = this.mk.hessian(this.local, this.H);
    const n = this.n;
    if (st !== FI_OK) {
      this.eig[0] = -Infinity;
      this.eig[1] = Infinity;
      this.vectors[suffix] = [];
      return this.eig;
    }
    const M = this.mid;
    for (let k = 0; k < n * n; k++) M[k] = this.H[2 * k]! / 2 + this.H[2 * k + 1]! / 2;
    if (n === 3) {
      const value = topEigenvalue3(M[0]!, M[1]!, M[2]!, M[4]!, M[5]!, M[8]!);
      const vec = [0, 0, 0];
      lastTopVector3(vec);
      this.vectors[suffix] = vec;
      if (!topEigenvalueEnclosure3(this.H, value, vec[0]!, vec[1]!, vec[2]!, this.eig)) topEigenvalueEnclosure(this.H, n, vec, value, this.work, this.eig);
      return this.eig;
    }
    const top = topEigenpair(Array.from({ length: n }, (_, i) => Array.from(M.subarray(i * n, i * n + n))));
    const vec = top.vector as number[];
    this.vectors[suffix] = vec;
    topEigenvalueEnclosure(this.H, n, vec, top.value, this.work, this.eig);
    return this.eig;
  }

  private setSlot(i: number | undefined, lo: number, hi: number): void {
    if (i === undefined) return;
    this.E[2 * i] = lo;
    this.E[2 * i + 1] = hi;
    const D = this.D;
    if (lo === hi) {
      // A point: exact as a double-double when inside the tier's range; a tiny value enters as 0 +- SMALL.
      const a = Math.abs(lo);
      if (a === 0 || (a >= SMALL && a < BIG)) (D[3 * i] = lo), (D[3 * i + 1] = 0), (D[3 * i + 2] = 0);
      else if (a < SMALL) (D[3 * i] = 0), (D[3 * i + 1] = 0), (D[3 * i + 2] = SMALL);
      else D[3 * i] = D[3 * i + 1] = D[3 * i + 2] = NaN;
    } else if (Number.isFinite(lo) && Number.isFinite(hi) && Math.max(Math.abs(lo), Math.abs(hi)) < SMALL) {
      (D[3 * i] = 0), (D[3 * i + 1] = 0), (D[3 * i + 2] = SMALL);
    } else if (Number.isFinite(lo) && Number.isFinite(hi)) {
      const mid = lo / 2 + hi / 2;
      D[3 * i] = mid;
      D[3 * i + 1] = 0;
      D[3 * i + 2] = up(hi - lo);
    } else D[3 * i] = D[3 * i + 1] = D[3 * i + 2] = NaN;
  }

  /**
   * Fill the enclosures of one suffix ('' or '_0') from lane state; for '', S_next (when the lemma
   * uses it) is enclosed at the interval image of the iterate under one exact GD step, or NaN when
   * there is no next iterate.
   */
  fill(th: Float64Array, thE: Float64Array, suffix: '' | '_0', hasNext = false): void {
    this.loadParams(th, thE);
    const ps = this.paramSlots[suffix];
    for (let i = 0; i < this.n; i++) {
      const j = this.pIdx[i]!;
      if (ps[i]! >= 0) this.setSlot(ps[i], this.local[2 * j]!, this.local[2 * j + 1]!);
    }
    const sS = this.sSlot[suffix];
    if (sS !== undefined) {
      const f = this.sharpness(suffix);
      this.setSlot(sS, f[0]!, f[1]!);
    }
    if (suffix === '' && this.sSlot._next !== undefined) {
      if (!hasNext) this.setSlot(this.sSlot._next, NaN, NaN);
      else {
        const st = this.mk.step(this.local, this.nextP);
        if (st !== FI_OK) this.setSlot(this.sSlot._next, -Infinity, Infinity);
        else {
          for (let i = 0; i < this.n; i++) {
            const j = this.pIdx[i]!;
            this.local[2 * j] = this.nextP[2 * i]!;
            this.local[2 * j + 1] = this.nextP[2 * i + 1]!;
          }
          const f = this.sharpness('_next');
          this.setSlot(this.sSlot._next, f[0]!, f[1]!);
        }
      }
    }
  }

  setTime(t: number, tEvent: number | null): void {
    this.setSlot(this.tSlot, t, t);
    this.setSlot(this.tEventSlot, tEvent ?? NaN, tEvent ?? NaN);
  }
}
