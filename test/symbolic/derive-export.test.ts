import { describe, it, expect } from 'vitest';
import { deriveModel, type DerivedModel } from '../../src/symbolic/derive.js';
import { exportDerivation, importDerivation, type DerivationData } from '../../src/symbolic/derivation-data.js';
import { kernelSources } from '../../src/symbolic/model-kernels.js';
import { laneStepSource } from '../../src/dynamics/batch.js';
import { loadPack } from '../../src/model/pack.js';
import { verifyFiles } from '../../src/check/catalogue.js';
import type { MathNode } from '../../src/symbolic/mathjs.js';

// Every registered shape of model: no projection, an implicit quantity (scalar-d3), a box and a half-space projection.
const MODELS = ['minimalist', 'catapult-n2', 'scalar-d3', 'test/fixtures/projected/box.json', 'test/fixtures/projected/halfspace.json'];

/** The model as a worker thread receives it: exported, structured-cloned (what workerData does), imported. */
function roundTrip(m: DerivedModel): { data: DerivationData; imported: DerivedModel } {
  const data = exportDerivation(m);
  return { data, imported: importDerivation(structuredClone(data)) };
}

const trees = (m: DerivedModel): MathNode[] => [m.loss, ...m.gradient, ...m.hessian.flat(), ...m.step, ...m.quantities.values(), ...[...m.implicit.values()].flatMap((q) => [q.poly, q.dpoly, q.lo, q.hi])];

describe('a derived model as plain data (what worker threads start from)', () => {
  for (const name of MODELS) {
    it(`${name}: the imported model has the same hash, trees, node sharing and kernel sources`, () => {
      const m = deriveModel(loadPack(name).spec);
      const { data, imported } = roundTrip(m);
      expect(imported).not.toBe(m);
      expect(imported.hash).toBe(m.hash);
      expect(imported.spec).toEqual(m.spec);
      expect(trees(imported).map((t) => JSON.stringify(t))).toEqual(trees(m).map((t) => JSON.stringify(t)));
      // Exporting the import gives the same table: the same nodes, shared at the same places.
      expect(exportDerivation(imported)).toEqual(data);
      expect(imported.latex).toEqual(m.latex);
      expect(imported.crossCheck).toEqual(m.crossCheck);
      expect(kernelSources(imported)).toEqual(kernelSources(m));
      for (const arith of ['float64', 'extended'] as const) {
        let src: string | Error;
        try {
          src = laneStepSource(m, arith);
        } catch (e) {
          src = e as Error;
        }
        if (src instanceof Error) expect(() => laneStepSource(imported, arith)).toThrow(src.message);
        else expect(laneStepSource(imported, arith)).toBe(src);
      }
    });
  }

  it('the kernels of the import compute the same doubles', () => {
    const m = deriveModel(loadPack('scalar-d3').spec);
    const { imported } = roundTrip(m);
    const th = [1.3, 0.7, -0.4];
    const h = [0.35];
    expect(Object.is(imported.kernels.loss(th, h), m.kernels.loss(th, h))).toBe(true);
    for (const [k, f] of m.kernels.quantities) expect(imported.kernels.quantities.get(k)!(th, h)).toBe(f(th, h));
    const [g1, g2] = [new Float64Array(3), new Float64Array(3)];
    m.kernels.gradient(th, h, g1);
    imported.kernels.gradient(th, h, g2);
    expect([...g2]).toEqual([...g1]);
  });

  it('refuses data of another format and data whose model text does not have the recorded hash', () => {
    const data = exportDerivation(deriveModel(loadPack('minimalist').spec));
    expect(() => importDerivation({ ...data, format: 'x' } as unknown as DerivationData)).toThrow(/format/);
    expect(() => importDerivation({ ...data, spec: { ...data.spec, loss: `${data.spec.loss} + 0` } })).toThrow(/hashes to/);
  });

  it('gives the same verify outcomes as the derived model (sampled, Z3, expansion, implicit quantity)', async () => {
    const cases: [string, string[]][] = [
      ['minimalist', ['lemmas/c3-beta1-multiplicative-update.ts', 'lemmas/c10-gfs-sharpness-non-increasing.ts']],
      ['scalar-d3', ['lemmas/scalar-d3/d2-flow-limit-sharpness.ts']],
    ];
    const kinds = new Set<string>();
    for (const [pack, files] of cases) {
      const m = deriveModel(loadPack(pack).spec);
      const { imported } = roundTrip(m);
      const opts = { seed: 11, runs: 6 };
      const a = await verifyFiles(m, files, opts);
      const b = await verifyFiles(imported, files, opts);
      for (const o of a) kinds.add(o.kind);
      expect(b.map(({ timeMs: _t, ...o }) => o)).toEqual(a.map(({ timeMs: _t, ...o }) => o));
    }
    // Proofs and sampled checks both ran on the imported model.
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['PROVED', 'VERIFIED']));
  }, 120_000);
});
