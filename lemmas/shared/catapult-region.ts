import type { Draw, Hypotheses } from '../../src/lemma/types.js';

/*
 * The region versions of the catapult packs' one-step facts (issue 23 item 6), shared by catapult-n2 and -n3: the
 * sampled lemmas' hyperparameters and their box of starts u, v in [-1, 1]^n as the region of states
 * (hypotheses.params), the sampled lemmas' `where` on the start restated as premises on the state. The region
 * prover (src/check/region-prove.ts) decides such a lemma box by box and writes a certificate that
 * `eos-check check-certificate` re-checks. Scale-free variables: x = eta lambda, w = eta^2 s^2 f^2 (y = 0);
 * r_next / r = 1 - x + w, x_next = x - w (4 - x).
 */

/** s = 1/sqrt(n), the double nearest, as the sampled lemmas fix it. */
export const S_OF_N: Record<number, number> = { 2: 0.7071067811865476, 3: 0.5773502691896258 };

/** The box u, v in [-1, 1]^n. */
export function unitBox(n: number): Record<string, Draw> {
  const out: Record<string, Draw> = {};
  for (const p of ['u', 'v']) for (let i = 1; i <= n; i++) out[`${p}${i}`] = { min: -1, max: 1 };
  return out;
}

/** The region: eta in [lo, hi], y = 0, s = 1/sqrt(n), u, v in [-1, 1]^n. */
export function catapultRegion(n: number, eta: { min: number; max: number }): Hypotheses {
  return { hyper: { eta, y: 0, s: S_OF_N[n]! }, params: unitBox(n) };
}

/** The lazy band of k3 (eta lambda < 2, lambda >= 0.05 keeps away from u = v = 0, as the sampled starts). */
export const LAZY = ['eta * lambda < 2', 'lambda >= 0.05'];
/** The catapult band of k4. */
export const BAND = ['eta * lambda > 2', 'eta * lambda < 4', 'lambda >= 0.05'];
/** The divergent band of k5 (eta lambda < 8 as the sampled starts). */
export const DIVERGENT = ['eta * lambda > 4', 'eta * lambda < 8', 'lambda >= 0.05'];
