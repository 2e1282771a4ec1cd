import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../src/symbolic/derive.js';
import { loadPack } from '../../src/model/pack.js';
import { loadLemmas } from '../../src/lemma/load.js';
import { verifyLoaded } from '../../src/check/catalogue.js';

describe('Z3 proofs do not depend on what the process proved before', () => {
  it('the same identity gives the same outcome and certificate before and after other Z3 proofs', async () => {
    const pack = loadPack('catapult-n2');
    const model = deriveModel(pack.spec);
    const loaded = await loadLemmas(['lemmas/catapult-n2/k1-one-step-updates.ts', 'lemmas/catapult-n2/k2-sharpness-at-minimizers.ts'], model);
    const byId = (id: string) => loaded.find((l) => l.ok && l.lemma.id === id)!;
    const target = byId('k2-n2-minimizer-sharpness-is-lambda');
    const first = await verifyLoaded(model, target, { seed: 1 });
    // Other Z3 work in the same process (with a shared Z3 context this changed the printed query).
    await verifyLoaded(model, byId('k1-n2-lambda-change-at-zero-target'), { seed: 1 });
    await verifyLoaded(model, byId('k2-n2-sharpness-is-lambda-everywhere'), { seed: 1 });
    const again = await verifyLoaded(model, target, { seed: 1 });
    expect(first.kind).toBe('PROVED');
    expect(again.kind).toBe(first.kind);
    expect(again.certificate).toBe(first.certificate);
  });
});
