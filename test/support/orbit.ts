import type { DerivedModel } from '../../src/symbolic/derive.js';
import { makeLaneStepKernel, STEP_OK } from '../../src/dynamics/batch.js';
import { laneState } from '../../src/dynamics/gd.js';
import { checkInputs } from '../../src/dynamics/inputs.js';

/**
 * The computed orbit from `init` in extended arithmetic, as the checker steps it (the lane step kernel): `visit` sees
 * every `every`th iterate (lane state th, thE at step t) with its computed successor (nth, nthE), for t < steps; the
 * walk ends before a step the kernel refuses.
 */
export function walkOrbit(
  model: DerivedModel,
  hyper: Record<string, number>,
  init: number[],
  steps: number,
  every: number,
  visit: (t: number, th: Float64Array, thE: Float64Array, nth: Float64Array, nthE: Float64Array) => void,
): void {
  const kernel = makeLaneStepKernel(model, 'extended');
  const st = laneState(model, checkInputs(model, hyper, init), init, 'extended');
  const n = model.params.length;
  const nth = new Float64Array(n);
  const nthE = new Float64Array(n);
  const out = new Float64Array(1);
  for (let t = 0; t < steps; t++) {
    if (kernel(0, 1, st.th, st.thE, st.hM, st.hE, nth, nthE, out) !== STEP_OK) break;
    if (t % every === 0) visit(t, st.th, st.thE, nth, nthE);
    st.th.set(nth);
    st.thE.set(nthE);
  }
}
