import { describe, expect, it } from 'vitest';
import { packNames } from '../../src/model/pack.js';
import { iteratePoint } from '../../src/dynamics/gd.js';
import { ExactGD } from '../../src/dynamics/exact-step.js';
import { defectBound } from '../../src/dynamics/defect-bound.js';
import { checkTrajectory } from '../../src/check/trajectory-check.js';
import { packDraws } from '../support/pack-draws.js';
import { walkOrbit } from '../support/orbit.js';

/** What the trajectory check allows for the figure's own roundings (trajectory-check.ts, DEFECT_ROOM). */
const ROOM = 1 + 2 ** -30;

describe('the defect bound is above the exact one-step defect, and close to it', () => {
  for (const packName of packNames()) {
    it(`along the orbits of ${packName}'s trajectory lemmas`, async () => {
      const { model, draws } = await packDraws(packName, 20261207, 2);
      let bounded = 0;
      let samples = 0;
      for (const { lemma, hyper, init } of draws) {
        const exact = new ExactGD(model, hyper);
        const bound = defectBound(model, hyper);
        walkOrbit(model, hyper, init, Math.min(1500, lemma.steps), 37, (t, th, thE, nth, nthE) => {
          const b = bound(th, thE, nth, nthE);
          const d = exact.defect(iteratePoint(t, th, thE, 'extended', []), iteratePoint(t + 1, nth, nthE, 'extended', [])).value;
          samples++;
          const where = `${lemma.id} at step ${t} of ${JSON.stringify({ hyper, init })}`;
          expect(b * ROOM >= d, `${where}: bound ${b}, defect ${d}`).toBe(true);
          if (b < Infinity) {
            bounded++;
            // Close: it skips the exact step wherever the defect is below the largest one by more than 2^-20 of it.
            if (d > 0) expect(b, where).toBeLessThanOrEqual(d * (1 + 2 ** -20));
            else expect(b, where).toBeLessThan(2 ** -90);
          }
        });
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
      const { model, draws } = await packDraws(packName, 20261208, 2);
      let compared = 0;
      for (const { lemma, hyper, init } of draws) {
        const opts = { arith: 'extended' as const, steps: Math.min(3000, lemma.steps) };
        const a = checkTrajectory(model, lemma, hyper, init, opts);
        const b = checkTrajectory(model, lemma, hyper, init, { ...opts, defectBound: false });
        expect(a.maxDefect, `${lemma.id} at ${JSON.stringify({ hyper, init })}`).toBe(b.maxDefect);
        if (b.maxDefect !== null) compared++;
      }
      expect(compared).toBeGreaterThan(0);
    }, 300_000);
  }
});

describe("a block's earlier defects let a trajectory skip samples, and the block's largest defect stays the same", () => {
  for (const packName of packNames()) {
    it(`the trajectory lemmas of ${packName}, their draws in order as one block`, async () => {
      const { model, draws } = await packDraws(packName, 20261209, 3);
      const largest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
      let compared = 0;
      let lower = 0;
      let prev: string | null = null;
      let floor: number | null = null;
      let exact: number | null = null;
      for (const { lemma, hyper, init } of draws) {
        if (lemma.id !== prev) {
          expect(floor, `${prev}: the block's largest defect`).toBe(exact);
          floor = exact = null;
          prev = lemma.id;
        }
        const opts = { arith: 'extended' as const, steps: Math.min(3000, lemma.steps) };
        const a = checkTrajectory(model, lemma, hyper, init, { ...opts, defectFloor: floor });
        const b = checkTrajectory(model, lemma, hyper, init, { ...opts, defectBound: false });
        if (b.maxDefect !== null) compared++;
        if (a.maxDefect !== b.maxDefect) {
          lower++;
          // Only a sample at or below what the block already had is skipped.
          expect(b.maxDefect! <= floor! * (1 + 2 ** -30), `${lemma.id} at ${JSON.stringify({ hyper, init })}`).toBe(true);
        }
        floor = largest(floor, a.maxDefect);
        exact = largest(exact, b.maxDefect);
      }
      expect(floor, `${prev}: the block's largest defect`).toBe(exact);
      expect(compared).toBeGreaterThan(0);
      // Else the floor would never be used; the minimalist pack's long trajectories always have such samples.
      if (packName === 'minimalist') expect(lower).toBeGreaterThan(0);
    }, 300_000);
  }
});
