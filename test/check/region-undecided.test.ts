/**
 * The lemmas of lemmas/region-undecided/ (issue 23 item 6): true one-step claims that the region prover leaves
 * UNDECIDED at its default budget, each description saying why and how much of the region's volume stays open.
 * This holds the prover to those descriptions: UNDECIDED (never PROVED, never FALSIFIED: they are true), the
 * undecided share of the volume within 25% of the measured one (the budget is a count of boxes, so the share is
 * the same on any machine; a change of the prover that moves it is a change the description must follow), and the
 * worst box reported over every variable of the region.
 */
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { proveRegion, REGION_MAX_BOXES } from '../../src/check/region-prove.js';

/** Measured with the default budget (REGION_MAX_BOXES = 20000), as the descriptions state: the undecided share of the volume. */
const MEASURED: [file: string, pack: string, id: string, share: number][] = [
  ['lemmas/region-undecided/minimalist/phase-one-and-gfs-region.ts', 'minimalist', 'c10-region-gfs-sharpness-non-increasing', 1],
  ['lemmas/region-undecided/catapult-n2/catapult-one-step-region.ts', 'catapult-n2', 'k3-n2-region-lazy-contraction', 0.366],
  ['lemmas/region-undecided/catapult-n2/catapult-one-step-region.ts', 'catapult-n2', 'k3-n2-region-stays-in-the-lazy-band', 0.291],
  ['lemmas/region-undecided/catapult-n2/catapult-one-step-region.ts', 'catapult-n2', 'k4-n2-region-loss-falls-if-w-at-least-x-minus-two', 0.455],
  ['lemmas/region-undecided/catapult-n3/catapult-one-step-region.ts', 'catapult-n3', 'k3-n3-region-lazy-contraction', 0.618],
  ['lemmas/region-undecided/catapult-n3/catapult-one-step-region.ts', 'catapult-n3', 'k3-n3-region-stays-in-the-lazy-band', 0.586],
  ['lemmas/region-undecided/catapult-n3/catapult-one-step-region.ts', 'catapult-n3', 'k4-n3-region-loss-falls-if-w-at-least-x-minus-two', 0.999],
];

const models = new Map<string, ReturnType<typeof deriveModel>>();
const modelOf = (pack: string) => models.get(pack) ?? models.set(pack, deriveModel(loadPack(pack).spec)).get(pack)!;

describe('lemmas/region-undecided: UNDECIDED as described, with the share of the volume and the worst box', () => {
  it('every lemma of the folder is listed here', async () => {
    const files = [...new Set(MEASURED.map(([f, p]) => `${f}:${p}`))];
    const ids: string[] = [];
    for (const fp of files) {
      const [file, pack] = fp.split(':') as [string, string];
      for (const l of await loadLemmas([file], modelOf(pack))) {
        expect(l.ok, l.ok ? '' : l.error.message).toBe(true);
        if (l.ok) ids.push(l.lemma.id);
      }
    }
    expect(ids.sort()).toEqual(MEASURED.map(([, , id]) => id).sort());
  });

  for (const [file, pack, id, share] of MEASURED)
    it(`${id}: UNDECIDED, about ${share < 0.01 ? share.toExponential(2) : share} of the volume`, async () => {
      const model = modelOf(pack);
      const l = (await loadLemmas([file], model)).find((x) => x.ok && x.lemma.id === id);
      if (!l?.ok) throw new Error(`${id} not found in ${file}`);
      // The description states the share as measured, in percent with three digits.
      expect(l.lemma.spec.description).toMatch(/UNDECIDED/);
      expect(l.lemma.spec.description.replace(/\s+/g, ' ')).toContain(`${Number((share * 100).toPrecision(3))}% of`);
      const r = proveRegion(model, l.lemma);
      expect(r.status, 'detail' in r ? r.detail : '').toBe('undecided');
      if (r.status !== 'undecided') return;
      expect(r.boxes).toBeLessThanOrEqual(REGION_MAX_BOXES);
      expect(r.undecidedFraction).toBeGreaterThan(0);
      expect(r.undecidedFraction).toBeGreaterThanOrEqual(share * 0.8);
      expect(r.undecidedFraction).toBeLessThanOrEqual(Math.min(1, share * 1.25));
      const vars = [...l.lemma.paramDraws, ...l.lemma.hyperDraws].map((d) => d.name).sort();
      expect(Object.keys(r.worst!.box).sort()).toEqual(vars);
      expect(r.worst!.volumeFraction).toBeGreaterThan(0);
      expect([...l.lemma.statements, ...l.lemma.when].map((c) => c.text)).toContain(r.worst!.comparison);
      expect(r.detail).toMatch(/of the region's volume; worst box/);
    }, 300_000);
});
