/**
 * The one-step defect of a computed orbit by the compiled dyadic step (exact-step.ts) is the rational path's value
 * bit for bit: on every pack's model, at random iterates and successors near G(p), in float64 and far outside the
 * double range (extended exponents), and where the successor is G(p) itself (defect 0).
 */
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack, packNames } from '../../src/model/pack.js';
import { ExactGD } from '../../src/dynamics/exact-step.js';
import type { IteratePoint } from '../../src/dynamics/gd.js';
import { fromParts } from '../../src/numeric/extfloat.js';
import { mulberry32 } from '../../src/numeric/prng.js';

describe('the defect by the dyadic step equals the rational one', () => {
  for (const packName of packNames()) {
    it(`${packName}: random iterates, float64 and extended`, () => {
      const model = deriveModel(loadPack(packName).spec);
      const rnd = mulberry32(25);
      const n = model.params.length;
      let compared = 0;
      for (let trial = 0; trial < 60; trial++) {
        const hyper = Object.fromEntries(model.hypers.map((h) => [h, 0.05 + 1.5 * rnd()]));
        const gd = new ExactGD(model, hyper);
        const theta = Array.from({ length: n }, () => (rnd() - 0.3) * 2);
        const extended = trial % 3 === 0;
        // An extended iterate: one coordinate far below the double range.
        const exps = Array.from({ length: n }, (_, i) => (extended && i === trial % n ? -4000 - Math.floor(3000 * rnd()) : 0));
        const prev: IteratePoint = extended ? { t: 0, theta, thetaExt: theta.map((m, i) => fromParts(m, exps[i]!)), topVector: [] } : { t: 0, theta, topVector: [] };
        // The successor: G(p) rounded to doubles, then moved by a few ulps (or kept: defect 0 where G(p) is a double).
        const g = gd.next(ExactGD.iterate(prev));
        const next0 = g.map((x) => x.toNumber());
        const moved = next0.map((x) => (trial % 4 === 1 ? x : x * (1 + (Math.floor(8 * rnd()) - 4) * 2 ** -52)));
        const next: IteratePoint = extended ? { t: 1, theta: moved, thetaExt: moved.map((m, i) => fromParts(m, exps[i]!)), topVector: [] } : { t: 1, theta: moved, topVector: [] };
        expect(gd.defect(prev, next), `${packName} trial ${trial}`).toEqual(gd.defectRational(prev, next));
        if (gd.nextDyadic(prev)) compared++;
      }
      // Every pack's step is polynomial with dyadic constants: the dyadic path ran at every trial.
      expect(compared).toBe(60);
    });
  }
});
