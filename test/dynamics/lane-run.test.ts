import { describe, expect, it } from 'vitest';
import { packNames } from '../../src/model/pack.js';
import { makeLaneRunKernel, makeLaneStepKernel, STEP_OK, type BatchArith } from '../../src/dynamics/batch.js';
import { laneState } from '../../src/dynamics/gd.js';
import { checkInputs } from '../../src/dynamics/inputs.js';
import { packDraws } from '../support/pack-draws.js';

/**
 * The lane run kernel (many steps in one call) against the lane step kernel one step at a time: the same iterates bit
 * for bit, the same stop before a step the step kernel refuses, the same repeat. Starts: two draws of every trajectory
 * lemma of every pack (their orbits leave the double band, diverge, and stall), runs of 1 to 700 steps.
 */
const sameBits = (a: Float64Array, b: Float64Array) => a.every((x, i) => Object.is(x, b[i]));

describe('the lane run kernel takes the lane step kernel\'s steps', () => {
  for (const packName of packNames())
    for (const arith of ['extended', 'float64'] as BatchArith[])
      it(`${packName}, ${arith}`, async () => {
        const { model, draws } = await packDraws(packName, 20261209, 2);
        const step = makeLaneStepKernel(model, arith);
        const run = makeLaneRunKernel(model, arith);
        const n = model.params.length;
        const out = new Float64Array(1);
        const rout = new Float64Array(1);
        let runs = 0;
        let stops = 0;
        let repeats = 0;
        for (const { lemma, hyper, init } of draws) {
          const a = laneState(model, checkInputs(model, hyper, init), init, arith);
          const b = laneState(model, checkInputs(model, hyper, init), init, arith);
          const nth = new Float64Array(n);
          const nthE = new Float64Array(n);
          let t = 0;
          for (let chunk = 1; t < lemma.steps; chunk = (chunk * 7 + 3) % 701) {
            // Step by step: how many steps of the chunk the step kernel takes, and whether the last one repeats.
            let taken = 0;
            let repeated = false;
            while (taken < chunk && !repeated) {
              if (step(0, 1, a.th, a.thE, a.hM, a.hE, nth, nthE, out) !== STEP_OK) break;
              repeated = sameBits(nth, a.th) && sameBits(nthE, a.thE);
              a.th.set(nth);
              a.thE.set(nthE);
              taken++;
            }
            const k = run(b.th, b.thE, b.hM, b.hE, chunk, rout);
            runs++;
            const where = `${lemma.id} at step ${t}, chunk ${chunk}`;
            expect(k, where).toBe(taken);
            expect(rout[0] === 1, where).toBe(repeated);
            expect(sameBits(b.th, a.th) && sameBits(b.thE, a.thE), where).toBe(true);
            t += taken;
            if (repeated) repeats++;
            if (taken < chunk && !repeated) {
              stops++;
              break;
            }
            if (repeated) break;
          }
        }
        expect(runs).toBeGreaterThan(20);
        console.log(`${packName} ${arith}: ${runs} runs, ${stops} stopped before a refused step, ${repeats} at a repeat`);
      }, 300_000);
});
