/**
 * A rigorous upper bound of the one-step defect of a computed orbit (ExactGD.defect's value: max_i |x_i - G(p)_i| /
 * max(|G(p)_i|, |p_i|)), from a double-double enclosure of the exact GD map G at the computed iterate p.
 *
 * Main result: `defectBound(model, hyper)` returns a function of the lane state (p and its computed successor x) that
 * answers a double above the exact defect, or Infinity where it cannot say (a value beyond the double-double tier's
 * range, a map the tier does not evaluate). A trajectory keeps only the largest defect it samples, so a sample whose
 * bound is below that largest one changes nothing and needs no exact step (the exact dyadic step costs 20-30 us warm;
 * the bound about 0.4 us).
 *
 * A parameter far below the double range (an extended exponent, |p_i| < 2^-400: beta1 on its way to 1e-3000) enters
 * the other coordinates' maps as 0 with error 2^-400. Its own relative defect is bounded where p_i divides its step
 * polynomially, G_i = p_i Q_i (the minimalist model's beta1' = beta1 (1 - eta lambda1 alpha^2)): then
 * |x_i - G_i| / max(|G_i|, |p_i|) = |x_i / p_i - Q_i| / max(|Q_i|, 1), with x_i / p_i the mantissas' quotient as a
 * double-double (its residual exact from Dekker's product) and Q_i in double-double. Elsewhere, and below 2^-100000
 * (where the defect's figure, from logarithms of its exact terms, is no longer within about 1e-11 of the ratio), such a
 * sample goes exact.
 */
import type { DerivedModel } from '../symbolic/derive.js';
import type { MathNode } from 'mathjs';
import { compileDDKernel, type DDKernel } from '../symbolic/dd-kernel.js';
import { GiveUp, twoProductError } from '../numeric/double-double.js';
import { parse } from '../symbolic/mathjs.js';
import { NotRationalFunctionError, Poly, toRatFunc } from '../symbolic/rational-function.js';
import { divideExact } from '../symbolic/factor.js';

/** The lane state of one trajectory (th, thE: the iterate p; nth, nthE: its computed successor x) to a bound, or Infinity. */
export type DefectBound = (th: Float64Array, thE: Float64Array, nth: Float64Array, nthE: Float64Array) => number;

const U = 2 ** -53;
/** Each bound below is the exact one grown by this for the roundings of its own computation (a few, each 1 + u at most). */
const GROW = 1 + 2 ** -48;
const TINY = 2 ** -1070;
const MIN_G = 2 ** -1000;
const MIN_NORMAL = 2 ** -1022;

/** An extended parameter's magnitude is below this (its exponent is negative: the lane's band starts at 2^-400). */
const EXT_SMALL = 2 ** -400;
/** The largest binary exponent of an extended parameter the bound answers for (beta1 in R3 reaches about -10,200). */
const MAX_EXPONENT = 100_000;

interface Kernels {
  /** model.step: slot i is params[i], slot n + k is hypers[k]. */
  step: DDKernel;
  /** Per parameter i, step_i / params[i] where that is a polynomial (output i), else null. */
  quotient: DDKernel | null;
  hasQuotient: boolean[];
}

const KERNELS = new WeakMap<DerivedModel, Kernels | null>();

/** step_i / p_i as a tree where p_i divides the (polynomial) step exactly, else null. */
function quotientTree(model: DerivedModel, i: number, vars: string[]): MathNode | null {
  let f;
  try {
    f = toRatFunc(model.step[i]!, vars);
  } catch (e) {
    if (e instanceof NotRationalFunctionError) return null;
    throw e;
  }
  const c = f.den.constantValue();
  if (c === undefined) return null;
  const q = divideExact(f.num, Poly.variable(vars, model.params[i]!));
  return q ? parse(`(${q.toString()}) / (${c.toString()})`) : null;
}

function kernelsOf(model: DerivedModel): Kernels | null {
  let k = KERNELS.get(model);
  if (k === undefined) {
    const names = [...model.params, ...model.hypers];
    const slotOf = (name: string) => {
      const i = names.indexOf(name);
      if (i < 0) throw new Error(`defect bound: the GD map reads ${name}`);
      return i;
    };
    const step = compileDDKernel(model.step, slotOf);
    const qs = model.params.map((_, i) => quotientTree(model, i, names));
    const quotient = qs.some((q) => q !== null) ? (compileDDKernel(qs.map((q) => q ?? parse('0')), slotOf) ?? null) : null;
    k = step ? { step, quotient, hasQuotient: qs.map((q) => q !== null && quotient !== null) } : null;
    KERNELS.set(model, k);
  }
  return k;
}

export function defectBound(model: DerivedModel, hyper: Record<string, number>): DefectBound {
  const kernels = kernelsOf(model);
  const n = model.params.length;
  if (kernels === null) return () => Infinity;
  const { step, quotient, hasQuotient } = kernels;
  const E = new Float64Array(3 * (n + model.hypers.length));
  model.hypers.forEach((h, k) => (E[3 * (n + k)] = hyper[h]!));
  const O = new Float64Array(3 * n);
  const Q = new Float64Array(3 * n);
  return (th, thE, nth, nthE) => {
    let small = false;
    for (let i = 0; i < n; i++) {
      if (thE[i] === 0) {
        E[3 * i] = th[i]!;
        E[3 * i + 2] = 0;
      } else {
        // Far below the double range: 0, within 2^-400 (far above the double range, or below 2^-100000: the exact
        // step decides).
        if (!(thE[i]! < 0 && thE[i]! > -MAX_EXPONENT && Math.abs(nthE[i]!) < MAX_EXPONENT) || !hasQuotient[i]) return Infinity;
        E[3 * i] = 0;
        E[3 * i + 2] = EXT_SMALL;
        small = true;
      }
    }
    try {
      step(E, O);
      if (small) quotient!(E, Q);
    } catch (e) {
      if (e instanceof GiveUp) return Infinity;
      throw e;
    }
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let h: number;
      let l: number;
      let e: number;
      // x = xh + xl within ex (x_i, or x_i / p_i), and |x - G| <= |x - h - l| + e + ex.
      let xh: number;
      let xl = 0;
      let ex = 0;
      let floor: number;
      if (thE[i] === 0) {
        if (nthE[i] !== 0) return Infinity;
        h = O[3 * i]!;
        l = O[3 * i + 1]!;
        e = O[3 * i + 2]!;
        xh = nth[i]!;
        floor = Math.abs(th[i]!);
      } else {
        // x_i / p_i = (mx / mp) 2^(ex - ep): the mantissas' quotient as qh + ql (the residual mx - qh mp of a correctly
        // rounded quotient is a double, computed exactly from Dekker's product), then scaled by 2^(ex - ep), exact
        // while both parts stay normal.
        const mx = nth[i]!;
        const mp = th[i]!;
        const d = nthE[i]! - thE[i]!;
        const qh = mx / mp;
        const pr = qh * mp;
        const ql = (mx - pr - twoProductError(qh, mp, pr)) / mp;
        if (!(Math.abs(d) <= 1000)) return Infinity;
        const scale = 2 ** d;
        xh = qh * scale;
        xl = ql * scale;
        if (!(Math.abs(xh) >= MIN_NORMAL && Math.abs(xh) < Infinity)) return Infinity;
        // ql's rounding, and its underflow after scaling.
        ex = Math.abs(xl) * U * GROW + TINY;
        h = Q[3 * i]!;
        l = Q[3 * i + 1]!;
        e = Q[3 * i + 2]!;
        floor = 1;
      }
      // Each operation below is off by at most u of its result.
      const a = xh - h;
      const c = xl - l;
      const b = a + c;
      const num = (Math.abs(b) + (Math.abs(a) + Math.abs(c) + Math.abs(b)) * U + e + ex) * GROW + TINY;
      // max(|G|, floor) >= max(|h| - (|l| + e), floor) (floor is exact): A below |h|, B above |l| + e, g below A - B,
      // each past its own roundings; a g too small for relative bounds is left out.
      const A = Math.abs(h) * (1 - 2 * U);
      const B = (Math.abs(l) + e) * (1 + 4 * U);
      let g = (A - B) * (1 - 2 * U);
      if (!(g >= MIN_G)) g = 0;
      const den = Math.max(g, floor);
      if (!(den > 0) || !(num < Infinity)) return Infinity;
      // The quotient rounded up twice over, and above an underflow.
      const r = (num / den) * GROW + TINY;
      if (r > worst) worst = r;
    }
    return worst;
  };
}
