/**
 * The divergence rule of GD, the one definition every arithmetic and kernel uses (batch.ts
 * divergedSource emits it as code): a run ends at the first iterate whose loss is not finite as a
 * double, or at the first step that makes a parameter non-finite or larger than 10^DIVERGED_LOG10
 * in magnitude. The bound matters in extended arithmetic, whose exponent never overflows.
 */
export const DIVERGED_LOG10 = 100;

/** The smallest positive normal double: a float64 value below it has lost digits (float64 underflow). */
export const MIN_NORMAL = 2.2250738585072014e-308;

/** The rule at an observed iterate: which of its loss and sharpness (as doubles) is not finite, if any. */
export function iterateDiverged(L: number, S: number): 'L' | 'S' | null {
  return !Number.isFinite(L) ? 'L' : !Number.isFinite(S) ? 'S' : null;
}
