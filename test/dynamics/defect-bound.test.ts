import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack, packNames } from '../../src/model/pack.js';
import { lemmaFiles, loadLemmas } from '../../src/lemma/load.js';
import { quantifierKind } from '../../src/lemma/quantifiers/index.js';
import { makeLaneStepKernel, STEP_OK } from '../../src/dynamics/batch.js';
import { iteratePoint, laneState } from '../../src/dynamics/gd.js';
import { checkInputs } from '../../src/dynamics/inputs.js';
import { ExactGD } from '../../src/dynamics/exact-step.js';
import { defectBound } from '../../src/dynamics/defect-bound.js';
import { checkTrajectory } from '../../src/check/trajectory-check.js';
import { drawGrids, gridToPoint } from '../../src/check/draw.js';

/** What the trajectory check allows for the figure's own roundings (trajectory-check.ts, DEFECT_ROOM). */
const ROOM = 1 + 2 ** -30;

describe('the defect bound is above the exact one-step defect, and close to it', () => {
  for (const packName of packNames()) {
    it(`along the orbits of ${packName}'s trajectory lemmas`, async () => {
      const pack = loadPack(packName);
      const model = deriveModel(pack.spec);
      const kernel = makeLaneStepKernel(model, 'extended');
      const loaded = await loadLemmas(lemmaFiles(pack.lemmaDir!), model);
      const out = new Float64Array(1);
      let bounded = 0;
      let samples = 0;
      for (const l of loaded) {
        if (!l.ok || quantifierKind(l.lemma.quantifier.kind)?.mode !== 'trajectory') continue;
        for (const g of drawGrids(l.lemma, 20261207, 2)) {
          const p = gridToPoint(l.lemma, g);
          const init = model.params.map((k) => p.init[k]!);
          const st = laneState(model, checkInputs(model, p.hyper, init), init, 'extended');
          const exact = new ExactGD(model, p.hyper);
          const bound = defectBound(model, p.hyper);
          const n = model.params.length;
          const nth = new Float64Array(n);
          const nthE = new Float64Array(n);
          for (let t = 0; t < Math.min(1500, l.lemma.steps); t++) {
            if (kernel(0, 1, st.th, st.thE, st.hM, st.hE, nth, nthE, out) !== STEP_OK) break;
            if (t % 37 === 0) {
              const b = bound(st.th, st.thE, nth, nthE);
              const d = exact.defect(iteratePoint(t, st.th, st.thE, 'extended', []), iteratePoint(t + 1, nth, nthE, 'extended', [])).value;
              samples++;
              const where = `${l.lemma.id} at step ${t} of ${JSON.stringify(p)}`;
              expect(b * ROOM >= d, `${where}: bound ${b}, defect ${d}`).toBe(true);
              if (b < Infinity) {
                bounded++;
                // Close: it skips the exact step wherever the defect is below the largest one by more than 2^-20 of it.
                if (d > 0) expect(b, where).toBeLessThanOrEqual(d * (1 + 2 ** -20));
                else expect(b, where).toBeLessThan(2 ** -90);
              }
            }
            st.th.set(nth);
            st.thE.set(nthE);
          }
        }
      }
      expect(samples).toBeGreaterThan(20);
      // Else the test would hold only the Infinity answer.
      expect(bounded / samples, `${bounded} of ${samples} samples bounded`).toBeGreaterThan(0.3);
    }, 300_000);
  }
});

describe('skipping the exact steps the bound rules out changes no trajectory result', () => {
  for (const packName of packNames()) {
    it(`every trajectory lemma of ${packName}`, async () => {
      const pack = loadPack(packName);
      const m = deriveModel(pack.spec);
      const loaded = await loadLemmas(lemmaFiles(pack.lemmaDir!), m);
      let compared = 0;
      for (const l of loaded) {
        if (!l.ok || quantifierKind(l.lemma.quantifier.kind)?.mode !== 'trajectory') continue;
        for (const g of drawGrids(l.lemma, 20261208, 2)) {
          const p = gridToPoint(l.lemma, g);
          const init = m.params.map((k) => p.init[k]!);
          const opts = { arith: 'extended' as const, steps: Math.min(3000, l.lemma.steps) };
          const a = checkTrajectory(m, l.lemma, p.hyper, init, opts);
          const b = checkTrajectory(m, l.lemma, p.hyper, init, { ...opts, defectBound: false });
          expect(a.maxDefect, `${l.lemma.id} at ${JSON.stringify(p)}`).toBe(b.maxDefect);
          if (b.maxDefect !== null) compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    }, 300_000);
  }
});
