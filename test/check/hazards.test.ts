import { describe, it, expect } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { minimalistModel } from '../../src/model/minimalist.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import { loadLemmas } from '../../src/lemma/load.js';

const model = deriveModel(minimalistModel);

describe('numerical hazards are outcomes, never silent passes', () => {
  it('a trajectory that leaves the hypotheses is checked only up to there, and the report says so', async () => {
    const [inside, outside] = await verifyFiles(model, ['test/fixtures/hazard-lemmas/leaves-hypotheses.ts'], { seed: 3 });
    expect(inside!.kind).toBe('VERIFIED');
    expect(inside!.leftHypotheses).toBe(inside!.trajectories);
    expect(inside!.detail).toMatch(/left the hypotheses/);
    // R1 crosses eta S = 2 near step 140: nothing after that was counted as checked.
    expect(inside!.iterates).toBeLessThan(inside!.trajectories * 400);
    expect(outside!.kind).toBe('VACUOUS');
    expect(outside!.detail).toMatch(/left the hypotheses/);
  });

  it('every sampled run reports the one-step defect of its computed orbits: about 1e-16 in extended arithmetic', async () => {
    const [o] = await verifyFiles(model, ['test/fixtures/hazard-lemmas/leaves-hypotheses.ts'], { seed: 3, only: 'stable-while-below-threshold' });
    expect(o!.defectEvery).toBeGreaterThan(0);
    expect(o!.maxStepDefect).not.toBeNull();
    expect(o!.maxStepDefect!).toBeLessThan(1e-15);
  });

  it('hypotheses.along is refused in an identity and must be a list', async () => {
    const bad = await loadLemmas(['test/fixtures/hazard-lemmas/bad-along.ts'], model);
    const errors = bad.filter((l) => !l.ok).map((l) => (l.ok ? '' : `${l.error.field}: ${l.error.detail}`));
    expect(errors).toEqual([expect.stringMatching(/^hypotheses\.along: an identity has no trajectory/), expect.stringMatching(/^hypotheses\.along: must be a list/)]);
  });
});
