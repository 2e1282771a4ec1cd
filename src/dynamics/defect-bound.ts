/**
 * A rigorous upper bound of the one-step defect of a computed orbit (ExactGD.defect's value: max_i |x_i - G(p)_i| /
 * max(|G(p)_i|, |p_i|)), from a double-double enclosure of the exact GD map G at the computed iterate p.
 *
 * Main result: `defectBound(model, hyper)` returns a function of the lane state (p and its computed successor x) that
 * answers a double above the exact defect, or Infinity where it cannot say (an exponent outside the double range, a
 * value beyond the double-double tier's range, a map the tier does not evaluate). A trajectory keeps only the largest
 * defect it samples, so a sample whose bound is below that largest one changes nothing and needs no exact step (the
 * exact dyadic step costs about 13 us; the bound about a tenth of it).
 */
import type { DerivedModel } from '../symbolic/derive.js';
import { compileDDKernel, type DDKernel } from '../symbolic/dd-kernel.js';
import { GiveUp } from '../numeric/double-double.js';

/** The lane state of one trajectory (th, thE: the iterate p; nth, nthE: its computed successor x) to a bound, or Infinity. */
export type DefectBound = (th: Float64Array, thE: Float64Array, nth: Float64Array, nthE: Float64Array) => number;

const U = 2 ** -53;
/** Each bound below is the exact one grown by this for the roundings of its own computation (a few, each 1 + u at most). */
const GROW = 1 + 2 ** -48;
const TINY = 2 ** -1070;
const MIN_G = 2 ** -1000;

const KERNELS = new WeakMap<DerivedModel, DDKernel | null>();

/** model.step as a double-double kernel: slot i is params[i], slot n + k is hypers[k]; null where the tier has no code for it. */
function stepKernel(model: DerivedModel): DDKernel | null {
  let k = KERNELS.get(model);
  if (k === undefined) {
    const names = [...model.params, ...model.hypers];
    k =
      compileDDKernel(model.step, (name) => {
        const i = names.indexOf(name);
        if (i < 0) throw new Error(`defect bound: the GD map reads ${name}`);
        return i;
      }) ?? null;
    KERNELS.set(model, k);
  }
  return k;
}

export function defectBound(model: DerivedModel, hyper: Record<string, number>): DefectBound {
  const kernel = stepKernel(model);
  const n = model.params.length;
  if (kernel === null) return () => Infinity;
  const E = new Float64Array(3 * (n + model.hypers.length));
  model.hypers.forEach((h, k) => (E[3 * (n + k)] = hyper[h]!));
  const O = new Float64Array(3 * n);
  return (th, thE, nth, nthE) => {
    for (let i = 0; i < n; i++) {
      // A value with an exponent of its own is beyond doubles: the exact step decides.
      if (thE[i] !== 0 || nthE[i] !== 0) return Infinity;
      E[3 * i] = th[i]!;
    }
    try {
      kernel(E, O);
    } catch (e) {
      if (e instanceof GiveUp) return Infinity;
      throw e;
    }
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const h = O[3 * i]!;
      const l = O[3 * i + 1]!;
      const e = O[3 * i + 2]!;
      const x = nth[i]!;
      // |x - G| <= |x - h - l| + e: each subtraction below is off by at most u of its result.
      const a = x - h;
      const b = a - l;
      const num = (Math.abs(b) + (Math.abs(a) + Math.abs(b)) * U + e) * GROW + TINY;
      // max(|G|, |p|) >= max(|h| - (|l| + e), |p|) (p is exact): A below |h|, B above |l| + e, g below A - B, each
      // past its own roundings; a g too small for relative bounds is left out.
      const A = Math.abs(h) * (1 - 2 * U);
      const B = (Math.abs(l) + e) * (1 + 4 * U);
      let g = (A - B) * (1 - 2 * U);
      if (!(g >= MIN_G)) g = 0;
      const den = Math.max(g, Math.abs(th[i]!));
      if (!(den > 0) || !(num < Infinity)) return Infinity;
      // The quotient rounded up twice over, and above an underflow.
      const r = (num / den) * GROW + TINY;
      if (r > worst) worst = r;
    }
    return worst;
  };
}
