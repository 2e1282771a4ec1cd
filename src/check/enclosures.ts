import type { DerivedModel } from '../symbolic/derive.js';
import type { CompiledLemma } from '../lemma/compile.js';
import { pairToNumber } from '../numeric/extfloat.js';
import { lastTopVector3, topEigenvalue3 } from '../numeric/eigen3.js';
import { topEigenpair } from '../numeric/symmetric-eigen.js';
import { compileIntervalKernel, type IntervalKernel } from '../symbolic/interval-kernel.js';
import { FI, fiFromExtended } from '../numeric/float-interval.js';
import { FI_OK, topEigenvalueEnclosure, topEigenvalueEnclosure3, up } from '../numeric/outward.js';
import { BIG, GiveUp, SMALL } from '../numeric/double-double.js';
import { ddTopEigenvalue3 } from '../numeric/dd-eigen.js';
import { compileDDKernel, type DDKernel } from '../symbolic/dd-kernel.js';
import { encloseUniqueRoot } from '../numeric/root-enclosure.js';

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
  /** The second tier for S (3 parameters): the Hessian's upper triangle and the GD map in double-double. */
  hessianDD?: DDKernel;
  stepDD?: DDKernel;
  /** Per implicit quantity: its input slot (the variable), [p, dp/dz] and [lo, hi] as interval kernels. */
  roots: { name: string; z: number; pd: IntervalKernel; ends: IntervalKernel }[];
}

const CACHE = new WeakMap<DerivedModel, ModelKernels>();

function modelKernels(model: DerivedModel): ModelKernels {
  let k = CACHE.get(model);
  if (!k) {
    const slot = new Map<string, number>();
    [...model.params, ...model.hypers, ...model.implicit.keys()].forEach((s) => slot.set(s, slot.size));
    const at = (name: string) => {
      const i = slot.get(name);
      if (i === undefined) throw new Error(`model kernel: no slot for ${name}`);
      return i;
    };
    const roots = [...model.implicit.values()].map((q) => ({ name: q.name, z: at(q.name), pd: compileIntervalKernel([q.poly, q.dpoly], at), ends: compileIntervalKernel([q.lo, q.hi], at) }));
    k = { hessian: compileIntervalKernel(model.hessian.flat(), at), step: compileIntervalKernel(model.step, at), slot, roots };
    if (model.params.length === 3) {
      const h = model.hessian;
      k.hessianDD = compileDDKernel([h[0]![0]!, h[0]![1]!, h[0]![2]!, h[1]![1]!, h[1]![2]!, h[2]![2]!], at);
      k.stepDD = compileDDKernel(model.step, at);
    }
    CACHE.set(model, k);
  }
  return k;
}

/**
 * The filter's enclosure of a lane value (mantissa m, exponent e) into slot `at` of `out` ([out[2 at], out[2 at + 1]]):
 * the value itself where e = 0 (the mantissa is exact), else its double enclosure. Every reader of lane state that
 * must agree with the filter's enclosures (the fused rung's figures) encloses through this.
 */
export function encloseLaneValue(m: number, e: number, out: Float64Array, at: number): void {
  if (e !== 0) {
    const f = Number.isFinite(m) ? fiFromExtended(m, e) : FI.ENTIRE;
    out[2 * at] = f.lo;
    out[2 * at + 1] = f.hi;
  } else out[2 * at] = out[2 * at + 1] = m;
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
  private readonly rootSlots: Partial<Record<'' | '_0' | '_next', number>>[];
  private readonly needNext: boolean;
  private readonly rootOut = new Float64Array(4);
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
    this.local = new Float64Array(2 * (this.n + model.hypers.length + model.implicit.size));
    this.lastTh = new Float64Array(this.n);
    this.lastThE = new Float64Array(this.n);
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
    this.rootSlots = this.mk.roots.map((r) => ({ '': fs.get(r.name), _0: fs.get(`${r.name}_0`), _next: fs.get(`${r.name}_next`) }));
    this.needNext = this.sSlot._next !== undefined || this.rootSlots.some((r) => r._next !== undefined);
    this.rootEval = this.mk.roots.map((r) => (zlo: number, zhi: number, out: Float64Array) => {
      this.local[2 * r.z] = zlo;
      this.local[2 * r.z + 1] = zhi;
      return r.pd(this.local, out) === FI_OK;
    });
    this.tSlot = fs.get('t');
    this.tEventSlot = fs.get('T_event');
  }

  /** Enclosures of the iterate's parameters (lane state: values or mantissas, and exponents) into the model-kernel input. */
  private loadParams(th: Float64Array, thE: Float64Array): void {
    for (let i = 0; i < this.n; i++) encloseLaneValue(th[i]!, thE[i]!, this.local, this.pIdx[i]!);
  }

  /** Scratch of the interval elimination (2 n^2). */
  private readonly work: Float64Array;
  private readonly eig = new Float64Array(2);
  private readonly mid: Float64Array;
  /** The approximate top eigenvector behind the last S enclosure, per suffix: kept in place (S is enclosed at every iterate). */
  private readonly vecBuf: Record<'' | '_0' | '_next', number[]> = { '': [], _0: [], _next: [] };
  private readonly vecSet: Record<'' | '_0' | '_next', boolean> = { '': false, _0: false, _next: false };

  /** That eigenvector into `out` (no allocation); false where S was not enclosed. */
  copyTopVector(suffix: '' | '_0' | '_next', out: Float64Array): boolean {
    const v = this.vecBuf[suffix];
    if (!this.vecSet[suffix] || v.length !== out.length) return false;
    for (let i = 0; i < out.length; i++) out[i] = v[i]!;
    return true;
  }

  /** A copy of that eigenvector (certification starts from it; exact work, rare), or [] where S was not enclosed. */
  topVector(suffix: '' | '_0' | '_next'): number[] {
    return this.vecSet[suffix] ? this.vecBuf[suffix].slice() : [];
  }

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
      this.vecSet[suffix] = false;
      return this.eig;
    }
    const M = this.mid;
    for (let k = 0; k < n * n; k++) M[k] = this.H[2 * k]! / 2 + this.H[2 * k + 1]! / 2;
    if (n === 3) {
      const value = topEigenvalue3(M[0]!, M[1]!, M[2]!, M[4]!, M[5]!, M[8]!);
      const vec = this.vecBuf[suffix];
      lastTopVector3(vec);
      this.vecSet[suffix] = true;
      if (!topEigenvalueEnclosure3(this.H, value, vec[0]!, vec[1]!, vec[2]!, this.eig)) topEigenvalueEnclosure(this.H, n, vec, value, this.work, this.eig);
      return this.eig;
    }
    const top = topEigenpair(Array.from({ length: n }, (_, i) => Array.from(M.subarray(i * n, i * n + n))));
    const vec = top.vector as number[];
    this.vecBuf[suffix] = vec;
    this.vecSet[suffix] = true;
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
    if (suffix === '') {
      this.refined = false;
      this.hasNext = hasNext;
      this.lastTh.set(th);
      this.lastThE.set(thE);
    }
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
    this.fillRoots(suffix);
    if (suffix === '' && this.needNext) {
      const sN = this.sSlot._next;
      if (!hasNext) {
        this.setSlot(sN, NaN, NaN);
        for (const r of this.rootSlots) this.setSlot(r._next, NaN, NaN);
      } else {
        const st = this.mk.step(this.local, this.nextP);
        if (st !== FI_OK) {
          this.setSlot(sN, -Infinity, Infinity);
          for (const r of this.rootSlots) this.setSlot(r._next, -Infinity, Infinity);
        } else {
          for (let i = 0; i < this.n; i++) {
            const j = this.pIdx[i]!;
            this.local[2 * j] = this.nextP[2 * i]!;
            this.local[2 * j + 1] = this.nextP[2 * i + 1]!;
          }
          if (sN !== undefined) {
            const f = this.sharpness('_next');
            this.setSlot(sN, f[0]!, f[1]!);
          }
          this.fillRoots('_next');
        }
      }
    }
  }

  /**
   * Enclosures of the implicit quantities at the parameters in `local`: numeric/root-enclosure.ts proves
   * the root unique in its interval for every point of the parameter enclosure; where it cannot, the
   * slot is the whole line, which decides nothing (the exact decider then isolates the root).
   */
  private fillRoots(suffix: '' | '_0' | '_next'): void {
    const { roots } = this.mk;
    const L = this.local;
    const O = this.rootOut;
    for (let k = 0; k < roots.length; k++) {
      const slot = this.rootSlots[k]![suffix];
      if (slot === undefined) continue;
      const r = roots[k]!;
      // The interval's ends do not depend on the variable: the kernel reads its slot, so give it one.
      L[2 * r.z] = L[2 * r.z + 1] = 0;
      if (r.ends(L, O) !== FI_OK) {
        this.setSlot(slot, -Infinity, Infinity);
        continue;
      }
      const enc = encloseUniqueRoot(this.rootEval[k]!, [O[0]!, O[1]!], [O[2]!, O[3]!]);
      if (enc) this.setSlot(slot, enc[0], enc[1]);
      else this.setSlot(slot, -Infinity, Infinity);
    }
  }

  /** Per implicit quantity, p and p' over [zlo, zhi] at the parameters in `local`, written to `out` (built once). */
  private readonly rootEval: ((zlo: number, zhi: number, out: Float64Array) => boolean)[];

  private refined = false;
  private hasNext = false;
  private readonly lastTh: Float64Array;
  private readonly lastThE: Float64Array;
  private readonly ddIn = new Float64Array(18);
  private readonly ddH = new Float64Array(18);
  private readonly ddNext = new Float64Array(9);
  private readonly ddS = new Float64Array(3);

  /** A lane value as a double-double input slot (exact where it is a double in range; a tiny value as 0 with its bound). */
  private ddLoad(j: number, m: number, e: number): void {
    const I = this.ddIn;
    // log2 |value|, from the mantissa's own exponent and e (no scaling that could underflow).
    const lg = m === 0 ? -Infinity : Math.log2(Math.abs(m)) + e;
    if (!(m - m === 0)) I[3 * j] = I[3 * j + 1] = I[3 * j + 2] = NaN;
    else if (m === 0) (I[3 * j] = 0), (I[3 * j + 1] = 0), (I[3 * j + 2] = 0);
    else if (lg < -899) (I[3 * j] = 0), (I[3 * j + 1] = 0), (I[3 * j + 2] = SMALL);
    else if (lg > 899) I[3 * j] = I[3 * j + 1] = I[3 * j + 2] = NaN;
    // In [2^-899, 2^899] the value is a normal double: pairToNumber scales by a power of two, exactly.
    else (I[3 * j] = e === 0 ? m : pairToNumber(m, e)), (I[3 * j + 1] = 0), (I[3 * j + 2] = 0);
  }

  /**
   * Where double intervals cannot separate a comparison with S or S_next, their double-double
   * enclosures (numeric/dd-eigen.ts) replace the double ones in D, once per iterate. Parameters
   * count only through the model's Hessian and GD map evaluated in double-double with error bounds.
   */
  refineSharpness(): void {
    if (this.refined) return;
    this.refined = true;
    const mk = this.mk;
    if (!mk.hessianDD || (this.sSlot[''] === undefined && this.sSlot._next === undefined)) return;
    for (const h of this.model.hypers) {
      const j = mk.slot.get(h)!;
      this.ddLoad(j, this.local[2 * j]! === this.local[2 * j + 1]! ? this.local[2 * j]! : NaN, 0);
    }
    for (let i = 0; i < this.n; i++) this.ddLoad(this.pIdx[i]!, this.lastTh[i]!, this.lastThE[i]!);
    const sNow = this.sSlot[''];
    if (sNow !== undefined) this.putDD(sNow, this.E[2 * sNow]! / 2 + this.E[2 * sNow + 1]! / 2);
    const sNext = this.sSlot._next;
    if (sNext !== undefined && this.hasNext && mk.stepDD) {
      try {
        mk.stepDD(this.ddIn, this.ddNext);
      } catch (e) {
        if (e instanceof GiveUp) return;
        throw e;
      }
      for (let i = 0; i < this.n; i++) {
        const j = this.pIdx[i]!;
        this.ddIn[3 * j] = this.ddNext[3 * i]!;
        this.ddIn[3 * j + 1] = this.ddNext[3 * i + 1]!;
        this.ddIn[3 * j + 2] = this.ddNext[3 * i + 2]!;
      }
      this.putDD(sNext, this.E[2 * sNext]! / 2 + this.E[2 * sNext + 1]! / 2);
    }
  }

  /** The double-double S enclosure at the parameters in ddIn, into D's slot when it is narrower. */
  private putDD(slot: number, approx: number): void {
    try {
      this.mk.hessianDD!(this.ddIn, this.ddH);
    } catch (e) {
      if (e instanceof GiveUp) return;
      throw e;
    }
    if (!ddTopEigenvalue3(this.ddH, approx, this.ddS)) return;
    // Keep the narrower of the two enclosures (both are rigorous).
    if (!(this.ddS[2]! < this.D[3 * slot + 2]!) && Number.isFinite(this.D[3 * slot + 2]!)) return;
    this.D[3 * slot] = this.ddS[0]!;
    this.D[3 * slot + 1] = this.ddS[1]!;
    this.D[3 * slot + 2] = this.ddS[2]!;
  }

  setTime(t: number, tEvent: number | null): void {
    this.setSlot(this.tSlot, t, t);
    this.setSlot(this.tEventSlot, tEvent ?? NaN, tEvent ?? NaN);
  }
}
