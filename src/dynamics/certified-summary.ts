/**
 * What `trajectory --certified` adds to a run's summary: the certified enclosure of the true orbit at the
 * last step from the exact start (each parameter, L and the sharpness S), the precision it took and the
 * widest relative enclosure on the way. Intervals are printed outward-rounded (numeric/dyadic-decimal).
 */
import type { DerivedModel } from '../symbolic/derive.js';
import { compileDyadic } from '../symbolic/dyadic-eval.js';
import { DyadicArith, DyadicInterval } from '../numeric/dyadic.js';
import { CertainlyUndefined, MaybeUndefined } from '../numeric/partial.js';
import { certifiedOrbit, sharpnessEnclosure } from './certified-orbit.js';

export interface CertifiedSummary {
  status: string;
  bits: number;
  passes: { bits: number; reached: number; end: string }[];
  steps: number;
  widest: { log2RelWidth: number | null; step: number; param: string };
  /** Enclosures at the last step enclosed, as exact dyadic intervals (formatted by the report). */
  theta: Record<string, DyadicInterval>;
  L: DyadicInterval | 'undefined' | 'undecided';
  S: DyadicInterval | 'undecided';
  etaS: DyadicInterval | 'undecided';
}

/** A run of `steps` GD steps at most 4096 bits (a long run that needs more ends 'wide', its enclosures still valid). */
export function certifiedSummary(model: DerivedModel, hyper: Record<string, number>, init: readonly number[], steps: number): CertifiedSummary {
  const orbit = certifiedOrbit(model, hyper, init, steps, { maxBits: 4096 });
  const A = new DyadicArith(orbit.bits);
  const theta = Object.fromEntries(model.params.map((p, i) => [p, orbit.box[i]!]));
  let L: CertifiedSummary['L'];
  try {
    L = compileDyadic([model.loss], [...model.params, ...model.hypers]).run([...orbit.box, ...orbit.hyper], A)[0]!;
  } catch (e) {
    if (!(e instanceof CertainlyUndefined || e instanceof MaybeUndefined)) throw e;
    L = e instanceof CertainlyUndefined ? 'undefined' : 'undecided';
  }
  let S: CertifiedSummary['S'] = 'undecided';
  let etaS: CertifiedSummary['etaS'] = 'undecided';
  try {
    S = sharpnessEnclosure(model, orbit.box, orbit.hyper, A);
    etaS = A.mul(S, orbit.hyper[model.hypers.indexOf('eta')]!);
  } catch (e) {
    if (!(e instanceof CertainlyUndefined || e instanceof MaybeUndefined)) throw e;
  }
  const w = orbit.widest.log2RelWidth;
  return {
    status: orbit.status,
    bits: orbit.bits,
    passes: orbit.passes.map((p) => ({ bits: p.bits, reached: p.reached, end: p.end })),
    steps: orbit.steps,
    widest: { log2RelWidth: Number.isFinite(w) ? w : null, step: orbit.widest.step, param: orbit.widest.param },
    theta,
    L,
    S,
    etaS,
  };
}
