/**
 * Cost per certified GD step (src/dynamics/certified-orbit.ts) for the minimalist model at the
 * precision run R3 of PAPER.md needs (beta1 falls to about 1e-3071): the adaptive orbit of R3 is run
 * once to find that precision, then blocks of steps are timed at it (and at 2x and 4x for scale), the
 * median of several repetitions. Also the cost of a certified sharpness enclosure at one step.
 * Prints the load average, since the machine is shared. Run: npx tsx bench/certified.ts
 */
import os from 'node:os';
import { deriveModel } from '../src/symbolic/derive.js';
import { minimalistModel } from '../src/model/minimalist.js';
import { certifiedOrbit, sharpnessEnclosure } from '../src/dynamics/certified-orbit.js';
import { DyadicArith } from '../src/numeric/dyadic.js';

const model = deriveModel(minimalistModel);
const R3 = { hyper: { eta: 1.5, lambda1: 1, lambda2: 1e-4 }, init: [1, 0.001, 0], steps: 40000 };
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(`load average (1, 5, 15 min) before: ${load()}`);
let t0 = performance.now();
const full = certifiedOrbit(model, R3.hyper, R3.init, R3.steps);
const fullMs = performance.now() - t0;
console.log(
  `R3 adaptive: ${full.status} at ${full.bits} bits, passes ${full.passes.map((p) => `${p.bits}:${p.end}@${p.reached}`).join(' ')}; widest relative enclosure 2^${full.widest.log2RelWidth.toFixed(1)} (${full.widest.param}, step ${full.widest.step}); ${(fullMs / 1000).toFixed(2)} s for ${R3.steps} steps including restarts (${((fullMs / R3.steps) * 1000).toFixed(1)} us/step)`,
);

// Blocks run through the phase where beta1 is smallest (steps ~ 1000-6000), the costliest part of R3.
const BLOCK = 6000;
const REPS = 5;
for (const bits of [full.bits, 2 * full.bits, 4 * full.bits]) {
  certifiedOrbit(model, R3.hyper, R3.init, 200, { startBits: bits, maxBits: bits }); // warm-up
  const us: number[] = [];
  for (let k = 0; k < REPS; k++) {
    t0 = performance.now();
    certifiedOrbit(model, R3.hyper, R3.init, BLOCK, { startBits: bits, maxBits: bits });
    us.push(((performance.now() - t0) / BLOCK) * 1000);
  }
  console.log(`${bits} bits: median ${median(us).toFixed(1)} us per certified step (centered form; ${REPS} x ${BLOCK} steps of R3; min ${Math.min(...us).toFixed(1)}, max ${Math.max(...us).toFixed(1)})`);
}
{
  const A = new DyadicArith(full.bits);
  const us: number[] = [];
  for (let k = 0; k < REPS; k++) {
    t0 = performance.now();
    for (let i = 0; i < 50; i++) sharpnessEnclosure(model, full.box, full.hyper, A);
    us.push(((performance.now() - t0) / 50) * 1000);
  }
  console.log(`sharpness enclosure at step ${R3.steps}, ${full.bits} bits: median ${median(us).toFixed(0)} us (${sharpnessEnclosure(model, full.box, full.hyper, A).toString(12)})`);
}
console.log(`load average (1, 5, 15 min) after: ${load()}`);
